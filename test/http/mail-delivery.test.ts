// The starting guide and the MailOTP code through a real SMTP server (issue 2, issue 3), and a
// starting guide queued while SMTP is down that is delivered when it comes back.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { testDialects } from '../helpers/db.ts';
import { startTestApp } from '../helpers/app.ts';
import { Browser, formAction, text } from '../helpers/client.ts';
import { startTestSmtp } from '../helpers/smtp.ts';
import { completeFirstLogin, givenUser, linkIn, mailOtpIn } from '../helpers/scenario.ts';
import { MailWorker } from '../../src/mail/service.ts';

const PW = 'Kx7#mPq2vLa9';

for (const dialect of testDialects()) {
  describe(`${dialect}: mail through SMTP`, () => {
    it('the starting guide reaches the SMTP server with a working single-use link', async (t) => {
      const smtp = await startTestSmtp({ t });
      const app = await startTestApp(dialect, t, { SMTP_URL: smtp.url });
      const worker = new MailWorker({ db: app.ctx.db, dialect: app.ctx.dialect, smtpUrl: smtp.url, from: app.config.mailFrom });
      app.defer(() => worker.stop());
      const u = await givenUser(app.ctx);
      await worker.runOnce(app.clock.now);
      const [mail] = await smtp.waitFor((m) => m.some((x) => x.to.includes(u.email)));
      assert.match(mail!.subject, /ユーザー登録受付メール/);
      const link = linkIn(mail!.text, '/setup/');
      assert.equal(link, u.setupUrl);
      assert.match(mail!.text, /有効期限：\d{4}年\d{1,2}月\d{1,2}日.*\d{2}:\d{2}.日本時間/, 'the expiry date-time is shown');
      const done = await completeFirstLogin(new Browser(app.url), { ...u, setupUrl: link }, PW);
      assert.match(text(done.body), /パスワード設定完了/);
    });

    it('SMTP down: the starting guide stays queued, then is delivered once when SMTP is back', async (t) => {
      const smtp = await startTestSmtp({ t });
      await smtp.stop();
      const app = await startTestApp(dialect, t, { SMTP_URL: smtp.url });
      const worker = new MailWorker({ db: app.ctx.db, dialect: app.ctx.dialect, smtpUrl: smtp.url, from: app.config.mailFrom });
      app.defer(() => worker.stop());
      const u = await givenUser(app.ctx);
      const down = await worker.runOnce(app.clock.now);
      assert.equal(down.sent, 0);
      const row = await app.ctx.db.selectFrom('mail_outbox').selectAll().where('to_addr', '=', u.email).executeTakeFirstOrThrow();
      assert.equal(row.state, 'queued');
      assert.ok(row.last_error && row.attempts === 1 && row.next_attempt_at > app.clock.now);
      await smtp.start();
      app.clock.advance(10 * 60_000);
      await worker.runOnce(app.clock.now);
      await worker.runOnce(app.clock.now);
      await smtp.waitFor((m) => m.length >= 1);
      assert.equal(smtp.received.filter((m) => m.to.includes(u.email)).length, 1);
    });

    it('MailOTP: the code arrives through SMTP and completes the login', async (t) => {
      const smtp = await startTestSmtp({ t });
      const app = await startTestApp(dialect, t, { SMTP_URL: smtp.url });
      const worker = new MailWorker({ db: app.ctx.db, dialect: app.ctx.dialect, smtpUrl: smtp.url, from: app.config.mailFrom });
      app.defer(() => worker.stop());
      const admin = await givenUser(app.ctx, { role: 'admin', lang: 'en' });
      const b = new Browser(app.url);
      await completeFirstLogin(b, admin, PW);
      await b.get('/login');
      const r = await b.post('/login', { loginId: admin.loginId, password: PW });
      const page = await b.follow(r);
      await b.follow(await b.post(formAction(page.body, '/method'), { method: 'mail_otp' }));
      await worker.runOnce(app.clock.now);
      const mails = await smtp.waitFor((m) => m.some((x) => /One-time password/i.test(x.subject)));
      const otpMail = mails.find((x) => /One-time password/i.test(x.subject))!;
      const ok = await b.post(formAction(b.last!.body, '/mail-otp'), { code: mailOtpIn(otpMail.text) });
      assert.equal(ok.status, 303);
      assert.ok(b.jar.get('bp_session'));
    });
  });
}
