// S3.4–S3.5 in a real browser: TOTP enrolment shows backup codes that can be downloaded and copied;
// a later login, done with the keyboard alone, uses a backup code instead of the app's code.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { startTestApp } from '../helpers/app.ts';
import { givenTerms, givenUser } from '../helpers/scenario.ts';
import { assertClean, axeCheck, launchBrowser, onPage, openPage } from '../helpers/browser.ts';
import { PASSWORD, UI, acceptTerms, atHome, backupCodesOnPage, enrolTotp, logIn, setPassword, verifyIdentity } from './walk.ts';

const focusedId = (page: Page) => page.evaluate(() => document.activeElement?.id ?? document.activeElement?.tagName ?? null);

describe('browser: TOTP enrolment and backup codes', () => {
  it('offers the codes as a download, then a keyboard-only login uses one instead of TOTP', async (t) => {
    const browser = await launchBrowser(t);
    if (!browser) return;
    const app = await startTestApp('sqlite', t);
    await givenTerms(app.ctx);
    const u = await givenUser(app.ctx, { role: 'general', lang: 'ja' });
    const { context, page, watch } = await openPage(browser);
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: app.url });
    const ui = UI.ja;

    await verifyIdentity(page, ui, u, t);
    await setPassword(page, ui, t);
    await logIn(page, ui, u, t);
    await enrolTotp(page, ui, app.clock.now, t);
    const codes = await backupCodesOnPage(page);
    assert.ok(codes.length >= 8);

    // Download: a text file holding every code (S3.5 «copy/download»).
    const link = page.getByRole('link', { name: ui.download });
    assert.equal(await link.getAttribute('download'), 'backup-codes.txt');
    const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
    const saved = await readFile((await download.path())!, 'utf8');
    for (const c of codes) assert.ok(saved.includes(c), `downloaded file holds ${c}`);

    // Copy: app.js shows the button and puts the codes on the clipboard.
    const copy = page.getByRole('button', { name: ui.copy, exact: true });
    await copy.click();
    await page.getByRole('button', { name: ui.copied }).waitFor();
    const clip = await page.evaluate(() => navigator.clipboard.readText());
    assert.deepEqual(clip.split('\n'), codes);

    await page.getByRole('button', { name: ui.ack }).click();
    await acceptTerms(page, ui, t);
    await atHome(page, ui, u, t);
    await page.getByRole('button', { name: ui.signOut }).click();
    await onPage(page, ui.loginTitle);

    // A later login with the keyboard only: Tab, typing and Enter (no mouse, no fill()).
    app.clock.advance(10 * 60_000);
    await page.goto(`${app.url}/login`);
    await onPage(page, ui.loginTitle);
    assert.equal(await focusedId(page), 'f-loginId', 'the login ID field has focus on load');
    await page.keyboard.type(u.loginId);
    await page.keyboard.press('Tab');
    assert.equal(await focusedId(page), 'f-password');
    await page.keyboard.type(PASSWORD);
    await page.keyboard.press('Enter');

    await onPage(page, ui.totpTitle);
    await axeCheck(page, t);
    assert.equal(await focusedId(page), 'f-code', 'the code field has focus on load');
    // Tab past the code field and its button to the «バックアップコードを使用する» summary, open it.
    const summary = page.locator('details.backup summary');
    for (let i = 0; i < 5 && !(await summary.evaluate((el) => el === document.activeElement)); i++) await page.keyboard.press('Tab');
    assert.equal((await page.evaluate(() => document.activeElement?.textContent))?.trim(), ui.useBackup);
    await page.keyboard.press('Enter');
    assert.ok(await page.locator('details.backup').evaluate((d) => (d as HTMLDetailsElement).open), 'details opened from the keyboard');
    await axeCheck(page, t);
    await page.keyboard.press('Tab');
    assert.equal(await focusedId(page), 'f-backupCode');
    await page.keyboard.type(codes[0]!);
    await page.keyboard.press('Enter');

    await atHome(page, ui, u, t);
    assert.doesNotMatch(await page.locator('main').innerText(), new RegExp(ui.firstLogin), 'the previous login is shown now');
    const used = await app.ctx.db.selectFrom('audit_log').select('event').where('subject_user_id', '=', u.id).execute();
    assert.ok(used.some((e) => /backup/.test(e.event)), `audit records the backup code (${used.map((e) => e.event).join(', ')})`);

    assertClean(watch);
  });
});
