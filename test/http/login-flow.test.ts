// The login is a flow from GET /login (issue 13 item 1): the page opens the flow with its own cookie,
// its form posts the flow's credentials step, and the flow carries where to return to (validated),
// the assurance asked for and prompt=login.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { testDialects } from '../helpers/db.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { Browser, formAction } from '../helpers/client.ts';
import { completeFirstLogin, givenUser, independentTotp, loginAndEnrolTotp, type GivenUser } from '../helpers/scenario.ts';

const PW = 'Kx7#mPq2vLa9';

/** An enrolled user; the clock moved past the enrolment's TOTP step. */
async function enrolled(app: TestApp): Promise<{ u: GivenUser; secret: string; b: Browser }> {
  const u = await givenUser(app.ctx);
  const b = new Browser(app.url);
  await completeFirstLogin(b, u, PW);
  const { secret } = await loginAndEnrolTotp(b, u, PW, app.clock.now);
  app.clock.advance(60_000);
  return { u, secret, b };
}

/** GET /login?… → credentials → TOTP: the answer of the last step. */
async function loginWith(app: TestApp, u: GivenUser, secret: string, query: string, b = new Browser(app.url)) {
  const page = await b.get(`/login${query}`);
  assert.equal(page.status, 200);
  const action = formAction(page.body, '/credentials');
  assert.match(action, /^\/auth\/flows\/[^/]+\/credentials$/);
  const totpPage = await b.follow(await b.post(action, { loginId: u.loginId, password: PW }));
  const r = await b.post(formAction(totpPage.body, '/totp'), { code: independentTotp(secret, app.clock.now) });
  app.clock.advance(30_000);
  return r;
}

for (const dialect of testDialects()) {
  describe(`${dialect}: login flow from GET /login`, () => {
    it('GET /login opens a flow row with its own cookie; ?return_to=/contracts ends at /contracts after the 2-step, a foreign one at /', async (t) => {
      const app = await startTestApp(dialect, t);
      const { u, secret } = await enrolled(app);
      const b = new Browser(app.url);
      const before = (await app.ctx.db.selectFrom('flow').select('id').where('kind', '=', 'login').execute()).length;
      const page = await b.get('/login');
      assert.match(page.headers.get('set-cookie') ?? '', /bp_flow=/, 'the page that opened the flow set its cookie');
      assert.equal((await app.ctx.db.selectFrom('flow').select('id').where('kind', '=', 'login').execute()).length, before + 1, 'a flow row from the first request');
      const ok = await loginWith(app, u, secret, '?return_to=%2Fcontracts');
      assert.equal(ok.status, 303);
      assert.equal(ok.location, '/contracts');
      for (const bad of ['//evil.example/x', 'https://evil.example/', '/\\evil.example', 'javascript:alert(1)']) {
        const r = await loginWith(app, u, secret, `?return_to=${encodeURIComponent(bad)}`);
        assert.equal(r.location, '/', bad);
      }
    });

    it('signed in: /login goes to the return target; prompt=login shows the form again', async (t) => {
      const app = await startTestApp(dialect, t);
      const { b } = await enrolled(app);
      const again = await b.get('/login?return_to=%2Fcontracts');
      assert.equal(again.status, 303);
      assert.equal(again.location, '/contracts');
      const refresh = await b.get('/login?prompt=login');
      assert.equal(refresh.status, 200);
      assert.ok(formAction(refresh.body, '/credentials'));
    });

    it('the old POST /login still works (a flow is opened on the spot); an anonymous flow\'s cookie does not carry the login on', async (t) => {
      const app = await startTestApp(dialect, t);
      const { u } = await enrolled(app);
      const b = new Browser(app.url);
      const page = await b.get('/login');
      const anonymousCookie = b.jar.get('bp_flow')!;
      const r = await b.post(formAction(page.body, '/credentials'), { loginId: u.loginId, password: PW });
      assert.equal(r.status, 303);
      assert.notEqual(b.jar.get('bp_flow'), anonymousCookie, 'a new cookie once the flow has its user');
      const thief = new Browser(app.url);
      thief.jar.set('bp_flow', anonymousCookie);
      assert.equal((await thief.get(r.location!)).status, 410);
      const legacy = new Browser(app.url);
      await legacy.get('/login');
      const old = await legacy.post('/login', { loginId: u.loginId, password: PW });
      assert.equal(old.status, 303);
      assert.match(old.location!, /^\/auth\/flows\/[^/]+$/);
      assert.equal((await legacy.get(old.location!)).status, 200);
    });
    it('a page that needs a session sends a GET to the login with return_to, and the login ends on that page', async (t) => {
      const app = await startTestApp(dialect, t);
      const { u, secret } = await enrolled(app);
      const b = new Browser(app.url);
      const wanted = '/portal/contracts?q=' + encodeURIComponent('東京　営業');
      const r = await b.get(wanted);
      assert.equal(r.status, 303);
      assert.equal(r.location, `/login?return_to=${encodeURIComponent(wanted)}`);
      const done = await loginWith(app, u, secret, r.location!.slice('/login'.length), b);
      assert.equal(done.status, 303);
      assert.equal(done.location, wanted);
      assert.equal((await new Browser(app.url).get('/')).location, '/login', 'the home page needs no return_to');
    });
  });
}
