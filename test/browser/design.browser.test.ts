// Issue 20 items 1, 4, 8 in Chromium: the main pages in ja/en, light/dark, 390 and 1280 px: axe clean
// (colour contrast included, so the dark tokens are checked), no sideways scrolling, the global
// navigation marks the current page and is reachable by keyboard; the home's cards lead somewhere.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp } from '../helpers/app.ts';
import { axeCheck, launchBrowser } from '../helpers/browser.ts';
import { givenWorld, sessionFor, T0 } from '../helpers/portal-world.ts';

const NAV = { ja: 'メインメニュー', en: 'Main menu' } as const;
const CURRENT = {
  ja: { '/': 'ホーム', '/profile': 'セキュリティ設定', '/help': 'ヘルプ', '/admin': 'ポータル管理' },
  en: { '/': 'Home', '/profile': 'Security settings', '/help': 'Help', '/admin': 'Portal administration' },
} as const;

describe('design system pages', () => {
  it('axe clean, no sideways scroll, current page marked: light and dark, ja and en, 390 and 1280 px', async (t) => {
    const browser = await launchBrowser(t);
    if (!browser) return;
    const app = await startTestApp('sqlite', t);
    app.clock.now = T0;
    await givenWorld(app.ctx.db);
    const admin = await sessionFor(app, 'aAdmin', 'A');
    const pages: { path: string; signedIn: boolean; current?: keyof typeof CURRENT.ja }[] = [
      { path: '/login', signedIn: false }, { path: '/', signedIn: true, current: '/' },
      { path: '/portal/contracts', signedIn: true }, { path: '/no-such-page', signedIn: true },
      { path: '/help', signedIn: true, current: '/help' }, { path: '/profile', signedIn: true, current: '/profile' },
      { path: '/admin/users', signedIn: true, current: '/admin' },
    ];
    for (const scheme of ['light', 'dark'] as const) {
      for (const lang of ['ja', 'en'] as const) {
        const context = await browser.newContext({ locale: lang === 'ja' ? 'ja-JP' : 'en-GB', colorScheme: scheme });
        const page = await context.newPage();
        for (const p of pages) {
          await context.clearCookies();
          if (p.signedIn) await context.addCookies([...admin.jar].map(([name, value]) => ({ name, value, url: app.url })));
          for (const width of [390, 1280]) {
            await page.setViewportSize({ width, height: 800 });
            await page.goto(`${app.url}${p.path}?lang=${lang}`);
            const where = `${p.path} ${lang} ${scheme} ${width}`;
            assert.equal(await page.evaluate(() => matchMedia('(prefers-color-scheme: dark)').matches), scheme === 'dark', where);
            const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
            assert.ok(overflow <= 0, `${where}: scrolls sideways by ${overflow}px`);
            const nav = page.getByRole('navigation', { name: NAV[lang] });
            if (!p.signedIn) { assert.equal(await nav.count(), 0, `${where}: no global navigation when signed out`); continue; }
            assert.ok(await nav.isVisible(), `${where}: the global navigation is visible`);
            const current = nav.locator('[aria-current="page"]');
            if (p.current) assert.equal((await current.innerText()).trim(), CURRENT[lang][p.current], where);
            else assert.equal(await current.count(), 0, `${where}: nothing marked`);
            if (width === 390) await axeCheck(page, t);
          }
        }
        await context.close();
      }
    }
  });

  it('the global navigation by keyboard, and the home cards lead to their pages', async (t) => {
    const browser = await launchBrowser(t);
    if (!browser) return;
    const app = await startTestApp('sqlite', t);
    app.clock.now = T0;
    await givenWorld(app.ctx.db);
    const general = await sessionFor(app, 'aGen', 'A');
    const context = await browser.newContext({ locale: 'ja-JP', viewport: { width: 390, height: 800 } });
    await context.addCookies([...general.jar].map(([name, value]) => ({ name, value, url: app.url })));
    const page = await context.newPage();
    await page.goto(`${app.url}/?lang=ja`);
    const nav = page.getByRole('navigation', { name: NAV.ja });
    assert.equal(await nav.getByRole('link', { name: 'ポータル管理' }).count(), 0, 'no admin entry for a general user');
    // Tab from the top until the security settings entry has the focus, then follow it with Enter.
    let reached = false;
    for (let i = 0; i < 15 && !reached; i++) {
      await page.keyboard.press('Tab');
      reached = await page.evaluate(() => document.activeElement?.textContent === 'セキュリティ設定' && document.activeElement.closest('nav.global') !== null);
    }
    assert.ok(reached, 'the navigation is reachable by Tab');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/profile/);
    await page.goto(`${app.url}/?lang=ja`);
    await page.getByRole('link', { name: 'お問い合わせ', exact: true }).click();
    await page.waitForURL(/\/portal\/tickets/);
    await page.goto(`${app.url}/?lang=ja`);
    await page.getByRole('link', { name: 'ご契約一覧', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: /ご契約・運用状況一覧/ }).waitFor();
    await context.close();
  });
});
