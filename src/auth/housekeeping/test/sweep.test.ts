// Issue 13 §8: the sweeper deletes what ended at least a day ago (flows, sessions, links, mailed
// codes) and the throttle rows of login IDs nobody has once quiet and unlocked; live rows, real
// users' keys and source-address keys stay. One node at a time on PostgreSQL; a timer and a CLI command.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { freshDb, testDialects } from '../../../../test/helpers/db.ts';
import { cli, inspect, operatorEnv } from '../../../cli/test/harness.ts';
import { migrateToLatest, openDb, type Db } from '../../../db/index.ts';
import { createOrganisation } from '../../tenancy/organisations.ts';
import { insertUser } from '../../users/store.ts';
import { throttleKeys } from '../../throttle/keys.ts';
import { PASSWORD_POLICY } from '../../throttle/db-throttle.ts';
import { RETENTION_MS, sweep } from '../sweep.ts';
import { startSweeper, sweepOnce } from '../sweeper.ts';
import { sql } from 'kysely';

const NOW = 1_800_000_000_000;

/** Rows around `now`: some ended more than a day ago, some lately, some live. */
async function world(db: Db, NOW = 1_800_000_000_000) {
  const LONG_AGO = NOW - RETENTION_MS - 1;
  const LATELY = NOW - RETENTION_MS + 60_000;
  const org = await createOrganisation(db, { name: 'A', kind: 'direct' }, NOW);
  const u = await insertUser(db, { organisationId: org.id, loginId: 'Taro@example.com', email: 'taro@example.com', name: 'n', phone: '0312345678', role: 'general', lang: 'ja' }, NOW);
  const flow = (id: string, expires: number) => ({ id, kind: 'login' as const, user_id: u.id, state: 's', attempts: 0, expires_at: expires, version: 0, browser_hash: 'h', security_epoch: 0, context: '{}', created_at: NOW - 2 * RETENTION_MS, updated_at: NOW });
  await db.insertInto('flow').values([flow('f-old', LONG_AGO), flow('f-lately', LATELY), flow('f-live', NOW + 600_000)]).execute();
  const session = (id: string, o: { expires?: number; idle?: number; revoked?: number | null }) => ({
    id, user_id: u.id, aal: 'aal2' as const, skip_reason: null, created_at: NOW - 2 * RETENTION_MS, last_seen_at: NOW,
    idle_expires_at: o.idle ?? NOW + 600_000, expires_at: o.expires ?? NOW + 3_600_000, ip: '192.0.2.1', user_agent: 'x', revoked_at: o.revoked ?? null, security_epoch: 0,
  });
  await db.insertInto('session').values([
    session('s-expired', { expires: LONG_AGO }), session('s-idle', { idle: LONG_AGO }), session('s-revoked', { revoked: LONG_AGO }),
    session('s-revoked-lately', { revoked: LATELY }), session('s-live', {}),
  ]).execute();
  const link = (id: string, expires: number, used: number | null) => ({ id, user_id: u.id, purpose: 'reset' as const, token_hash: id, expires_at: expires, used_at: used, superseded_at: null, identity_failures: 0, created_at: NOW - 2 * RETENTION_MS });
  await db.insertInto('link_token').values([link('l-old', LONG_AGO, null), link('l-used-old', LONG_AGO, LONG_AGO - 1), link('l-live', NOW + 600_000, null)]).execute();
  const otp = (id: string, expires: number) => ({ id, flow_id: 'f-old', user_id: u.id, code_hash: 'h', expires_at: expires, used_at: null, superseded_at: null, failures: 0, sent_at: expires - 600_000 });
  await db.insertInto('mail_otp').values([otp('m-old', LONG_AGO), otp('m-live', NOW + 600_000)]).execute();
  const quiet = NOW - PASSWORD_POLICY.resetAfterMs - 1;
  const th = (key: string, updated: number, locked = 0) => ({ key, failures: 3, window_started_at: updated, locked_until: locked, updated_at: updated });
  await db.insertInto('throttle').values([
    th(throttleKeys.password('nobody@example.com'), quiet),
    th(throttleKeys.reset('nobody@example.com'), quiet),
    th(throttleKeys.password('TARO@example.com'), quiet),              // a real user's key: kept
    th(throttleKeys.password('ghost@example.com'), quiet, NOW + 60_000), // still locked: kept
    th(throttleKeys.password('recent@example.com'), NOW - 60_000),       // not quiet yet: kept
    th(throttleKeys.passwordSource('192.0.2.9'), quiet),                 // a source address: kept
    ...Array.from({ length: 1001 }, (_, i) => th(throttleKeys.password(`spray${i}@example.com`), quiet)),
  ]).execute();
}

async function ids(db: Db, table: 'flow' | 'session' | 'link_token' | 'mail_otp'): Promise<string[]> {
  return (await db.selectFrom(table).select('id').orderBy('id').execute()).map((r) => r.id);
}

