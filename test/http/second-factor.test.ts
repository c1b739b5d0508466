// 2-step verification over real HTTP (issue 3; SECURITY.md items 9–22), on SQLite and PostgreSQL.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { testDialects } from '../helpers/db.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { Browser, formAction, text } from '../helpers/client.ts';
import {
  completeFirstLogin, givenTerms, givenUser, independentTotp, lastMail, loginAndEnrolTotp, mailOtpIn, type GivenUser,
} from '../helpers/scenario.ts';

const PW = 'Kx7#mPq2vLa9';
const STEP = 30_000;

/** A user who finished first login, TOTP enrolment and terms; the clock moved past the enrolment step. */
async function enrolledUser(app: TestApp, o: Parameters<typeof givenUser>[1] = {}) {
  const u = await givenUser(app.ctx, o);
  const b = new Browser(app.url);
  await completeFirstLogin(b, u, PW);
  if (o.role === 'admin') {
    await b.get('/login');
    const r = await b.follow(await b.post('/login', { loginId: u.loginId, password: PW }));
    await b.post(formAction(r.body, '/method'), { method: 'totp' });
  }
  const enrolled = o.role === 'admin' ? await enrolFromCurrentPage(b, app) : await loginAndEnrolTotp(b, u, PW, app.clock.now);
  app.clock.advance(STEP);
  return { u, b, ...enrolled };
}

async function enrolFromCurrentPage(b: Browser, app: TestApp) {
  const page = await b.follow(b.last!);
  const secret = new URL(page.body.match(/href="(otpauth:[^"]+)"/)![1]!.replace(/&amp;/g, '&')).searchParams.get('secret')!;
  const flow = formAction(page.body, '/totp-setup').replace('/totp-setup', '');
  const r = await b.post(`${flow}/totp-setup`, { code: independentTotp(secret, app.clock.now) });
  const codesPage = await b.follow(r);
  const backupCodes = [...codesPage.body.matchAll(/<li><code>([0-9A-Z-]{19})<\/code><\/li>/g)].map((m) => m[1]!);
  const res = await b.follow(await b.post(`${flow}/backup-codes`, {}));
  return { secret, backupCodes, res };
}

async function passwordStep(app: TestApp, u: GivenUser, b = new Browser(app.url)) {
  await b.get('/login');
  const r = await b.post('/login', { loginId: u.loginId, password: PW });
  return { b, r, flow: r.location ?? '' };
}

