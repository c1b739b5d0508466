// S3.3 + S3.6 in a real browser: a portal admin chooses MailOTP on the selection screen, types the
// mailed code, accepts the terms and reaches home; once in Japanese and once in English.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp } from '../helpers/app.ts';
import { givenTerms, givenUser, lastMail, mailOtpIn } from '../helpers/scenario.ts';
import { assertClean, axeCheck, launchBrowser, onPage, openPage } from '../helpers/browser.ts';
import { UI, acceptTerms, atHome, logIn, setPassword, verifyIdentity } from './walk.ts';

for (const lang of ['ja', 'en'] as const) {
  describe(`browser: MailOTP chosen by a portal admin (${lang})`, () => {
    it('selection screen → MailOTP → mailed code → terms → home', async (t) => {
      const browser = await launchBrowser(t);
      if (!browser) return;
      const app = await startTestApp('sqlite', t);
      await givenTerms(app.ctx);
      const u = await givenUser(app.ctx, { role: 'admin', lang, name: lang === 'en' ? 'Taro Yamada' : '佐藤 花子' });
      const { page, watch } = await openPage(browser);
      const ui = UI[lang];

      // The English walk switches with ?lang=en on the mailed link; the choice is remembered.
      await verifyIdentity(page, ui, u, t, lang === 'en' ? '?lang=en' : '');
      assert.equal(await page.locator('html').getAttribute('lang'), lang);
      await setPassword(page, ui, t);
      await logIn(page, ui, u, t);

      await onPage(page, ui.selectTitle);
      await axeCheck(page, t);
      const radios = page.getByRole('radio');
      assert.equal(await radios.count(), 2, 'an admin may choose TOTP or MailOTP (S3.3)');
      await page.getByLabel(ui.mailOtpChoice).check();
      await page.getByRole('button', { name: ui.next }).click();

      await onPage(page, ui.mailOtpTitle);
      await axeCheck(page, t);
      const intro = await page.locator('main').innerText();
      assert.ok(!intro.includes(u.email), 'the address is masked on the page (S3.6)');
      assert.match(intro, /\*{2,}/);
      const mail = await lastMail(app.ctx, u.email, 'mail_otp');
      assert.ok(mail, 'a MailOTP mail is queued');
      await page.getByLabel(ui.mailOtpCode).fill(mailOtpIn(mail.body_text));
      await page.getByRole('button', { name: ui.mailOtpSubmit, exact: true }).click();

      await acceptTerms(page, ui, t);
      await atHome(page, ui, u, t);
      assert.equal(await page.locator('html').getAttribute('lang'), lang);
      assertClean(watch);
    });
  });
}
