// Portal operator commands (issue 17) in-process on a SQLite file and a PostgreSQL schema: service
// categories and services, contracts, grant/revoke; every bad input is one stderr line with a
// non-zero exit and writes nothing; `demo` fills an empty database and refuses a non-empty one.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { testDialects } from '../../../test/helpers/db.ts';
import { openDb } from '../../db/index.ts';
import type { CliEnv } from '../main.ts';
import { cli, operatorEnv, type Result } from './harness.ts';

const TABLES = ['organisation', 'app_user', 'user_group', 'service_category', 'service', 'contract', 'contract_group_access', 'service_order', 'notice', 'maintenance_window', 'ticket'] as const;

async function counts(env: CliEnv): Promise<Record<string, number>> {
  const h = openDb(env.DATABASE_URL!, env.DATABASE_SCHEMA ? { schema: env.DATABASE_SCHEMA } : {});
  try {
    const out: Record<string, number> = {};
    for (const table of TABLES) out[table] = Number((await h.db.selectFrom(table).select((e) => e.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
    return out;
  } finally { await h.close(); }
}

function ok(r: Result): string {
  assert.equal(r.code, 0, r.err.join('\n'));
  return r.out.join('\n');
}

function assertRefused(r: Result, code: number, message: RegExp): void {
  assert.equal(r.code, code, `exit code; stderr: ${r.err.join('\n')}`);
  assert.deepEqual(r.out, []);
  assert.equal(r.err.length, 1, `one line: ${r.err.join('\n')}`);
  assert.match(r.err[0]!, message);
}

for (const dialect of testDialects()) {
  describe(`${dialect}: portal operator CLI`, () => {
    it('services, contracts, grant and revoke; bad input refused in one line, nothing written', async (t) => {
      const env = await operatorEnv(dialect, t);
      ok(await cli(env, 'init'));
      const org = ok(await cli(env, 'org', 'create', '--name', 'Acme', '--kind', 'direct'));
      const other = ok(await cli(env, 'org', 'create', '--name', 'Other', '--kind', 'direct'));
      ok(await cli(env, 'service', 'category-create', '--code', 'voice', '--name-ja', '音声・ビデオ・電話', '--name-en', 'Voice', '--position', '20'));
      ok(await cli(env, 'service', 'create', '--code', 'smart-pbx', '--category', 'voice', '--name-ja', 'Arcstar Smart PBX', '--name-en', 'Arcstar Smart PBX', '--settings-site-url', 'https://pbx.example.net/'));
      assert.match(ok(await cli(env, 'service', 'list')), /smart-pbx\s+voice\s+https:\/\/pbx\.example\.net\//);
      assert.match(ok(await cli(env, 'service', 'category-list')), /voice\s+20\s+音声・ビデオ・電話 \/ Voice/);
      const contractId = ok(await cli(env, 'contract', 'create', '--org', org, '--number', 'N123456789', '--service', 'smart-pbx', '--site', '東京本社', '--memo', '営業部'));
      assert.match(contractId, /^\S+$/);
      ok(await cli(env, 'contract', 'create', '--org', other, '--number', 'N999999999', '--service', 'smart-pbx'));
      const h = openDb(env.DATABASE_URL!, env.DATABASE_SCHEMA ? { schema: env.DATABASE_SCHEMA } : {});
      const groupId = 'grp-sales';
      const foreignGroup = 'grp-other';
      await h.db.insertInto('user_group').values([
        { id: groupId, organisation_id: org, name: '営業部', created_at: 1 }, { id: foreignGroup, organisation_id: other, name: 'Other', created_at: 1 },
      ]).execute();
      await h.close();
      assert.match(ok(await cli(env, 'contract', 'grant', '--number', 'N123456789', '--group', groupId)), /may now view N123456789/);
      assert.match(ok(await cli(env, 'contract', 'grant', '--number', 'ｎ１２３４５６７８９', '--group', groupId)), /could already view/);
      assert.match(ok(await cli(env, 'contract', 'list', '--org', org, '--q', '東京　営業')), /N123456789[\s\S]*1 contract/);
      assert.match(ok(await cli(env, 'contract', 'list', '--org', org, '--q', '大阪')), /no contract matches/);

      const before = await counts(env);
      const pbx = ['contract', 'create', '--org', org, '--service', 'smart-pbx'];
      assertRefused(await cli(env, ...pbx, '--number', 'N12345'), 2, /^error: --number must be «N» followed by 9 digits/);
      assertRefused(await cli(env, ...pbx), 2, /^error: missing --number/);
      assertRefused(await cli(env, 'contract', 'create', '--org', 'no-such-org', '--service', 'smart-pbx', '--number', 'N111111111'), 1, /^error: --org: There is no organisation with id "no-such-org"/);
      assertRefused(await cli(env, 'contract', 'create', '--org', org, '--service', 'nope', '--number', 'N111111111'), 1, /^error: --service: There is no service with code "nope"/);
      assertRefused(await cli(env, ...pbx, '--number', 'N123456789'), 1, /^error: --number: Contract N123456789 exists already\.$/);
      assertRefused(await cli(env, ...pbx, '--number', 'N111111111', '--status', 'broken'), 1, /--status: Must be one of normal, failure, maintenance, suspended/);
      assertRefused(await cli(env, 'contract', 'grant', '--number', 'N000000001', '--group', groupId), 1, /^error: no contract N000000001/);
      assertRefused(await cli(env, 'contract', 'grant', '--number', 'N123456789', '--group', 'nope'), 1, /^error: no user group with id "nope"$/);
      assertRefused(await cli(env, 'contract', 'grant', '--number', 'N123456789', '--group', foreignGroup), 1, /belongs to another organisation than contract N123456789/);
      assertRefused(await cli(env, 'contract', 'grant', '--number', 'x', '--group', groupId), 2, /--number must be/);
      assertRefused(await cli(env, 'service', 'create', '--code', 'x', '--category', 'nope', '--name-ja', 'X', '--name-en', 'X'), 1, /--category: There is no service category with code "nope"/);
      assertRefused(await cli(env, 'service', 'create', '--code', 'Bad Code', '--category', 'voice', '--name-ja', 'X', '--name-en', 'X'), 1, /--code: Must be 1–40 lower-case letters/);
      assertRefused(await cli(env, 'service', 'create', '--code', 'smart-pbx', '--category', 'voice', '--name-ja', 'X', '--name-en', 'X'), 1, /--code: The code "smart-pbx" is taken already/);
      assertRefused(await cli(env, 'service', 'create', '--code', 'y', '--category', 'voice', '--name-ja', 'X', '--name-en', 'X', '--settings-site-url', 'javascript:alert(1)'), 1, /--settings-site-url: Must be an https/);
      assertRefused(await cli(env, 'service', 'category-create', '--code', 'voice', '--name-ja', 'X', '--name-en', 'X'), 1, /--code: The code "voice" is taken already/);
      assertRefused(await cli(env, 'service', 'category-create', '--code', 'v2', '--name-ja', 'X', '--name-en', 'X', '--position=-1'), 2, /--position must be an integer/);
      assertRefused(await cli(env, 'contract', 'list', '--org', 'nope'), 1, /no organisation/);
      // init created the bootstrap organisation and the provider organisation (issue 26), this test two more.
      assertRefused(await cli(env, 'demo'), 1, /^error: the database is not empty \(4 organisation\(s\), 1 user\(s\), 2 contract\(s\)\); the demo fills only an empty database$/);
      assert.deepEqual(await counts(env), before);

      assert.match(ok(await cli(env, 'contract', 'revoke', '--number', 'N123456789', '--group', groupId)), /may no longer view/);
      assert.match(ok(await cli(env, 'contract', 'revoke', '--number', 'N123456789', '--group', groupId)), /nothing changed/);
    });

    it('demo fills an empty database with a living portal and prints how to log in', async (t) => {
      const env = await operatorEnv(dialect, t);
      const out = ok(await cli(env, 'demo'));
      assert.match(out, /Demo portal: デモ株式会社 with 200 contracts/);
      assert.equal((out.match(/starting guide link: https:\/\/portal\.example\.com\/setup\/\S+/g) ?? []).length, 4);
      assert.match(out, /operator \(the provider's console, \/operator\)\s+desk@demo\.example/);
      assert.match(out, /portal admin\s+admin@demo\.example/);
      const n = await counts(env) as Record<(typeof TABLES)[number], number>;
      assert.equal(n.contract, 200);
      assert.ok(n.service >= 5 && n.service_category >= 5, JSON.stringify(n));
      assert.ok(n.contract_group_access > 100 && n.service_order >= 10 && n.notice >= 3 && n.maintenance_window === 1 && n.ticket >= 4, JSON.stringify(n));
      const h = openDb(env.DATABASE_URL!, env.DATABASE_SCHEMA ? { schema: env.DATABASE_SCHEMA } : {});
      try {
        const stages = await h.db.selectFrom('service_order').select('status').distinct().execute();
        assert.deepEqual(stages.map((s) => s.status).sort(), ['cancelled', 'in_progress', 'opened'], 'orders in every stage');
        const roles = await h.db.selectFrom('app_user').select('role').distinct().execute();
        assert.deepEqual(roles.map((r) => r.role).sort(), ['admin', 'general']);
      } finally { await h.close(); }
      assertRefused(await cli(env, 'demo'), 1, /not empty/);
    });
  });
}
