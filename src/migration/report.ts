// The import's report: one CSV row per decision (docs/migration.md, "Report"), streamed to a file
// as the import goes, so a million rows never sit in memory. The provider tells users their changed
// login IDs and phones from it. Spreadsheet-safe: a cell a spreadsheet would run as a formula gets
// a leading «'» (OWASP CSV injection; login IDs and names are the legacy users' text).
import { createWriteStream, openSync, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import type { Decision, RowProblem } from './service.ts';

export const REPORT_COLUMNS = ['line', 'decision', 'ecid', 'contract', 'organisation', 'legacy_login_id', 'login_id', 'legacy_phone', 'phone', 'email', 'detail'] as const;

/** What each problem means, in the words the report and the CLI print. */
export const PROBLEM_TEXT: Record<RowProblem, string> = {
  ecid_invalid: 'ecid must be 1–64 letters, digits, «.», «_» or «-»',
  contract_invalid: 'contract must be 1–64 characters',
  parent_contract_invalid: 'parent_contract must be another contract (at most 64 characters)',
  login_id_invalid: 'login_id is empty, too long, or has invisible characters or letters of another script',
  email_invalid: 'email is not a plain address local@domain',
  name_invalid: 'name is empty, longer than 100 characters or has control characters',
  role_invalid: 'role must be admin or general',
  lang_invalid: 'lang must be ja or en',
  password_policy_invalid: 'password_policy is not a known preset (business, partner-child, legacy6, nist)',
  password_hash_invalid: 'password_hash is neither bcrypt ($2a$/$2b$/$2y$) nor pbkdf2_sha256$iterations$salt$hash',
  not_utf8: 'the line is not valid UTF-8 (Shift_JIS?); save the file as UTF-8',
  broken_csv: 'broken CSV',
  broken_json: 'broken JSON',
  not_an_object: 'not a user object',
  duplicate: 'the same ecid appears earlier in the file',
  contract_parent_mismatch: 'the contract was given another parent_contract earlier (or a child of a child)',
  login_id_suffix_taken: 'the login ID is taken and so is login ID + "_" + ecid; give this user another login ID',
  login_id_suffix_invalid: 'the login ID is taken and login ID + "_" + ecid is not a valid login ID (too long)',
};

const PHONE_CHANGE = { digits_only: 'phone: non-digits removed', default: 'phone: not 4–32 digits, set to the default' } as const;

export function describeProblems(problems: readonly RowProblem[], detail: string | null): string {
  return problems.map((p) => (p === 'duplicate' && detail ? `${PROBLEM_TEXT[p]} (${detail})` : detail && (p === 'broken_csv' || p === 'broken_json' || p === 'not_an_object') ? `${PROBLEM_TEXT[p]}: ${detail}` : PROBLEM_TEXT[p])).join('; ');
}

/** The report row of a decision, in REPORT_COLUMNS order. */
export function reportCells(d: Decision): (string | number)[] {
  switch (d.kind) {
    case 'org': return [d.line, `organisation_${d.orgKind}`, '', d.contract, d.organisationId ?? '', '', '', '', '', '', `name: ${d.name}${d.parent ? `; parent contract: ${d.parent}` : ''}${d.passwordPolicy ? `; password policy: ${d.passwordPolicy}` : ''}`];
    case 'user': {
      const notes = [
        d.loginIdChanged ? 'login ID: taken in the new portal, changed to login ID + "_" + ecid' : '',
        d.phoneChange ? PHONE_CHANGE[d.phoneChange] : '',
        d.emailChanged ? 'email: domain stored in lower case / IDNA' : '',
        d.passwordHash ? `legacy password hash (${d.passwordHash}) kept, not verified` : '',
      ].filter(Boolean).join('; ');
      return [d.line, 'user', d.ecid, d.contract, d.organisationId ?? '', d.legacyLoginId, d.loginId, d.legacyPhone, d.phone, d.email, notes];
    }
    case 'exists': return [d.line, 'already_imported', d.ecid, '', '', '', '', '', '', '', `imported before (migration ${d.migrationId}, line ${d.sourceLine})`];
    case 'error': return [d.line, 'refused', d.ecid ?? '', '', '', '', '', '', '', '', describeProblems(d.problems, d.detail)];
  }
}

export function csvCell(value: string | number): string {
  let s = String(value);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}
export function csvLine(cells: readonly (string | number)[]): string {
  return `${cells.map(csvCell).join(',')}\r\n`;
}

/** A report file written as decisions come; waits for the disk when it falls behind. */
export class ReportWriter {
  private readonly out: WriteStream;
  /** Opens the file at once, so a path that cannot be written fails before the import starts. */
  constructor(path: string) {
    this.out = createWriteStream('', { fd: openSync(path, 'w') });
    this.out.write(`\uFEFF${csvLine(REPORT_COLUMNS)}`);
  }
  async write(d: Decision): Promise<void> {
    if (!this.out.write(csvLine(reportCells(d)))) await once(this.out, 'drain');
  }
  async close(): Promise<void> {
    this.out.end();
    await once(this.out, 'finish');
  }
}
