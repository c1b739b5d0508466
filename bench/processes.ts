// Child processes of the bench: the portal (node dist/server.js, as `npm start` runs it), the
// bare-route server and the autocannon runner; how to wait for them, sample their memory and CPU,
// and stop them.
import { spawn, spawnSync, fork, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';

export const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));

/** Every child this run started; run.ts stops them on exit, also after an error or Ctrl-C. */
const children = new Set<ChildProcess>();

export interface Started { child: ChildProcess; pid: number; output(): string }

function track(child: ChildProcess): Started {
  children.add(child);
  child.once('exit', () => children.delete(child));
  let out = '';
  const keep = (b: Buffer) => { out = (out + b.toString()).slice(-8000); };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  if (child.pid === undefined) throw new Error('child process did not start');
  return { child, pid: child.pid, output: () => out };
}

/** The compiled portal: what `npm start` (scripts/start.mjs) imports once dist/ is current. */
export const COMPILED_PORTAL = ['dist/server.js'];

/** Builds dist/ when it is missing or older than a source, as `npm start` does before it imports it. */
export function buildPortalIfStale(cwd = REPO_ROOT): void {
  // The build's messages go to stderr: stdout is the bench's results.
  const res = spawnSync(process.execPath, ['scripts/build.mjs', '--if-stale'], { cwd, stdio: ['ignore', 2, 2] });
  if (res.status !== 0) throw new Error(`scripts/build.mjs --if-stale failed in ${cwd} (exit ${res.status ?? res.signal})`);
}

export interface PortalCommand {
  /** Node arguments after `nodeArgs`: the compiled portal unless told otherwise (an older checkout runs tsx). */
  command?: string[];
  cwd?: string;
}

/**
 * The portal as operators run it: compiled JavaScript. Without `npm start`'s freshness walk over
 * src/, which the bench has just done (buildPortalIfStale); `npm run bench:startup -- --cmd
 * scripts/start.mjs` times a start with it. `nodeArgs` come first (--cpu-prof).
 */
export function startPortal(env: NodeJS.ProcessEnv, nodeArgs: string[] = [], { command = COMPILED_PORTAL, cwd = REPO_ROOT }: PortalCommand = {}): Started {
  return track(spawn(process.execPath, [...nodeArgs, ...command], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] }));
}

/** A bench/*.ts module in a child with an IPC channel (it exits when the channel closes). */
export function forkBenchModule(file: string, env: NodeJS.ProcessEnv = process.env): Started {
  return track(fork(fileURLToPath(new URL(file, import.meta.url)), [], {
    cwd: REPO_ROOT, env, execArgv: ['--import', 'tsx'], stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  }));
}

export async function waitForHttp(url: string, started: Started, timeoutMs = 30_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (started.child.exitCode !== null) throw new Error(`process exited (${started.child.exitCode}) before answering ${url}:\n${started.output()}`);
    try {
      const res = await fetch(url);
      await res.arrayBuffer();
      if (res.ok) return;
    } catch { /* not listening yet */ }
    await sleep(100);
  }
  throw new Error(`no answer from ${url} within ${timeoutMs} ms:\n${started.output()}`);
}

/** SIGTERM (the portal drains and exits 0, writing its CPU profile), SIGKILL if it hangs. */
export async function stop(started: Started, graceMs = 10_000): Promise<void> {
  const { child } = started;
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}

export async function stopAll(): Promise<void> {
  await Promise.all([...children].map((c) => stop({ child: c, pid: c.pid ?? 0, output: () => '' })));
}

/** Last resort on process exit: nothing may outlive the bench. */
export function killAllNow(): void {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
}

// --- /proc sampling -------------------------------------------------------------------------------

/** Resident set size in MiB (VmRSS), or NaN once the process is gone. */
export function rssMiB(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : NaN;
  } catch {
    return NaN;
  }
}

/** utime + stime of a process in seconds (Linux: 100 clock ticks per second). */
function cpuSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;   // fields 14 and 15 of proc(5)
  } catch {
    return NaN;
  }
}

/** Busy and total jiffies of the whole machine (first line of /proc/stat). */
export function machineJiffies(): { busy: number; total: number } {
  const f = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0]!.trim().split(/\s+/).slice(1).map(Number);
  const total = f.reduce((a, b) => a + b, 0);
  return { busy: total - (f[3] ?? 0) - (f[4] ?? 0), total };   // idle and iowait are not busy
}

/** CPU the whole machine used over `ms` (100% = one core): other people's work shows up here. */
export async function machineBusyPercent(ms: number): Promise<number> {
  const a = machineJiffies();
  await new Promise((r) => setTimeout(r, ms));
  const b = machineJiffies();
  return ((b.busy - a.busy) / (b.total - a.total)) * 100 * cpus().length;
}

export interface ProcessUsage {
  seconds: number; rssPeakMiB: number; rssEndMiB: number;
  /** CPU of the process (100% = one core). */
  cpuPercent: number;
  /** CPU of the whole machine in the same window: the process, the load generator and anything else. */
  machinePercent: number;
}

/** Samples a process's RSS every 200 ms and its CPU time over the phase; stop() gives the figures. */
export function probe(pid: number): { stop(): ProcessUsage } {
  const t0 = performance.now();
  const cpu0 = cpuSeconds(pid);
  const m0 = machineJiffies();
  let peak = rssMiB(pid);
  const timer = setInterval(() => { peak = Math.max(peak, rssMiB(pid)); }, 200);
  return {
    stop() {
      clearInterval(timer);
      const end = rssMiB(pid);
      peak = Math.max(peak, end);
      const wall = (performance.now() - t0) / 1000;
      const m1 = machineJiffies();
      return {
        seconds: wall, rssPeakMiB: peak, rssEndMiB: end, cpuPercent: ((cpuSeconds(pid) - cpu0) / wall) * 100,
        machinePercent: ((m1.busy - m0.busy) / (m1.total - m0.total)) * 100 * cpus().length,
      };
    },
  };
}
