// The rules of SPEC S11 (seed 004) as pure functions: what a legacy user becomes in the new portal.
// No I/O here: the importer (service.ts) asks the database which login IDs are taken and passes the
// answer in, so every rule is tested on its own (test/rules.test.ts).
import { canonicalLoginId, checkEmail, checkLoginId, MAX_LOGIN_ID } from '../lib/canonical.ts';
import { passwordPolicies as policies } from '../auth/service.ts';
import type { Lang, Role } from '../db/schema.ts';

/** Seed 004: «初期値「0312345678」». */
export const DEFAULT_PHONE = '0312345678';
const PHONE = /^[0-9]{4,32}$/;

export type PhoneDecision = { phone: string; change: null | 'digits_only' | 'default' };

/**
 * Seed 004's phone rule: «if set and 4–32 digits, copied; otherwise 1. remove every non-digit
 * character, 2. if the result is not 4–32 digits (including empty), set the default 0312345678».
 * Full-width digits (０３…) are digits to a reader, so the text is NFKC-normalised before step 1
 * and a full-width number keeps its digits instead of falling to the default.
 */
export function migratePhone(legacy: string): PhoneDecision {
  if (PHONE.test(legacy)) return { phone: legacy, change: null };
  const digits = legacy.normalize('NFKC').replace(/[^0-9]/g, '');
  if (PHONE.test(digits)) return { phone: digits, change: 'digits_only' };
  return { phone: DEFAULT_PHONE, change: 'default' };
}

/** Seed 004: «login ID + "_[ecid]"», e.g. sample@ntt.com_ecid1234567890. */
export function suffixedLoginId(loginId: string, ecid: string): string {
  return `${loginId}_${ecid}`;
}

export type LoginIdDecision =
  | { ok: true; loginId: string; changed: boolean }
  | { ok: false; problem: 'login_id_suffix_taken' | 'login_id_suffix_invalid' };

/**
 * The login ID a legacy user gets: their own, or on a collision with a login ID that exists in the
 * new portal (compared by the canonical form, as at login: SECURITY.md item 41) their own + "_" +
 * ecid. When that is taken too (an ID suffixed by an earlier migration, or a user who chose such an
 * ID) the row is refused: a second, invented rule would be a login ID nobody told the user about.
 */
export function decideLoginId(loginId: string, ecid: string, taken: (canonical: string) => boolean): LoginIdDecision {
  if (!taken(canonicalLoginId(loginId))) return { ok: true, loginId, changed: false };
  const suffixed = suffixedLoginId(loginId, ecid);
  const check = checkLoginId(suffixed);
  if (!check.ok || suffixed.length > MAX_LOGIN_ID) return { ok: false, problem: 'login_id_suffix_invalid' };
  if (taken(check.canonical)) return { ok: false, problem: 'login_id_suffix_taken' };
  return { ok: true, loginId: check.loginId, changed: true };
}

// ---- one row of the file -----------------------------------------------------------------------

/** The columns of the file (docs/migration.md, "Format"). */
export const REQUIRED_COLUMNS = ['ecid', 'contract', 'login_id', 'email', 'name'] as const;
export const OPTIONAL_COLUMNS = ['phone', 'parent_contract', 'contract_name', 'role', 'lang', 'password_policy', 'password_hash'] as const;
export const ALL_COLUMNS: readonly string[] = [...REQUIRED_COLUMNS, ...OPTIONAL_COLUMNS];
export type Column = (typeof REQUIRED_COLUMNS)[number] | (typeof OPTIONAL_COLUMNS)[number];
export type RawRow = Partial<Record<Column, string>>;

export type RowProblem =
  | 'ecid_invalid' | 'contract_invalid' | 'parent_contract_invalid' | 'login_id_invalid' | 'email_invalid'
  | 'name_invalid' | 'role_invalid' | 'lang_invalid' | 'password_policy_invalid' | 'password_hash_invalid'
  | 'not_utf8' | 'broken_csv' | 'broken_json' | 'not_an_object' | 'duplicate' | 'contract_parent_mismatch' | 'login_id_suffix_taken' | 'login_id_suffix_invalid';