for (const dialect of testDialects()) {
  describe(`${dialect}: 2-step verification`, () => {
    it('TOTP enrolment: the otpauth URI has the issuer/account format and an independently computed code enrols', async (t) => {
      const app = await startTestApp(dialect, t);
      const u = await givenUser(app.ctx);
      const b = new Browser(app.url);
      await completeFirstLogin(b, u, PW);
      const { r } = await passwordStep(app, u, b);
      const page = await b.follow(r);
      const uri = page.body.match(/href="(otpauth:[^"]+)"/)![1]!.replace(/&amp;/g, '&');
      assert.match(uri, new RegExp(`^otpauth://totp/${encodeURIComponent('ビジネスポータル')}:${encodeURIComponent(u.loginId)}\\?secret=[A-Z2-7]{32}&issuer=${encodeURIComponent('ビジネスポータル')}&algorithm=SHA1&digits=6&period=30$`));
      assert.match(page.body, /<svg[^>]*>/, 'QR code as inline SVG');
      const secret = new URL(uri).searchParams.get('secret')!;
      const flow = formAction(page.body, '/totp-setup');
      const wrong = await b.post(flow, { code: independentTotp(secret, app.clock.now, 3) });
      assert.equal(wrong.status, 400);
      const ok = await b.post(flow, { code: independentTotp(secret, app.clock.now) });
      assert.equal(ok.status, 303);
      const codes = await b.follow(ok);
      assert.equal(codes.headers.get('cache-control'), 'no-store');
      assert.equal([...codes.body.matchAll(/<li><code>[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}<\/code><\/li>/g)].length, 10);
      assert.equal(b.jar.get('bp_session'), undefined, 'no session before the codes are acknowledged');
      const stored = await app.ctx.db.selectFrom('factor').select(['secret_enc']).where('user_id', '=', u.id).where('kind', '=', 'totp').executeTakeFirstOrThrow();
      assert.ok(stored.secret_enc && !stored.secret_enc.includes(secret), 'secret encrypted at rest');
      await b.post(formAction(codes.body, '/backup-codes'), {});
      assert.ok(b.jar.get('bp_session'), 'session issued at the end of the flow');
      const again = await b.get(formAction(codes.body, '/backup-codes').replace('/backup-codes', ''));
      assert.doesNotMatch(again.body, /[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}/, 'codes never shown again');
    });

    it('login: TOTP ±1 step accepted, ±2 refused, the same step refused the second time (replay)', async (t) => {
      const app = await startTestApp(dialect, t);
      const { u, secret } = await enrolledUser(app);
      app.clock.advance(2 * STEP); // away from the enrolment step, which is used already
      for (const [offset, expected] of [[-2, 400], [2, 400], [-1, 303]] as const) {
        const { b, r } = await passwordStep(app, u);
        assert.equal(r.status, 303);
        const res = await b.post(formAction((await b.follow(r)).body, '/totp'), { code: independentTotp(secret, app.clock.now, offset) });
        assert.equal(res.status, expected, `offset ${offset}`);
      }
      // The −1 step is now used; the current step's code is fine once, then a replay.
      const first = await passwordStep(app, u);
      const ok = await first.b.post(formAction((await first.b.follow(first.r)).body, '/totp'), { code: independentTotp(secret, app.clock.now) });
      assert.equal(ok.status, 303);
      const second = await passwordStep(app, u);
      const replay = await second.b.post(formAction((await second.b.follow(second.r)).body, '/totp'), { code: independentTotp(secret, app.clock.now) });
      assert.equal(replay.status, 400);
      assert.match(text(replay.body), /すでに使用されています/);
    });

    it('the same valid code submitted from 20 flows at once: exactly one session', async (t) => {
      const app = await startTestApp(dialect, t);
      const { u, secret } = await enrolledUser(app);
      const flows: { b: Browser; action: string }[] = [];
      for (let i = 0; i < 20; i++) { // one after the other: parallel password attempts would (rightly) trip the throttle
        const { b, r } = await passwordStep(app, u);
        flows.push({ b, action: formAction((await b.follow(r)).body, '/totp') });
      }
      await app.ctx.throttle.clear(`otp:${u.id}`);
      const code = independentTotp(secret, app.clock.now);
      const results = await Promise.all(flows.map((f) => f.b.post(f.action, { code })));
      assert.equal(results.filter((r) => r.status === 303).length, 1);
    });

    it('no protected page before the second step; a later step URL does nothing early', async (t) => {
      const app = await startTestApp(dialect, t);
      const { u } = await enrolledUser(app);
      const { b, r } = await passwordStep(app, u);
      assert.equal(b.jar.get('bp_session'), undefined);
      const home = await b.get('/');
      assert.equal(home.status, 303);
      assert.equal(home.location, '/login');
      assert.equal((await b.get('/profile')).status, 303);
      await b.get(r.location!);
      const early = await b.post(`${r.location}/backup-codes`, {});
      assert.equal(early.status, 409);
      const extra = await b.post(`${r.location}/method`, { method: 'mail_otp', role: 'admin' });
      assert.equal(extra.status, 409);
    });

    it('S3.3: a general user never gets MailOTP by posting the selection; an admin sees both', async (t) => {
      const app = await startTestApp(dialect, t);
      const general = await givenUser(app.ctx);
      const gb = new Browser(app.url);
      await completeFirstLogin(gb, general, PW);
      const g = await passwordStep(app, general, gb);
      assert.match(text((await gb.follow(g.r)).body), /TOTP認証の設定/);
      const posted = await gb.post(`${g.flow}/method`, { method: 'mail_otp' });
      assert.equal(posted.status, 409);
      const row = await app.ctx.db.selectFrom('app_user').select('second_factor').where('id', '=', general.id).executeTakeFirstOrThrow();
      assert.equal(row.second_factor, 'totp');

      const admin = await givenUser(app.ctx, { role: 'admin' });
      const ab = new Browser(app.url);
      await completeFirstLogin(ab, admin, PW);
      const a = await passwordStep(app, admin, ab);
      const choice = await ab.follow(a.r);
      assert.match(choice.body, /value="totp"/);
      assert.match(choice.body, /value="mail_otp"/);
      const bogus = await ab.post(`${a.flow}/method`, { method: 'sms' });
      assert.equal(bogus.status, 403);
    });

    it('MailOTP: admin chooses it, the code arrives by mail, wrong tries are capped, resend has a cooldown', async (t) => {
      const app = await startTestApp(dialect, t);
      await givenTerms(app.ctx);
      const admin = await givenUser(app.ctx, { role: 'admin' });
      const b = new Browser(app.url);
      await completeFirstLogin(b, admin, PW);
      const { flow } = await passwordStep(app, admin, b);
      await b.get(flow);
      const chosen = await b.follow(await b.post(`${flow}/method`, { method: 'mail_otp' }));
      assert.match(text(chosen.body), /\*\*\*@e\*\*\*/, 'masked address shown');
      const mail1 = (await lastMail(app.ctx, admin.email, 'mail_otp'))!;
      assert.match(mail1.subject, /メールワンタイムパスワード/);
      const code1 = mailOtpIn(mail1.body_text);
      const cooldown = await b.post(`${flow}/mail-otp/resend`, {});
      assert.equal(cooldown.status, 429);
      app.clock.advance(61_000);
      await b.get(flow);
      await b.post(`${flow}/mail-otp/resend`, {});
      const code2 = mailOtpIn((await lastMail(app.ctx, admin.email, 'mail_otp'))!.body_text);
      await b.get(flow);
      if (code1 !== code2) {
        const old = await b.post(`${flow}/mail-otp`, { code: code1 });
        assert.equal(old.status, 400, 'a resent code kills the previous one');
      }
      const ok = await b.post(`${flow}/mail-otp`, { code: code2 });
      assert.equal(ok.status, 303);
      assert.ok(b.jar.get('bp_session'));
      const terms = await b.follow(await b.get('/'));
      assert.match(text(terms.body), /ご利用規約/);
    });

    it('MailOTP: five wrong codes exhaust the code; a new code is needed', async (t) => {
      const app = await startTestApp(dialect, t);
      const admin = await givenUser(app.ctx, { role: 'admin' });
      const b = new Browser(app.url);
      await completeFirstLogin(b, admin, PW);
      const { flow } = await passwordStep(app, admin, b);
      await b.get(flow);
      await b.post(`${flow}/method`, { method: 'mail_otp' });
      const code = mailOtpIn((await lastMail(app.ctx, admin.email, 'mail_otp'))!.body_text);
      const wrong = code === '000000' ? '111111' : '000000';
      for (let i = 0; i < 5; i++) {
        await b.get(flow);
        // The fifth failure earns the 2-step lock, which ends the flow and says so (item 38).
        assert.equal((await b.post(`${flow}/mail-otp`, { code: wrong })).status, i < 4 ? 400 : 429);
      }
      await b.get(flow);
      const exhausted = await b.post(`${flow}/mail-otp`, { code });
      assert.equal(exhausted.status, 429);
    });

    it('an admin assigns MailOTP to a general user: the next login asks for a mailed code', async (t) => {
      const app = await startTestApp(dialect, t);
      await givenTerms(app.ctx);
      const { u: admin, b: adminB } = await enrolledUser(app, { role: 'admin' });
      await adminB.post('/terms', { versionId: (await adminB.get('/terms')).body.match(/name="versionId" value="([^"]+)"/)![1]!, accept: '1' });
      const { u: general } = await enrolledUser(app, { orgId: admin.orgId });
      const page = await adminB.get(`/admin/users/${general.id}`);
      assert.equal(page.status, 200);
      const r = await adminB.post(`/admin/users/${general.id}/second-factor`, { method: 'mail_otp' });
      assert.equal(r.status, 200);
      const { b, r: pw } = await passwordStep(app, general);
      assert.match(text((await b.follow(pw)).body), /メールOTP認証/);
      const events = await app.ctx.db.selectFrom('audit_log').select(['event', 'actor_user_id']).where('subject_user_id', '=', general.id).where('event', '=', 'mfa.method_assigned').execute();
      assert.equal(events[0]?.actor_user_id, admin.id);
    });

    it('backup codes: each works once instead of TOTP, and using one notifies the user', async (t) => {
      const app = await startTestApp(dialect, t);
      const { u, backupCodes } = await enrolledUser(app);
      assert.equal(backupCodes.length, 10);
      const first = await passwordStep(app, u);
      const page = await first.b.follow(first.r);
      const ok = await first.b.post(formAction(page.body, '/backup-code'), { backupCode: backupCodes[0]!.toLowerCase() });
      assert.equal(ok.status, 303);
      assert.ok(await lastMail(app.ctx, u.email, 'backup_code_used'));
      const second = await passwordStep(app, u);
      const reuse = await second.b.post(formAction((await second.b.follow(second.r)).body, '/backup-code'), { backupCode: backupCodes[0]! });
      assert.equal(reuse.status, 400);
    });

    it('OTP throttling: after five wrong codes the account is locked, even for the right code', async (t) => {
      const app = await startTestApp(dialect, t);
      const { u, secret } = await enrolledUser(app);
      const { b, r } = await passwordStep(app, u);
      const action = formAction((await b.follow(r)).body, '/totp');
      const wrong = independentTotp(secret, app.clock.now, 5);
      // The fifth failure earns the lock, which ends the flow and says so (item 38).
      for (let i = 0; i < 5; i++) assert.equal((await b.post(action, { code: wrong }, { csrf: b.csrf() })).status, i < 4 ? 400 : 429);
      const locked = await b.post(action, { code: independentTotp(secret, app.clock.now) });
      assert.equal(locked.status, 429);
      assert.match(text(locked.body), /分間停止/);
      app.clock.advance(16 * 60_000);
      const { b: b2, r: r2 } = await passwordStep(app, u);
      const after = await b2.post(formAction((await b2.follow(r2)).body, '/totp'), { code: independentTotp(secret, app.clock.now) });
      assert.equal(after.status, 303, 'the lockout is temporary');
    });

    it('trusted network: the second step is skipped from an admin-set CIDR, marked and audited; not for admin pages', async (t) => {
      const app = await startTestApp(dialect, t);
      await givenTerms(app.ctx);
      const { u: admin, b: adminB } = await enrolledUser(app, { role: 'admin' });
      await adminB.post('/terms', { versionId: (await adminB.get('/terms')).body.match(/name="versionId" value="([^"]+)"/)![1]!, accept: '1' });
      await adminB.get('/admin/settings');
      const bad = await adminB.post('/admin/settings/networks', { cidr: '0.0.0.0/0', label: 'all' });
      assert.equal(bad.status, 422);
      await adminB.get('/admin/settings');
      assert.equal((await adminB.post('/admin/settings/networks', { cidr: '127.0.0.1/32', label: 'office' })).status, 200);
      const { b, r } = await passwordStep(app, admin);
      assert.equal(r.location, '/', 'straight to the portal');
      const session = await app.ctx.db.selectFrom('session').select(['aal', 'skip_reason']).where('user_id', '=', admin.id).orderBy('created_at', 'desc').executeTakeFirstOrThrow();
      assert.deepEqual(session, { aal: 'aal1_skipped', skip_reason: 'trusted_network' });
      assert.equal((await b.get('/admin/users')).status, 403, 'admin pages need a full 2-step session');
      const audit = await app.ctx.db.selectFrom('audit_log').select('event').where('subject_user_id', '=', admin.id).where('event', '=', 'login.second_step_skipped').execute();
      assert.equal(audit.length, 1);
    });

    it('trusted browser: only where the organisation allows it; dies with a TOTP reset; revocable by the user', async (t) => {
      const app = await startTestApp(dialect, t);
      await givenTerms(app.ctx);
      const { u: admin, b: adminB } = await enrolledUser(app, { role: 'admin' });
      await adminB.post('/terms', { versionId: (await adminB.get('/terms')).body.match(/name="versionId" value="([^"]+)"/)![1]!, accept: '1' });
      const { u, secret } = await enrolledUser(app, { orgId: admin.orgId });
      const noOffer = await passwordStep(app, u);
      assert.doesNotMatch((await noOffer.b.follow(noOffer.r)).body, /name="trust"/, 'off by default');
      await adminB.get('/admin/settings');
      await adminB.post('/admin/settings/trusted-browsers', { enabled: '1' });

      const b = new Browser(app.url);
      const first = await passwordStep(app, u, b);
      const page = await b.follow(first.r);
      assert.match(page.body, /name="trust"/);
      await b.post(formAction(page.body, '/totp'), { code: independentTotp(secret, app.clock.now), trust: '1' });
      assert.ok(b.jar.get('bp_device'));
      b.jar.delete('bp_session');
      const skipped = await passwordStep(app, u, b);
      assert.equal(skipped.r.location, '/');

      await adminB.get(`/admin/users/${u.id}`);
      await adminB.post(`/admin/users/${u.id}/totp-reset`, { confirm: 'yes' });
      b.jar.delete('bp_session');
      const afterReset = await passwordStep(app, u, b);
      assert.notEqual(afterReset.r.location, '/', 'a 2-step change invalidates trusted browsers');
      assert.match(text((await b.follow(afterReset.r)).body), /TOTP認証の設定/, 'the user re-enrols');
    });

    it('profile: re-enrolment needs a current code; regenerated backup codes replace the old set', async (t) => {
      const app = await startTestApp(dialect, t);
      const { u, b, secret, backupCodes } = await enrolledUser(app);
      const profile = await b.get('/profile');
      assert.equal(profile.status, 200);
      assert.match(text(profile.body), /バックアップコード残り:10個/);
      const bad = await b.post('/profile/backup-codes', { code: '000000' });
      assert.equal(bad.status, 400);
      await b.get('/profile');
      const fresh = await b.post('/profile/backup-codes', { code: independentTotp(secret, app.clock.now) });
      assert.equal(fresh.status, 200);
      assert.equal(fresh.headers.get('cache-control'), 'no-store');
      app.clock.advance(STEP);
      const old = await passwordStep(app, u);
      const r = await old.b.post(formAction((await old.b.follow(old.r)).body, '/backup-code'), { backupCode: backupCodes[1]! });
      assert.equal(r.status, 400, 'old codes died');
      await b.get('/profile');
      const re = await b.post('/profile/totp/reenrol', { code: independentTotp(secret, app.clock.now) });
      assert.equal(re.status, 303);
      const setup = await b.follow(re);
      assert.match(text(setup.body), /TOTP認証の設定/);
    });

    it('sessions: listed on the profile, one revoked from another, sign out everywhere', async (t) => {
      const app = await startTestApp(dialect, t);
      const { u, b, secret } = await enrolledUser(app);
      const other = await passwordStep(app, u);
      await other.b.post(formAction((await other.b.follow(other.r)).body, '/totp'), { code: independentTotp(secret, app.clock.now) });
      assert.equal((await other.b.get('/profile')).status, 200);
      const page = await b.get('/profile');
      const ids = [...page.body.matchAll(/name="sessionId" value="([^"]+)"/g)].map((m) => m[1]!);
      assert.equal(ids.length, 1, 'the other session can be revoked');
      await b.post('/profile/sessions/revoke', { sessionId: ids[0]! });
      assert.equal((await other.b.get('/profile')).status, 303);
      await b.get('/profile');
      await b.post('/profile/sessions/revoke-all', {});
      assert.equal((await b.get('/profile')).status, 303);
    });
  });
}
