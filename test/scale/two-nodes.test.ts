// S15 / issue 9: several stateless nodes behind a load balancer. Two (or three) real server
// processes share one PostgreSQL schema and one Redis prefix; every request of a flow may land on
// any of them, a node may die mid-flow, and throttling and single use hold across nodes.
// PostgreSQL and Redis are required: unreachable is a failure, never a skip.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { freshDb, PG_URL } from '../helpers/db.ts';
import { deletePrefix, keysUnder, randomPrefix, REDIS_URL } from '../helpers/redis.ts';
import { givenUser, independentTotp } from '../helpers/scenario.ts';
import { text } from '../helpers/client.ts';
import { openCliContext, type CliContext } from '../../src/cli/context.ts';
import { passwordKey } from '../../src/auth/login/service.ts';
import type { DbHandle } from '../../src/db/index.ts';
import { freePort } from '../helpers/app.ts';
import { firstLogin, loginAndEnrol, pathOf, RoundRobin, sharedEnv, startNode, type PortalNode } from './helpers.ts';

const PW = 'Kx7#mPq2vLa9';

describe('two nodes on one PostgreSQL and Redis', () => {
  let db: DbHandle & { schema?: string; dispose(): Promise<void> };
  let cli: CliContext;
  let env: Record<string, string>;
  let prefix: string;
  let n1: PortalNode;
  let n2: PortalNode;

  // Nodes live for the whole suite; they are stopped (by pid) in after().
  const cleanups: (() => unknown)[] = [];
  const suite = { after: (fn: () => unknown) => { cleanups.push(fn); } };

  before(async () => {
    db = await freshDb('postgres', null);
    prefix = randomPrefix();
    env = sharedEnv({ DATABASE_URL: PG_URL, DATABASE_SCHEMA: db.schema!, REDIS_URL, REDIS_PREFIX: prefix });
    // Seeded before the nodes start, so neither runs the first-start bootstrap.
    cli = await openCliContext(env);
    await givenUser(cli.ctx);
    // One public origin for the deployment (the load balancer's); both nodes start at once (the
    // migration runner's advisory lock serialises them).
    const ports = [await freePort(), await freePort()];
    env.PUBLIC_URL = `http://127.0.0.1:${ports[0]}`;
    const start = (port: number) => startNode(suite, { ...env, PORT: String(port) });
    [n1, n2] = await Promise.all([start(ports[0]!), start(ports[1]!)]);
  });
  after(async () => {
    for (const fn of cleanups.reverse()) await fn();
    await cli?.close();
    await db?.dispose();
    if (prefix) await deletePrefix(prefix);
  });

  const user = () => givenUser(cli.ctx);

  it('the OpenID Connect provider has a sealed signing key from the first start (issue 18)', async () => {
    // Both nodes started at once on an empty key table: each may have made one; every key is signing-ready and sealed.
    const keys = await cli.ctx.db.selectFrom('oidc_key').select(['kid', 'private_enc', 'retired_at']).execute();
    assert.ok(keys.length >= 1 && keys.length <= 2, `keys: ${keys.length}`);
    assert.ok(keys.every((k) => k.retired_at === null && k.private_enc.startsWith('v1.')));
    const jwks = await (await fetch(`${n2.url}/oidc/jwks`)).json() as { keys: Array<{ kid: string }> };
    assert.deepEqual(jwks.keys.map((k) => k.kid).sort(), keys.map((k) => k.kid).sort());
  });

  it('a first login and a TOTP enrolment whose requests alternate between the nodes', async () => {
    const u = await user();
    const rr = new RoundRobin([n1.url, n2.url]);
    const done = await firstLogin(rr, u, PW);
    assert.equal(done.status, 200);
    const { home } = await loginAndEnrol(rr, u, PW);
    assert.equal(home.status, 200);
    assert.match(text(home.body), new RegExp(u.name));
    // The session works on both nodes.
    for (const node of [n1, n2]) assert.equal((await rr.browser.get(`${node.url}/`)).status, 200, node.url);
    const sessions = await cli.ctx.db.selectFrom('session').select('id').where('user_id', '=', u.id).execute();
    assert.equal(sessions.length, 1, 'one session, in the shared database');
  });

  /** A user through first login and TOTP enrolment (alternating nodes); the secret, and a code not used yet. */
  async function enrolled() {
    const u = await user();
    const setup = new RoundRobin([n2.url, n1.url]);
    await firstLogin(setup, u, PW);
    const { secret } = await loginAndEnrol(setup, u, PW);
    // A later step than the enrolment's, which is used already (RFC 6238 §5.2).
    return { u, secret, code: independentTotp(secret, Date.now(), 1) };
  }

  it('a TOTP login whose requests alternate between the nodes', async () => {
    const { u, code } = await enrolled();
    const rr = new RoundRobin([n1.url, n2.url]);
    await rr.get('/login');                                                                          // node 1
    const totpPage = await rr.follow(await rr.post('/login', { loginId: u.loginId, password: PW })); // node 2, then 1
    const flow = /action="(\/auth\/flows\/[^/"]+)\/totp"/.exec(totpPage.body)![1]!;
    const home = await rr.follow(await rr.post(`${flow}/totp`, { code }));                           // node 2, then 1
    assert.equal(home.status, 200);
    assert.match(text(home.body), new RegExp(u.name));
  });

  it('a TOTP code used on node 1 is refused on node 2', async () => {
    const { u, code } = await enrolled();
    const on1 = new RoundRobin([n1.url]);
    await on1.get('/login');
    const page1 = await on1.follow(await on1.post('/login', { loginId: u.loginId, password: PW }));
    const ok = await on1.post(`${/action="(\/auth\/flows\/[^/"]+)\/totp"/.exec(page1.body)![1]!}/totp`, { code });
    assert.equal(ok.status, 303);
    assert.ok(on1.browser.jar.get('bp_session'), 'session issued on node 1');

    const on2 = new RoundRobin([n2.url]);
    await on2.get('/login');
    const page2 = await on2.follow(await on2.post('/login', { loginId: u.loginId, password: PW }));
    const replay = await on2.post(`${/action="(\/auth\/flows\/[^/"]+)\/totp"/.exec(page2.body)![1]!}/totp`, { code });
    assert.equal(replay.status, 400);
    assert.match(text(replay.body), /already been used/);
    assert.equal(on2.browser.jar.get('bp_session'), undefined, 'no session from a replayed code');
  });

  it('the throttle counts attempts made on both nodes: 3 wrong passwords on node 1 and 2 on node 2 lock the account on both', async () => {
    const u = await user();
    await firstLogin(new RoundRobin([n1.url]), u, PW);
    const b1 = new RoundRobin([n1.url]);
    const b2 = new RoundRobin([n2.url]);
    await b1.get('/login');
    await b2.get('/login');
    for (const [rr, times] of [[b1, 3], [b2, 2]] as const) {
      for (let i = 0; i < times; i++) assert.equal((await rr.post('/login', { loginId: u.loginId, password: 'Wrong#Pass1' })).status, 401);
    }
    for (const rr of [b1, b2]) {
      const r = await rr.post('/login', { loginId: u.loginId, password: PW });
      assert.equal(r.status, 429, 'locked, even with the right password');
      assert.match(text(r.body), /Too many failed attempts/);
    }
    // The counter is in Redis under the deployment's prefix, not in the database.
    assert.ok((await keysUnder(prefix)).includes(`${prefix}${passwordKey(u.loginId)}`));
    const row = await cli.ctx.db.selectFrom('throttle').select('key').where('key', '=', passwordKey(u.loginId)).executeTakeFirst();
    assert.equal(row, undefined);
  });

  it('the flow continues on node 2 after node 1 is killed', async (t) => {
    // A node of its own to kill ("node 1" here), so the suite's nodes stay up for the other tests.
    const victim = await startNode(t, env);
    const u = await user();
    const rr = new RoundRobin([victim.url]);
    // Identity verified on node 1 …
    const page = await rr.follow(await rr.get(pathOf(u.setupUrl)));
    const flow = /action="(\/auth\/flows\/[^/"]+)\/identity"/.exec(page.body)![1]!;
    const pwPage = await rr.follow(await rr.post(`${flow}/identity`, { email: u.email, name: u.name, phone: u.phone }));
    assert.match(pwPage.body, new RegExp(`action="${flow}/password"`));
    // … then node 1 dies with SIGKILL, no chance to clean up.
    victim.child.kill('SIGKILL');
    assert.equal((await victim.exited).signal, 'SIGKILL');
    // The same browser (cookies) goes on at node 2: password, then login with TOTP enrolment.
    const on2 = new RoundRobin([n2.url]);
    for (const [k, v] of rr.browser.jar) on2.browser.jar.set(k, v);
    assert.match((await on2.get(flow)).body, new RegExp(`action="${flow}/password"`), 'node 2 shows the step node 1 was at');
    const done = await on2.follow(await on2.post(`${flow}/password`, { password: PW, confirm: PW }));
    assert.equal(done.status, 200);
    const { home } = await loginAndEnrol(on2, u, PW);
    assert.equal(home.status, 200);
  });
});
