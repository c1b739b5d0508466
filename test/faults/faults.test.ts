// Issue 15: faults as an operator meets them. Real nodes (`node --import tsx src/server.ts`: two under test, a third to kill) on a
// PostgreSQL cluster, a Redis and an SMTP sink of the suite's own, under a bounded stream of logins
// and page views, through: PostgreSQL stopped (-m fast) and started, Redis killed and restarted
// (without persistence), SMTP down and up, one node SIGKILLed, one node SIGTERMed with idle
// keep-alive clients. Asserted throughout: no node process exits unless the test ends it; clients
// see 503 + Retry-After (never 500) while a dependency is down; /readyz goes red and back; after
// recovery the right password logs in at once for every account that only saw infrastructure
// errors; queued mails are delivered exactly once; SIGTERM ends within SHUTDOWN_TIMEOUT_MS; no
// session, flow or audit row is lost or duplicated. Figures are in docs/architecture.md.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { Agent, request } from 'node:http';
import { openCliContext, type CliContext } from '../../src/cli/context.ts';
import { hashPassword } from '../../src/auth/password/hash.ts';
import { newId } from '../../src/lib/index.ts';
import { enqueueMail } from '../../src/mail/outbox.ts';
import { freePort } from '../helpers/app.ts';
import { Browser } from '../helpers/client.ts';
import { startTestSmtp, type TestSmtp } from '../helpers/smtp.ts';
import { givenUser, type GivenUser } from '../helpers/scenario.ts';
import { eventually, pathOf, sharedEnv, startNode, type PortalNode } from '../scale/helpers.ts';
import { missingBinaries, startPgCluster, startPrivateRedis, type PgCluster, type PrivateRedis } from './helpers.ts';

const PW = 'Kx7#mPq2vLa9';
const SHUTDOWN_TIMEOUT_MS = 8_000;
const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

/** One answer the load or a probe saw. */
interface Seen { node: string; what: string; status: number; retryAfter: string | null }

const missing = missingBinaries();
if (missing && process.env.CI === 'true') throw new Error(`fault suite: ${missing} (CI requires them)`);

