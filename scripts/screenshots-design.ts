// Screenshots of the design system's main pages — login, home, a contract list, an error page, help —
// in ja/en, light/dark, at 390 px and 1280 px, for a person to look at. Not a test. The data is the
// test world of test/helpers/portal-world.ts.
// Usage: node --import tsx scripts/screenshots-design.ts [outDir]   (default ./screenshots)
import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { screenshotKit } from './screenshot-kit.ts';
import { startTestApp } from '../test/helpers/app.ts';
import { launchChromium } from '../test/helpers/browser.ts';
import { givenWorld, sessionFor, T0 } from '../test/helpers/portal-world.ts';

const outDir = resolve(process.argv[2] ?? 'screenshots');
const only = process.argv[3]?.split(',');
const { t: fakeT, cleanups, cleanup } = screenshotKit(outDir, 'design');

try {
  await mkdir(outDir, { recursive: true });
  const app = await startTestApp('sqlite', fakeT);
  app.clock.now = T0;
  await givenWorld(app.ctx.db);
  const b = await sessionFor(app, 'aAdmin', 'A');
  const browser = await launchChromium((fn) => { cleanups.push(fn); });
  const pages: [string, string, boolean][] = [
    ['login', '/login', false], ['home', '/', true], ['contracts', '/portal/contracts', true], ['404', '/no-such-page', true],
    ['help', '/help', true], ['profile', '/profile', true],
  ];
  for (const scheme of ['light', 'dark'] as const) {
    for (const lang of ['ja', 'en'] as const) {
      const context = await browser.newContext({ locale: lang === 'ja' ? 'ja-JP' : 'en-GB', colorScheme: scheme });
      const page = await context.newPage();
      for (const [name, path, signedIn] of pages) {
        if (only && !only.includes(name)) continue;
        await context.clearCookies();
        if (signedIn) await context.addCookies([...b.jar].map(([n, value]) => ({ name: n, value, url: app.url })));
        for (const width of [390, 1280]) {
          await page.setViewportSize({ width, height: width < 500 ? 812 : 900 });
          await page.goto(`${app.url}${path}${path.includes('?') ? '&' : '?'}lang=${lang}`);
          await page.screenshot({ path: join(outDir, `design-${name}-${lang}-${scheme}-${width}.png`), fullPage: true });
        }
      }
      await context.close();
    }
  }
  console.log(`screenshots in ${outDir}`);
} finally {
  await cleanup();
}
