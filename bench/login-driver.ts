// The full-login driver: each login is the four requests a browser makes — GET /login (a login flow
// opens), POST /auth/flows/:id/credentials (password), GET /auth/flows/:id (the TOTP page), POST /auth/flows/:id/totp → 303 / with a session
// cookie — with a bounded number of logins in flight.
import { setTimeout as sleep } from 'node:timers/promises';
import { totpCodeAt, totpStep, TOTP_PERIOD_S } from '../src/auth/factors/totp.ts';
import { CookieJar, type HttpClient } from './http-client.ts';
import { BENCH_PASSWORD, type BenchUser } from './seed.ts';
import { percentile } from './stats.ts';

const CSRF_FIELD = /name="_csrf" value="([^"]+)"/;
/** The login form posts to the flow GET /login opened, as a browser's would (not the legacy POST /login). */
const CREDENTIALS_ACTION = /action="(\/auth\/flows\/[^"?]+\/credentials)[^"]*"/;

/**
 * Users in least-recently-used order. RFC 6238 §5.2: a time step is accepted once per user, so a
 * user comes back only once the step of their last code has passed.
 */
export class UserPool {
  private readonly queue: Array<{ user: BenchUser; usedStep: number }>;
  constructor(users: BenchUser[]) {
    this.queue = users.map((user) => ({ user, usedStep: -1 }));
  }

  async take(): Promise<{ user: BenchUser; markUsed(step: number): void }> {
    for (;;) {
      const head = this.queue[0];
      if (head && head.usedStep < totpStep(Date.now())) {
        this.queue.shift();
        return {
          user: head.user,
          markUsed: (step) => { head.usedStep = step; this.queue.push(head); },
        };
      }
      // Every user has logged in during this step (or all are in flight): wait for the next one.
      const periodMs = TOTP_PERIOD_S * 1000;
      await sleep(head ? periodMs - (Date.now() % periodMs) + 20 : 20);
    }
  }
}

export const LOGIN_STEPS = ['GET /login', 'POST /auth/flows/:id/credentials', 'GET /auth/flows/:id', 'POST /auth/flows/:id/totp'] as const;

/**
 * `ms`: from the first request to the session cookie (waiting for a free user is not counted);
 * `stepMs`: each of the four requests, in LOGIN_STEPS order.
 */
export type LoginResult = { ok: true; cookie: string; ms: number; stepMs: number[] } | { ok: false; failure: string };

export async function loginOnce(client: HttpClient, pool: UserPool): Promise<LoginResult> {
  const { user, markUsed } = await pool.take();
  const jar = new CookieJar();
  // The portal sits behind a proxy (TRUSTED_PROXIES) and each user comes from their own address,
  // as browsers do; see docs/performance.md for what one shared address does to logins.
  const h = { 'x-forwarded-for': user.ip, 'user-agent': 'bizportal-bench/1' };
  let step = -1;
  const t0 = performance.now();
  const stepMs: number[] = [];
  let last = t0;
  const lap = () => { const t = performance.now(); stepMs.push(t - last); last = t; };
  try {
    const page = await client.request('GET', '/login', jar, h);
    lap();
    const csrf = CSRF_FIELD.exec(page.body)?.[1];
    const action = CREDENTIALS_ACTION.exec(page.body)?.[1];
    if (page.status !== 200 || !csrf || !action) return { ok: false, failure: `GET /login ${page.status}` };
    const pw = await client.request('POST', action, jar, h, { loginId: user.loginId, password: BENCH_PASSWORD, _csrf: csrf });
    lap();
    if (pw.status !== 303 || !pw.location?.startsWith('/auth/flows/')) return { ok: false, failure: `POST /auth/flows/:id/credentials ${pw.status}` };
    const totpPage = await client.request('GET', pw.location, jar, h);
    lap();
    const csrf2 = CSRF_FIELD.exec(totpPage.body)?.[1];
    if (totpPage.status !== 200 || !csrf2) return { ok: false, failure: `GET /auth/flows/:id ${totpPage.status}` };
    step = totpStep(Date.now());
    const code = totpCodeAt(user.totpSecret, step);
    const done = await client.request('POST', `${pw.location}/totp`, jar, h, { code, _csrf: csrf2 });
    lap();
    if (done.status !== 303 || done.location !== '/' || !jar.get('bp_session')) return { ok: false, failure: `POST /auth/flows/:id/totp ${done.status}` };
    return { ok: true, cookie: jar.header(), ms: performance.now() - t0, stepMs };
  } catch (err) {
    return { ok: false, failure: `network: ${(err as Error).message}` };
  } finally {
    markUsed(step === -1 ? totpStep(Date.now()) : step);
  }
}

/** Raw figures of one stretch of logins; mergeable (the bench interleaves stretches with the floor). */
export interface LoginSlice {
  latencies: number[];
  /** Per request of the login, in LOGIN_STEPS order. */
  steps: number[][];
  elapsedS: number;
  failures: Record<string, number>;
  /** Cookie headers of the sessions made (the page phases browse as these users). */
  cookies: string[];
}

export interface LoginRun {
  logins: number; loginsPerS: number; p50: number; p99: number; elapsedS: number;
  failures: Record<string, number>;
  /** Median of each request of the login, in LOGIN_STEPS order. */
  stepP50: number[];
}

/** Runs logins with `concurrency` in flight until `durationS` has passed, `count` started, or `stop.stopped` set. */
export async function runLogins(client: HttpClient, pool: UserPool, opts: { concurrency: number; durationS?: number; count?: number; stop?: { stopped: boolean } }): Promise<LoginSlice> {
  const slice: LoginSlice = { latencies: [], steps: LOGIN_STEPS.map(() => []), elapsedS: 0, failures: {}, cookies: [] };
  const t0 = performance.now();
  const until = opts.durationS !== undefined ? t0 + opts.durationS * 1000 : Infinity;
  let started = 0;
  const more = () => performance.now() < until && !opts.stop?.stopped && (opts.count === undefined || started < opts.count);
  await Promise.all(Array.from({ length: opts.concurrency }, async () => {
    while (more()) {
      started++;
      const r = await loginOnce(client, pool);
      if (r.ok) {
        slice.latencies.push(r.ms);
        r.stepMs.forEach((v, i) => slice.steps[i]!.push(v));
        slice.cookies.push(r.cookie);
      } else {
        slice.failures[r.failure] = (slice.failures[r.failure] ?? 0) + 1;
      }
    }
  }));
  slice.elapsedS = (performance.now() - t0) / 1000;
  return slice;
}

export function summarizeLogins(slices: LoginSlice[]): LoginRun {
  const sorted = (list: number[]) => list.sort((a, b) => a - b);
  const latencies = sorted(slices.flatMap((s) => s.latencies));
  const elapsedS = slices.reduce((sum, s) => sum + s.elapsedS, 0);
  const failures: Record<string, number> = {};
  for (const s of slices) for (const [k, v] of Object.entries(s.failures)) failures[k] = (failures[k] ?? 0) + v;
  return {
    logins: latencies.length, loginsPerS: latencies.length / elapsedS, elapsedS,
    p50: percentile(latencies, 50), p99: percentile(latencies, 99), failures,
    stepP50: LOGIN_STEPS.map((_, i) => percentile(sorted(slices.flatMap((s) => s.steps[i]!)), 50)),
  };
}
