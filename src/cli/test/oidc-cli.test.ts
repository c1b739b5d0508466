// Issue 18 item 4 from the shell: `oidc client add|list|rotate-secret|remove` and `oidc keys
// list|rotate`; every refusal is one stderr line and writes nothing; the secret is printed once
// and kept sealed; every change is audited; `sweep` removes expired provider artefacts.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { testDialects } from '../../../test/helpers/db.ts';
import { cli, inspect, operatorEnv, type Result } from './harness.ts';

function ok(r: Result): string {
  assert.equal(r.code, 0, r.err.join('\n'));
  return r.out.join('\n');
}

for (const dialect of testDialects()) {
  describe(`${dialect}: oidc CLI (issue 18)`, () => {
    it('registers, lists, rotates and removes a settings-site client; refuses bad input', async (t) => {
      const env = await operatorEnv(dialect, t);
      ok(await cli(env, 'init'));
      ok(await cli(env, 'service', 'category-create', '--code', 'voice', '--name-ja', '音声', '--name-en', 'Voice'));
      ok(await cli(env, 'service', 'create', '--code', 'pbx', '--category', 'voice', '--name-ja', 'PBX', '--name-en', 'PBX'));
      const add = (...extra: string[]) => cli(env, 'oidc', 'client', 'add', '--id', 'pbx-settings', '--name', 'PBX settings', '--service', 'pbx',
        '--redirect-uri', 'https://pbx.example.net/callback', '--post-logout-uri', 'https://pbx.example.net/', ...extra);
      const refusals: Array<[string[], RegExp]> = [
        [['--redirect-uri', 'http://pbx.example.net/cb'], /--redirect-uri: must be an https URL/],
        [['--initiate-login-uri', 'https://pbx.example.net/login#x'], /must not have a fragment/],
        [['--service', 'nope'], /--service: no service with code nope/],
        [['--auth-method', 'private_key_jwt'], /give exactly one of --jwks or --jwks-uri/],
      ];
      for (const [extra, message] of refusals) {
        const r = await add(...extra);
        assert.equal(r.code, 1, extra.join(' '));
        assert.match(r.err.join('\n'), message);
      }
      const bad = await cli(env, 'oidc', 'client', 'add', '--id', 'X!', '--name', 'x', '--redirect-uri', 'https://x.example/cb');
      assert.equal(bad.code, 1);
      assert.match(bad.err.join('\n'), /--id: 3 to 64 characters/);
      assert.equal(await inspect(env, async (db) => (await db.selectFrom('oidc_client').select('id').execute()).length), 0, 'nothing written');

      const out = ok(await add('--initiate-login-uri', 'https://pbx.example.net/login', '--first-party'));
      const secret = /client_secret: (\S+)/.exec(out)![1]!;
      assert.ok(secret.length >= 40);
      const stored = await inspect(env, async (db) => db.selectFrom('oidc_client').selectAll().executeTakeFirstOrThrow());
      assert.ok(!JSON.stringify(stored).includes(secret), 'the secret is sealed at rest');
      assert.match(ok(await cli(env, 'oidc', 'client', 'list')), /pbx-settings\s+pbx\s+client_secret_basic\s+yes/);
      const again = await add();
      assert.equal(again.code, 1);
      assert.match(again.err.join('\n'), /already has a settings-site client \(pbx-settings\)/);

      const rotated = /client_secret: (\S+)/.exec(ok(await cli(env, 'oidc', 'client', 'rotate-secret', '--id', 'pbx-settings')))![1]!;
      assert.notEqual(rotated, secret);
      assert.equal((await cli(env, 'oidc', 'client', 'rotate-secret', '--id', 'ghost')).code, 1);
      ok(await cli(env, 'oidc', 'client', 'remove', '--id', 'pbx-settings'));
      assert.match(ok(await cli(env, 'oidc', 'client', 'list')), /no clients registered/);
      const events = await inspect(env, async (db) => (await db.selectFrom('audit_log').select('event').where('event', 'like', 'oidc.%').orderBy('at').execute()).map((r) => r.event));
      assert.deepEqual(events, ['oidc.client_added', 'oidc.client_secret_rotated', 'oidc.client_removed']);
    });

    it('rotates the signing keys: the old one stays published, marked retired', async (t) => {
      const env = await operatorEnv(dialect, t);
      ok(await cli(env, 'init'));
      assert.match(ok(await cli(env, 'oidc', 'keys', 'list')), /no keys yet/);
      const first = /signing key (\S+);/.exec(ok(await cli(env, 'oidc', 'keys', 'rotate')))![1]!;
      const second = /signing key (\S+); 1 retired/.exec(ok(await cli(env, 'oidc', 'keys', 'rotate')))![1]!;
      const list = ok(await cli(env, 'oidc', 'keys', 'list'));
      assert.match(list, new RegExp(`${second}\\s+RS256\\s+\\S+\\s+signing`));
      assert.match(list, new RegExp(`${first}\\s+RS256\\s+\\S+\\s+retired`));
    });

    it('sweep removes provider artefacts a day past their expiry, and nothing live', async (t) => {
      const env = await operatorEnv(dialect, t);
      ok(await cli(env, 'init'));
      const now = Date.now();
      await inspect(env, async (db) => {
        const row = (id: string, expires: number) => ({ kind: 'Interaction', id_hash: id, payload: 'x', grant_hash: null, uid_hash: null, expires_at: expires, consumed_at: null });
        await db.insertInto('oidc_payload').values([row('old', now - 2 * 86_400_000), row('live', now + 60_000)]).execute();
      });
      assert.match(ok(await cli(env, 'sweep')), /1 expired OpenID Connect artefacts/);
      assert.deepEqual(await inspect(env, async (db) => (await db.selectFrom('oidc_payload').select('id_hash').execute()).map((r) => r.id_hash)), ['live']);
    });
  });
}
