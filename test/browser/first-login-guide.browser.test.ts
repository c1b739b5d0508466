// Issue 20 item 6 in Chromium: the guided first login. The step indicator marks the right step on
// every page; the password rules tick as the person types and the toggle shows the password; the
// TOTP key's copy button copies it; a submit button is busy while its request runs and a second
// press sends nothing; and a browser without JavaScript still completes the first login.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { startTestApp } from '../helpers/app.ts';
import { givenTerms, givenUser, independentTotp } from '../helpers/scenario.ts';
import { assertClean, axeCheck, launchBrowser, onPage, openPage } from '../helpers/browser.ts';
import { PASSWORD, UI, acceptTerms, atHome, logIn, setPassword, verifyIdentity } from './walk.ts';

const STEPS = {
  ja: ['本人確認', 'パスワード設定', '2段階認証', '利用規約'],
  en: ['Identity verification', 'Set password', '2-step verification', 'Terms'],
} as const;

const STATES = {
  ja: { done: '(完了)', current: '(現在のステップ)', todo: '(未完了)' },
  en: { done: '(done)', current: '(current step)', todo: '(not yet)' },
} as const;

/** The indicator as a person and a screen reader meet it: each step's text with its state, and the current one. */
async function indicator(page: Page): Promise<{ texts: string[]; current: string | null }> {
  const list = page.getByRole('list', { name: /進捗|Progress/ });
  const texts = (await list.getByRole('listitem').allTextContents()).map((s) => s.replace(/\s+/g, ' ').trim());
  const current = await list.locator('li[aria-current="step"] > span').first().textContent().catch(() => null);
  return { texts, current: current?.trim() ?? null };
}

async function expectStep(page: Page, lang: 'ja' | 'en', at: number): Promise<void> {
  const { texts, current } = await indicator(page);
  const names = STEPS[lang];
  const said = STATES[lang];
  assert.equal(current, names[at], `current step on ${page.url()}`);
  assert.deepEqual(texts, names.map((n, i) => `${n} ${i < at ? said.done : i === at ? said.current : said.todo}`), `each step's state in words (${page.url()})`);
}

const ruleState = (page: Page, rule: string) => page.locator(`#password-rules li[data-rule="${rule}"]`).getAttribute('class');

