// `bizportal user list|disable|enable` (issue 20 item 9) on both databases: the four states, the
// 2-step method, last login in the operator's time zone, --json; disable/enable write the admin
// screen's audit rows and end the user's sessions; bad input is refused and changes nothing.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { testDialects } from '../../../test/helpers/db.ts';
import { DbThrottle } from '../../auth/service.ts';
import { passwordKey } from '../../auth/login/service.ts';
import type { CliEnv } from '../main.ts';
import { cli, inspect, operatorEnv, type Result } from './harness.ts';

const LAST_LOGIN = Date.UTC(2026, 2, 3, 15, 30); // 2026-03-04 00:30 in Tokyo

function ok(r: Result): string {
  assert.equal(r.code, 0, r.err.join('\n'));
  assert.deepEqual(r.err, []);
  return r.out.join('\n');
}

function refused(r: Result, code: number, message: RegExp): void {
  assert.equal(r.code, code, r.err.join('\n'));
  assert.deepEqual(r.out, []);
  assert.equal(r.err.length, 1);
  assert.match(r.err[0]!, message);
}

async function userRows(env: CliEnv) {
  return inspect(env, (db) => db.selectFrom('app_user').select(['login_id', 'disabled_at', 'updated_at']).orderBy('login_id').execute());
}

async function auditRows(env: CliEnv) {
  return inspect(env, (db) => db.selectFrom('audit_log').select(['event', 'actor_user_id', 'ip', 'detail']).where('event', 'in', ['user.disabled', 'user.enabled']).orderBy('at').execute());
}

