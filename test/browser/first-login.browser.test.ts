// S2 + S3 + S6 in a real browser: a general user's Japanese first login from the mailed link to the
// home page, with axe on every page, under the app's real CSP, and nothing fetched from elsewhere.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp } from '../helpers/app.ts';
import { givenTerms, givenUser } from '../helpers/scenario.ts';
import { assertClean, launchBrowser, openPage } from '../helpers/browser.ts';
import { UI, acceptTerms, atHome, backupCodesOnPage, enrolTotp, logIn, setPassword, verifyIdentity } from './walk.ts';

describe('browser: first login (general user, Japanese)', () => {
  it('mail link → identity → password → completion → login → TOTP setup → backup codes → terms → home', async (t) => {
    const browser = await launchBrowser(t);
    if (!browser) return;
    const app = await startTestApp('sqlite', t);
    await givenTerms(app.ctx);
    const u = await givenUser(app.ctx, { role: 'general', lang: 'ja' });
    const { page, watch } = await openPage(browser);
    const ui = UI.ja;

    await verifyIdentity(page, ui, u, t);
    assert.equal(await page.locator('html').getAttribute('lang'), 'ja');
    await setPassword(page, ui, t);
    assert.equal(new URL(page.url()).pathname, '/login');
    await logIn(page, ui, u, t);
    // S3.3: a general user never sees the method selection; TOTP setup comes straight away.
    await enrolTotp(page, ui, app.clock.now, t);
    const codes = await backupCodesOnPage(page);
    assert.equal(new Set(codes).size, codes.length);
    assert.ok(codes.length >= 8, `backup codes shown (${codes.length})`);
    await page.getByRole('button', { name: ui.ack }).click();
    await acceptTerms(page, ui, t);
    await atHome(page, ui, u, t);
    assert.match(await page.locator('main').innerText(), new RegExp(ui.firstLogin));
    assert.equal((await page.locator('header .who').textContent())?.trim(), u.name);

    assertClean(watch);
  });
});