describe('browser: the guided first login', () => {
  it('indicator on every step, live password rules, show-password toggle, copy key, busy submit (ja)', async (t) => {
    const browser = await launchBrowser(t);
    if (!browser) return;
    const app = await startTestApp('sqlite', t);
    await givenTerms(app.ctx);
    const u = await givenUser(app.ctx, { role: 'general', lang: 'ja' });
    const { page, watch } = await openPage(browser, { permissions: ['clipboard-read', 'clipboard-write'] });
    const ui = UI.ja;

    await page.goto(u.setupUrl);
    await onPage(page, ui.identityTitle);
    await expectStep(page, 'ja', 0);
    await verifyIdentity(page, ui, u, t);

    // Password: the checklist starts unmet and ticks rule by rule as the person types.
    await onPage(page, ui.passwordTitle);
    await expectStep(page, 'ja', 1);
    const pw = page.getByLabel(ui.newPassword);
    await pw.pressSequentially('abcdefgh');
    assert.match(await ruleState(page, 'too_short') ?? '', /\bmet\b/, '8 characters: the length rule is met');
    assert.match(await ruleState(page, 'need_digit') ?? '', /\bunmet\b/);
    await pw.pressSequentially('1');
    assert.match(await ruleState(page, 'need_digit') ?? '', /\bmet\b/, 'a digit typed: the digit rule turns met');
    assert.match(await page.locator('#password-rules li[data-rule="need_digit"]').innerText(), /達成/, 'met in words too');
    // The login ID inside the password breaks the context rule, as the server would say.
    await pw.fill(`Aa1${u.loginId}`);
    await pw.dispatchEvent('input');
    assert.match(await ruleState(page, 'contains_login_id') ?? '', /\bunmet\b/, 'the login ID in the password: unmet');
    await pw.fill(PASSWORD);
    await pw.dispatchEvent('input');
    // The polite summary speaks once typing pauses.
    await page.locator('#rules-summary').filter({ hasText: 'すべてのルールを満たしています' }).waitFor();
    assert.match(await page.locator('#password-rules li[data-rule="common"]').innerText(), /保存時に確認します/, 'the common-password rule is the server\'s');

    // The toggle: present with JavaScript, shows both fields as text and back.
    const toggle = page.getByRole('button', { name: 'パスワードを表示' });
    assert.ok(await toggle.isVisible());
    assert.equal(await toggle.getAttribute('aria-pressed'), 'false');
    await toggle.click();
    assert.equal(await toggle.getAttribute('aria-pressed'), 'true');
    assert.equal(await pw.getAttribute('type'), 'text');
    assert.equal(await page.getByLabel(ui.confirmPassword).getAttribute('type'), 'text');
    await toggle.click();
    assert.equal(await pw.getAttribute('type'), 'password');
    await axeCheck(page, t);
    await setPassword(page, ui, t);

    await logIn(page, ui, u, t);
    await onPage(page, ui.totpSetupTitle);
    await expectStep(page, 'ja', 2);
    await axeCheck(page, t);
    // A QR large enough for a phone camera, and the key copied without its spaces.
    const qr = await page.locator('.qr svg').boundingBox();
    assert.ok(qr && qr.width >= 240, `QR ${qr?.width} px wide`);
    const key = (await page.locator('#totp-key').textContent() ?? '').replace(/\s/g, '');
    const copy = page.getByRole('button', { name: 'キーをコピー' });
    await copy.click();
    await page.getByRole('button', { name: ui.copied }).waitFor();
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), key);
    await page.getByLabel(ui.code).fill(independentTotp(key, app.clock.now));
    await page.getByRole('button', { name: ui.register, exact: true }).click();
    await onPage(page, ui.backupCodesTitle);
    await expectStep(page, 'ja', 2);
    await page.getByRole('button', { name: ui.ack }).click();

    // Terms: the last step. The accept request is held while the page is looked at: the button says
    // it is sending, and a second press sends nothing more.
    await onPage(page, ui.termsTitle);
    await expectStep(page, 'ja', 3);
    // What the button says at the moment the request leaves, read in the page before it goes away.
    let posts = 0;
    await page.route('**/terms', async (route) => {
      if (route.request().method() === 'POST') posts++;
      return route.fallback();
    });
    await page.getByLabel(ui.acceptLabel).check();
    const seen = page.evaluate(() => new Promise<{ aria: string | null; text: string; again: boolean }>((resolve) => {
      const form = document.querySelector<HTMLFormElement>('form[action="/terms"]')!;
      const button = form.querySelector<HTMLButtonElement>('button[type="submit"]')!;
      // After app.js's own listener (registered first, on document): the state it left, then a second press.
      document.addEventListener('submit', () => {
        queueMicrotask(() => {
          const state = { aria: button.getAttribute('aria-disabled'), text: button.textContent!.trim() };
          const again = new SubmitEvent('submit', { bubbles: true, cancelable: true, submitter: button });
          const sent = form.dispatchEvent(again);
          resolve({ ...state, again: sent });
        });
      }, { once: true });
    }));
    await page.getByRole('button', { name: ui.accept, exact: true }).click();
    const busy = await seen;
    assert.equal(busy.aria, 'true', 'the button is aria-disabled while the request runs');
    assert.equal(busy.text, '送信中…');
    assert.equal(busy.again, false, 'a second submit of the busy form is cancelled');
    await atHome(page, ui, u, t);
    assert.equal(posts, 1, 'one accept request');
    assertClean(watch);
  });

  it('English at 390 px: the indicator in words, axe clean, nothing wider than the screen', async (t) => {
    const browser = await launchBrowser(t);
    if (!browser) return;
    const app = await startTestApp('sqlite', t);
    await givenTerms(app.ctx);
    const u = await givenUser(app.ctx, { role: 'general', lang: 'en' });
    const { page, watch } = await openPage(browser, { locale: 'en-US', viewport: { width: 390, height: 844 } });
    const ui = UI.en;
    await verifyIdentity(page, ui, u, t);
    await onPage(page, ui.passwordTitle);
    await expectStep(page, 'en', 1);
    await page.getByLabel(ui.newPassword).pressSequentially('Kx7');
    assert.match(await page.locator('#password-rules li[data-rule="need_digit"]').innerText(), /Met/);
    await axeCheck(page, t);
    const wide = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(wide <= 0, `the page scrolls sideways by ${wide} px`);
    assertClean(watch);
  });

  it('without JavaScript: plain rules, no toggle or copy button, and the first login completes', async (t) => {
    const browser = await launchBrowser(t);
    if (!browser) return;
    const app = await startTestApp('sqlite', t);
    await givenTerms(app.ctx);
    const u = await givenUser(app.ctx, { role: 'general', lang: 'ja' });
    const { page, watch } = await openPage(browser, { javaScriptEnabled: false });
    const ui = UI.ja;

    await page.goto(u.setupUrl);
    await onPage(page, ui.identityTitle);
    await expectStep(page, 'ja', 0);
    await page.getByLabel(ui.email).fill(u.email);
    await page.getByLabel(ui.name).fill(u.name);
    await page.getByLabel(ui.phone).fill(u.phone);
    await page.getByRole('button', { name: ui.next }).click();

    await onPage(page, ui.passwordTitle);
    assert.equal(await page.getByRole('button', { name: 'パスワードを表示' }).count(), 0, 'no toggle without JavaScript');
    assert.match(await page.locator('#password-rules').innerText(), /8文字以上/, 'the rules as text');
    await page.getByLabel(ui.newPassword).fill(PASSWORD);
    await page.getByLabel(ui.confirmPassword).fill(PASSWORD);
    await page.getByRole('button', { name: ui.save }).click();
    await onPage(page, ui.doneTitle);
    await page.getByRole('link', { name: ui.returnToService }).click();

    await onPage(page, ui.loginTitle);
    await page.getByLabel(ui.loginId).fill(u.loginId);
    await page.getByLabel(ui.password).fill(PASSWORD);
    await page.getByRole('button', { name: ui.signIn }).click();
    await onPage(page, ui.totpSetupTitle);
    assert.equal(await page.getByRole('button', { name: 'キーをコピー' }).count(), 0, 'no copy button without JavaScript');
    const key = (await page.locator('#totp-key').textContent() ?? '').replace(/\s/g, '');
    await page.getByLabel(ui.code).fill(independentTotp(key, app.clock.now));
    await page.getByRole('button', { name: ui.register, exact: true }).click();
    await onPage(page, ui.backupCodesTitle);
    await page.getByRole('button', { name: ui.ack }).click();
    await onPage(page, ui.termsTitle);
    await expectStep(page, 'ja', 3);
    await page.getByLabel(ui.acceptLabel).check();
    await page.getByRole('button', { name: ui.accept, exact: true }).click();
    await onPage(page, ui.welcome(u.name));
    assertClean(watch);
  });
});
