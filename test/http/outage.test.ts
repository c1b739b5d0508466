// Issue 15 §2, §3, SECURITY.md item 45: an infrastructure failure during a check is never counted as
// a failed attempt, and answers 503 with Retry-After (never 500). A real app on PostgreSQL reached
// through a TCP relay the test cuts (as a database restart or a partition looks to the node), with
// the throttle counters in Redis (the production shape) and in the database.
import { describe, it, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { loadConfig } from '../../src/config.ts';
import { buildApp } from '../../src/app.ts';
import { openDb } from '../../src/db/index.ts';
import { freshDb, PG_URL } from '../helpers/db.ts';
import { deletePrefix, randomPrefix, REDIS_URL } from '../helpers/redis.ts';
import { freePort } from '../helpers/app.ts';
import { Browser, text } from '../helpers/client.ts';
import { completeFirstLogin, givenUser } from '../helpers/scenario.ts';
import { eventually, startRelay } from '../scale/helpers.ts';

const PW = 'Kx7#mPq2vLa9';

async function appBehindRelay(t: TestContext, env: Record<string, string>) {
  const db = await freshDb('postgres', t);
  const target = new URL(PG_URL);
  const relay = await startRelay(t, { host: target.hostname, port: Number(target.port || 5432) });
  const via = new URL(PG_URL);
  via.port = String(relay.port);
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const config = loadConfig({
    NODE_ENV: 'test', PORT: String(port), HOST: '127.0.0.1', PUBLIC_URL: url, DATA_DIR: '/tmp/bizportal-test-unused',
    SECRET_KEY: randomBytes(32).toString('base64'), TOTP_KEY: randomBytes(32).toString('base64'),
    ARGON2_MEMORY_KIB: '1024', ARGON2_TIME_COST: '1', ...env,
  });
  const handle = openDb(via.toString(), { schema: db.schema! });
  const built = await buildApp(config, { handle });
  await built.app.listen({ port, host: '127.0.0.1' });
  t.after(async () => { await built.app.close(); await handle.close(); });
  // Users are made over the direct connection: the relay is the app's path only.
  return { url, relay, ctx: { ...built.ctx, db: db.db } };
}

const variants: { name: string; env: () => Record<string, string> }[] = [
  { name: 'counters in Redis', env: () => ({ REDIS_URL, REDIS_PREFIX: randomPrefix() }) },
  { name: 'counters in the database', env: () => ({}) },
];

for (const v of variants) {
  describe(`PostgreSQL unreachable (${v.name})`, () => {
    it('logins and pages answer 503 + Retry-After, never 500; afterwards the right password logs in at once, no lockout', async (t) => {
      const env = v.env();
      if (env.REDIS_PREFIX) t.after(() => deletePrefix(env.REDIS_PREFIX!));
      const app = await appBehindRelay(t, env);
      const u = await givenUser(app.ctx);
      const b = new Browser(app.url, { 'accept-language': 'en' });
      await completeFirstLogin(b, u, PW);
      await b.get('/login');

      await app.relay.stop();
      // More attempts than the allowance (5), each with the right password, during the outage.
      for (let i = 0; i < 8; i++) {
        const r = await b.post('/login', { loginId: u.loginId, password: PW }, { csrf: b.csrfFor() });
        assert.equal(r.status, 503, `attempt ${i + 1}: ${text(r.body).slice(0, 200)}`);
        assert.ok(Number(r.headers.get('retry-after')) > 0, 'Retry-After');
        assert.match(text(r.body), /briefly unavailable/);
      }
      const other = new Browser(app.url, { 'accept-language': 'en' });
      const page = await other.get('/', { cookie: 'bp_session=' + 'x'.repeat(43) });
      assert.equal(page.status, 503, 'a page that needs the session store');
      assert.ok(Number(page.headers.get('retry-after')) > 0);
      const json = await other.get('/', { cookie: 'bp_session=' + 'x'.repeat(43), accept: 'application/json' });
      assert.equal(json.status, 503);
      assert.equal(JSON.parse(json.body).error, 'common.unavailable');

      await app.relay.start();
      await eventually(async () => (await fetch(`${app.url}/readyz`)).status === 200, 'ready again');
      const r = await b.post('/login', { loginId: u.loginId, password: PW }, { csrf: b.csrfFor() });
      assert.equal(r.status, 303, `the right password goes on at once (got ${r.status}: ${text(r.body).slice(0, 200)})`);
      assert.match(r.location ?? '', /^\/auth\/flows\//);
      const locked = await app.ctx.db.selectFrom('audit_log').select('id').where('event', '=', 'login.locked').execute();
      assert.deepEqual(locked, [], 'no lockout was recorded');
    });
  });
}

describe('lockout answers', () => {
  it('429 carries Retry-After (seconds until the lock ends, rounded up to minutes)', async (t) => {
    const app = await appBehindRelay(t, {});
    const u = await givenUser(app.ctx);
    const b = new Browser(app.url, { 'accept-language': 'en' });
    await completeFirstLogin(b, u, PW);
    await b.get('/login');
    for (let i = 0; i < 5; i++) assert.equal((await b.post('/login', { loginId: u.loginId, password: 'Wrong#Pass1' })).status, 401);
    const r = await b.post('/login', { loginId: u.loginId, password: PW }, { csrf: b.csrfFor() });
    assert.equal(r.status, 429);
    assert.equal(r.headers.get('retry-after'), '60');
  });
});
