// The dashboard and the contract list in a real browser (S7, S8) over the demo portal: a general
// user's first login lands on the dashboard with only their group's services; the contract list is
// filtered with a full-width keyword through the GET form, paged, and the back button returns to
// the previous filter; the settings-site list and its button (no client: the plain link); the admin's dashboard and group page.
// axe on every page; no console error, CSP violation or request leaving the machine.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp } from '../helpers/app.ts';
import type { GivenUser } from '../helpers/scenario.ts';
import { assertClean, axeCheck, launchBrowser, onPage, openPage } from '../helpers/browser.ts';
import { fillDemo } from '../../src/portal/demo.ts';
import { UI, firstLoginWithTotp } from './walk.ts';

describe('browser: dashboard and contract list (issue 17)', () => {
  it('general user: dashboard → contract list → keyword, page, back → settings sites; admin: dashboard and group permissions', async (t) => {
    const browser = await launchBrowser(t);
    if (!browser) return;
    const app = await startTestApp('sqlite', t);
    const demo = await fillDemo(app.ctx);
    const asGiven = (i: number): GivenUser => {
      const u = demo.users[i]!;
      return { id: '', loginId: u.loginId, email: u.loginId, name: u.name, phone: u.phone, orgId: '', setupUrl: u.setupUrl };
    };
    const ui = UI.ja;

    const { page, watch } = await openPage(browser);
    await firstLoginWithTotp(page, ui, asGiven(1), 'general', app.clock.now, t); // sales@: the 営業部 group
    const main = () => page.locator('main').innerText();
    const dash = await main();
    assert.match(dash, /ご契約中のサービスから選ぶ/);
    assert.match(dash, /最近の操作・ピン留め/);
    assert.doesNotMatch(dash, /ポータル管理者向け/);
    assert.match(dash, /メンテナンスのお知らせ/);
    assert.match(dash, /工事・故障情報/);

    // The first service's «ご契約・運用状況» opens its contract list.
    await page.getByRole('link', { name: 'ご契約・運用状況' }).first().click();
    await onPage(page, /^ご契約・運用状況一覧: /);
    await axeCheck(page, t);
    assert.match(await main(), /合計 \d+件/);

    // All services, a full-width two-term keyword through the form: the URL carries the filter.
    await page.goto(`${app.url}/portal/contracts`);
    await onPage(page, 'ご契約・運用状況一覧');
    const all = Number(/合計 (\d+)件/.exec(await main())![1]);
    assert.ok(all > 10, `sales sees more than one page: ${all}`);
    await page.getByLabel('絞り込みキーワード').fill('営業部　ｎ１');
    await page.getByRole('button', { name: '絞り込む' }).click();
    await onPage(page, 'ご契約・運用状況一覧');
    assert.equal(new URL(page.url()).searchParams.get('q'), '営業部　ｎ１');
    const filtered = Number(/合計 (\d+)件/.exec(await main())![1]);
    assert.ok(filtered > 0 && filtered <= all, `filtered ${filtered} of ${all}`);
    for (const cell of await page.locator('table.contracts tbody tr td:nth-child(6)').allInnerTexts()) assert.match(cell, /営業部/);
    await axeCheck(page, t);

    // Page 2 of the unfiltered list, then back to the filter.
    await page.goto(`${app.url}/portal/contracts`);
    await page.getByRole('link', { name: '2ページ' }).first().click();
    await page.waitForURL(/page=2/);
    assert.match(await page.locator('nav.pager [aria-current="page"]').innerText(), /2/);
    await axeCheck(page, t);
    await page.goBack();
    await page.goBack();
    await page.waitForURL(/q=/);
    assert.equal(Number(/合計 (\d+)件/.exec(await main())![1]), filtered, 'the back button returns to the filtered list');

    // A contract, the settings-site list of a service that has one, and its button (no client registered).
    await page.locator('table.contracts tbody a').first().click();
    await onPage(page, /^ご契約 N\d{9}$/);
    await axeCheck(page, t);
    await page.goto(`${app.url}/portal/settings-sites`);
    await onPage(page, '設定変更一覧');
    await axeCheck(page, t);
    const change = page.getByRole('link', { name: /の設定を変更する$/ }).first();
    if (await change.count()) {
      await change.click();
      await onPage(page, 'Web設定変更サイト');
      assert.match(await main(), /まだビジネスポータルからのログインに対応していません/);
      await axeCheck(page, t);
    }

    // Pin a service from the dashboard.
    await page.goto(`${app.url}/`);
    await page.getByRole('button', { name: /をピン留め$/ }).first().click();
    await onPage(page, /^ようこそ、.+ 様$/);
    assert.match(await main(), /ピン留めしました/);
    assert.ok(await page.getByRole('button', { name: /のピン留めを外す$/ }).count() === 1);
    await axeCheck(page, t);
    assertClean(watch);

    // The portal admin, in English: «For portal admins» and the group page's contract section.
    const adminSide = await openPage(browser, { locale: 'en-GB' });
    await firstLoginWithTotp(adminSide.page, UI.en, asGiven(0), 'admin', app.clock.now, t);
    const ap = adminSide.page;
    assert.match(await ap.locator('main').innerText(), /For portal admins[\s\S]*User groups and contract permissions/);
    await ap.getByRole('link', { name: 'User groups and contract permissions' }).click();
    await ap.getByRole('link', { name: '営業部' }).click();
    await onPage(ap, '営業部');
    assert.match(await ap.locator('main').innerText(), /Contracts this group may view/);
    await axeCheck(ap, t);
    await ap.goto(`${app.url}/portal/contracts?q=${encodeURIComponent('ｶﾅ')}`);
    await onPage(ap, 'Contract & operation status');
    assert.match(await ap.locator('main').innerText(), /Total [1-9]\d* items/);
    await axeCheck(ap, t);
    assertClean(adminSide.watch);
  });
});
