// Issue 9 §3: Prometheus metrics at /metrics. Counters move with what users do (logins by result,
// 2-step results by method, lockouts), gauges read the outbox on scrape, latency is by route pattern
// so no token becomes a label, every app has its own registry, and the endpoint is protected.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { Browser, formAction } from '../helpers/client.ts';
import { completeFirstLogin, givenUser, independentTotp, loginAndEnrolTotp } from '../helpers/scenario.ts';
import { PASSWORD_POLICY } from '../../src/auth/throttle/db-throttle.ts';

const PW = 'Kx7#mPq2vLa9';
const STEP = 30_000;

async function scrape(app: TestApp, headers: Record<string, string> = {}): Promise<{ status: number; body: string; type: string | null }> {
  const res = await fetch(`${app.url}/metrics`, { headers });
  return { status: res.status, body: await res.text(), type: res.headers.get('content-type') };
}

/** The value of one sample, e.g. value(body, 'bizportal_logins_total', { result: 'failed' }); 0 if absent. */
function value(body: string, name: string, labels: Record<string, string> = {}): number {
  for (const line of body.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    const m = /^[^{ ]+(?:\{([^}]*)\})? (\S+)$/.exec(line);
    if (!m) continue;
    const have = Object.fromEntries([...(m[1] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((x) => [x[1], x[2]]));
    if (Object.entries(labels).every(([k, v]) => have[k] === v)) return Number(m[2]);
  }
  return 0;
}

describe('/metrics', () => {
  it('counts logins by result, 2-step results by method, lockouts, the outbox and latency by route pattern', async (t) => {
    const app = await startTestApp('sqlite', t);
    const other = await startTestApp('sqlite', t);   // its own registry: nothing of `app` shows there
    const u = await givenUser(app.ctx);              // queues the starting guide mail
    const b = new Browser(app.url);
    await completeFirstLogin(b, u, PW);
    const { secret } = await loginAndEnrolTotp(b, u, PW, app.clock.now);
    app.clock.advance(2 * STEP);

    const b2 = new Browser(app.url);
    await b2.get('/login');
    assert.equal((await b2.post('/login', { loginId: u.loginId, password: 'Wrong#Pass1' })).status, 401);
    const page = await b2.follow(await b2.post('/login', { loginId: u.loginId, password: PW }));
    const action = formAction(page.body, '/totp');
    assert.equal((await b2.post(action, { code: independentTotp(secret, app.clock.now, 5) })).status, 400);
    assert.equal((await b2.post(action, { code: independentTotp(secret, app.clock.now) })).status, 303);

    // Locking an unknown login ID: freeFailures attempts, then refusals counted as lockouts.
    for (let i = 0; i < PASSWORD_POLICY.freeFailures + 2; i++) await b2.post('/login', { loginId: 'nobody@example.com', password: 'Wrong#Pass1' }, { csrf: b2.csrfFor() });

    const m = await scrape(app);
    assert.equal(m.status, 200);
    assert.match(m.type ?? '', /^text\/plain; version=0\.0\.4/);
    const v = (name: string, labels?: Record<string, string>) => value(m.body, name, labels);
    assert.equal(v('bizportal_logins_total', { result: 'password_ok' }), 2);
    assert.equal(v('bizportal_logins_total', { result: 'failed' }), 1 + PASSWORD_POLICY.freeFailures);
    assert.equal(v('bizportal_logins_total', { result: 'locked' }), 2);
    assert.equal(v('bizportal_logins_total', { result: 'succeeded' }), 2);
    assert.equal(v('bizportal_second_factor_total', { method: 'totp', result: 'ok' }), 2);
    assert.equal(v('bizportal_second_factor_total', { method: 'totp', result: 'failed' }), 1);
    assert.equal(v('bizportal_lockouts_total', { scope: 'password' }), 2);
    assert.equal(v('bizportal_mail_queue_depth', { state: 'queued' }), 1, 'the starting guide mail (no SMTP in this test)');
    assert.ok(v('bizportal_mail_queue_oldest_age_seconds') >= 0);
    assert.match(m.body, /^bizportal_mail_queue_oldest_age_seconds \d/m);
    assert.match(m.body, /^bizportal_hash_pool_running 0$/m);
    assert.match(m.body, /^process_resident_memory_bytes \d/m, 'process metrics too');

    // Latency by route pattern: the link's token is never a label value.
    const token = new URL(u.setupUrl).pathname.split('/').pop()!;
    assert.ok(v('bizportal_http_request_duration_seconds_count', { method: 'GET', route: '/setup/:token', status: '3xx' }) >= 1);
    assert.ok(v('bizportal_http_request_duration_seconds_count', { method: 'POST', route: '/auth/flows/:id/totp', status: '4xx' }) >= 1);
    await fetch(`${app.url}/no/such/page/${token}`);
    const again = await scrape(app);
    assert.ok(value(again.body, 'bizportal_http_request_duration_seconds_count', { route: '(unmatched)', status: '4xx' }) >= 1);
    assert.ok(!again.body.includes(token), 'no token in any label');
    assert.ok(!/route="\/auth\/flows\/[A-Za-z0-9_-]{10,}/.test(again.body), 'no flow id in any label');

    const o = await scrape(other);
    assert.equal(value(o.body, 'bizportal_logins_total', { result: 'password_ok' }), 0);
  });

  it('protected: with METRICS_TOKEN only for that bearer token; without one, not served in production', async (t) => {
    const token = 'mt-0123456789abcdef0123456789';
    const app = await startTestApp('sqlite', t, { METRICS_TOKEN: token });
    assert.equal((await scrape(app)).status, 401);
    assert.equal((await scrape(app, { authorization: 'Bearer mt-0123456789abcdef0123456780' })).status, 401);
    assert.equal((await scrape(app, { authorization: `Basic ${token}` })).status, 401);
    const ok = await scrape(app, { authorization: `Bearer ${token}` });
    assert.equal(ok.status, 200);
    assert.match(ok.body, /bizportal_logins_total/);

    const prod = await startTestApp('sqlite', t, { NODE_ENV: 'production', PUBLIC_URL: 'https://portal.example.com', LOG_LEVEL: 'silent' });
    const res = await prod.app.inject({ method: 'GET', url: '/metrics' });
    assert.equal(res.statusCode, 404);
    const prodWithToken = await startTestApp('sqlite', t, { NODE_ENV: 'production', PUBLIC_URL: 'https://portal.example.com', LOG_LEVEL: 'silent', METRICS_TOKEN: token });
    assert.equal((await prodWithToken.app.inject({ method: 'GET', url: '/metrics', headers: { authorization: `Bearer ${token}` } })).statusCode, 200);
  });
});