/** A row that passed the checks that need no database. */
export interface CheckedRow {
  ecid: string; contract: string; parentContract: string | null; contractName: string | null;
  legacyLoginId: string; loginId: string; email: string; emailChanged: boolean; name: string;
  legacyPhone: string; phone: PhoneDecision; role: Role; lang: Lang; passwordPolicy: string | null;
  passwordHash: string | null;
}

// ecid goes into a login ID: letters, digits and . _ - only.
const KEY = /^[A-Za-z0-9._-]{1,64}$/;
// bcrypt as exported by the usual libraries ($2a$/$2b$/$2y$, cost, 22 + 31 characters).
const BCRYPT = /^\$2[aby]\$\d{2}\$[./A-Za-z0-9]{53}$/;
// Salted PBKDF2-SHA256 in the common `pbkdf2_sha256$iterations$salt$base64hash` form.
const PBKDF2 = /^pbkdf2_sha256\$[1-9][0-9]{0,7}\$[^$\s]{1,128}\$[A-Za-z0-9+/]{43}=?$/;

/** The legacy password hash schemes the new portal will verify once at a legacy login (docs/migration.md). */
export function legacyHashScheme(hash: string): 'bcrypt' | 'pbkdf2_sha256' | null {
  if (BCRYPT.test(hash)) return 'bcrypt';
  if (PBKDF2.test(hash)) return 'pbkdf2_sha256';
  return null;
}

/**
 * Checks one row as the file gives it. E-mail and name are copied as they are (S11): the name
 * exactly (identity verification compares it exactly, S2.1), the e-mail in the one form every
 * address is stored in (the domain IDNA and lower case; a change is reported). A value with U+FFFD
 * came from bytes that are not UTF-8 (csv-parse decodes them so): the row is refused, not guessed.
 */
export function checkRow(raw: RawRow): { ok: true; row: CheckedRow } | { ok: false; problems: RowProblem[] } {
  const problems: RowProblem[] = [];
  const v = (c: Column) => raw[c] ?? '';
  if (Object.values(raw).some((x) => typeof x === 'string' && x.includes('\uFFFD'))) return { ok: false, problems: ['not_utf8'] };
  const ecid = v('ecid').trim();
  if (!KEY.test(ecid)) problems.push('ecid_invalid');
  const contract = v('contract').trim();
  if (!contract || contract.length > 64) problems.push('contract_invalid');
  const parent = v('parent_contract').trim();
  if (parent.length > 64 || (parent && parent === contract)) problems.push('parent_contract_invalid');
  const id = checkLoginId(v('login_id'));
  if (!id.ok) problems.push('login_id_invalid');
  const email = checkEmail(v('email'));
  if (!email.ok) problems.push('email_invalid');
  const name = v('name');
  if (!name.trim() || name.length > 100 || /[\p{Cc}]/u.test(name)) problems.push('name_invalid');
  const role = v('role').trim() || 'general';
  if (role !== 'general' && role !== 'admin') problems.push('role_invalid');
  const lang = v('lang').trim() || 'ja';
  if (lang !== 'ja' && lang !== 'en') problems.push('lang_invalid');
  const policy = v('password_policy').trim();
  if (policy && !Object.hasOwn(policies, policy)) problems.push('password_policy_invalid');
  const hash = v('password_hash').trim();
  if (hash && !legacyHashScheme(hash)) problems.push('password_hash_invalid');
  if (problems.length || !id.ok || !email.ok) return { ok: false, problems };
  const legacyPhone = v('phone');
  return {
    ok: true,
    row: {
      ecid, contract, parentContract: parent || null, contractName: v('contract_name').trim() || null,
      legacyLoginId: id.loginId, loginId: id.loginId, email: email.email, emailChanged: email.email !== v('email').trim(),
      name, legacyPhone, phone: migratePhone(legacyPhone), role: role as Role, lang: lang as Lang,
      passwordPolicy: policy || null, passwordHash: hash || null,
    },
  };
}

/** The columns a header lacks, and the names it has that are not columns (a file of another shape). */
export function checkColumns(header: readonly string[]): { missing: string[]; unknown: string[]; repeated: string[] } {
  const missing = REQUIRED_COLUMNS.filter((c) => !header.includes(c));
  const unknown = header.filter((h) => !ALL_COLUMNS.includes(h));
  const repeated = header.filter((h, i) => header.indexOf(h) !== i);
  return { missing, unknown, repeated };
}
