// Issue 20 item 2 in a real browser: org A's user sees A's logo in the header and the header in
// A's colour (computed style: the theme stylesheet's --brand), in light and dark; org B's user
// sees the product's own header. No CSP violation (the theme is a stylesheet, never inline).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp } from '../helpers/app.ts';
import { assertClean, axeCheck, launchBrowser, openPage } from '../helpers/browser.ts';
import { givenWorld, sessionFor, T0 } from '../helpers/portal-world.ts';
import { setBrand } from '../../src/branding/service.ts';

const PNG_1x1 = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');

describe('browser: branding', () => {
  it('shows org A\'s logo and colour in A\'s header, not in B\'s', async (t) => {
    const browser = await launchBrowser(t);
    if (!browser) return;
    const app = await startTestApp('sqlite', t);
    app.clock.now = T0;
    await givenWorld(app.ctx.db);
    await setBrand(app.ctx.db, 'org', 'A', { text: { name_en: 'A-Corp Portal' }, colour: '#7a1f5c', logo: PNG_1x1 }, { userId: null, ip: 'cli' }, T0);
    const a = await sessionFor(app, 'aGen', 'A');
    const b = await sessionFor(app, 'bAdmin', 'B');

    for (const colorScheme of ['light', 'dark'] as const) {
      const { context, page, watch } = await openPage(browser, { locale: 'en-GB' });
      await page.emulateMedia({ colorScheme });
      await context.addCookies([...a.jar].map(([name, value]) => ({ name, value, url: app.url })));
      await page.goto(`${app.url}/?lang=en`);
      const logo = page.locator('header.site img.logo');
      assert.equal(await logo.getAttribute('alt'), 'A-Corp Portal');
      assert.ok(await logo.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth === 1), 'the logo loaded');
      assert.equal(await page.locator('header.site').evaluate((h) => getComputedStyle(h).backgroundColor), 'rgb(122, 31, 92)');
      await axeCheck(page, t);
      assertClean(watch);
      await context.close();
    }

    const { context, page, watch } = await openPage(browser, { locale: 'en-GB' });
    await context.addCookies([...b.jar].map(([name, value]) => ({ name, value, url: app.url })));
    await page.goto(`${app.url}/?lang=en`);
    assert.equal(await page.locator('header.site img.logo').count(), 0);
    assert.notEqual(await page.locator('header.site').evaluate((h) => getComputedStyle(h).backgroundColor), 'rgb(122, 31, 92)');
    assertClean(watch);
    await context.close();
  });
});
