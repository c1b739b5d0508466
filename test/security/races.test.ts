// Races (issue 10 §3): every single-use thing and every counter, 20 parallel requests over real
// HTTP. Exactly one success, or exactly the allowed number of attempts counted. PostgreSQL is the
// case that matters (SQLite serialises writers and hides such bugs); both run.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { testDialects } from '../helpers/db.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { Browser, formAction, type Res } from '../helpers/client.ts';
import { adminAtMailOtpStep, completeFirstLogin, givenUser, independentTotp, loginAndEnrolTotp, type GivenUser } from '../helpers/scenario.ts';
import { issueLink } from '../../src/auth/links/store.ts';
import { MAX_IDENTITY_FAILURES } from '../../src/auth/first-login/service.ts';
import { PASSWORD_POLICY } from '../../src/auth/throttle/db-throttle.ts';

const PW = 'Kx7#mPq2vLa9';
const N = 20;

/** The generic helper: prepare N contenders one by one, release them together, count outcomes. */
async function race<T>(prepare: (i: number) => Promise<T>, fire: (x: T, i: number) => Promise<Res>): Promise<Res[]> {
  const ready: T[] = [];
  for (let i = 0; i < N; i++) ready.push(await prepare(i));
  return Promise.all(ready.map((x, i) => fire(x, i)));
}
const count = (rs: Res[], status: number) => rs.filter((r) => r.status === status).length;

async function enrolled(app: TestApp): Promise<{ u: GivenUser; secret: string; backupCodes: string[] }> {
  const u = await givenUser(app.ctx);
  const b = new Browser(app.url);
  await completeFirstLogin(b, u, PW);
  const r = await loginAndEnrolTotp(b, u, PW, app.clock.now);
  app.clock.advance(60_000);
  return { u, secret: r.secret, backupCodes: r.backupCodes };
}

/** A browser that passed the password step and sits at the TOTP step; returns its step page. */
async function atTotpStep(app: TestApp, u: GivenUser): Promise<{ b: Browser; page: string }> {
  const b = new Browser(app.url);
  await b.get('/login');
  const r = await b.post('/login', { loginId: u.loginId, password: PW });
  return { b, page: (await b.follow(r)).body };
}

async function atIdentityStep(app: TestApp, setupUrl: string): Promise<{ b: Browser; flow: string }> {
  const b = new Browser(app.url);
  await b.follow(await b.get(setupUrl));
  return { b, flow: b.last!.body.match(/action="(\/auth\/flows\/[^/]+)\/identity"/)![1]! };
}

