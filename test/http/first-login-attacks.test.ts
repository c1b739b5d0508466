// Attacks on the first login (issue 2 tests; SECURITY.md items 6–8, 10, 24, 28, 32), each opening
// with the attack, on SQLite and PostgreSQL.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { testDialects } from '../helpers/db.ts';
import { startTestApp } from '../helpers/app.ts';
import { Browser, text } from '../helpers/client.ts';
import { completeFirstLogin, givenTerms, givenUser, loginAndEnrolTotp } from '../helpers/scenario.ts';
import { MAX_IDENTITY_FAILURES } from '../../src/auth/first-login/service.ts';

const PW = 'Kx7#mPq2vLa9';

async function openIdentityStep(b: Browser, setupUrl: string): Promise<string> {
  await b.follow(await b.get(setupUrl));
  return b.last!.body.match(/action="(\/auth\/flows\/[^/]+)\/identity"/)![1]!;
}

for (const dialect of testDialects()) {
  describe(`${dialect}: first-login attacks`, () => {
    it('a used link is refused and points to the reset page', async (t) => {
      const app = await startTestApp(dialect, t);
      const u = await givenUser(app.ctx);
      await completeFirstLogin(new Browser(app.url), u, PW);
      const again = await new Browser(app.url).get(u.setupUrl);
      assert.equal(again.status, 410);
      assert.match(text(again.body), /パスワード再設定はこちら/);
    });

    it('an expired link is refused; the expiry is the configured 72 h', async (t) => {
      const app = await startTestApp(dialect, t);
      const u = await givenUser(app.ctx);
      app.clock.advance(72 * 3_600_000 + 1);
      const r = await new Browser(app.url).get(u.setupUrl);
      assert.equal(r.status, 410);
    });

    it('a flow opened just before expiry cannot outlive the link', async (t) => {
      const app = await startTestApp(dialect, t);
      const u = await givenUser(app.ctx);
      app.clock.advance(72 * 3_600_000 - 60_000);
      const b = new Browser(app.url);
      const flow = await openIdentityStep(b, u.setupUrl);
      app.clock.advance(120_000);
      const r = await b.post(`${flow}/identity`, { email: u.email, name: u.name, phone: u.phone });
      assert.equal(r.status, 410);
    });

    it('posting the password form before identity verification is refused (no step skipping)', async (t) => {
      const app = await startTestApp(dialect, t);
      const u = await givenUser(app.ctx);
      const b = new Browser(app.url);
      const flow = await openIdentityStep(b, u.setupUrl);
      const r = await b.post(`${flow}/password`, { password: PW, confirm: PW });
      assert.equal(r.status, 409);
      const row = await app.ctx.db.selectFrom('app_user').select('password_hash').where('id', '=', u.id).executeTakeFirstOrThrow();
      assert.equal(row.password_hash, null, 'no password was set');
    });

    it("another browser cannot continue a flow whose id it learnt", async (t) => {
      const app = await startTestApp(dialect, t);
      const u = await givenUser(app.ctx);
      const flow = await openIdentityStep(new Browser(app.url), u.setupUrl);
      const thief = new Browser(app.url);
      await thief.get('/login');
      const r = await thief.post(`${flow}/identity`, { email: u.email, name: u.name, phone: u.phone });
      assert.equal(r.status, 410);
    });

    it('a wrong or missing CSRF token is refused with 403 and changes nothing', async (t) => {
      const app = await startTestApp(dialect, t);
      const u = await givenUser(app.ctx);
      const b = new Browser(app.url);
      const flow = await openIdentityStep(b, u.setupUrl);
      const good = b.csrf();
      const wrong = await b.post(`${flow}/identity`, { email: u.email, name: u.name, phone: u.phone }, { csrf: 'a'.repeat(64) });
      assert.equal(wrong.status, 403);
      const missing = await b.post(`${flow}/identity`, { email: u.email, name: u.name, phone: u.phone }, { csrf: null });
      assert.equal(missing.status, 403);
      const crossSite = await b.post(`${flow}/identity`, { email: u.email, name: u.name, phone: u.phone }, { csrf: good, headers: { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' } });
      assert.equal(crossSite.status, 403);
      const nullOriginElsewhere = await b.post(`${flow}/identity`, { email: u.email, name: u.name, phone: u.phone }, { csrf: good, headers: { origin: 'null', 'sec-fetch-site': 'cross-site' } });
      assert.equal(nullOriginElsewhere.status, 403, 'Origin: null is only believed with Sec-Fetch-Site: same-origin');
      const otherOrigin = await b.post(`${flow}/identity`, { email: u.email, name: u.name, phone: u.phone }, { csrf: good, headers: { origin: 'https://evil.example', 'sec-fetch-site': '' } });
      assert.equal(otherOrigin.status, 403);
      const state = await app.ctx.db.selectFrom('flow').select('state').where('id', '=', flow.split('/').pop()!).executeTakeFirstOrThrow();
      assert.equal(state.state, 'awaiting_identity');
    });

    it('identity: full-width vs half-width space differ, hyphens in the phone are accepted', async (t) => {
      const app = await startTestApp(dialect, t);
      const u = await givenUser(app.ctx, { name: '山田 太郎', phone: '0312345678' });
      const b = new Browser(app.url);
      const flow = await openIdentityStep(b, u.setupUrl);
      const wrongSpace = await b.post(`${flow}/identity`, { email: u.email, name: '山田　太郎', phone: u.phone });
      assert.equal(wrongSpace.status, 422);
      assert.match(text(wrongSpace.body), /登録されている情報と一致しません/);
      assert.match(wrongSpace.body, /value="山田　太郎"/, 'the typed values are kept');
      const ok = await b.post(`${flow}/identity`, { email: u.email, name: '山田 太郎', phone: '03-1234-5678' });
      assert.equal(ok.status, 303);
    });

    it(`identity: ${MAX_IDENTITY_FAILURES} wrong answers lock the link, also for the right answer afterwards`, async (t) => {
      const app = await startTestApp(dialect, t);
      const u = await givenUser(app.ctx);
      const b = new Browser(app.url);
      const flow = await openIdentityStep(b, u.setupUrl);
      for (let i = 0; i < MAX_IDENTITY_FAILURES; i++) {
        const r = await b.post(`${flow}/identity`, { email: u.email, name: 'wrong', phone: u.phone });
        assert.equal(r.status, 422);
      }
      const locked = await b.post(`${flow}/identity`, { email: u.email, name: u.name, phone: u.phone });
      assert.equal(locked.status, 410);
      assert.match(text(locked.body), /ロックされました/);
      const events = await app.ctx.db.selectFrom('audit_log').select('event').where('subject_user_id', '=', u.id).where('event', '=', 'identity.failed').execute();
      assert.equal(events.length, MAX_IDENTITY_FAILURES);
    });

    it('password: every unmet rule is listed, and a mismatch is shown next to the confirm field', async (t) => {
      const app = await startTestApp(dialect, t);
      const u = await givenUser(app.ctx);
      const b = new Browser(app.url);
      const flow = await openIdentityStep(b, u.setupUrl);
      await b.post(`${flow}/identity`, { email: u.email, name: u.name, phone: u.phone });
      await b.get(`${flow}`);
      const weak = await b.post(`${flow}/password`, { password: 'abc', confirm: 'abc' });
      assert.equal(weak.status, 422);
      const page = text(weak.body);
      for (const rule of ['8文字以上', '数字を1文字以上含む', '英大文字を1文字以上含む']) assert.ok(page.includes(rule), rule);
      assert.match(weak.body, /aria-invalid="true"/);
      const mismatch = await b.post(`${flow}/password`, { password: PW, confirm: PW + 'x' });
      assert.equal(mismatch.status, 422);
      assert.match(mismatch.body, /id="f-confirm-err"/);
      const ok = await b.post(`${flow}/password`, { password: PW, confirm: PW });
      assert.equal(ok.status, 303);
    });

    it('two browsers racing with one link: exactly one sets the password', async (t) => {
      const app = await startTestApp(dialect, t);
      const u = await givenUser(app.ctx);
      const browsers = [new Browser(app.url), new Browser(app.url), new Browser(app.url), new Browser(app.url)];
      const flows: string[] = [];
      for (const b of browsers) {
        const f = await openIdentityStep(b, u.setupUrl);
        await b.post(`${f}/identity`, { email: u.email, name: u.name, phone: u.phone });
        await b.get(f);
        flows.push(f);
      }
      const results = await Promise.all(browsers.map((b, i) => b.post(`${flows[i]}/password`, { password: PW + i, confirm: PW + i })));
      assert.equal(results.filter((r) => r.status === 303).length, 1);
      assert.equal(results.filter((r) => r.status === 410).length, 3);
    });

    it('login: a wrong password and an unknown login ID get the same answer', async (t) => {
      const app = await startTestApp(dialect, t);
      const u = await givenUser(app.ctx);
      await completeFirstLogin(new Browser(app.url), u, PW);
      const b = new Browser(app.url);
      await b.get('/login');
      const wrong = await b.post('/login', { loginId: u.loginId, password: PW + 'x' });
      const unknown = await b.post('/login', { loginId: 'nobody@example.co.jp', password: PW + 'x' });
      assert.equal(wrong.status, 401);
      assert.equal(unknown.status, wrong.status);
      const strip = (s: string) => text(s).replace(/value="[^"]*"/g, '').replace(u.loginId, '').replace('nobody@example.co.jp', '');
      assert.equal(strip(unknown.body), strip(wrong.body));
    });

    it('session fixation: the session id changes at login and a planted cookie never authenticates', async (t) => {
      const app = await startTestApp(dialect, t);
      await givenTerms(app.ctx);
      const u = await givenUser(app.ctx);
      const b = new Browser(app.url);
      await completeFirstLogin(b, u, PW);
      const planted = 'A'.repeat(43);
      b.jar.set('bp_session', planted);
      await loginAndEnrolTotp(b, u, PW, app.clock.now);
      const issued = b.jar.get('bp_session');
      assert.ok(issued && issued !== planted);
      const attacker = new Browser(app.url);
      attacker.jar.set('bp_session', planted);
      const r = await attacker.get('/');
      assert.equal(r.status, 303);
      assert.equal(r.location, '/login');
    });

    it('terms come before anything else; logout ends the session on the server', async (t) => {
      const app = await startTestApp(dialect, t);
      await givenTerms(app.ctx);
      const u = await givenUser(app.ctx);
      const b = new Browser(app.url);
      await completeFirstLogin(b, u, PW);
      await loginAndEnrolTotp(b, u, PW, app.clock.now);
      const home = await b.get('/');
      assert.equal(home.status, 303);
      assert.equal(home.location, '/terms');
      const terms = await b.get('/terms');
      const versionId = terms.body.match(/name="versionId" value="([^"]+)"/)![1]!;
      const unticked = await b.post('/terms', { versionId });
      assert.equal(unticked.status, 422);
      await b.post('/terms', { versionId, accept: '1' });
      assert.equal((await b.get('/')).status, 200);
      const token = b.jar.get('bp_session')!;
      await b.post('/logout', {});
      const replay = new Browser(app.url);
      replay.jar.set('bp_session', token);
      assert.equal((await replay.get('/')).status, 303);
    });

    it('bad input on every first-login form is a clear 4xx, never a 500', async (t) => {
      const app = await startTestApp(dialect, t);
      const u = await givenUser(app.ctx);
      const b = new Browser(app.url);
      const flow = await openIdentityStep(b, u.setupUrl);
      const csrf = b.csrf();
      const cases: [string, string][] = [
        [`${flow}/identity`, `_csrf=${csrf}&email=${'x'.repeat(5000)}`],
        [`${flow}/identity`, `_csrf=${csrf}&email=a&email=b`],
        [`${flow}/password`, `_csrf=${csrf}`],
        ['/login', `_csrf=${csrf}&loginId=%00%FF&password=`],
        ['/login', `_csrf=${csrf}`],
        ['/auth/flows/' + 'x'.repeat(300) + '/identity', `_csrf=${csrf}`],
      ];
      for (const [path, body] of cases) {
        const r = await b.request('POST', path, body, { 'content-type': 'application/x-www-form-urlencoded' });
        assert.ok(r.status >= 400 && r.status < 500, `${path} ${body.slice(0, 40)} → ${r.status}`);
        assert.doesNotMatch(r.body, /at .*\.ts:\d+|SELECT|sqlite|postgres/i);
      }
      const json = await b.request('POST', '/login', '{"loginId":', { 'content-type': 'application/json', 'x-csrf-token': csrf });
      assert.equal(json.status, 400);
      assert.equal((await b.get('/setup/' + 'x'.repeat(500))).status < 500, true);
    });
  });
}
