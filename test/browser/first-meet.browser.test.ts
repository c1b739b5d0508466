// Issue 16 in Chromium at a phone width (375 px): the help pages (reached from the login page), the
// MailOTP resend cooldown shown as a notice, and the SDPF-branded login page; axe on each, in ja and en.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { startTestApp } from '../helpers/app.ts';
import { givenTerms, givenUser } from '../helpers/scenario.ts';
import { assertClean, axeCheck, launchBrowser, onPage, openPage } from '../helpers/browser.ts';
import { UI, logIn, setPassword, verifyIdentity } from './walk.ts';

const HELP = {
  ja: { link: 'ログインでお困りの場合はヘルプをご覧ください', title: 'ヘルプ', topic: '認証アプリ(TOTP認証)の設定方法', install: 'インストール方法' },
  en: { link: 'Trouble logging in? See the help pages', title: 'Help', topic: 'Authenticator app (TOTP authentication)', install: 'Installing an authenticator app' },
} as const;

async function fitsWidth(page: Page): Promise<void> {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.ok(overflow <= 0, `no horizontal scrolling at 375 px (overflow ${overflow}px)`);
}

for (const lang of ['ja', 'en'] as const) {
  describe(`browser: what a new customer meets first (${lang})`, () => {
    it('help from the login page, the MailOTP cooldown as a notice, the SDPF login page; at 375 px', async (t) => {
      const browser = await launchBrowser(t);
      if (!browser) return;
      const app = await startTestApp('sqlite', t);
      await givenTerms(app.ctx);
      const { page, watch } = await openPage(browser, { viewport: { width: 375, height: 812 }, locale: lang === 'ja' ? 'ja-JP' : 'en-GB' });
      const ui = UI[lang];
      const h = HELP[lang];

      await page.goto(`${app.url}/login`);
      await page.getByRole('link', { name: h.link }).click();
      await onPage(page, h.title);
      await axeCheck(page, t);
      await fitsWidth(page);
      await page.getByRole('link', { name: h.topic }).click();
      await onPage(page, h.topic);
      await page.getByRole('heading', { name: h.install }).waitFor();
      assert.equal(await page.locator('a[href^="https://apps.apple.com/"]').count(), 2, 'App Store links for both apps');
      assert.equal(await page.locator('a[href^="https://play.google.com/"]').count(), 2, 'Google Play links for both apps');
      await axeCheck(page, t);
      await fitsWidth(page);

      // The SDPF login page: its own name in the header, title and footer.
      await page.goto(`${app.url}/login?portal=partner-child`);
      const sdpf = lang === 'ja' ? 'SDPFポータル' : 'SDPF Portal';
      assert.equal(await page.locator('header .brand').innerText(), sdpf);
      assert.match(await page.title(), new RegExp(sdpf));
      await axeCheck(page, t);

      // A portal admin at the MailOTP step asks for a new code at once: the cooldown is a notice.
      const u = await givenUser(app.ctx, { role: 'admin', lang, name: lang === 'en' ? 'Taro Yamada' : '佐藤 花子' });
      await verifyIdentity(page, ui, u, t);
      await setPassword(page, ui, t);
      await logIn(page, ui, u, t);
      await onPage(page, ui.selectTitle);
      assert.equal(await page.getByRole('radio', { checked: true }).count(), 0, 'nothing pre-selected');
      await page.getByLabel(ui.mailOtpChoice).check();
      await page.getByRole('button', { name: ui.next }).click();
      await onPage(page, ui.mailOtpTitle);
      app.clock.advance(20_000);
      await page.locator('form[action$="/mail-otp/resend"] button').click();
      const notice = page.locator('.alert.info[role="status"]');
      await notice.waitFor();
      assert.match(await notice.innerText(), lang === 'ja' ? /再送信は40秒後から可能です/ : /can be sent in 40 seconds/);
      assert.equal(await page.getByLabel(ui.mailOtpCode).getAttribute('aria-invalid'), null, 'the code field is not invalid');
      assert.equal(await page.locator('[role="alert"]').count(), 0);
      await axeCheck(page, t);
      await fitsWidth(page);
      assertClean(watch);
    });
  });
}
