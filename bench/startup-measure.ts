// Start-up of the portal (issue 19): from spawning the process to its first 200 on GET /login, and
// its resident memory at that moment. Each start is a new process against the same seeded
// database; one unmeasured start goes first (see measureStartups).
import http from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { rssMiB, stop, type Started } from './processes.ts';
import { median } from './stats.ts';

export interface StartupRun { firstPageMs: number; rssMiB: number }
export interface StartupResult {
  runs: StartupRun[];
  /** Median over the measured starts. */
  firstPageMs: number; rssMiB: number;
}

/** Between two tries while the portal is not answering yet: the figure's resolution. */
const POLL_MS = 5;

/**
 * The status of one GET, or null while nothing listens. node:http without keep-alive: fetch() would
 * load undici in this process on its first call, on the cores the starting portal needs.
 */
function statusOf(url: URL): Promise<number | null> {
  return new Promise((resolve) => {
    const req = http.get(url, { agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
      res.on('error', () => resolve(null));
    });
    req.on('error', () => resolve(null));
  });
}

/** Milliseconds from `spawnedAt` to the first 200 on `url`; fails when the process exits or takes too long. */
async function firstOk(url: URL, started: Started, spawnedAt: number, timeoutMs: number): Promise<number> {
  while (performance.now() - spawnedAt < timeoutMs) {
    if (started.child.exitCode !== null) throw new Error(`the portal exited (${started.child.exitCode}) before answering ${url}:\n${started.output()}`);
    if ((await statusOf(url)) === 200) return performance.now() - spawnedAt;
    await sleep(POLL_MS);
  }
  throw new Error(`no 200 from ${url} within ${timeoutMs} ms:\n${started.output()}`);
}

/**
 * `starts` cold starts, one after the other: spawn, time to the first 200 on `loginUrl`, RSS, stop.
 * One start before them is not counted: a first start makes what a deployed portal already has (the
 * OIDC signing key) and fills tsx's transform cache for a checkout that runs tsx, so the counted
 * starts are restarts of a deployed portal, the case an operator waits for.
 */
export async function measureStartups(spawnPortal: () => Started, loginUrl: string, starts = 5, timeoutMs = 60_000): Promise<StartupResult> {
  const url = new URL(loginUrl);
  const runs: StartupRun[] = [];
  for (let i = 0; i <= starts; i++) {
    const spawnedAt = performance.now();
    const portal = spawnPortal();
    try {
      const firstPageMs = await firstOk(url, portal, spawnedAt, timeoutMs);
      const rss = rssMiB(portal.pid);
      if (i > 0) runs.push({ firstPageMs, rssMiB: rss });
    } finally {
      await stop(portal);
    }
  }
  return { runs, firstPageMs: median(runs.map((r) => r.firstPageMs)), rssMiB: median(runs.map((r) => r.rssMiB)) };
}

/** One line for the reports: the medians and every start. */
export function formatStartup(r: StartupResult): string {
  const each = (f: (run: StartupRun) => number) => r.runs.map((run) => Math.round(f(run))).join(', ');
  return `start-up, median of ${r.runs.length} cold starts: process start → first 200 on GET /login ${Math.round(r.firstPageMs)} ms (each: ${each((x) => x.firstPageMs)}); `
    + `RSS after start ${Math.round(r.rssMiB)} MiB (each: ${each((x) => x.rssMiB)})`;
}
