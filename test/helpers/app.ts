// A real bizportal server on a free loopback port over a fresh database (SQLite or a PostgreSQL
// schema), with a clock the test can move. Closed when the test ends.
import type { TestContext } from 'node:test';
import { createServer } from 'node:net';
import { randomBytes } from 'node:crypto';
import { loadConfig, type Config } from '../../src/config.ts';
import { buildApp, type BuiltApp } from '../../src/app.ts';
import type { Dialect } from '../../src/db/index.ts';
import { freshDb } from './db.ts';

export interface TestApp extends BuiltApp {
  url: string;
  config: Config;
  clock: { now: number; advance(ms: number): void };
  /** Cleanup that must run before the server and database close (last deferred runs first). */
  defer(fn: () => Promise<void> | void): void;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const addr = s.address();
      s.close(() => (typeof addr === 'object' && addr ? resolve(addr.port) : reject(new Error('no port'))));
    });
  });
}

export async function startTestApp(dialect: Dialect, t: TestContext, env: Record<string, string> = {}, opts: { logStream?: NodeJS.WritableStream } = {}): Promise<TestApp> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
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
  const handle = await freshDb(dialect, null);
  const clock = { now: Date.now(), advance(ms: number) { this.now += ms; } };
  const built = await buildApp(config, { handle, now: () => clock.now, ...(opts.logStream ? { logStream: opts.logStream } : {}) });
  await built.app.listen({ port, host: '127.0.0.1' });
  const deferred: (() => Promise<void> | void)[] = [];
  t.after(async () => {
    for (const fn of deferred.reverse()) await fn();
    await built.app.close();
    await handle.dispose();
  });
  return { ...built, url, config, clock, defer: (fn) => { deferred.push(fn); } };
}
