// Screenshots of the matrix password (issue 22): the login page with its matrix link, the matrix
// login's entry, a challenge with an error, and the reset's registration grid, in ja/en at 375 px
// and 1280 px, for a person to look at. Not a test.
// Usage: node --import tsx scripts/screenshots-matrix.ts [outDir]   (default ./screenshots)
import { mkdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import { screenshotKit } from './screenshot-kit.ts';
import { startTestApp } from '../test/helpers/app.ts';
import { launchChromium } from '../test/helpers/browser.ts';
import { givenUser } from '../test/helpers/scenario.ts';
import { updateOrganisationSettings } from '../src/auth/tenancy/organisations.ts';

const outDir = resolve(process.argv[2] ?? 'screenshots');
const { t: fakeT, cleanups, cleanup, shoot } = screenshotKit(outDir, 'matrix');

try {
  await mkdir(outDir, { recursive: true });
  const app = await startTestApp('sqlite', fakeT);
  const u = await givenUser(app.ctx);
  await updateOrganisationSettings(app.ctx.db, u.orgId, { firstFactor: 'matrix' }, app.ctx.now());
  const browser = await launchChromium((fn) => { cleanups.push(fn); });
  for (const lang of ['ja', 'en'] as const) {
    const context = await browser.newContext({ locale: lang === 'ja' ? 'ja-JP' : 'en-GB' });
    const page = await context.newPage();
    await page.goto(`${app.url}/login?lang=${lang}`);
    await shoot(page, `login-${lang}`);
    await page.locator('a[href^="/login/matrix"]').click();
    await shoot(page, `entry-${lang}`);
    await page.locator('input[name="loginId"]').fill('someone@example.co.jp');
    await page.locator('form button').click();
    await page.locator('input[name="answer"]').fill('12345678');
    await page.locator('form button').click();
    await shoot(page, `refused-${lang}`);
    await context.close();
  }
  console.log(`screenshots in ${outDir}`);
} finally {
  await cleanup();
}
