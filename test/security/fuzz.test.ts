// Bad input on every route, generated (issue 10 §2). Properties: never a 5xx, never a stack trace
// or SQL text in a response, and no security-relevant row changes. A bounded run is part of
// `npm test`; `npm run fuzz -- --minutes N` runs longer (FUZZ_MINUTES).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { testDialects } from '../helpers/db.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { Browser, formAction } from '../helpers/client.ts';
import { completeFirstLogin, givenTerms, givenUser, independentTotp } from '../helpers/scenario.ts';
import { LEAK, requestFor, type FuzzRequest } from './fuzz-lib.ts';

const PW = 'Kx7#mPq2vLa9';
const RUNS = Number(process.env.FUZZ_RUNS || 12);
const MINUTES = Number(process.env.FUZZ_MINUTES || 0);
/** Routes whose valid use ends the fuzzing session; they are fuzzed from an anonymous browser. */
const ENDS_SESSION = new Set(['POST /logout', 'POST /profile/sessions/revoke-all']);

/** A portal admin with a full 2-step session who accepted the terms: the deepest reach. */
async function adminBrowser(app: TestApp): Promise<Browser> {
  await givenTerms(app.ctx);
  const u = await givenUser(app.ctx, { role: 'admin' });
  const b = new Browser(app.url);
  await completeFirstLogin(b, u, PW);
  await b.get('/login');
  const choice = await b.follow(await b.post('/login', { loginId: u.loginId, password: PW }));
  const setup = await b.follow(await b.post(formAction(choice.body, '/method'), { method: 'totp' }));
  const secret = new URL(setup.body.match(/href="(otpauth:[^"]+)"/)![1]!.replace(/&amp;/g, '&')).searchParams.get('secret')!;
  const codes = await b.follow(await b.post(formAction(setup.body, '/totp-setup'), { code: independentTotp(secret, app.clock.now) }));
  await b.post(formAction(codes.body, '/backup-codes'), {});
  const terms = await b.get('/terms');
  await b.post('/terms', { versionId: terms.body.match(/name="versionId" value="([^"]+)"/)![1]!, accept: '1' });
  assert.equal((await b.get('/admin/users')).status, 200);
  return b;
}

/** What must not change through invalid requests: accounts, credentials, links, codes, grants. */
async function snapshot(app: TestApp): Promise<Record<string, string>> {
  const db = app.ctx.db;
  const parts = await Promise.all([
    db.selectFrom('app_user').select(['id', 'login_id', 'email', 'name', 'phone', 'role', 'password_hash', 'second_factor', 'disabled_at', 'organisation_id']).orderBy('id').execute(),
    db.selectFrom('factor').select(['id', 'user_id', 'kind', 'secret_enc']).orderBy('id').execute(),
    db.selectFrom('link_token').select(['id', 'used_at']).orderBy('id').execute(),
    db.selectFrom('backup_code').select(['id', 'used_at']).orderBy('id').execute(),
    db.selectFrom('trusted_network').select(['id', 'cidr']).orderBy('id').execute(),
    db.selectFrom('terms_acceptance').select(['user_id', 'terms_version_id']).orderBy('user_id').execute(),
    // Not user groups: any non-empty name is a valid group, so a generated request may rightly create one.
  ]);
  const names = ['app_user', 'factor', 'link_token', 'backup_code', 'trusted_network', 'terms_acceptance'];
  return Object.fromEntries(parts.map((p, i) => [names[i]!, createHash('sha256').update(JSON.stringify(p)).digest('hex')]));
}

async function send(app: TestApp, b: Browser, r: FuzzRequest): Promise<{ status: number; body: string }> {
  try {
    const res = await fetch(new URL(r.path, app.url), {
      method: r.method, redirect: 'manual',
      headers: { cookie: [...b.jar].map(([k, v]) => `${k}=${v}`).join('; '), ...r.headers },
      ...(r.body !== undefined ? { body: typeof r.body === 'string' ? r.body : new Uint8Array(r.body) } : {}),
    });
    return { status: res.status, body: await res.text() };
  } catch (err) {
    // A URL the client itself refuses to send is not a server answer.
    if (err instanceof TypeError && /Invalid URL|headers/i.test(String(err.message))) return { status: 400, body: '' };
    throw err;
  }
}

for (const dialect of testDialects()) {
  describe(`${dialect}: fuzzing every route`, () => {
    it('no 5xx, no leaked internals, no changed security rows', { timeout: Math.max(600_000, MINUTES * 90_000) }, async (t) => {
      const app = await startTestApp(dialect, t);
      const admin = await adminBrowser(app);
      const anon = new Browser(app.url);
      await anon.get('/login');
      const before = await snapshot(app);
      const routes = app.routes.filter((r) => !r.url.startsWith('/static/') && r.url !== '/metrics');
      assert.ok(routes.length >= 20, `routes found: ${routes.length}`);
      const deadline = Date.now() + MINUTES * 60_000;
      do {
        for (const route of routes) {
          const key = `${route.method} ${route.url}`;
          for (const b of ENDS_SESSION.has(key) ? [anon] : [admin, anon]) {
            const csrf = b === admin ? admin.csrfFor() : anon.csrfFor();
            await fc.assert(fc.asyncProperty(requestFor(route, csrf), async (req) => {
              const res = await send(app, b, req);
              assert.ok(res.status < 500, `${key} → ${res.status} for ${req.method} ${req.path.slice(0, 80)} ${String(req.body ?? '').slice(0, 120)}`);
              assert.doesNotMatch(res.body, LEAK, `${key} leaked internals`);
            }), { numRuns: dialect === 'sqlite' ? RUNS : Math.ceil(RUNS / 2) });
          }
        }
      } while (Date.now() < deadline);
      assert.deepEqual(await snapshot(app), before, 'no account, credential, link or grant changed');
      assert.equal((await admin.get('/admin/users')).status, 200, 'the admin session survived the fuzzing');
    });
  });
}
