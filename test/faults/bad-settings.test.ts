// Issue 15 §5–6: every setting malformed in turn stops the server with ONE line that names the
// setting and says what to do, exit code 2, and no secret (URL passwords, keys, tokens) anywhere in
// its output. Every case runs through loadConfig (the check itself, in-process: fast); the cases that
// only the server can find (port taken, host, database login, schema, data directory, bootstrap
// values) and one of each kind of the others run the real entry point (`node --import tsx
// src/server.ts`, as `npm run dev` runs it; `npm start` runs the same code compiled). Nothing here writes to a shared database: the cases that
// reach PostgreSQL fail before migrations.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import { ConfigError, loadConfig } from '../../src/config.ts';
import { freePort } from '../helpers/app.ts';
import { PG_URL } from '../helpers/db.ts';
import { REPO_ROOT } from '../scale/helpers.ts';

const PW = 'Secr3tPw-9f2k';
const SECRET_KEY = randomBytes(32).toString('base64');
const TOTP_KEY = randomBytes(32).toString('base64');
const METRICS_TOKEN = randomBytes(24).toString('base64');
const pgWith = (path: string) => { const u = new URL(PG_URL); u.password = PW; u.pathname = path; return u.toString(); };

/** `spawn`: run as a process (server-only checks, and one of each kind of the config checks). */
interface Case { setting: string; env: Record<string, string>; spawn?: boolean }

function cases(busyPort: number, notADir: string): Case[] {
  return [
    { setting: 'NODE_ENV', env: { NODE_ENV: 'staging' } },
    { setting: 'PORT', env: { PORT: 'eighty' }, spawn: true },
    { setting: 'PORT', env: { PORT: '70000' } },
    { setting: 'PORT', env: { PORT: String(busyPort) }, spawn: true },
    { setting: 'HOST', env: { HOST: 'bad host!' } },
    { setting: 'HOST', env: { HOST: '203.0.113.7' }, spawn: true },
    { setting: 'PUBLIC_URL', env: { PUBLIC_URL: 'portal.example.com' } },
    { setting: 'PUBLIC_URL', env: { PUBLIC_URL: `https://admin:${PW}@portal.example.com` } },
    { setting: 'DATABASE_URL', env: { DATABASE_URL: `mysql://bp:${PW}@db.example.com/bp` } },
    { setting: 'DATABASE_URL', env: { DATABASE_URL: `postgres://bp:${PW}@[bad` }, spawn: true },
    { setting: 'DATABASE_URL', env: { DATABASE_URL: pgWith('/bizportal_no_such_database') }, spawn: true },
    { setting: 'DATABASE_SCHEMA', env: { DATABASE_URL: pgWith('/postgres'), DATABASE_SCHEMA: 'bad-name;' } },
    { setting: 'DATABASE_SCHEMA', env: { DATABASE_URL: pgWith('/postgres'), DATABASE_SCHEMA: `no_such_schema_${randomBytes(4).toString('hex')}` }, spawn: true },
    { setting: 'DATABASE_SCHEMA', env: { DATABASE_SCHEMA: 'bizportal' } },
    { setting: 'SECRET_KEY', env: { SECRET_KEY: 'c2hvcnQ=' } },
    { setting: 'TOTP_KEY', env: { TOTP_KEY: 'changemechangemechangemechangemechangeme1234' } },
    { setting: 'TOTP_OLD_KEYS', env: { TOTP_OLD_KEYS: 'c2hvcnQ=' } },
    { setting: 'SMTP_URL', env: { SMTP_URL: `smtp://mailer:${PW}@[bad` }, spawn: true },
    { setting: 'SMTP_URL', env: { SMTP_URL: `http://mailer:${PW}@mail.example.com` } },
    { setting: 'MAIL_FROM', env: { MAIL_FROM: 'no address here' } },
    { setting: 'MAIL_WORKER', env: { MAIL_WORKER: 'maybe' }, spawn: true },
    { setting: 'MAIL_RETRY_SECONDS', env: { MAIL_RETRY_SECONDS: '0' } },
    { setting: 'SWEEP_INTERVAL_SECONDS', env: { SWEEP_INTERVAL_SECONDS: '-1' } },
    { setting: 'UPLOAD_CONCURRENCY', env: { UPLOAD_CONCURRENCY: '0' } },
    { setting: 'REDIS_URL', env: { REDIS_URL: `redis://:${PW}@[bad` }, spawn: true },
    { setting: 'REDIS_PREFIX', env: { REDIS_PREFIX: 'has space' } },
    { setting: 'METRICS_TOKEN', env: { METRICS_TOKEN: 'short' } },
    { setting: 'TRUSTED_PROXIES', env: { TRUSTED_PROXIES: '10.0.0.0/33' }, spawn: true },
    { setting: 'COOKIE_SECURE', env: { COOKIE_SECURE: 'yes' } },
    { setting: 'DEV_OUTBOX', env: { DEV_OUTBOX: '1' } },
    { setting: 'ARGON2_MEMORY_KIB', env: { ARGON2_MEMORY_KIB: '12' } },
    { setting: 'ARGON2_TIME_COST', env: { ARGON2_TIME_COST: '0' } },
    { setting: 'ARGON2_PARALLELISM', env: { ARGON2_PARALLELISM: 'x' } },
    { setting: 'HASH_CONCURRENCY', env: { HASH_CONCURRENCY: '0' } },
    { setting: 'HASH_QUEUE_LIMIT', env: { HASH_QUEUE_LIMIT: '-1' } },
    { setting: 'SESSION_IDLE_MINUTES', env: { SESSION_IDLE_MINUTES: 'half' } },
    { setting: 'SESSION_ABSOLUTE_HOURS', env: { SESSION_ABSOLUTE_HOURS: '0' } },
    { setting: 'SETUP_LINK_HOURS', env: { SETUP_LINK_HOURS: '1.5' } },
    { setting: 'RESET_LINK_MINUTES', env: { RESET_LINK_MINUTES: '0' } },
    { setting: 'FLOW_MINUTES', env: { FLOW_MINUTES: '' + 'x' } },
    { setting: 'LOG_LEVEL', env: { LOG_LEVEL: 'loud' } },
    { setting: 'SHUTDOWN_DELAY_MS', env: { SHUTDOWN_DELAY_MS: '30000', SHUTDOWN_TIMEOUT_MS: '20000' } },
    { setting: 'SHUTDOWN_TIMEOUT_MS', env: { SHUTDOWN_TIMEOUT_MS: '5' } },
    { setting: 'DATA_DIR', env: { DATA_DIR: notADir, SECRET_KEY: '', TOTP_KEY: '' }, spawn: true },
    { setting: 'BOOTSTRAP_ADMIN_EMAIL', env: { BOOTSTRAP_ADMIN_EMAIL: 'not-an-address' }, spawn: true },
  ];
}

