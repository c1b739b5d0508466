// Issue 22 (seed 001) in a real browser under the app's CSP: a matrix organisation's user registers
// by clicking cells (each shows its click order, a re-click takes the later order), confirms, logs
// in with the digits at the positions in a fresh matrix, sets up TOTP, accepts the terms and reaches
// home; axe on every matrix page. Also the path without JavaScript: the positions typed.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { startTestApp } from '../helpers/app.ts';
import { givenTerms, givenUser } from '../helpers/scenario.ts';
import { assertClean, axeCheck, launchBrowser, onPage, openPage } from '../helpers/browser.ts';
import { updateOrganisationSettings } from '../../src/auth/tenancy/organisations.ts';
import { UI, acceptTerms, atHome, enrolTotp, verifyIdentity } from './walk.ts';

const CELLS = ['B2', 'F5', 'A1', 'H6', 'C3', 'D1', 'G4', 'E6'];

const orderIn = (page: Page, cell: string) => page.locator(`td[data-cell="${cell}"] .order`).textContent();

describe('browser: matrix password (issue 22)', () => {
  it('clicks the cells → confirm → matrix login → TOTP → terms → home', async (t) => {
    const browser = await launchBrowser(t);
    if (!browser) return;
    const app = await startTestApp('sqlite', t);
    await givenTerms(app.ctx);
    const u = await givenUser(app.ctx, { role: 'general', lang: 'ja' });
    await updateOrganisationSettings(app.ctx.db, u.orgId, { firstFactor: 'matrix' }, app.ctx.now());
    const { page, watch } = await openPage(browser);
    const ui = UI.ja;

    await verifyIdentity(page, ui, u, t);
    await onPage(page, 'パスワード登録');
    await axeCheck(page, t);
    const cell = (name: string) => page.locator(`td[data-cell="${name}"] button`);
    // A re-click: A1 first, then B1, then A1 again → B1 is 1, A1 is 2, and A1's "1" is gone.
    await cell('A1').click();
    await cell('B1').click();
    assert.equal(await orderIn(page, 'A1'), '1');
    await cell('A1').click();
    assert.equal(await orderIn(page, 'B1'), '1');
    assert.equal(await orderIn(page, 'A1'), '2');
    assert.equal(await cell('A1').getAttribute('aria-pressed'), 'true');
    await page.getByRole('button', { name: '最初から選び直す' }).click();
    assert.equal(await orderIn(page, 'A1'), '');
    for (const c of CELLS) await cell(c).click();
    assert.equal(await page.getByLabel('パスワード位置').inputValue(), CELLS.join(', '));
    await axeCheck(page, t);
    await page.getByRole('button', { name: '登録', exact: true }).click();

    await onPage(page, 'パスワード登録確認');
    await axeCheck(page, t);
    assert.equal((await page.locator('#matrix-confirm td[data-cell="B2"]').textContent())?.trim(), '1');
    assert.equal((await page.locator('#matrix-confirm td[data-cell="E6"]').textContent())?.trim(), '8');
    await page.getByRole('button', { name: '確定' }).click();
    await onPage(page, 'パスワード登録完了');
    await axeCheck(page, t);
    // The login page offers the matrix login too (an organisation uses it): the way a returning user comes.
    await page.goto(`${app.url}/login`);
    await page.getByRole('link', { name: 'マトリクスパスワードでログイン' }).click();

    await onPage(page, 'マトリクスパスワードでログイン');
    await axeCheck(page, t);
    await page.getByLabel('メールアドレスまたはログインID').fill(u.email);
    await page.getByRole('button', { name: '送信' }).click();
    await onPage(page, 'ユーザー認証');
    await axeCheck(page, t);
    let answer = '';
    for (const c of CELLS) answer += (await page.locator(`#matrix-challenge td[data-cell="${c}"]`).textContent())?.trim();
    assert.match(answer, /^\d{8}$/);
    await page.getByLabel('パスワード位置の数字').fill(answer);
    await page.getByRole('button', { name: '送信' }).click();

    await enrolTotp(page, ui, app.clock.now, t);
    await page.getByRole('button', { name: ui.ack }).click();
    await acceptTerms(page, ui, t);
    await atHome(page, ui, u, t);
    assertClean(watch);
  });

  it('without JavaScript the positions are typed', async (t) => {
    const browser = await launchBrowser(t);
    if (!browser) return;
    const app = await startTestApp('sqlite', t);
    const u = await givenUser(app.ctx, { role: 'general', lang: 'ja' });
    await updateOrganisationSettings(app.ctx.db, u.orgId, { firstFactor: 'matrix' }, app.ctx.now());
    const { page } = await openPage(browser, { javaScriptEnabled: false });
    // By hand, not verifyIdentity: its axe check needs JavaScript in the page.
    const ui = UI.ja;
    await page.goto(u.setupUrl);
    await onPage(page, ui.identityTitle);
    await page.getByLabel(ui.email).fill(u.email);
    await page.getByLabel(ui.name).fill(u.name);
    await page.getByLabel(ui.phone).fill(u.phone);
    await page.getByRole('button', { name: ui.next }).click();
    await onPage(page, 'パスワード登録');
    assert.equal(await page.locator('td[data-cell] button').count(), 0, 'no buttons without the script');
    await page.getByLabel('パスワード位置').fill(CELLS.slice(0, 7).join(','));
    await page.getByRole('button', { name: '登録', exact: true }).click();
    await onPage(page, 'パスワード登録');
    assert.match(await page.locator('main').innerText(), /8か所以上選んでください/);
    await page.getByLabel('パスワード位置').fill(CELLS.join(','));
    await page.getByRole('button', { name: '登録', exact: true }).click();
    await onPage(page, 'パスワード登録確認');
    await page.getByRole('button', { name: '確定' }).click();
    await onPage(page, 'パスワード登録完了');
  });
});