describe('faults: two nodes on a private PostgreSQL, Redis and SMTP', { skip: missing ?? false }, () => {
  const cleanups: (() => unknown)[] = [];
  const suite = { after: (fn: () => unknown) => { cleanups.push(fn); } };
  let pg: PgCluster;
  let redis: PrivateRedis;
  let smtp: TestSmtp;
  let cli: CliContext;
  let env: Record<string, string>;
  let n1: PortalNode;
  let n2: PortalNode;
  /** The node SIGKILLed (started with the others: a restart later would cost a whole start). */
  let n3: PortalNode;
  /** Accounts the load logs in with; accounts that only ever try during outages; one mid-flow user. */
  let loadUsers: GivenUser[];
  let victims: GivenUser[];
  let flowUser: GivenUser;
  const seen: Seen[] = [];
  /** Sessions handed to a client: the token's hash must be in the database afterwards, once. */
  const sessions: { userId: string; tokenHash: string }[] = [];
  const loginPosts = new Map<string, number>();
  /** Nodes the test ends on purpose: their exit is expected. */
  const ending = new Set<PortalNode>();
  let stopLoad: (() => Promise<void>) | null = null;

  before(async () => {
    [pg, redis, smtp] = await Promise.all([startPgCluster(suite), startPrivateRedis(suite), startTestSmtp()]);
    suite.after(() => smtp.stop());
    env = sharedEnv({
      DATABASE_URL: pg.url, REDIS_URL: redis.url, REDIS_PREFIX: 'bp:faults:', SMTP_URL: smtp.url,
      MAIL_RETRY_SECONDS: '1', SHUTDOWN_DELAY_MS: '300', SHUTDOWN_TIMEOUT_MS: String(SHUTDOWN_TIMEOUT_MS), LOG_LEVEL: 'warn',
    });
    // The schema, an organisation whose office network (127.0.0.0/8) skips the second step, and the users.
    cli = await openCliContext(env);
    suite.after(() => cli.close());
    const { migrateToLatest } = await import('../../src/db/index.ts');
    await migrateToLatest(cli.ctx.db);
    const first = await givenUser(cli.ctx);
    await cli.ctx.db.insertInto('trusted_network').values({ id: newId(), organisation_id: first.orgId, cidr: '127.0.0.0/8', label: 'office', created_at: Date.now() }).execute();
    const more = (n: number) => Promise.all(Array.from({ length: n }, () => givenUser(cli.ctx, { orgId: first.orgId })));
    loadUsers = [first, ...(await more(3))];
    victims = await more(2);
    [flowUser] = await more(1) as [GivenUser];
    const hash = await hashPassword(PW, { memoryCost: 1024, timeCost: 1, parallelism: 1 });
    await cli.ctx.db.updateTable('app_user').set({ password_hash: hash, password_set_at: Date.now(), second_factor: 'mail_otp' })
      .where('id', 'in', [...loadUsers, ...victims].map((u) => u.id)).execute();
    // The starting-guide mails of the seeding are sent by the nodes' workers; that is part of the count.
    const [p1, p2, p3] = [await freePort(), await freePort(), await freePort()];
    env.PUBLIC_URL = `http://127.0.0.1:${p1}`;
    // Three TypeScript processes starting at once on a shared 2-core machine: a generous bound.
    const start = (p: number) => startNode(suite, { ...env, PORT: String(p) }, { startTimeoutMs: 240_000 });
    [n1, n2, n3] = await Promise.all([start(p1), start(p2), start(p3)]);
  });

  after(async () => {
    await stopLoad?.();
    for (const fn of cleanups.reverse()) await fn();
  });

  // --- load and probes -------------------------------------------------------------------------

  async function record(node: PortalNode, what: string, fn: () => Promise<{ status: number; headers: Headers }>): Promise<number> {
    try {
      const r = await fn();
      seen.push({ node: node.url, what, status: r.status, retryAfter: r.headers.get('retry-after') });
      return r.status;
    } catch {
      seen.push({ node: node.url, what, status: 0, retryAfter: null });   // connection refused or reset
      return 0;
    }
  }

  /** A login (password; the office network skips the second step) and a page, on `node`. */
  async function loginAndPage(node: PortalNode, u: GivenUser, tag: string): Promise<number> {
    const b = new Browser(node.url, { 'accept-language': 'en' });
    if ((await record(node, `${tag} GET /login`, () => b.get('/login'))) !== 200) return 0;
    loginPosts.set(u.id, (loginPosts.get(u.id) ?? 0) + 1);
    let status = 0;
    await record(node, `${tag} POST /login`, async () => {
      const r = await b.post('/login', { loginId: u.loginId, password: PW });
      status = r.status;
      const token = b.jar.get('bp_session');
      if (r.status === 303 && token) sessions.push({ userId: u.id, tokenHash: sha256(token) });
      return r;
    });
    if (status === 303) await record(node, `${tag} GET /`, () => b.get('/'));
    return status;
  }

  function startLoad(nodes: () => PortalNode[]): () => Promise<void> {
    let running = true;
    const lanes = [0, 1].map(async (lane) => {
      for (let i = 0; running && i < 10_000; i++) {
        const list = nodes();
        const node = list[(i + lane) % list.length]!;
        await loginAndPage(node, loadUsers[(i * 2 + lane) % loadUsers.length]!, 'load');
        await new Promise((r) => setTimeout(r, 40));
      }
    });
    return async () => { running = false; await Promise.all(lanes); };
  }

  const readyz = async (node: PortalNode) => {
    try {
      const r = await fetch(`${node.url}/readyz`);
      return { status: r.status, reason: ((await r.json()) as { reason?: string }).reason };
    } catch { return { status: 0, reason: 'unreachable' }; }
  };

  /**
   * Login pages opened while everything is up, one per attempt that assertDown will make. During a
   * database outage the login page itself answers 503 (the maintenance-window check reads the
   * database), so those attempts are posted from pages the users already had open.
   */
  const openPages = new Map<string, Browser[]>();
  async function openLoginPages(): Promise<void> {
    for (const node of [n1, n2]) {
      const list: Browser[] = [];
      for (let i = 0; i < victims.length * 6; i++) {
        const b = new Browser(node.url, { 'accept-language': 'en' });
        assert.equal((await b.get('/login')).status, 200);
        list.push(b);
      }
      openPages.set(node.url, list);
    }
  }

  /** While a dependency is down: logins answer 503 + Retry-After on both nodes, /readyz is red. */
  async function assertDown(reason: string): Promise<void> {
    for (const node of [n1, n2]) {
      await eventually(async () => (await readyz(node)).reason === reason, `${node.url} /readyz names ${reason}`, 20_000);
      // Every victim tries its right password more often than the allowance (5): all infrastructure errors.
      for (const v of victims) {
        for (let i = 0; i < 6; i++) {
          let b = openPages.get(node.url)?.pop();
          if (!b) {
            b = new Browser(node.url, { 'accept-language': 'en' });
            const page = await b.get('/login');
            seen.push({ node: node.url, what: `login page during ${reason}`, status: page.status, retryAfter: page.headers.get('retry-after') });
            assert.equal(page.status, 200, `${reason} down: the login page still renders (got ${page.status})`);
          }
          const r = await b.post('/login', { loginId: v.loginId, password: PW });
          seen.push({ node: node.url, what: `victim during ${reason}`, status: r.status, retryAfter: r.headers.get('retry-after') });
          assert.equal(r.status, 503, `${reason} down: a login answers 503 (got ${r.status})`);
          assert.ok(Number(r.headers.get('retry-after')) > 0, 'with Retry-After');
        }
      }
    }
  }

  /** After recovery: both nodes ready, and every victim's right password logs in at once. */
  async function assertRecovered(what: string): Promise<void> {
    const t0 = Date.now();
    for (const node of [n1, n2]) await eventually(async () => (await readyz(node)).status === 200, `${node.url} ready after ${what}`, 30_000);
    console.log(`# ${what}: both nodes ready ${Date.now() - t0} ms after the dependency was back`);
    for (const v of victims) {
      for (const node of [n1, n2]) {
        const status = await loginAndPage(node, v, `victim after ${what}`);
        assert.equal(status, 303, `after ${what}: ${v.loginId} logs in at once on ${node.url} (got ${status})`);
      }
    }
  }

  function assertNoServerErrors(): void {
    const bad = seen.filter((s) => s.status >= 500 && (s.status !== 503 || s.retryAfter === null));
    assert.deepEqual(bad, [], 'never a 500, and every 503 says Retry-After');
  }

  function assertAlive(): void {
    for (const node of [n1, n2, n3]) {
      if (!ending.has(node)) assert.equal(node.child.exitCode, null, `${node.url} still runs:\n${node.lines.slice(-20).join('\n')}`);
    }
  }

  // --- the faults, in order ----------------------------------------------------------------------

  it('a first-login flow is opened before the faults (it must survive them)', async () => {
    stopLoad = startLoad(() => [n1, n2, n3].filter((n) => !ending.has(n) && n.child.exitCode === null));
    const b = new Browser(n1.url, { 'accept-language': 'en' });
    const page = await b.follow(await b.get(pathOf(flowUser.setupUrl)));
    const flow = /action="(\/auth\/flows\/[^/"]+)\/identity"/.exec(page.body)![1]!;
    const pw = await b.follow(await b.post(`${flow}/identity`, { email: flowUser.email, name: flowUser.name, phone: flowUser.phone }));
    assert.match(pw.body, new RegExp(`action="${flow}/password"`));
    flowBrowser = b;
    flowPath = flow;
  });
  let flowBrowser: Browser;
  let flowPath: string;

  it('PostgreSQL stopped (-m fast) and started: no node exits; 503 + Retry-After, /readyz red; then every account logs in at once', async () => {
    await openLoginPages();
    const t0 = Date.now();
    await pg.stop();
    await assertDown('database');
    console.log(`# PostgreSQL stop: both nodes not ready and answering 503 within ${Date.now() - t0} ms (pg_ctl stop included)`);
    assertAlive();
    await pg.start();
    await assertRecovered('PostgreSQL restart');
    assertAlive();
    assertNoServerErrors();
  });

  it('Redis killed and restarted without persistence: 503 + Retry-After, /readyz red; the lost counters are logged and counted', async () => {
    await redis.kill();
    await assertDown('redis');
    assertAlive();
    await redis.start();
    await assertRecovered('Redis restart');
    for (const node of [n1, n2]) {
      await node.waitForLine((l) => l.includes('redis throttle counters lost'), 15_000);
      const metrics = await (await fetch(`${node.url}/metrics`)).text();
      assert.match(metrics, /^bizportal_throttle_counters_lost_total [1-9]/m, `${node.url} counts the loss`);
    }
    assertAlive();
    assertNoServerErrors();
  });

  it('SMTP down and up: mails queued meanwhile are delivered exactly once; SMTP is no readiness dependency', async () => {
    await smtp.stop();
    const ids: string[] = [];
    for (let i = 0; i < 10; i++) {
      ids.push(await enqueueMail(cli.ctx.db, { to: `outage${i}@example.com`, subject: `during the outage ${i}`, bodyText: 'x', kind: 'starting_guide', userId: null }, Date.now()));
    }
    // The workers try, fail and record the error; the nodes stay ready.
    await eventually(async () => (await cli.ctx.db.selectFrom('mail_outbox').select('id').where('id', 'in', ids).where('attempts', '>', 0).execute()).length === ids.length,
      'every queued mail was tried while SMTP was down', 30_000);
    for (const node of [n1, n2]) assert.equal((await readyz(node)).status, 200);
    await smtp.start();
    const up = Date.now();
    await eventually(async () => (await cli.ctx.db.selectFrom('mail_outbox').select('id').where('id', 'in', ids).where('state', '=', 'sent').execute()).length === ids.length,
      'every queued mail sent after SMTP is back', 30_000);
    console.log(`# SMTP back: the ${ids.length} mails queued during the outage sent within ${Date.now() - up} ms (MAIL_RETRY_SECONDS 1)`);
    const all = await cli.ctx.db.selectFrom('mail_outbox').select(['id', 'state']).execute();
    await eventually(async () => smtp.received.length >= all.filter((m) => m.state === 'sent').length, 'the sink got every sent mail', 10_000);
    const byId = new Map<string, number>();
    for (const m of smtp.received) byId.set(m.messageId ?? '', (byId.get(m.messageId ?? '') ?? 0) + 1);
    for (const id of ids) assert.equal([...byId].filter(([mid]) => mid.includes(`${id}@`)).reduce((n, [, c]) => n + c, 0), 1, `mail ${id} delivered once`);
    assert.ok([...byId.values()].every((c) => c === 1), 'no mail delivered twice');
    assertAlive();
    assertNoServerErrors();
  });

  it('one node SIGKILLed: the others serve on and the flow continues there', async () => {
    ending.add(n3);
    n3.child.kill('SIGKILL');
    assert.equal((await n3.exited).signal, 'SIGKILL');
    const on1 = new Browser(n1.url, { 'accept-language': 'en' });
    for (const [k, v] of flowBrowser.jar) on1.jar.set(k, v);
    const page = await on1.get(flowPath);
    assert.match(page.body, new RegExp(`action="${flowPath}/password"`), 'the flow, opened before the faults, is at the step it was');
    const done = await on1.post(`${flowPath}/password`, { password: PW, confirm: PW });
    assert.equal(done.status, 303, 'and finishes');
    for (const u of loadUsers) assert.equal(await loginAndPage(n1, u, 'after SIGKILL'), 303);
    assertAlive();
    assertNoServerErrors();
  });

  it('one node SIGTERMed with idle keep-alive clients: exits 0 within SHUTDOWN_TIMEOUT_MS', async () => {
    const idle = new Agent({ keepAlive: true, maxSockets: 4 });
    await Promise.all([1, 2, 3, 4].map(() => new Promise<void>((resolve, reject) => {
      request(`${n2.url}/healthz`, { agent: idle }, (res) => { res.resume(); res.on('end', () => resolve()); }).on('error', reject).end();
    })));
    ending.add(n2);
    const t0 = Date.now();
    n2.child.kill('SIGTERM');
    const { code, signal } = await n2.exited;
    const took = Date.now() - t0;
    idle.destroy();
    assert.deepEqual({ code, signal }, { code: 0, signal: null });
    // The documented bound, generous for a loaded machine.
    assert.ok(took < SHUTDOWN_TIMEOUT_MS + 2_000, `SIGTERM to exit: ${took} ms`);
    console.log(`# SIGTERM with 4 idle keep-alive clients: exit after ${took} ms (SHUTDOWN_DELAY_MS 300, SHUTDOWN_TIMEOUT_MS ${SHUTDOWN_TIMEOUT_MS})`);
    assertAlive();
  });

  it('afterwards: node 1 never exited, no 500 was seen, no session or audit row lost or duplicated', async () => {
    await stopLoad?.();
    stopLoad = null;
    assertAlive();
    assertNoServerErrors();
    const db = cli.ctx.db;
    const rows = await db.selectFrom('session').select(['id', 'user_id']).execute();
    const inDb = new Map(rows.map((r) => [r.id, r.user_id]));
    for (const s of sessions) assert.equal(inDb.get(s.tokenHash), s.userId, 'every session a client got is in the database');
    assert.equal(new Set(sessions.map((s) => s.tokenHash)).size, sessions.length, 'no token handed out twice');
    const audits = await db.selectFrom('audit_log').select(['id', 'event', 'subject_user_id']).where('event', '=', 'login.second_step_skipped').execute();
    assert.equal(new Set(audits.map((a) => a.id)).size, audits.length);
    for (const u of [...loadUsers, ...victims]) {
      const got = sessions.filter((s) => s.userId === u.id).length;
      const logged = audits.filter((a) => a.subject_user_id === u.id).length;
      assert.ok(logged >= got, `${u.loginId}: every login a client completed is in the audit log (${logged} ≥ ${got})`);
      assert.ok(logged <= (loginPosts.get(u.id) ?? 0), `${u.loginId}: no audit row without an attempt (${logged} ≤ ${loginPosts.get(u.id) ?? 0})`);
    }
    const locked = await db.selectFrom('audit_log').select('id').where('event', '=', 'login.locked').execute();
    assert.deepEqual(locked, [], 'no lockout: every failure was an infrastructure failure');
    const by = (f: (s: Seen) => boolean) => seen.filter(f).length;
    console.log(`# load: ${seen.length} answers, ${by((s) => s.status === 503)} × 503 (all with Retry-After), ${by((s) => s.status === 0)} refused connections (killed node), ${sessions.length} sessions`);
  });

  it('a wrong database password stops a node at start with one line naming DATABASE_URL, exit 2, no password', async () => {
    const wrong = new URL(pg.url);
    wrong.password = `not-${randomBytes(4).toString('hex')}`;
    const node = startNode(suite, { ...env, DATABASE_URL: wrong.toString() }, { startTimeoutMs: 240_000 }).catch((err: Error) => err);
    const err = await node;
    assert.ok(err instanceof Error, 'it does not start');
    assert.match(err.message, /^node exited \(2\)/, 'exit code 2');
    const out = err.message.split('\n').slice(1).filter(Boolean);
    assert.equal(out.length, 1, `one line: ${out.join('\n')}`);
    assert.match(out[0]!, /DATABASE_URL/);
    assert.ok(!out[0]!.includes(wrong.password) && !out[0]!.includes(pg.password), 'no password');
  });
});
