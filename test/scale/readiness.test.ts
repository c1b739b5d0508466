// Issue 9 §3: /readyz says whether this node can serve (database reachable, migrations current,
// Redis reachable when configured) so a load balancer can take it out of rotation; /healthz only
// says the process answers. The outage test cuts a running node's network path to PostgreSQL
// (a TCP relay the test stops), then restores it.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { loadConfig } from '../../src/config.ts';
import { buildApp } from '../../src/app.ts';
import { openDb } from '../../src/db/index.ts';
import { createPgSchema, freshDb, PG_URL } from '../helpers/db.ts';
import { REDIS_URL, randomPrefix } from '../helpers/redis.ts';
import { closedPort } from '../helpers/smtp.ts';
import { startTestApp } from '../helpers/app.ts';
import { eventually, sharedEnv, startNode, startRelay } from './helpers.ts';

const baseEnv = { NODE_ENV: 'test', SECRET_KEY: randomBytes(32).toString('base64'), TOTP_KEY: randomBytes(32).toString('base64'), DATA_DIR: '/tmp/bizportal-test-unused' };

async function readyz(url: string): Promise<{ status: number; body: { status: string; reason?: string } }> {
  const res = await fetch(`${url}/readyz`);
  return { status: res.status, body: (await res.json()) as { status: string; reason?: string } };
}

describe('/readyz', () => {
  it('ready with PostgreSQL and Redis; 503 naming Redis when Redis is unreachable', async (t) => {
    const ok = await startTestApp('postgres', t, { REDIS_URL, REDIS_PREFIX: randomPrefix() });
    assert.deepEqual(await readyz(ok.url), { status: 200, body: { status: 'ready' } });
    const noRedis = await startTestApp('postgres', t, { REDIS_URL: `redis://127.0.0.1:${await closedPort()}` });
    assert.deepEqual(await readyz(noRedis.url), { status: 503, body: { status: 'not_ready', reason: 'redis' } });
    assert.equal((await fetch(`${noRedis.url}/healthz`)).status, 200, 'the process itself is up');
  });

  it('503 naming the database when PostgreSQL does not answer, and naming migrations when they are behind', async (t) => {
    const config = loadConfig({ ...baseEnv, LOG_LEVEL: 'silent' });
    const dead = openDb(`postgres://postgres@127.0.0.1:${await closedPort()}/postgres`);
    const a = await buildApp(config, { handle: dead });
    t.after(async () => { await a.app.close(); await dead.close(); });
    const r1 = await a.app.inject({ method: 'GET', url: '/readyz' });
    assert.equal(r1.statusCode, 503);
    assert.deepEqual(r1.json(), { status: 'not_ready', reason: 'database' });

    const { schema, drop } = await createPgSchema();
    const empty = openDb(PG_URL, { schema });
    const b = await buildApp(config, { handle: empty });   // a handle given: not migrated
    t.after(async () => { await b.app.close(); await empty.close(); await drop(); });
    const r2 = await b.app.inject({ method: 'GET', url: '/readyz' });
    assert.equal(r2.statusCode, 503);
    assert.deepEqual(r2.json(), { status: 'not_ready', reason: 'migrations' });
  });

  it('a running node turns not-ready when its path to PostgreSQL is cut, and ready again when it returns', async (t) => {
    const db = await freshDb('postgres', t);
    const pg = new URL(PG_URL);
    const relay = await startRelay(t, { host: pg.hostname, port: Number(pg.port || 5432) });
    const via = new URL(PG_URL);
    via.port = String(relay.port);
    const node = await startNode(t, sharedEnv({ DATABASE_URL: via.toString(), DATABASE_SCHEMA: db.schema!, REDIS_URL, REDIS_PREFIX: randomPrefix() }));
    assert.deepEqual(await readyz(node.url), { status: 200, body: { status: 'ready' } });

    await relay.stop();
    await eventually(async () => (await readyz(node.url)).status === 503, '/readyz answers 503');
    assert.deepEqual((await readyz(node.url)).body, { status: 'not_ready', reason: 'database' });
    assert.equal((await fetch(`${node.url}/healthz`)).status, 200, 'the process stays up');

    await relay.start();
    await eventually(async () => (await readyz(node.url)).status === 200, '/readyz answers 200 again');
    const login = await fetch(`${node.url}/login`);
    assert.equal(login.status, 200, 'and it serves pages again');
  });
});
