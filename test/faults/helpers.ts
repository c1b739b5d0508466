// Private infrastructure for the fault suite: a PostgreSQL cluster of its own (the server binaries
// installed on the machine, `initdb` into a temp directory, its own port, password login) and a
// redis-server of its own, so the suite can stop, kill and restart them without touching the shared
// servers on 5432/6379. Everything started here is stopped by pid, and its directory removed, in the
// suite's cleanup, also when a test fails. A missing binary fails under CI=true and skips elsewhere.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from '../helpers/app.ts';
import type { Cleanup } from '../scale/helpers.ts';

const run = promisify(execFile);

/** The newest PostgreSQL server binaries on the machine (Debian: /usr/lib/postgresql/<major>/bin). */
export function pgBinDir(): string | null {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return null;
  const majors = readdirSync(root).filter((d) => existsSync(join(root, d, 'bin', 'initdb'))).sort((a, b) => Number(b) - Number(a));
  return majors[0] ? join(root, majors[0], 'bin') : null;
}

export function redisServerBin(): string | null {
  for (const p of ['/usr/bin/redis-server', '/usr/local/bin/redis-server']) if (existsSync(p)) return p;
  return null;
}

/** Why the suite cannot run here, or null. Under CI this is a failure, elsewhere a skip. */
export function missingBinaries(): string | null {
  const missing = [pgBinDir() ? null : 'PostgreSQL server binaries (/usr/lib/postgresql/*/bin/initdb)', redisServerBin() ? null : 'redis-server'].filter(Boolean);
  return missing.length ? `not installed: ${missing.join(', ')}` : null;
}

export interface PgCluster {
  readonly port: number;
  readonly password: string;
  /** postgres://postgres:<password>@127.0.0.1:<port>/postgres */
  readonly url: string;
  /** `pg_ctl stop -m fast`: every connection is ended with 57P01, as in a restart. */
  stop(): Promise<void>;
  start(): Promise<void>;
}

const isRoot = () => process.getuid?.() === 0;

/** Runs a PostgreSQL binary as the `postgres` user when we are root (initdb refuses root). */
async function asPostgres(bin: string, args: string[]): Promise<void> {
  if (isRoot()) await run('runuser', ['-u', 'postgres', '--', bin, ...args], { timeout: 60_000 });
  else await run(bin, args, { timeout: 60_000 });
}

export async function startPgCluster(t: Cleanup): Promise<PgCluster> {
  const bin = pgBinDir();
  if (!bin) throw new Error('PostgreSQL server binaries not found');
  const root = mkdtempSync(join(tmpdir(), 'bizportal-faults-pg-'));
  const data = join(root, 'data');
  const sock = join(root, 'sock');
  mkdirSync(data);
  mkdirSync(sock);
  const password = randomBytes(12).toString('hex');
  writeFileSync(join(root, 'pw'), password + '\n');
  if (isRoot()) {
    chmodSync(root, 0o755);
    const { uid, gid } = await postgresIds();
    for (const p of [data, sock, join(root, 'pw')]) chownSync(p, uid, gid);
  }
  const port = await freePort();
  let running = false;
  const cluster: PgCluster = {
    port, password,
    url: `postgres://postgres:${password}@127.0.0.1:${port}/postgres`,
    async start() {
      await asPostgres(join(bin, 'pg_ctl'), ['-D', data, '-l', join(sock, 'log'), '-w', '-t', '60', '-o',
        `-p ${port} -k ${sock} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=60`, 'start']);
      running = true;
    },
    async stop() {
      await asPostgres(join(bin, 'pg_ctl'), ['-D', data, '-m', 'fast', '-w', '-t', '60', 'stop']);
      running = false;
    },
  };
  t.after(async () => {
    if (running) await asPostgres(join(bin, 'pg_ctl'), ['-D', data, '-m', 'immediate', '-w', 'stop']).catch(() => {});
    rmSync(root, { recursive: true, force: true });
  });
  await asPostgres(join(bin, 'initdb'), ['-D', data, '-U', 'postgres', '-A', 'scram-sha-256', `--pwfile=${join(root, 'pw')}`, '--no-sync', '-E', 'UTF8', '--locale=C']);
  await cluster.start();
  return cluster;
}

async function postgresIds(): Promise<{ uid: number; gid: number }> {
  const { stdout: u } = await run('id', ['-u', 'postgres']);
  const { stdout: g } = await run('id', ['-g', 'postgres']);
  return { uid: Number(u.trim()), gid: Number(g.trim()) };
}

export interface PrivateRedis {
  readonly port: number;
  readonly url: string;
  /** SIGKILL: no save, no goodbye (persistence is off, so every key is gone). */
  kill(): Promise<void>;
  start(): Promise<void>;
}

export async function startPrivateRedis(t: Cleanup): Promise<PrivateRedis> {
  const bin = redisServerBin();
  if (!bin) throw new Error('redis-server not found');
  const dir = mkdtempSync(join(tmpdir(), 'bizportal-faults-redis-'));
  const port = await freePort();
  let child: ChildProcess | null = null;
  const r: PrivateRedis = {
    port,
    url: `redis://127.0.0.1:${port}`,
    async start() {
      const c = spawn(bin, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir], { stdio: 'ignore' });
      child = c;
      // Ready when it accepts a PING.
      const until = Date.now() + 20_000;
      for (;;) {
        if (c.exitCode !== null) throw new Error(`redis-server exited (${c.exitCode})`);
        try {
          await run('redis-cli', ['-h', '127.0.0.1', '-p', String(port), 'ping'], { timeout: 2_000 });
          return;
        } catch { /* not yet */ }
        if (Date.now() > until) throw new Error('redis-server did not start');
        await new Promise((res) => setTimeout(res, 100));
      }
    },
    async kill() {
      const c = child;
      child = null;
      if (!c || c.exitCode !== null) return;
      const gone = new Promise((res) => c.once('exit', res));
      c.kill('SIGKILL');
      await gone;
    },
  };
  t.after(async () => { await r.kill(); rmSync(dir, { recursive: true, force: true }); });
  await r.start();
  return r;
}