for (const dialect of testDialects()) {
  describe(`${dialect}: user list, disable, enable`, () => {
    it('lists the four states and the 2-step method; last login in the process TZ; --json is one array', async (t) => {
      const tz = process.env.TZ;
      process.env.TZ = 'Asia/Tokyo';
      t.after(() => { if (tz === undefined) delete process.env.TZ; else process.env.TZ = tz; });
      const env = await operatorEnv(dialect, t);
      ok(await cli(env, 'init'));
      const orgs = JSON.parse(ok(await cli(env, 'org', 'list', '--json'))) as { id: string; kind: string }[];
      const org = orgs.find((o) => o.kind === 'direct')!;
      for (const who of ['active', 'locked', 'off']) {
        ok(await cli(env, 'user', 'create', '--org', org.id, '--email', `${who}@example.com`, '--name', `User ${who}`, '--phone', '0312345678', '--role', 'general'));
      }
      ok(await cli(env, 'user', 'set-method', '--login-id', 'active@example.com', '--method', 'mail_otp'));
      await inspect(env, async (db) => {
        await db.updateTable('app_user').set({ password_hash: 'x', last_login_at: LAST_LOGIN }).where('login_id', 'in', ['active@example.com', 'locked@example.com', 'off@example.com']).execute();
        // A live password lockout, as S5's counter writes it after failed logins.
        const verdict = await new DbThrottle(db).begin(passwordKey('locked@example.com'), { freeFailures: 1, baseLockMs: 3_600_000, maxLockMs: 3_600_000, resetAfterMs: 3_600_000 }, Date.now());
        assert.equal(verdict.ok, true);
      });
      ok(await cli(env, 'user', 'disable', '--login-id', 'off@example.com'));

      const text = ok(await cli(env, 'user', 'list'));
      assert.match(text, /^LOGIN ID\s+ROLE\s+STATE\s+2-STEP\s+LAST LOGIN\s+NAME$/m);
      assert.match(text, /^active@example\.com\s+general\s+active\s+mail_otp\s+2026-03-04 00:30 \+09:00\s+User active$/m);
      assert.match(text, /^locked@example\.com\s+general\s+locked\s+totp \(not set up\)\s+2026-03-04 00:30 \+09:00/m);
      assert.match(text, /^off@example\.com\s+general\s+disabled\s/m);
      assert.match(text, /^admin@example\.com\s+admin\s+waiting for first login\s+-\s+-\s/m);

      const json = JSON.parse(ok(await cli(env, 'user', 'list', '--org', org.id, '--json'))) as Record<string, unknown>[];
      assert.ok(Array.isArray(json));
      assert.deepEqual(json.map((u) => [u.loginId, u.state]), [
        ['active@example.com', 'active'], ['admin@example.com', 'waiting'], ['locked@example.com', 'locked'], ['off@example.com', 'disabled'],
      ]);
      assert.equal(json[0]!.lastLoginAt, '2026-03-03T15:30:00Z', 'JSON times are UTC, whatever the TZ');
      assert.equal(json[0]!.twoStep, 'mail_otp');

      const other = ok(await cli(env, 'org', 'create', '--name', 'Empty Co', '--kind', 'direct'));
      assert.equal(ok(await cli(env, 'user', 'list', '--org', other)), 'no users in this organisation');
      assert.deepEqual(JSON.parse(ok(await cli(env, 'user', 'list', '--org', other, '--json'))), []);
      assert.match(ok(await cli(env, 'user', 'list', '--help')), /TZ=Asia\/Tokyo/);
    });

    it('disable and enable: the admin screen\'s audit rows, sessions end; bad input changes nothing', async (t) => {
      const env = await operatorEnv(dialect, t);
      ok(await cli(env, 'init'));
      const [admin] = await inspect(env, (db) => db.selectFrom('app_user').select(['id', 'organisation_id']).execute());
      const now = Date.now();
      await inspect(env, (db) => db.insertInto('session').values({
        id: 'sess-1', user_id: admin!.id, aal: 'aal2', skip_reason: null, created_at: now, last_seen_at: now, idle_expires_at: now + 3_600_000,
        expires_at: now + 3_600_000, ip: '192.0.2.1', user_agent: 'test', revoked_at: null, security_epoch: 0, factor: 'totp',
      }).execute());

      const before = await userRows(env);
      refused(await cli(env, 'user', 'disable'), 2, /missing --login-id/);
      refused(await cli(env, 'user', 'disable', '--login-id', 'nobody@example.com'), 1, /no user with login ID "nobody@example\.com"/);
      refused(await cli(env, 'user', 'enable', '--login-id', 'admin@example.com', '--force'), 2, /unknown option --force/);
      refused(await cli(env, 'user', 'list', '--org', 'no-such-org'), 1, /no organisation with id "no-such-org"/);
      refused(await cli(env, 'user', 'list', '--json=yes'), 2, /--json takes no value/);
      assert.deepEqual(await userRows(env), before, 'refusals change nothing');
      assert.deepEqual(await auditRows(env), []);

      assert.equal(ok(await cli(env, 'user', 'disable', '--login-id', 'admin@example.com')), 'admin@example.com: disabled');
      assert.equal(ok(await cli(env, 'user', 'disable', '--login-id', 'admin@example.com')), 'admin@example.com: already disabled');
      const revoked = await inspect(env, (db) => db.selectFrom('session').select('revoked_at').where('id', '=', 'sess-1').executeTakeFirstOrThrow());
      assert.notEqual(revoked.revoked_at, null, 'the session ended');
      assert.equal(ok(await cli(env, 'user', 'enable', '--login-id', 'admin@example.com')), 'admin@example.com: enabled');
      assert.equal(ok(await cli(env, 'user', 'enable', '--login-id', 'admin@example.com')), 'admin@example.com: already enabled');
      const rows = await auditRows(env);
      assert.deepEqual(rows.map((r) => [r.event, r.actor_user_id, r.ip]), [['user.disabled', null, 'cli'], ['user.enabled', null, 'cli']]);
      assert.deepEqual(JSON.parse(rows[0]!.detail), { sessions: 1, trustedBrowsers: 0 });
      assert.equal((await userRows(env))[0]!.disabled_at, null);
    });
  });
}
