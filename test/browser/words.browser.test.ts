// Issue 20 items 3 and 7 in a real browser: the security settings and the admin audit log read in
// words, in ja and en, at 1280 px and 390 px: axe clean (no serious or critical), no sideways scroll
// of the page, the audit table's region reached by the keyboard, and a row per card on a phone.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp } from '../helpers/app.ts';
import { axeCheck, launchBrowser, openPage } from '../helpers/browser.ts';
import { api, givenOrg, loggedIn } from '../helpers/admin.ts';
import { givenUser } from '../helpers/scenario.ts';

describe('browser: events and devices in words (issue 20)', () => {
  it('/profile and /admin/audit: ja/en, 1280/390 px, axe, no sideways scroll, keyboard-reachable table region', async (t) => {
    const browser = await launchBrowser(t);
    if (!browser) return;
    const app = await startTestApp('sqlite', t);
    const org = await givenOrg(app, 'direct');
    const admin = await loggedIn(app, org, 'admin');
    const user = await givenUser(app.ctx, { orgId: org, name: '佐藤 花子' });
    // A long unbroken value must wrap inside the table, not push the page sideways.
    assert.equal((await api(app, admin.b, 'POST', `/admin/users/${user.id}/contact`, { email: `hanako.sato.${'x'.repeat(40)}@example-company.co.jp`, name: '佐藤 花子', phone: '0398765432' })).status, 200);

    for (const lang of ['ja', 'en'] as const) {
      for (const width of [1280, 390]) {
        const { context, page } = await openPage(browser, { viewport: { width, height: 900 }, locale: lang === 'ja' ? 'ja-JP' : 'en-GB' });
        await context.addCookies([...admin.b.jar].map(([name, value]) => ({ name, value, url: app.url })));
        for (const path of ['/profile', '/admin/audit']) {
          await page.goto(`${app.url}${path}?lang=${lang}`);
          const where = `${path} ${lang} ${width}px`;
          const body = await page.locator('main, body').first().innerText();
          assert.match(body, lang === 'ja' ? /ログイン成功\(認証アプリ\)/ : /Signed in \(authenticator app\)/, where);
          assert.doesNotMatch(body, /login\.succeeded|mfa\.totp_enrolled/, where);
          if (path === '/admin/audit') assert.match(body, lang === 'ja' ? /ユーザー情報を変更/ : /Contact details changed/, where);
          await axeCheck(page, t);
          const sideways = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
          assert.ok(sideways <= 0, `${where}: the page scrolls sideways by ${sideways}px`);
          const region = page.locator('.table-wrap[role="region"]:has(table.audit-table)');
          // Tab through the page until the table's region has the focus (bounded: a page has few stops).
          let reached = false;
          await page.locator('body').focus();
          for (let i = 0; i < 80 && !reached; i++) {
            await page.keyboard.press('Tab');
            reached = await region.evaluate((el) => el === document.activeElement);
          }
          assert.ok(reached, `${where}: the audit table's region is reached by the keyboard`);
          const headVisible = await page.locator('table.audit-table thead').evaluate((el) => el.getBoundingClientRect().height > 2);
          assert.equal(headVisible, width > 640, `${where}: a table on a wide screen, a card per row on a phone`);
        }
        await context.close();
      }
    }
  });
});
