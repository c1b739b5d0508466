// The console's customers and contracts in a real browser (issue 26 item 3): an operator admin
// signs in through the real first login, creates an organisation from the form (a refused try
// first: the error beside the field), imports contracts from CSV with a dry run that names a bad
// line, fixes it, dry-runs again, imports for real and finds them with a full-width keyword; the
// same pages in English and at 375 px. axe on every page; no console error, CSP violation or
// request leaving the machine.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp } from '../helpers/app.ts';
import { givenTerms, givenUser } from '../helpers/scenario.ts';
import { givenProvider } from '../helpers/operator.ts';
import { givenCatalogue } from '../helpers/operator-customers.ts';
import { assertClean, axeCheck, launchBrowser, onPage, openPage } from '../helpers/browser.ts';
import { setOperatorRole } from '../../src/auth/service.ts';
import { UI, firstLoginWithTotp } from './walk.ts';

describe('browser: the console\'s customers and contracts (issue 26)', () => {
  it('create an organisation, import contracts with a dry run, then for real; ja, en, 375 px; axe', async (t) => {
    const browser = await launchBrowser(t);
    if (!browser) return;
    const app = await startTestApp('sqlite', t);
    await givenTerms(app.ctx);
    await givenCatalogue(app);
    const providerId = await givenProvider(app);
    const op = await givenUser(app.ctx, { orgId: providerId, role: 'general', name: '運用 太郎' });
    await setOperatorRole(app.ctx, op.id, 'operator_admin', { userId: null, ip: '127.0.0.1' });
    const { page, watch } = await openPage(browser);
    await firstLoginWithTotp(page, UI.ja, op, 'general', app.clock.now, t);
    const main = () => page.locator('main').innerText();

    // An organisation: a refused try (no name), then created.
    await page.goto(`${app.url}/operator/organisations`);
    await onPage(page, '組織');
    await axeCheck(page, t);
    await page.getByRole('button', { name: '組織を作成' }).click();
    await onPage(page, '組織');
    assert.equal(await page.getByLabel(/^組織名\s*\(必須\)/).getAttribute('aria-invalid'), 'true');
    await axeCheck(page, t);
    await page.getByLabel(/^組織名\s*\(必須\)/).fill('ブラウザ商事');
    await page.getByLabel(/^種別\s*\(必須\)/).selectOption('direct');
    await page.getByRole('button', { name: '組織を作成' }).click();
    await onPage(page, 'ブラウザ商事');
    assert.match(await main(), /組織を作成しました。/);
    await axeCheck(page, t);
    const orgId = /\/operator\/organisations\/([^?]+)/.exec(page.url())![1]!;

    // The import: a dry run that names the bad line and writes nothing.
    await page.goto(`${app.url}/operator/contracts/import`);
    await onPage(page, '契約を CSV から取り込む');
    await axeCheck(page, t);
    const header = 'organisation,number,service,site,memo';
    const bad = [header, `${orgId},N500000001,fx-pbx,東京本社,営業部`, `${orgId},N5000,fx-pbx,大阪,`, `${orgId},N500000003,fx-fax,名古屋,`].join('\n');
    await page.getByLabel(/^CSV/).fill(bad);
    await page.getByRole('button', { name: '確認（ドライラン）' }).click();
    await onPage(page, '契約を CSV から取り込む');
    const report = await page.locator('section[aria-labelledby="h-report"]').innerText();
    assert.match(report, /取り込みませんでした：1 行に問題があります/);
    assert.match(report, /「N」と9桁の数字で入力してください（例：N123456789、入力値「N5000」）/);
    assert.match(report, /作成（fx-pbx）/);
    await axeCheck(page, t);
    const count = async () => Number((await app.ctx.db.selectFrom('contract').select((e) => e.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
    assert.equal(await count(), 0);

    // Fixed, dry-run again, then imported for real.
    await page.getByLabel(/^CSV/).fill(bad.replace('N5000,', 'N500000002,'));
    await page.getByRole('button', { name: '確認（ドライラン）' }).click();
    await onPage(page, '契約を CSV から取り込む');
    assert.match(await main(), /ドライラン：作成 3 件、変更 0 件、変更なし 0 件、問題のある行 0 件。何も書き込んでいません。/);
    assert.equal(await count(), 0);
    await page.getByRole('button', { name: '取り込む', exact: true }).click();
    await onPage(page, '契約を CSV から取り込む');
    assert.match(await main(), /取り込みました：作成 3 件、変更 0 件、変更なし 0 件。/);
    await axeCheck(page, t);
    assert.equal(await count(), 3);

    // Found in the list with a full-width two-term keyword, as the customer list would.
    await page.goto(`${app.url}/operator/contracts`);
    await onPage(page, '契約');
    await page.getByLabel('絞り込みキーワード').fill('東京本社　ｎ５');
    await page.getByRole('button', { name: '絞り込む' }).click();
    await onPage(page, '契約');
    assert.match(await main(), /合計 1件/);
    assert.match(await main(), /N500000001/);
    await axeCheck(page, t);
    await page.locator('table.contracts tbody a', { hasText: 'N500000001' }).click();
    await onPage(page, 'ご契約 N500000001');
    await page.getByLabel(/^運用状況/).selectOption('maintenance');
    await page.getByRole('button', { name: '保存' }).click();
    await onPage(page, 'ご契約 N500000001');
    assert.match(await main(), /契約を保存しました：運用状況。/);
    await axeCheck(page, t);

    // English, and a phone-sized screen.
    await page.getByRole('link', { name: 'English' }).click();
    await onPage(page, 'Contract N500000001');
    await axeCheck(page, t);
    for (const path of ['/operator/organisations', '/operator/contracts/import', '/operator/services', '/operator/orders', `/operator/organisations/${orgId}`]) {
      await page.goto(`${app.url}${path}`);
      await page.locator('h1').waitFor();
      await axeCheck(page, t);
    }
    await page.setViewportSize({ width: 375, height: 800 });
    for (const path of ['/operator/contracts', '/operator/contracts/import']) {
      await page.goto(`${app.url}${path}`);
      await page.locator('h1').waitFor();
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      assert.ok(overflow <= 1, `no sideways scrolling at 375 px on ${path}: ${overflow}px`);
      await axeCheck(page, t);
    }
    assertClean(watch);
  });
});
