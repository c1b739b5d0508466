// Issue 21 from the shell: `migrate import` with the documented example files (dry run, real run,
// re-run), a file of another shape refused, --on-error=stop, and `migrate status` as table, JSON, CSV.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { testDialects } from '../../../test/helpers/db.ts';
import { cli, inspect, operatorEnv, type Result } from './harness.ts';

const EXAMPLES = new URL('../../../docs/examples/', import.meta.url).pathname;

function ok(r: Result): string[] {
  assert.equal(r.code, 0, r.err.join('\n'));
  return r.out;
}

for (const dialect of testDialects()) {
  describe(`${dialect}: migrate CLI (issue 21)`, () => {
    it('imports the example files: dry run, real run, a re-run; reports every decision', async (t) => {
      const env = await operatorEnv(dialect, t);
      const dir = mkdtempSync(join(tmpdir(), 'bizportal-migrate-'));
      t.after(() => rmSync(dir, { recursive: true, force: true }));
      ok(await cli(env, 'init'));
      ok(await cli(env, 'org', 'create', '--name', 'Existing', '--kind', 'direct'));
      const org = ok(await cli(env, 'org', 'list', '--json'));
      const existing = (JSON.parse(org.join('\n')) as { id: string; name: string }[]).find((o) => o.name === 'Existing')!;
      ok(await cli(env, 'user', 'create', '--org', existing.id, '--login-id', 'sample@ntt.com', '--email', 'other@example.com', '--name', 'Other', '--phone', '0311112222', '--role', 'admin'));
      const csv = join(dir, 'legacy.csv');
      copyFileSync(join(EXAMPLES, 'legacy-users.csv'), csv);

      const expected = (w: (a: string, b: string) => string) => [
        `line 2: contract SDPF-P-0001: ${w('created', 'would create')} partner organisation "Example Partner Co." (password policy legacy6)`,
        'line 2: ecid1234567890: login ID "sample@ntt.com" → "sample@ntt.com_ecid1234567890" (taken in the new portal), phone "03-1234-5678" → "0312345678" (non-digits removed)',
        `line 4: contract SDPF-C-0101: ${w('created', 'would create')} child organisation "Example Child Inc." under contract SDPF-P-0001`,
        'line 4: ecid2000000001: phone "+81 (3) 1234" → "8131234" (non-digits removed)',
        'line 5: ecid2000000002: phone "" → "0312345678" (not 4–32 digits: the default)',
      ];
      const dry = ok(await cli(env, 'migrate', 'import', csv, '--dry-run'));
      assert.deepEqual(dry.slice(0, -2), expected((_, b) => b));
      assert.equal(dry.at(-2), 'dry run: would create 4 user(s) and 2 organisation(s); 1 login ID(s) and 3 phone(s) changed; 0 already imported; 0 refused; nothing written');
      assert.equal(dry.at(-1), `report: ${csv}.dry-run-report.csv`);
      const report = readFileSync(`${csv}.dry-run-report.csv`, 'utf8').split('\r\n');
      assert.equal(report[0], '\uFEFFline,decision,ecid,contract,organisation,legacy_login_id,login_id,legacy_phone,phone,email,detail');
      assert.equal(report.length, 1 + 6 + 1);
      assert.match(report[2]!, /^2,user,ecid1234567890,SDPF-P-0001,,sample@ntt.com,sample@ntt.com_ecid1234567890,03-1234-5678,0312345678,sample@ntt.com,"?login ID: taken/);
      assert.equal(await inspect(env, async (db) => (await db.selectFrom('legacy_user').selectAll().execute()).length), 0);

      const real = ok(await cli(env, 'migrate', 'import', csv, '--report', join(dir, 'r.csv')));
      assert.deepEqual(real.slice(0, -2), expected((a) => a));
      assert.match(real.at(-2)!, /^created 4 user\(s\) and 2 organisation\(s\);/);
      const again = ok(await cli(env, 'migrate', 'import', csv));
      assert.equal(again.at(-2), 'created 0 user(s) and 0 organisation(s); 0 login ID(s) and 0 phone(s) changed; 4 already imported; 0 refused');

      // The JSON example holds the same users: all already imported (the legacy key decides).
      const json = ok(await cli(env, 'migrate', 'import', join(EXAMPLES, 'legacy-users.json'), '--report', join(dir, 'j.csv'), '--dry-run'));
      assert.match(json.at(-2)!, /would create 0 user\(s\).* 4 already imported; 0 refused/);

      const status = ok(await cli(env, 'migrate', 'status'));
      assert.match(status[0]!, /^CONTRACT\s+PARENT\s+USERS\s+COMPLETED\s+NOT COMPLETED\s+ORGANISATION$/);
      assert.match(status[1]!, /^SDPF-C-0101\s+SDPF-P-0001\s+2\s+0\s+2\s+Example Child Inc\.$/);
      assert.match(status[2]!, /^SDPF-P-0001\s+-\s+2\s+0\s+2\s+Example Partner Co\.$/);
      assert.equal(status[3], '2 organisation(s), 4 imported user(s): 0 completed their first login, 4 not');
      await inspect(env, (db) => db.updateTable('app_user').set({ last_login_at: Date.UTC(2026, 0, 2) }).where('login_id', '=', 'user@child.example.jp').execute());
      const js = JSON.parse(ok(await cli(env, 'migrate', 'status', '--json')).join('\n')) as { contract: string; completed: number; pending: number }[];
      assert.deepEqual(js.map((o) => [o.contract, o.completed, o.pending]), [['SDPF-C-0101', 1, 1], ['SDPF-P-0001', 0, 2]]);
      const rows = ok(await cli(env, 'migrate', 'status', '--csv'));
      assert.equal(rows[0], 'contract,organisation_id,login_id,email,name,first_login,last_login');
      assert.equal(rows.length, 5);
      assert.ok(rows.some((r) => /^SDPF-C-0101,[^,]+,user@child.example.jp,user@child.example.jp,子 次郎,completed,2026-01-02T00:00:00.000Z$/.test(r)));
      const pending = ok(await cli(env, 'migrate', 'status', '--pending'));
      assert.equal(pending.filter((l) => /@/.test(l)).length, 3);
      assert.match(pending.find((l) => l.startsWith('migration '))!, /^migration \S+: legacy.csv, 4 user\(s\); no period set$/);

      // The first-login mails: only during the period, paced, resumable.
      const refused = await cli(env, 'migrate', 'send-guides');
      assert.deepEqual([refused.code, refused.err], [1, ['error: set the migration period first (migrate period --start … --end …)']]);
      const iso = (ms: number) => new Date(ms).toISOString();
      ok(await cli(env, 'migrate', 'period', '--start', iso(Date.now() + 3_600_000), '--end', iso(Date.now() + 7_200_000)));
      assert.match((await cli(env, 'migrate', 'send-guides')).err[0]!, /the migration period has not started/);
      assert.equal((await cli(env, 'migrate', 'period', '--start', iso(Date.now()), '--end', iso(Date.now() - 1000))).code, 1);
      assert.match(ok(await cli(env, 'migrate', 'period', '--start', iso(Date.now() - 3_600_000), '--end', iso(Date.now() + 3_600_000))).join(''), /period .* – /);
      const guides = () => inspect(env, async (db) => (await db.selectFrom('mail_outbox').select('to_addr').where('kind', '=', 'starting_guide').orderBy('to_addr').execute()).map((r) => r.to_addr));
      const before = await guides(); // the user created above got one at registration
      const first = ok(await cli(env, 'migrate', 'send-guides', '--limit', '1'));
      assert.deepEqual(first.slice(0, -1), ['1 of 1 (100 %)']);
      assert.match(first.at(-1)!, /: queued 1 first-login mail\(s\), skipped 0 \(first login done or disabled\); 1 of the imported users handled so far$/);
      const t0 = Date.now();
      const rest = ok(await cli(env, 'migrate', 'send-guides', '--rate', '4'));
      // Three mails at 4 a second: the third is not queued before 0.5 s (a lower bound, never flaky).
      assert.ok(Date.now() - t0 >= 450);
      assert.deepEqual(rest.slice(0, -1), ['1 of 3 (33 %)', '2 of 3 (67 %)', '3 of 3 (100 %)']);
      assert.match(rest.at(-1)!, /queued 3 first-login mail\(s\), skipped 0 .*; 4 of the imported users handled so far$/);
      assert.equal((await guides()).length - before.length, 4);
      assert.match(ok(await cli(env, 'migrate', 'send-guides')).at(-1)!, /queued 0 first-login mail\(s\), skipped 0 .*; 4 of the imported users/);
      assert.match(ok(await cli(env, 'migrate', 'status')).find((l) => l.startsWith('migration '))!, /; period .* \(during\)$/);

      // Audited (S13): the two real imports (the dry runs are not), the two periods set (one was refused), the three sends (two were refused).
      const events = await inspect(env, async (db) => (await db.selectFrom('audit_log').select(['event', 'ip', 'detail']).where('event', 'like', 'migration.%').orderBy('at').orderBy('id').execute()));
      const count = (e: string) => events.filter((x) => x.event === e).length;
      assert.deepEqual([count('migration.imported'), count('migration.period_set'), count('migration.guides_sent')], [2, 2, 3]);
      const firstImport = JSON.parse(events.find((x) => x.event === 'migration.imported')!.detail) as Record<string, unknown>;
      assert.deepEqual([firstImport.created, firstImport.existing, firstImport.errors, firstImport.organisations, firstImport.file, firstImport.via], [4, 0, 0, 2, 'legacy.csv', 'cli']);
      assert.ok(events.every((x) => x.ip === 'cli'));
    });

    it('refuses a file of another shape before writing, and stops at a bad row with --on-error=stop', async (t) => {
      const env = await operatorEnv(dialect, t);
      const dir = mkdtempSync(join(tmpdir(), 'bizportal-migrate-'));
      t.after(() => rmSync(dir, { recursive: true, force: true }));
      ok(await cli(env, 'init'));
      const other = join(dir, 'contracts.csv');
      writeFileSync(other, 'organisation,number,service\nx,N100000001,pbx\n');
      const r = await cli(env, 'migrate', 'import', other);
      assert.equal(r.code, 1);
      assert.deepEqual(r.err, [`error: ${other}: not a legacy user file: missing column(s) ecid, contract, login_id, email, name; unknown column(s) organisation, number, service; nothing was imported`]);
      const bad = join(dir, 'bad.csv');
      writeFileSync(bad, 'ecid,contract,login_id,email,name\ne1,P1,a,a@x.jp,A\ne2,P1,b,b@,B\ne3,P1,c,c@x.jp,C\n');
      const stop = await cli(env, 'migrate', 'import', bad, '--on-error=stop');
      assert.equal(stop.code, 1);
      assert.ok(stop.out.includes('line 3: e2: refused: email is not a plain address local@domain'), stop.out.join('\n'));
      assert.match(stop.err[0]!, /stopped at a refused row/);
      assert.equal(await inspect(env, async (db) => (await db.selectFrom('legacy_user').selectAll().execute()).length), 1);
      const usage = await cli(env, 'migrate', 'import');
      assert.deepEqual([usage.code, usage.err[0]], [2, "error: missing FILE (see 'bizportal migrate import --help')"]);
      assert.equal((await cli(env, 'migrate', 'import', bad, '--on-error=maybe')).code, 2);
      const unwritable = await cli(env, 'migrate', 'import', bad, '--report', join(dir, 'no', 'such', 'dir.csv'));
      assert.deepEqual([unwritable.code, unwritable.err], [1, [`error: --report: cannot write "${join(dir, 'no', 'such', 'dir.csv')}" (ENOENT)`]]);
    });
  });
}
