// Screenshots of the guided first login (issue 20 item 6) — the password page with rules ticking,
// the TOTP setup with its copy button, the terms as the last step — in ja/en, light/dark, at 390 px
// and 1280 px, for a person to look at. Not a test.
// Usage: node --import tsx scripts/screenshots-guide.ts [outDir]   (default ./screenshots)
import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { screenshotKit } from './screenshot-kit.ts';
import { startTestApp } from '../test/helpers/app.ts';
import { launchChromium } from '../test/helpers/browser.ts';
import { givenTerms, givenUser, independentTotp } from '../test/helpers/scenario.ts';
import { PASSWORD, UI } from '../test/browser/walk.ts';

const outDir = resolve(process.argv[2] ?? 'screenshots');
const { t: fakeT, cleanups, cleanup } = screenshotKit(outDir, 'guide');

async function shoot(page: Page, name: string): Promise<void> {
  for (const width of [390, 1280]) {
    await page.setViewportSize({ width, height: width < 500 ? 812 : 900 });
    await page.screenshot({ path: join(outDir, `guide-${name}-${width}.png`), fullPage: true });
  }
}

try {
  await mkdir(outDir, { recursive: true });
  const app = await startTestApp('sqlite', fakeT);
  await givenTerms(app.ctx);
  const browser = await launchChromium((fn) => { cleanups.push(fn); });
  for (const scheme of ['light', 'dark'] as const) {
    for (const lang of ['ja', 'en'] as const) {
      const ui = UI[lang];
      const u = await givenUser(app.ctx, { lang });
      const context = await browser.newContext({ locale: lang === 'ja' ? 'ja-JP' : 'en-GB', colorScheme: scheme });
      const page = await context.newPage();
      await page.goto(u.setupUrl);
      await page.getByLabel(ui.email).fill(u.email);
      await page.getByLabel(ui.name).fill(u.name);
      await page.getByLabel(ui.phone).fill(u.phone);
      await page.getByRole('button', { name: ui.next }).click();
      await page.getByLabel(ui.newPassword).pressSequentially('Kx7#mPq');
      await shoot(page, `password-${lang}-${scheme}`);
      await page.getByLabel(ui.newPassword).fill(PASSWORD);
      await page.getByLabel(ui.confirmPassword).fill(PASSWORD);
      await page.getByRole('button', { name: ui.save }).click();
      await page.getByRole('link', { name: ui.returnToService }).click();
      await page.getByLabel(ui.loginId).fill(u.loginId);
      await page.getByLabel(ui.password).fill(PASSWORD);
      await page.getByRole('button', { name: ui.signIn }).click();
      await page.getByRole('heading', { level: 1, name: ui.totpSetupTitle }).waitFor();
      await shoot(page, `totp-setup-${lang}-${scheme}`);
      const key = ((await page.locator('#totp-key').textContent()) ?? '').replace(/\s/g, '');
      await page.getByLabel(ui.code).fill(independentTotp(key, app.clock.now));
      await page.getByRole('button', { name: ui.register }).click();
      await page.getByRole('button', { name: ui.ack }).click();
      await page.getByRole('heading', { level: 1, name: ui.termsTitle }).waitFor();
      await shoot(page, `terms-${lang}-${scheme}`);
      await context.close();
    }
  }
  console.log(`screenshots in ${outDir}`);
} finally {
  await cleanup();
}