for (const dialect of testDialects()) {
  describe(`${dialect}: housekeeping sweep`, () => {
    it('deletes what ended a day ago and the throttle rows of made-up login IDs, nothing else', async (t) => {
      const { db } = await freshDb(dialect, t);
      await world(db);
      assert.deepEqual(await sweep(db, NOW), { flows: 1, sessions: 3, links: 2, mailOtps: 1, throttles: 1003 });
      assert.deepEqual(await ids(db, 'flow'), ['f-lately', 'f-live']);
      assert.deepEqual(await ids(db, 'session'), ['s-live', 's-revoked-lately']);
      assert.deepEqual(await ids(db, 'link_token'), ['l-live']);
      assert.deepEqual(await ids(db, 'mail_otp'), ['m-live']);
      const keys = (await db.selectFrom('throttle').select('key').orderBy('key').execute()).map((r) => r.key);
      assert.deepEqual(keys, ['pw:ghost@example.com', 'pw:recent@example.com', 'pw:taro@example.com', 'pwip:192.0.2.9']);
      assert.deepEqual(await sweep(db, NOW), { flows: 0, sessions: 0, links: 0, mailOtps: 0, throttles: 0 }, 'a second round finds nothing');
    });

    // SQLite is single-node (one process holds the file), so the lock test exists for PostgreSQL only.
    if (dialect === 'postgres') it('one node at a time: a round that does not get the lock does nothing', async (t) => {
      const first = await freshDb(dialect, t);
      await world(first.db);
      const other = openDb(first.url, { schema: first.schema });
      t.after(() => other.close());
      await other.db.connection().execute(async (conn) => {
        await sql`select pg_advisory_lock(7331022)`.execute(conn);
        assert.equal(await sweepOnce(first.db, dialect, NOW), null, 'another node is sweeping');
        await sql`select pg_advisory_unlock(7331022)`.execute(conn);
      });
      assert.equal((await sweepOnce(first.db, dialect, NOW))?.flows, 1);
      const rounds = await Promise.all([sweepOnce(first.db, dialect, NOW), sweepOnce(other.db, dialect, NOW)]);
      assert.ok(rounds.every((r) => r === null || r.flows === 0));
    });

    it('the timer sweeps every interval and logs the counts; stop() waits for the round under way', async (t) => {
      const { db } = await freshDb(dialect, t);
      await world(db);
      const logged: object[] = [];
      let seen: () => void = () => {};
      const first = new Promise<void>((r) => { seen = r; });
      const s = startSweeper({ db, dialect, intervalMs: 20, now: () => NOW, log: { info: (o) => { logged.push(o); seen(); }, warn: (o) => logged.push(o) } });
      // The sweeper's timer is unref'd (it keeps no process alive): this one keeps the test's loop up.
      const keepAlive = setTimeout(() => {}, 10_000);
      await first;
      clearTimeout(keepAlive);
      await s.stop();
      assert.deepEqual(logged[0], { sweep: { flows: 1, sessions: 3, links: 2, mailOtps: 1, throttles: 1003 } });
    });

    it('`bizportal sweep` prints the counts', async (t) => {
      const env = await operatorEnv(dialect, t);
      // The CLI runs on the real clock: the world is built around it.
      await inspect(env, async (db) => { await migrateToLatest(db); await world(db, Date.now()); });
      const r = await cli(env, 'sweep');
      assert.equal(r.code, 0, r.err.join('\n'));
      assert.deepEqual(r.out, ['deleted: 1 flows, 3 sessions, 2 links, 1 mailed codes, 1003 throttle rows of unknown login IDs, 0 expired OpenID Connect artefacts, 0 legacy password hashes of ended migration periods']);
    });
  });
}

describe('sweeper plugin', () => {
  it('starts the timer when the app is ready and stops it when the app closes', async (t) => {
    const { default: Fastify } = await import('fastify');
    const { sweeperPlugin } = await import('../plugin.ts');
    const { db } = await freshDb('sqlite', t);
    await world(db);
    const lines: string[] = [];
    let swept: () => void = () => {};
    const done = new Promise<void>((r) => { swept = r; });
    const { Writable } = await import('node:stream');
    const stream = new Writable({ write(chunk, _e, cb) { lines.push(String(chunk)); if (String(chunk).includes('sweep done')) swept(); cb(); } });
    const app = Fastify({ logger: { level: 'info', stream } });
    await app.register(sweeperPlugin, { db, dialect: 'sqlite', intervalMs: 20, now: () => NOW });
    await app.ready();
    const keepAlive = setTimeout(() => {}, 10_000);
    await done;
    clearTimeout(keepAlive);
    await app.close();
    assert.match(lines.find((l) => l.includes('sweep done'))!, /"flows":1,"sessions":3,"links":2,"mailOtps":1,"throttles":1003/);
  });
});
