// Screenshots of the ticket pages of issue 24 (the form with urgency and colleagues, a ticket with
// its people, rating and close form) in ja/en at 375 px and 1280 px, for a person to look at. Not a test.
// Usage: node --import tsx scripts/screenshots-tickets.ts [outDir]   (default ./screenshots)
import { mkdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import { screenshotKit } from './screenshot-kit.ts';
import { startTestApp } from '../test/helpers/app.ts';
import { launchChromium } from '../test/helpers/browser.ts';
import { givenWorld, sessionFor, T0 } from '../test/helpers/portal-world.ts';

const outDir = resolve(process.argv[2] ?? 'screenshots');
const { t: fakeT, cleanups, cleanup, shoot } = screenshotKit(outDir, 'tickets');

try {
  await mkdir(outDir, { recursive: true });
  const app = await startTestApp('sqlite', fakeT);
  app.clock.now = T0;
  await givenWorld(app.ctx.db);
  const browser = await launchChromium((fn) => { cleanups.push(fn); });
  for (const lang of ['ja', 'en'] as const) {
    const b = await sessionFor(app, 'aAdmin', 'A');
    const context = await browser.newContext({ locale: lang === 'ja' ? 'ja-JP' : 'en-GB' });
    await context.addCookies([...b.jar].map(([name, value]) => ({ name, value, url: app.url })));
    const page = await context.newPage();
    await page.goto(`${app.url}/portal/tickets/new?notice=nS1&lang=${lang}`);
    await shoot(page, `new-${lang}`);
    await page.locator('#f-subject').fill(lang === 'ja' ? '工事の影響について' : 'About the maintenance');
    await page.locator('#f-body').fill(lang === 'ja' ? '影響範囲を教えてください。' : 'Which circuits are affected?');
    await page.locator('#f-severity').selectOption('high');
    await page.locator('#f-cc').selectOption(['aGen']);
    await page.locator('form.card button[type=submit]').click();
    await page.waitForURL(/\/portal\/tickets\/[^/]+\?created=1/);
    await shoot(page, `ticket-${lang}`);
    await context.close();
  }
  console.log(`screenshots in ${outDir}`);
} finally {
  await cleanup();
}