for (const dialect of testDialects()) {
  describe(`${dialect}: races`, () => {
    it('TOTP time step: one code from 20 flows at once gives one session', async (t) => {
      const app = await startTestApp(dialect, t);
      const { u, secret } = await enrolled(app);
      const rs = await race(() => atTotpStep(app, u), (x) => x.b.post(formAction(x.page, '/totp'), { code: independentTotp(secret, app.clock.now) }));
      assert.equal(count(rs, 303), 1);
    });

    it('backup code: one code from 20 flows at once is used once', async (t) => {
      const app = await startTestApp(dialect, t);
      const { u, backupCodes } = await enrolled(app);
      const rs = await race(() => atTotpStep(app, u), (x) => x.b.post(formAction(x.page, '/backup-code'), { backupCode: backupCodes[0]! }));
      assert.equal(count(rs, 303), 1);
      const used = await app.ctx.db.selectFrom('backup_code').select('id').where('user_id', '=', u.id).where('used_at', 'is not', null).execute();
      assert.equal(used.length, 1);
    });

    it('MailOTP code: the right code posted 20 times at once completes one login', async (t) => {
      const app = await startTestApp(dialect, t);
      const b = new Browser(app.url);
      const { action, code } = await adminAtMailOtpStep(app.ctx, b, PW);
      const rs = await race(async () => b, (x) => x.post(action, { code }));
      assert.equal(count(rs, 303), 1);
      assert.equal(rs.filter((r) => r.cookies.some((c) => c.startsWith('bp_session='))).length, 1, 'one session issued');
    });

    it('MailOTP resend: 20 resends at once after the cooldown mail exactly one new code; the rest are inside the new cooldown', async (t) => {
      const app = await startTestApp(dialect, t);
      const b = new Browser(app.url);
      const { admin, action } = await adminAtMailOtpStep(app.ctx, b, PW);
      const resend = `${action}/resend`;
      const mails = async () => (await app.ctx.db.selectFrom('mail_outbox').select('id')
        .where('to_addr', '=', admin.email).where('kind', '=', 'mail_otp').execute()).length;
      // Inside the first code's cooldown: none of 20 sends anything.
      let rs = await race(async () => b, (x) => x.post(resend, {}));
      assert.equal(count(rs, 429), N);
      assert.equal(await mails(), 1);
      app.clock.advance(61_000);
      rs = await race(async () => b, (x) => x.post(resend, {}));
      assert.equal(count(rs, 200), 1, rs.map((r) => r.status).join());
      assert.equal(count(rs, 429), N - 1);
      assert.equal(await mails(), 2, 'exactly one more mail');
      const codes = await app.ctx.db.selectFrom('mail_otp').select(['superseded_at']).where('user_id', '=', admin.id).execute();
      assert.equal(codes.length, 2, 'exactly one new code');
      assert.equal(codes.filter((c) => c.superseded_at === null).length, 1, 'one live code');
    });

    it('reset link: 20 browsers redeeming one link, one password set', async (t) => {
      const app = await startTestApp(dialect, t);
      const u = await givenUser(app.ctx);
      const { token } = await issueLink(app.ctx.db, u.id, 'reset', app.config.resetLinkMs, app.clock.now);
      const rs = await race(async () => {
        const b = new Browser(app.url);
        const page = await b.follow(await b.get(`/password/reset/${token}`));
        return { b, action: formAction(page.body, '/password') };
      }, (x, i) => x.b.post(x.action, { password: PW + i, confirm: PW + i }));
      assert.equal(count(rs, 303), 1);
    });

    it('starting-guide link: 20 browsers redeeming one link, one password set', async (t) => {
      const app = await startTestApp(dialect, t);
      const u = await givenUser(app.ctx);
      const rs = await race(async () => {
        const x = await atIdentityStep(app, u.setupUrl);
        await x.b.post(`${x.flow}/identity`, { email: u.email, name: u.name, phone: u.phone });
        await x.b.get(x.flow);
        return x;
      }, (x, i) => x.b.post(`${x.flow}/password`, { password: PW + i, confirm: PW + i }));
      assert.equal(count(rs, 303), 1);
    });

    it(`identity-verification attempts: 20 wrong answers at once, exactly ${MAX_IDENTITY_FAILURES} counted`, async (t) => {
      const app = await startTestApp(dialect, t);
      const u = await givenUser(app.ctx);
      const x = await atIdentityStep(app, u.setupUrl);
      const rs = await race(async () => x, (y) => y.b.post(`${y.flow}/identity`, { email: u.email, name: 'wrong', phone: u.phone }));
      assert.equal(count(rs, 422), MAX_IDENTITY_FAILURES);
      assert.equal(count(rs, 410), N - MAX_IDENTITY_FAILURES);
      const link = await app.ctx.db.selectFrom('link_token').select('identity_failures').where('user_id', '=', u.id).executeTakeFirstOrThrow();
      assert.equal(link.identity_failures, MAX_IDENTITY_FAILURES);
    });

    it(`password failures: 20 wrong passwords at once, exactly ${PASSWORD_POLICY.freeFailures} checked, the rest refused`, async (t) => {
      const app = await startTestApp(dialect, t);
      const u = await givenUser(app.ctx);
      await completeFirstLogin(new Browser(app.url), u, PW);
      const rs = await race(async () => {
        const b = new Browser(app.url);
        await b.get('/login');
        return b;
      }, (b) => b.post('/login', { loginId: u.loginId, password: 'Wrong#Pass1' }));
      assert.equal(count(rs, 401), PASSWORD_POLICY.freeFailures);
      assert.equal(count(rs, 429), N - PASSWORD_POLICY.freeFailures);
      const failed = await app.ctx.db.selectFrom('audit_log').select('id').where('subject_user_id', '=', u.id).where('event', '=', 'login.failed').execute();
      assert.equal(failed.length, PASSWORD_POLICY.freeFailures);
    });
  });
}
