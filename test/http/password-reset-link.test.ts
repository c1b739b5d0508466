// The mailed reset link and what completing it does (S4; SECURITY.md items 6, 12, 26, 27), each
// opening with the attack, on SQLite and PostgreSQL; the parallel redemption race on PostgreSQL.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { testDialects } from '../helpers/db.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { Browser, formAction, text } from '../helpers/client.ts';
import { completeFirstLogin, givenUser, independentTotp, lastMail, loginAndEnrolTotp } from '../helpers/scenario.ts';
import { findUserById } from '../../src/auth/users/store.ts';
import {
  NEW_PW, PW, completeReset, loginPage, openResetLink, postResetForm, resetFields, resetLinkFor,
} from '../helpers/reset.ts';

const STEP = 30_000;

/** A user with a password and an enrolled TOTP, logged in in `b`; the clock is past the enrolment step. */
async function enrolledUser(app: TestApp) {
  const u = await givenUser(app.ctx);
  const b = new Browser(app.url);
  await completeFirstLogin(b, u, PW);
  const { secret } = await loginAndEnrolTotp(b, u, PW, app.clock.now);
  app.clock.advance(STEP);
  return { u, b, secret };
}

/** Requests a reset from a fresh browser and returns the mailed link. */
async function mailedLink(app: TestApp, u: Awaited<ReturnType<typeof givenUser>>): Promise<string> {
  await postResetForm(new Browser(app.url), resetFields(u));
  return resetLinkFor(app, u);
}

for (const dialect of testDialects()) {
  describe(`${dialect}: password reset link`, () => {
    it('a used link is refused with 410 the second time', async (t) => {
      const app = await startTestApp(dialect, t);
      const u = await givenUser(app.ctx);
      const link = await mailedLink(app, u);
      await completeReset(new Browser(app.url), link);
      const again = await new Browser(app.url).get(link);
      assert.equal(again.status, 410);
      assert.match(text(again.body), /パスワード再設定はこちら/);
    });

    it(`an expired link is refused (RESET_LINK_MINUTES), also from a flow opened just before`, async (t) => {
      const app = await startTestApp(dialect, t);
      const u = await givenUser(app.ctx);
      const link = await mailedLink(app, u);
      app.clock.advance(app.config.resetLinkMs - 60_000);
      const b = new Browser(app.url);
      const action = await openResetLink(b, link);
      app.clock.advance(120_000);
      assert.equal((await b.post(action, { password: NEW_PW, confirm: NEW_PW })).status, 410);
      assert.equal((await new Browser(app.url).get(link)).status, 410);
      const row = await app.ctx.db.selectFrom('app_user').select('password_hash').where('id', '=', u.id).executeTakeFirstOrThrow();
      assert.equal(row.password_hash, null, 'nothing was set');
    });

    it('a newer reset link supersedes the older one', async (t) => {
      const app = await startTestApp(dialect, t);
      const u = await givenUser(app.ctx);
      const older = await mailedLink(app, u);
      app.clock.advance(61_000); // past the reset-mail cooldown (SECURITY.md item 44)
      const newer = await mailedLink(app, u);
      assert.notEqual(older, newer);
      assert.equal((await new Browser(app.url).get(older)).status, 410);
      const done = await completeReset(new Browser(app.url), newer);
      assert.match(text(done.body), /パスワード設定完了/);
    });

    it('a reset signs the user out everywhere, never logs in, and tells the user', async (t) => {
      const app = await startTestApp(dialect, t);
      const { u, b: victim } = await enrolledUser(app);
      assert.notEqual((await victim.get('/')).location, '/login', 'logged in before the reset');
      const r = new Browser(app.url);
      await completeReset(r, await mailedLink(app, u));
      assert.equal(r.jar.get('bp_session'), undefined, 'the reset browser has no session (item 27)');
      const after = await victim.get('/');
      assert.equal(after.status, 303);
      assert.equal(after.location, '/login', 'the earlier session is gone');
      assert.ok(await lastMail(app.ctx, u.email, 'password_changed'), 'the user is told (item 27)');
      assert.equal((await loginPage(new Browser(app.url), u, PW)).status, 401, 'the old password is dead');
    });

    it('a reset kills trusted browsers but keeps the 2-step method: the next login asks the TOTP code', async (t) => {
      const app = await startTestApp(dialect, t);
      const { u, secret } = await enrolledUser(app);
      await app.ctx.db.updateTable('organisation').set({ trusted_browsers_enabled_at: app.clock.now }).where('id', '=', u.orgId).execute();
      const b = new Browser(app.url);
      const totpPage = await b.follow(await loginPage(b, u, PW));
      await b.post(formAction(totpPage.body, '/totp'), { code: independentTotp(secret, app.clock.now), trust: '1' });
      assert.ok(b.jar.get('bp_device'));
      b.jar.delete('bp_session');
      assert.equal((await loginPage(b, u, PW)).location, '/', 'the trusted browser skips the second step before the reset');
      const before = await findUserById(app.ctx.db, u.id).then((r) => r && { second_factor: r.second_factor, totp_enrolled_at: r.totp_enrolled_at, totp_secret_enc: r.totp_secret_enc });

      await completeReset(new Browser(app.url), await mailedLink(app, u));
      b.jar.delete('bp_session');
      const next = await loginPage(b, u, NEW_PW);
      assert.notEqual(next.location, '/', 'the trusted browser cookie no longer skips');
      const page = await b.follow(next);
      assert.match(page.body, /\/totp"/, 'asks the TOTP code');
      assert.doesNotMatch(page.body, /totp-setup/, 'not a new enrolment');
      const afterRow = await findUserById(app.ctx.db, u.id).then((r) => r && { second_factor: r.second_factor, totp_enrolled_at: r.totp_enrolled_at, totp_secret_enc: r.totp_secret_enc });
      assert.deepEqual(afterRow, before, 'the 2-step method is kept (S4)');
    });

    it('a reset link opened in one browser cannot be continued from another', async (t) => {
      const app = await startTestApp(dialect, t);
      const u = await givenUser(app.ctx);
      const action = await openResetLink(new Browser(app.url), await mailedLink(app, u));
      const thief = new Browser(app.url);
      await thief.get('/login');
      assert.equal((await thief.post(action, { password: NEW_PW, confirm: NEW_PW })).status, 410);
    });

    if (dialect === 'postgres') {
      it('20 parallel redemptions of one reset link: exactly one sets the password', async (t) => {
        const app = await startTestApp(dialect, t);
        const u = await givenUser(app.ctx);
        const link = await mailedLink(app, u);
        const browsers = Array.from({ length: 20 }, () => new Browser(app.url));
        const actions = await Promise.all(browsers.map((b) => openResetLink(b, link)));
        const results = await Promise.all(browsers.map((b, i) => b.post(actions[i]!, { password: `${NEW_PW}${i}`, confirm: `${NEW_PW}${i}` })));
        assert.equal(results.filter((r) => r.status === 303).length, 1, results.map((r) => r.status).join(','));
        assert.equal(results.filter((r) => r.status === 410).length, 19);
        const mails = await app.ctx.db.selectFrom('mail_outbox').select('id').where('to_addr', '=', u.email).where('kind', '=', 'password_changed').execute();
        assert.equal(mails.length, 1, 'one change, one notice');
      });
    }
  });
}