function run(env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
      cwd: REPO_ROOT, env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (c) => { output += c; });
    child.stderr.on('data', (c) => { output += c; });
    // A case that starts instead of refusing would run forever: bounded.
    const timer = setTimeout(() => child.kill('SIGKILL'), 150_000);
    child.once('error', reject);
    child.once('exit', (code) => { clearTimeout(timer); resolve({ code, output }); });
  });
}

/** Runs `fn` over `items`, `n` at a time (2 cores shared: a few processes, not forty). */
async function pool<T, R>(items: T[], n: number, fn: (x: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(Array.from({ length: n }, async () => { for (let i = next++; i < items.length; i = next++) out[i] = await fn(items[i]!); }));
  return out;
}

describe('bad settings', () => {
  it('each malformed setting: one line naming it, exit code 2, no secret in the output', async (t) => {
    const dataDir = mkdtempSync(join(tmpdir(), 'bizportal-badcfg-'));
    t.after(() => rmSync(dataDir, { recursive: true, force: true }));
    const busy: Server = createServer();
    const busyPort = await freePort();
    await new Promise<void>((r) => busy.listen(busyPort, '127.0.0.1', () => r()));
    t.after(() => new Promise<void>((r) => busy.close(() => r())));
    writeFileSync(join(dataDir, 'file'), 'x');
    const list = cases(busyPort, join(dataDir, 'file', 'data'));
    const base0: Record<string, string> = {
      NODE_ENV: 'test', HOST: '127.0.0.1', PORT: '3000', DATA_DIR: dataDir, DATABASE_URL: 'sqlite::memory:', SECRET_KEY, TOTP_KEY, METRICS_TOKEN,
      SMTP_URL: `smtp://mailer:${PW}@127.0.0.1:1`, REDIS_URL: `redis://:${PW}@127.0.0.1:1`,
    };
    const problems: string[] = [];
    // In-process: what loadConfig refuses, and with which words (the server prints exactly this).
    for (const c of list) {
      if (['PORT', 'HOST', 'DATABASE_SCHEMA', 'BOOTSTRAP_ADMIN_EMAIL'].includes(c.setting) && c.spawn) continue;
      if (c.env.DATABASE_URL?.includes('no_such_database')) continue;
      try {
        loadConfig({ ...base0, ...c.env });
        problems.push(`loadConfig accepted ${c.setting}=${JSON.stringify(c.env)}`);
      } catch (err) {
        const m = err instanceof Error ? err.message : String(err);
        if (!(err instanceof ConfigError)) problems.push(`not a ConfigError for ${c.setting}: ${m}`);
        if (!m.includes(c.setting) || m.includes('\n')) problems.push(`loadConfig message for ${c.setting}: ${m}`);
        for (const s of [PW, SECRET_KEY, TOTP_KEY, METRICS_TOKEN]) if (m.includes(s)) problems.push(`loadConfig leaks a secret for ${c.setting}: ${m}`);
      }
    }
    const results = await pool(list.filter((c) => c.spawn), 3, async (c) => {
      const base: Record<string, string> = {
        NODE_ENV: 'test', HOST: '127.0.0.1', PORT: String(await freePort()), DATA_DIR: dataDir,
        // Nothing is written: an in-memory SQLite unless the case names a database.
        DATABASE_URL: 'sqlite::memory:', SECRET_KEY, TOTP_KEY, METRICS_TOKEN,
        SMTP_URL: `smtp://mailer:${PW}@127.0.0.1:1`, REDIS_URL: `redis://:${PW}@127.0.0.1:1`,
      };
      return { c, ...(await run({ ...base, ...c.env })) };
    });
    for (const { c, code, output } of results) {
      const lines = output.split('\n').filter((l) => l.trim() !== '');
      const where = `${c.setting}=${JSON.stringify(c.env)} →\n${output}`;
      if (code !== 2) problems.push(`exit ${code}, not 2: ${where}`);
      if (lines.length !== 1) problems.push(`${lines.length} lines, not 1: ${where}`);
      if (!lines[0]?.includes(c.setting)) problems.push(`does not name ${c.setting}: ${where}`);
      for (const s of [PW, encodeURIComponent(PW), SECRET_KEY, TOTP_KEY, METRICS_TOKEN]) if (output.includes(s)) problems.push(`leaks a secret: ${where}`);
    }
    assert.deepEqual(problems, []);
  });
});
