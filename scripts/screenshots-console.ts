// Screenshots of the provider's console (issue 26) — home, tickets inbox and a ticket, organisations,
// contracts and the import, orders, notices, maintenance, terms — in Japanese and English, at 375 px
// and 1280 px, for a person to look at. Not a test. Data: the test world of test/helpers/portal-world.ts.
// Usage: node --import tsx scripts/screenshots-console.ts [outDir]   (default ./screenshots)
import { mkdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import { screenshotKit } from './screenshot-kit.ts';
import { startTestApp } from '../test/helpers/app.ts';
import { launchChromium } from '../test/helpers/browser.ts';
import { givenWorld, T0 } from '../test/helpers/portal-world.ts';
import { loggedInOperator } from '../test/helpers/operator.ts';

const outDir = resolve(process.argv[2] ?? 'screenshots');
const { t: fakeT, cleanups, shoot, cleanup } = screenshotKit(outDir, 'console');

try {
  await mkdir(outDir, { recursive: true });
  const app = await startTestApp('sqlite', fakeT);
  app.clock.now = T0;
  await givenWorld(app.ctx.db);
  const op = await loggedInOperator(app, 'operator_admin', { name: '運用 花子' });
  const browser = await launchChromium((fn) => { cleanups.push(fn); });
  for (const lang of ['ja', 'en'] as const) {
    const context = await browser.newContext({ locale: lang === 'ja' ? 'ja-JP' : 'en-GB' });
    await context.addCookies([...op.b.jar].map(([name, value]) => ({ name, value, url: app.url })));
    const page = await context.newPage();
    for (const [name, path] of [
      ['home', '/operator'], ['tickets', '/operator/tickets'], ['ticket', '/operator/tickets/tA'], ['organisations', '/operator/organisations'],
      ['contracts', '/operator/contracts'], ['import', '/operator/contracts/import'], ['orders', '/operator/orders'], ['notices-new', '/operator/notices/new'],
      ['maintenance', '/operator/maintenance'], ['terms', '/operator/terms'],
    ] as const) {
      await page.goto(`${app.url}${path}?lang=${lang}`);
      await shoot(page, `${lang}-${name}`);
    }
    await context.close();
  }
  console.log(`screenshots in ${outDir}`);
} finally {
  await cleanup();
}
