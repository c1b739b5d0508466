// Sessions, cookies, headers and password storage (SECURITY.md items 3, 4, 28–30, 33), over HTTP.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { testDialects } from '../helpers/db.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { Browser, formAction, text } from '../helpers/client.ts';
import { completeFirstLogin, givenTerms, givenUser, independentTotp, lastMail, loginAndEnrolTotp } from '../helpers/scenario.ts';
import { sha256Hex } from '../../src/lib/index.ts';

const PW = 'Kx7#mPq2vLa9';

async function loggedIn(app: TestApp) {
  await givenTerms(app.ctx);
  const u = await givenUser(app.ctx);
  const b = new Browser(app.url);
  await completeFirstLogin(b, u, PW);
  const { secret } = await loginAndEnrolTotp(b, u, PW, app.clock.now);
  const terms = await b.get('/terms');
  await b.post('/terms', { versionId: terms.body.match(/name="versionId" value="([^"]+)"/)![1]!, accept: '1' });
  app.clock.advance(30_000);
  return { u, b, secret };
}

for (const dialect of testDialects()) {
  describe(`${dialect}: sessions and headers`, () => {
    it('session ids are 256-bit random, stored only as SHA-256', async (t) => {
      const app = await startTestApp(dialect, t);
      const { b, u } = await loggedIn(app);
      const token = b.jar.get('bp_session')!;
      assert.match(token, /^[A-Za-z0-9_-]{43}$/);
      const rows = await app.ctx.db.selectFrom('session').select('id').where('user_id', '=', u.id).execute();
      assert.ok(rows.some((r) => r.id === sha256Hex(token)));
      assert.ok(rows.every((r) => r.id !== token));
    });

    it('the idle timeout (30 min) and the absolute timeout (12 h) are enforced on the server', async (t) => {
      const app = await startTestApp(dialect, t);
      const { b, u, secret } = await loggedIn(app);
      app.clock.advance(29 * 60_000);
      assert.equal((await b.get('/')).status, 200, 'activity within the idle window keeps it');
      app.clock.advance(31 * 60_000);
      assert.equal((await b.get('/')).status, 303, 'idle too long');
      // A fresh session kept active still ends at 12 h.
      b.jar.delete('bp_session');
      await b.get('/login');
      const r = await b.follow(await b.post('/login', { loginId: u.loginId, password: PW }));
      await b.post(formAction(r.body, '/totp'), { code: independentTotp(secret, app.clock.now) });
      for (let h = 0; h < 12; h++) {
        app.clock.advance(25 * 60_000);
        await b.get('/');
        app.clock.advance(25 * 60_000);
        await b.get('/');
      }
      app.clock.advance(30 * 60_000);
      assert.equal((await b.get('/')).status, 303, 'absolute timeout');
    });

    it('cookies are HttpOnly, SameSite=Lax, Path=/ and carry no personal data; __Host- and Secure over HTTPS', async (t) => {
      const app = await startTestApp(dialect, t, { COOKIE_SECURE: 'true' });
      const b = new Browser(app.url);
      const r = await b.get('/login');
      assert.ok(r.cookies.length >= 1);
      // The flow cookie is issued with the response that opens a flow (item 39).
      const opened = await b.get((await givenUser(app.ctx)).setupUrl);
      assert.ok(opened.cookies.some((c) => c.startsWith('__Host-bp_flow=')));
      for (const c of [...r.cookies, ...opened.cookies]) {
        assert.match(c, /^__Host-bp_/);
        assert.match(c, /; Path=\//);
        assert.match(c, /; HttpOnly/);
        assert.match(c, /; Secure/);
        assert.match(c, /; SameSite=Lax/);
        assert.doesNotMatch(c, /@|%40/);
      }
    });

    it('security headers on every page; authentication pages are no-store and cannot be framed', async (t) => {
      const app = await startTestApp(dialect, t);
      const b = new Browser(app.url);
      for (const path of ['/login', '/password/reset', '/nope']) {
        const r = await b.get(path);
        const csp = r.headers.get('content-security-policy')!;
        for (const d of ["object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'", "default-src 'none'", "script-src 'self'"]) assert.ok(csp.includes(d), `${path}: ${d}`);
        assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
        assert.match(r.headers.get('strict-transport-security')!, /max-age=\d{7,}/);
        assert.equal(r.headers.get('x-content-type-options'), 'nosniff');
        assert.equal(r.headers.get('x-frame-options'), 'DENY');
        assert.equal(r.headers.get('referrer-policy'), 'no-referrer');
        assert.equal(r.headers.get('cache-control'), 'no-store');
      }
    });

    it('GET never changes state: a cross-site POST without the token and a GET to a POST route do nothing', async (t) => {
      const app = await startTestApp(dialect, t);
      const { b } = await loggedIn(app);
      const token = b.jar.get('bp_session')!;
      assert.equal((await b.get('/logout')).status, 404);
      const cross = await b.request('POST', '/logout', '', { 'content-type': 'application/x-www-form-urlencoded', 'sec-fetch-site': 'cross-site' });
      assert.equal(cross.status, 403);
      assert.equal(b.jar.get('bp_session'), token);
      assert.equal((await b.get('/')).status, 200);
      const out = await b.post('/logout', {});
      assert.equal(out.status, 303);
      assert.equal(out.headers.get('clear-site-data'), '"cache"', 'back button shows no private page after logout');
    });

    it('changing the password needs the current one, keeps this session, ends the others and notifies', async (t) => {
      const app = await startTestApp(dialect, t);
      const { b, u, secret } = await loggedIn(app);
      const other = new Browser(app.url);
      await other.get('/login');
      const r = await other.follow(await other.post('/login', { loginId: u.loginId, password: PW }));
      await other.post(formAction(r.body, '/totp'), { code: independentTotp(secret, app.clock.now) });
      assert.equal((await other.get('/')).status, 200);
      await b.get('/profile');
      const wrong = await b.post('/profile/password', { currentPassword: 'Nope#1234x', password: 'N3w#Passw0rdX', confirm: 'N3w#Passw0rdX' });
      assert.equal(wrong.status, 401);
      assert.match(wrong.body, /id="f-currentPassword-err"/);
      const ok = await b.post('/profile/password', { currentPassword: PW, password: 'N3w#Passw0rdX', confirm: 'N3w#Passw0rdX' });
      assert.equal(ok.status, 200);
      assert.match(text(ok.body), /パスワードを変更しました/);
      assert.equal((await b.get('/')).status, 200, 'this session stays');
      assert.equal((await other.get('/')).status, 303, 'other sessions end');
      assert.ok(await lastMail(app.ctx, u.email, 'password_changed'));
    });

    it('password hashes are argon2id and upgraded at login when the parameters change', async (t) => {
      const app = await startTestApp(dialect, t);
      const u = await givenUser(app.ctx);
      await completeFirstLogin(new Browser(app.url), u, PW);
      const before = await app.ctx.db.selectFrom('app_user').select('password_hash').where('id', '=', u.id).executeTakeFirstOrThrow();
      assert.match(before.password_hash!, /^\$argon2id\$v=19\$m=1024,t=1,p=1\$/);
      app.config.argon2.timeCost = 2;
      const b = new Browser(app.url);
      await b.get('/login');
      await b.post('/login', { loginId: u.loginId, password: PW });
      const after = await app.ctx.db.selectFrom('app_user').select('password_hash').where('id', '=', u.id).executeTakeFirstOrThrow();
      assert.match(after.password_hash!, /^\$argon2id\$v=19\$m=1024,t=2,p=1\$/);
    });
  });
}
