// Issue 26 items 4–5 in a real browser, without help from JavaScript: a service manager schedules a
// maintenance window after previewing the login page's banner and the dashboard's slot, composes
// and previews a notice for two services and publishes it; the customer's dashboard then shows
// both, in English and in Japanese. An operator admin checks a terms diff. axe on every page, at
// 1280 px and 375 px; no CSP violation, no console error.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { assertClean, axeCheck, launchBrowser, openPage } from '../helpers/browser.ts';
import { givenWorld, sessionFor } from '../helpers/portal-world.ts';
import { loggedInOperator } from '../helpers/operator.ts';
import type { Browser as HttpBrowser } from '../helpers/client.ts';

const HOUR = 3_600_000;
const jst = (app: TestApp, ms: number) => new Date(app.clock.now + ms + 9 * HOUR).toISOString().slice(0, 16);

describe('browser: the console schedules maintenance and publishes a notice; the customer sees both (issue 26)', () => {
  it('preview → schedule, preview → publish, the dashboard in en and ja; terms diff; axe on every page', async (t) => {
    const browser = await launchBrowser(t);
    if (!browser) return;
    const app = await startTestApp('sqlite', t);
    await givenWorld(app.ctx.db);
    const customer = await sessionFor(app, 'aGen', 'A');      // sees Colocation (S1)
    const manager = await loggedInOperator(app, 'service_manager');
    const admin = await loggedInOperator(app, 'operator_admin');
    const signedIn = async (http: HttpBrowser, locale: string) => {
      const o = await openPage(browser, { locale });
      await o.context.addCookies([...http.jar].map(([name, value]) => ({ name, value, url: app.url })));
      return o;
    };
    const check = async (page: Page) => {
      await axeCheck(page, t);
      await page.setViewportSize({ width: 375, height: 812 });
      await axeCheck(page, t);
      await page.setViewportSize({ width: 1280, height: 900 });
    };

    const op = await signedIn(manager.b, 'en-GB');
    const p = op.page;
    // Maintenance: the preview draws the login page's banner and the dashboard's slot, writes nothing.
    await p.goto(`${app.url}/operator/maintenance?lang=en`);
    await check(p);
    await p.locator('#f-startsAt').fill(jst(app, 26 * HOUR));
    await p.locator('#f-endsAt').fill(jst(app, 28 * HOUR));
    await p.getByLabel('Message (Japanese)').fill('認証基盤更新のためログインできません');
    await p.getByLabel('Message (English)').fill('Login is unavailable while the login system is updated');
    await p.getByRole('button', { name: 'Preview' }).click();
    const preview = p.locator('section.console-preview');
    await preview.waitFor();
    const shown = await preview.innerText();
    assert.match(shown, /Scheduled maintenance: .*You cannot log in during this time\.\s+Login is unavailable while the login system is updated/);
    assert.match(shown, /メンテナンスを予定しています/);
    assert.match(shown, /Scheduled maintenance: \d/, 'the dashboard slot');
    assert.match(shown, /メンテナンスのお知らせ: /);
    assert.equal(Number((await app.ctx.db.selectFrom('maintenance_window').select((e) => e.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n), 0, 'preview wrote nothing');
    await check(p);
    await p.getByRole('button', { name: 'Schedule', exact: true }).click();
    await p.getByRole('status').filter({ hasText: 'The maintenance window is scheduled.' }).waitFor();
    await check(p);

    // A notice for two services: preview as the dashboard and the notice page show it, then publish.
    await p.goto(`${app.url}/operator/notices/new?lang=en`);
    await check(p);
    await p.getByLabel('Type').selectOption('outage');
    await p.getByLabel('Colocation').check();
    await p.getByLabel('Secret Voice').check();
    await p.getByLabel('Title (Japanese)').fill('一部回線の障害');
    await p.getByLabel('Title (English)').fill('Some lines are down');
    await p.getByLabel('Text (Japanese)').fill('復旧作業中です。');
    await p.getByLabel('Text (English)').fill('We are restoring them.');
    await p.locator('#f-startsAt').fill(jst(app, -HOUR));
    await p.getByRole('button', { name: 'Preview' }).click();
    await p.locator('section.console-preview').waitFor();
    assert.match(await p.locator('section.console-preview').innerText(), /Outage\s+Some lines are down[\s\S]*故障\s*一部回線の障害|故障\s*一部回線の障害[\s\S]*Outage\s+Some lines are down/);
    await check(p);
    await p.getByRole('button', { name: 'Publish' }).click();
    await p.getByRole('heading', { level: 1, name: 'Some lines are down' }).waitFor();
    await p.getByRole('status').filter({ hasText: 'The notice is published.' }).waitFor();
    await check(p);
    await p.goto(`${app.url}/operator/notices?lang=ja`);
    await check(p);
    await p.goto(`${app.url}/operator/migrations?lang=ja`);
    await check(p);
    assertClean(op.watch);

    // The customer's dashboard, in English and in Japanese.
    const cust = await signedIn(customer, 'en-GB');
    await cust.page.goto(`${app.url}/?lang=en`);
    const dashEn = await cust.page.locator('main').innerText();
    assert.match(dashEn, /Login is unavailable while the login system is updated/);
    assert.match(dashEn, /Some lines are down/);
    await check(cust.page);
    await cust.page.goto(`${app.url}/?lang=ja`);
    const dashJa = await cust.page.locator('main').innerText();
    assert.match(dashJa, /認証基盤更新のためログインできません/);
    assert.match(dashJa, /一部回線の障害/);
    await check(cust.page);
    assertClean(cust.watch);

    // An operator admin: the diff of a new terms version, before publishing.
    const ad = await signedIn(admin.b, 'ja-JP');
    await ad.page.goto(`${app.url}/operator/terms?lang=ja`);
    await check(ad.page);
    const body = ad.page.getByLabel('規約本文(英語)');
    await body.fill(`${await body.inputValue()}\n5. <b>New</b> article.`);
    await ad.page.getByRole('button', { name: '差分を表示' }).click();
    await ad.page.locator('table.line-diff').first().waitFor();
    assert.match(await ad.page.locator('table.line-diff ins').first().innerText(), /5\. <b>New<\/b> article\./, 'markup shown as text');
    await check(ad.page);
    await ad.page.getByRole('button', { name: /として公開/ }).click();
    await ad.page.getByRole('status').filter({ hasText: '公開しました' }).waitFor();
    await check(ad.page);
    assertClean(ad.watch);
  });
});
