// Small flow defects found by attacking the running product (issue 14 item 13), on both databases.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { testDialects } from '../helpers/db.ts';
import { startTestApp } from '../helpers/app.ts';
import { Browser, formAction, text } from '../helpers/client.ts';
import { adminAtMailOtpStep, givenUser } from '../helpers/scenario.ts';
import { countMails, NEW_PW, PW, openResetLink, postResetForm, resetFields, resetLinkFor } from '../helpers/reset.ts';

for (const dialect of testDialects()) {
  describe(`${dialect}: flow details`, () => {
    it('opening a setup or reset link answers 303 with Cache-Control: no-store', async (t) => {
      const app = await startTestApp(dialect, t);
      const u = await givenUser(app.ctx);
      const setup = await new Browser(app.url).get(u.setupUrl);
      assert.equal(setup.status, 303);
      assert.equal(setup.headers.get('cache-control'), 'no-store');
      await postResetForm(new Browser(app.url), resetFields(u));
      const reset = await new Browser(app.url).get(await resetLinkFor(app, u));
      assert.equal(reset.status, 303);
      assert.equal(reset.headers.get('cache-control'), 'no-store');
    });

    it('MailOTP: while the 2-step is locked, a login mails no new code', async (t) => {
      const app = await startTestApp(dialect, t);
      const b = new Browser(app.url);
      const { admin, action, code } = await adminAtMailOtpStep(app.ctx, b, PW);
      const wrong = code === '000000' ? '111111' : '000000';
      for (let i = 0; i < 5; i++) await b.post(action, { code: wrong }, { csrf: b.csrfFor() });
      const mailed = await countMails(app, admin.email, 'mail_otp');
      const again = new Browser(app.url);
      await again.get('/login');
      const r = await again.post('/login', { loginId: admin.loginId, password: PW });
      assert.equal(r.status, 429);
      assert.match(text(r.body), /分間停止/);
      assert.equal(await countMails(app, admin.email, 'mail_otp'), mailed, 'no code mailed while locked');
    });

    it('the losing browser of a link race is shown the dead-link page, not the set-password form', async (t) => {
      const app = await startTestApp(dialect, t);
      const u = await givenUser(app.ctx);
      await postResetForm(new Browser(app.url), resetFields(u));
      const link = await resetLinkFor(app, u);
      const winner = new Browser(app.url);
      const loser = new Browser(app.url);
      const winnerAction = await openResetLink(winner, link);
      const loserAction = await openResetLink(loser, link);
      assert.equal((await winner.post(winnerAction, { password: NEW_PW, confirm: NEW_PW })).status, 303);
      const page = await loser.get(loserAction.replace(/\/password$/, ''));
      assert.equal(page.status, 410);
      assert.throws(() => formAction(page.body, '/password'), 'no set-password form');
      assert.match(text(page.body), /パスワード再設定はこちら/);
    });
  });
}
