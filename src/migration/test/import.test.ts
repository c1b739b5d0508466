// The importer against both databases (issue 21 items 1–2, "Tests"): organisations per contract,
// S11's login-ID and phone rules against existing users, dry run, idempotence, a crash then resume,
// --on-error=stop.
import { describe, it, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freshDb, testDialects } from '../../../test/helpers/db.ts';
import type { Db } from '../../db/index.ts';
import { createOrganisation, registerUserRowForTest } from './world.ts';
import { importLegacyUsers, type Decision, type ImportOptions } from '../service.ts';

const HEADER = 'ecid,contract,parent_contract,contract_name,login_id,email,name,phone,role,password_policy,password_hash';
const BCRYPT = `$2b$10$${'a'.repeat(53)}`;

function csv(t: TestContext, lines: string[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'bizportal-import-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const p = join(dir, 'legacy.csv');
  writeFileSync(p, `${HEADER}\n${lines.join('\n')}\n`);
  return p;
}

async function run(db: Db, path: string, opts: Partial<ImportOptions> = {}) {
  const decisions: Decision[] = [];
  const summary = await importLegacyUsers({ db, now: () => 1_700_000_000_000 }, path, { dryRun: false, onError: 'skip', ...opts }, (d) => { decisions.push(d); });
  return { summary, decisions };
}

const counts = async (db: Db) => ({
  users: Number((await db.selectFrom('legacy_user').select((e) => e.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n),
  contracts: Number((await db.selectFrom('legacy_contract').select((e) => e.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n),
});

for (const dialect of testDialects()) {
  describe(`${dialect}: legacy-user import`, () => {
    it('applies S11: organisations per contract, login-ID collisions, phones, stored legacy hashes', async (t) => {
      const { db } = await freshDb(dialect, t);
      const other = await createOrganisation(db, { name: 'Existing', kind: 'direct' }, 1);
      await registerUserRowForTest(db, other.id, 'sample@ntt.com');
      await registerUserRowForTest(db, other.id, 'dup@x.jp');
      await registerUserRowForTest(db, other.id, 'dup@x.jp_e5');
      const path = csv(t, [
        `ecid1234567890,P1,,Partner One,sample@ntt.com,sample@ntt.com,見本 太郎,03-1234-5678,admin,legacy6,${BCRYPT}`,
        'e2,C1,P1,Child One,child@x.jp,child@x.jp,子 花子,+81 (3) 1234,,,',
        'e3,C1,P1,,child2@x.jp,child2@x.jp,子 次郎,123,,,',
        'e4,P1,,,SAMPLE@ntt.com,s2@x.jp,Same Id,,,,',
        'e5,P1,,,dup@x.jp,d@x.jp,Taken Twice,0312345678,,,',
        `e6,P2,,,p2@x.jp,p2@x.jp,Forty,${'1'.repeat(40)},,,`,
      ]);
      const dry = await run(db, path, { dryRun: true });
      assert.deepEqual(await counts(db), { users: 0, contracts: 0 });
      const real = await run(db, path);
      assert.deepEqual(real.decisions.map(strip), dry.decisions.map(strip));
      const s = real.summary;
      assert.deepEqual([s.created, s.organisations, s.errors, s.loginIdsChanged, s.phonesChanged], [5, 3, 1, 2, 5]);
      const users = real.decisions.filter((d) => d.kind === 'user');
      assert.deepEqual(users.map((u) => [u.line, u.loginId, u.phone, u.phoneChange]), [
        [2, 'sample@ntt.com_ecid1234567890', '0312345678', 'digits_only'],
        [3, 'child@x.jp', '8131234', 'digits_only'],
        [4, 'child2@x.jp', '0312345678', 'default'],
        [5, 'SAMPLE@ntt.com_e4', '0312345678', 'default'],
        [7, 'p2@x.jp', '0312345678', 'default'],
      ]);
      assert.deepEqual(real.decisions.filter((d) => d.kind === 'error').map((d) => [d.line, d.problems]), [[6, ['login_id_suffix_taken']]]);
      const orgs = await db.selectFrom('legacy_contract').innerJoin('organisation as o', 'o.id', 'legacy_contract.organisation_id')
        .select(['contract_key', 'o.name', 'o.kind', 'o.parent_id', 'o.password_policy', 'o.profile', 'o.id']).orderBy('contract_key').execute();
      const p1 = orgs.find((o) => o.contract_key === 'P1')!;
      assert.deepEqual(orgs.map((o) => [o.contract_key, o.name, o.kind, o.parent_id === p1.id, o.password_policy, o.profile]), [
        ['C1', 'Child One', 'child', true, null, 'partner-child'],
        ['P1', 'Partner One', 'partner', false, 'legacy6', 'business'],
        ['P2', 'P2', 'partner', false, null, 'business'],
      ]);
      const taro = await db.selectFrom('app_user').innerJoin('legacy_user', 'legacy_user.user_id', 'app_user.id')
        .select(['app_user.login_id', 'origin', 'password_hash', 'role', 'name', 'legacy_password_hash', 'legacy_login_id', 'legacy_phone', 'organisation_id'])
        .where('ecid', '=', 'ecid1234567890').executeTakeFirstOrThrow();
      assert.deepEqual(taro, { login_id: 'sample@ntt.com_ecid1234567890', origin: 'legacy', password_hash: null, role: 'admin', name: '見本 太郎',
        legacy_password_hash: BCRYPT, legacy_login_id: 'sample@ntt.com', legacy_phone: '03-1234-5678', organisation_id: p1.id });

      // Running it again creates nothing twice: every row is «exists», the refused one still refused.
      const again = await run(db, path);
      assert.deepEqual([again.summary.created, again.summary.existing, again.summary.errors, again.summary.organisations], [0, 5, 1, 0]);
      assert.deepEqual(await counts(db), { users: 5, contracts: 3 });
    });

    it('a duplicate row, a bad e-mail and a missing name are reported; --on-error=stop stops there', async (t) => {
      const { db } = await freshDb(dialect, t);
      const path = csv(t, [
        'e1,P1,,,a@x.jp,a@x.jp,A,0312345678,,,',
        'e2,P1,,,b@x.jp,not-an-address,B,0312345678,,,',
        'e3,P1,,,c@x.jp,c@x.jp,,0312345678,,,',
        'e1,P1,,,a2@x.jp,a2@x.jp,A again,0312345678,,,',
        'e4,P1,,,d@x.jp,d@x.jp,D,0312345678,,,',
      ]);
      const stop = await run(db, path, { onError: 'stop' });
      assert.deepEqual([stop.summary.created, stop.summary.errors, stop.summary.stopped], [1, 1, true]);
      assert.deepEqual(stop.decisions.filter((d) => d.kind === 'error').map((d) => [d.line, d.problems]), [[3, ['email_invalid']]]);
      const skip = await run(db, path, { onError: 'skip' });
      assert.deepEqual(skip.decisions.filter((d) => d.kind === 'error').map((d) => [d.line, d.problems, d.detail]), [
        [3, ['email_invalid'], null], [4, ['name_invalid'], null], [5, ['duplicate'], 'line 2'],
      ]);
      assert.deepEqual([skip.summary.created, skip.summary.existing], [1, 1]);
      assert.deepEqual(await counts(db), { users: 2, contracts: 1 });
    });

    it('a crash in the middle loses only the batch in flight; the re-run resumes', async (t) => {
      const { db } = await freshDb(dialect, t);
      const lines = Array.from({ length: 25 }, (_, i) => `u${i},${i < 12 ? 'P1' : 'P2'},,,user${i}@x.jp,user${i}@x.jp,User ${i},0312345678,,,`);
      const path = csv(t, lines);
      await assert.rejects(run(db, path, { batchSize: 10, inTransaction: (b) => { if (b === 2) throw new Error('power cut'); } }), /power cut/);
      assert.deepEqual(await counts(db), { users: 10, contracts: 1 });
      const resumed = await run(db, path, { batchSize: 10 });
      assert.deepEqual([resumed.summary.existing, resumed.summary.created, resumed.summary.organisations], [10, 15, 1]);
      assert.deepEqual(await counts(db), { users: 25, contracts: 2 });
      const m = await db.selectFrom('legacy_migration').selectAll().execute();
      assert.equal(m.length, 1);
      assert.equal(m[0]!.imported, 25);
      assert.notEqual(m[0]!.finished_at, null);
    });
  });
}

function strip(d: Decision): Decision {
  return 'organisationId' in d ? { ...d, organisationId: null } : d;
}
