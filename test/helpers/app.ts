// A real bizportal server on a loopback port bound as port 0 over a fresh database (SQLite or a PostgreSQL
// schema), with a clock the test can move. Closed when the test ends.
import type { TestContext } from 'node:test';
import { createServer, type AddressInfo } from 'node:net';
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { randomBytes } from 'node:crypto';
import { loadConfig, type Config } from '../../src/config.ts';
import { buildApp, type BuiltApp } from '../../src/app.ts';
import type { DbHandle, Dialect } from '../../src/db/index.ts';
import { freshDb } from './db.ts';

export interface TestApp extends BuiltApp {
  url: string;
  config: Config;
  clock: { now: number; advance(ms: number): void };
  /** Cleanup that must run before the server and database close (last deferred runs first). */
  defer(fn: () => Promise<void> | void): void;
}

/**
 * A port nothing listened on a moment ago. Only for a server in ANOTHER process (the fault and scale
 * suites spawn `bizportal` with PORT=…): between close and the child's listen another process may
 * take it. In-process servers listen on port 0 instead (startTestApp, the SMTP sink).
 */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const addr = s.address();
      s.close(() => (typeof addr === 'object' && addr ? resolve(addr.port) : reject(new Error('no port'))));
    });
  });
}

/**
 * Port 0 and the bound port read back, held from the start: no window in which another test process
 * (three suites share this machine) can take it. The app needs its PUBLIC_URL, port included, before
 * it is built (the origin check reads it when it registers), so the socket is bound first and
 * handed the app's own request handler (`app.routing`, what Fastify's server calls) once it is ready.
 */
async function listenOnPortZero(): Promise<{ server: HttpServer; port: number }> {
  const server = createHttpServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => { server.off('error', reject); resolve(); });
  });
  return { server, port: (server.address() as AddressInfo).port };
}

/** `opts.db`: a database another app shares (two nodes on one PostgreSQL); the caller closes it. */
export async function startTestApp(dialect: Dialect, t: TestContext, env: Record<string, string> = {}, opts: { logStream?: NodeJS.WritableStream; db?: DbHandle; host?: 'localhost' } = {}): Promise<TestApp> {
  const { server, port } = await listenOnPortZero();
  // `host: 'localhost'`: WebAuthn needs a domain for its RP ID (browsers refuse an IP address), and
  // localhost is a secure context over plain HTTP. The socket is the same 127.0.0.1 one.
  const url = `http://${opts.host ?? '127.0.0.1'}:${port}`;
  const config = loadConfig({
    NODE_ENV: 'test',
    PORT: String(port),
    HOST: '127.0.0.1',
    PUBLIC_URL: url,
    SECRET_KEY: randomBytes(32).toString('base64'),
    TOTP_KEY: randomBytes(32).toString('base64'),
    // Small argon2 parameters keep the suite fast; the production defaults are tested in hash tests.
    ARGON2_MEMORY_KIB: '1024',
    ARGON2_TIME_COST: '1',
    DATA_DIR: '/tmp/bizportal-test-unused',
    ...env,
  });
  const handle = opts.db ?? await freshDb(dialect, null);
  const clock = { now: Date.now(), advance(ms: number) { this.now += ms; } };
  const built = await buildApp(config, { handle, now: () => clock.now, ...(opts.logStream ? { logStream: opts.logStream } : {}) });
  await built.app.ready();
  server.on('request', built.app.routing);
  const deferred: (() => Promise<void> | void)[] = [];
  t.after(async () => {
    for (const fn of deferred.reverse()) await fn();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await built.app.close();
    if (!opts.db) await (handle as unknown as { dispose(): Promise<void> }).dispose();
  });
  return { ...built, url, config, clock, defer: (fn) => { deferred.push(fn); } };
}
