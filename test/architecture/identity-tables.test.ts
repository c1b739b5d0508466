// Issue 13 §4: no module outside auth names an identity table. Identity's rules (link supersession,
// backup-code removal, the organisation scope) live once, in src/auth/, and the others reach them
// through src/auth/service.ts. This reads every source file outside auth, the database layer and
// tests, and fails on a Kysely table reference, a qualified column or raw SQL naming one of them.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const ROOT = new URL('../../', import.meta.url).pathname;
export const IDENTITY_TABLES = [
  'app_user', 'flow', 'session', 'link_token', 'backup_code', 'trusted_device', 'trusted_network',
  'organisation', 'mail_otp', 'throttle', 'factor', 'user_factor', 'terms_version', 'terms_acceptance', 'matrix_password',
] as const;

const names = IDENTITY_TABLES.join('|');
const PATTERNS = [
  // selectFrom('app_user'), innerJoin('organisation as o', …), updateTable("session"), with(…)
  new RegExp(`\\b(selectFrom|insertInto|updateTable|deleteFrom|replaceInto|mergeInto|innerJoin|leftJoin|rightJoin|fullJoin|crossJoin)\\(\\s*['"\`](${names})(\\s+as\\s+\\w+)?['"\`]`),
  // 'app_user.login_id' as a column reference of a query (audit event names such as
  // 'session.revoked' look the same, so only on a line that builds a query)
  new RegExp(`\\.(select|where|whereRef|orderBy|groupBy|on|onRef|ref|returning|set)\\(.*['"\`](${names})\\.[a-z_]+['"\`]`),
  // raw SQL: from app_user, join organisation, update session, into link_token
  new RegExp(`\\b(from|join|update|into)\\s+"?(${names})"?\\b(?!\\s*\\()`, 'i'),
];

function sources(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) { if (name !== 'test') sources(p, out); } else if (/\.tsx?$/.test(name) && !/\.test\.tsx?$/.test(name)) out.push(p);
  }
  return out;
}

/** Lines of `text` that name an identity table, as "line: text". */
export function identityTableUses(text: string): string[] {
  const hits: string[] = [];
  text.split('\n').forEach((line, i) => {
    const code = line.replace(/\/\/.*$/, '');
    if (/^\s*(\*|\/\*)/.test(code)) return; // comments say «organisation» freely
    if (PATTERNS.some((re) => re.test(code))) hits.push(`${i + 1}: ${line.trim()}`);
  });
  return hits;
}

describe('identity tables stay inside auth', () => {
  it('the check finds the ways a module would name a table', () => {
    assert.equal(identityTableUses(`db.selectFrom('app_user').selectAll()`).length, 1);
    assert.equal(identityTableUses(`q.innerJoin('organisation as o', 'o.id', 'x.org')`).length, 1);
    assert.equal(identityTableUses(`.select('app_user.login_id')`).length, 1);
    assert.equal(identityTableUses('sql`delete from link_token where id = ${id}`').length, 1);
    assert.equal(identityTableUses(`// joins organisation names in\nconst a = 'user_group';`).length, 0);
  });

  it('no file outside src/auth/ and src/db/ names one', () => {
    const offenders: string[] = [];
    for (const file of sources(join(ROOT, 'src'))) {
      const rel = relative(ROOT, file);
      if (rel.startsWith('src/auth/') || rel.startsWith('src/db/')) continue;
      for (const hit of identityTableUses(readFileSync(file, 'utf8'))) offenders.push(`${rel}:${hit}`);
    }
    assert.deepEqual(offenders, [], 'call src/auth/service.ts instead');
  });
});
