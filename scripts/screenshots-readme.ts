// The README's and docs/screenshots.md's pictures (issue 20 item 10): the main pages from the same
// world the browser suite walks (test/browser/every-page-fixture.ts), in light and dark, ja and en,
// desktop (1280 px) and phone (390 px). Not every page in every look: a chosen 16 keep the
// repository small (each PNG is the visible window, not the whole page, and stays under 200 KB).
// Usage: node --import tsx scripts/screenshots-readme.ts [outDir]   (default docs/screenshots)
import { mkdir, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { screenshotKit } from './screenshot-kit.ts';
import { startTestApp } from '../test/helpers/app.ts';
import { launchChromium } from '../test/helpers/browser.ts';
import { buildEveryPageWorld, type Who } from '../test/browser/every-page-fixture.ts';

type Lang = 'ja' | 'en';
type Scheme = 'light' | 'dark';
type Device = 'desktop' | 'phone';

/** Page name in the fixture → the looks it is photographed in. */
export const SHOTS: { page: string; looks: [Lang, Scheme, Device][] }[] = [
  { page: 'login', looks: [['ja', 'light', 'desktop'], ['en', 'dark', 'phone']] },
  { page: 'first-login-password', looks: [['ja', 'light', 'phone'], ['en', 'light', 'desktop']] },
  { page: 'totp-setup', looks: [['ja', 'light', 'desktop'], ['en', 'dark', 'phone']] },
  { page: 'home', looks: [['ja', 'light', 'desktop'], ['ja', 'dark', 'desktop'], ['en', 'light', 'phone']] },
  { page: 'contracts', looks: [['en', 'light', 'desktop']] },
  { page: 'ticket', looks: [['ja', 'light', 'desktop'], ['en', 'dark', 'phone']] },
  { page: 'security-settings', looks: [['ja', 'dark', 'desktop']] },
  { page: 'admin-users', looks: [['ja', 'light', 'desktop'], ['en', 'dark', 'desktop']] },
  { page: 'console-home', looks: [['ja', 'light', 'desktop']] },
];

const VIEWPORT: Record<Device, { width: number; height: number }> = {
  desktop: { width: 1280, height: 800 },
  phone: { width: 390, height: 844 },
};
const MAX_BYTES = 200 * 1024;

const outDir = resolve(process.argv[2] ?? 'docs/screenshots');
const { t: fakeT, cleanups, cleanup } = screenshotKit(outDir, 'readme');

try {
  await mkdir(outDir, { recursive: true });
  const app = await startTestApp('sqlite', fakeT);
  const world = await buildEveryPageWorld(app);
  const browser = await launchChromium((fn) => { cleanups.push(fn); });
  const contexts = new Map<Who, Awaited<ReturnType<typeof browser.newContext>>>();
  const tooBig: string[] = [];
  for (const shot of SHOTS) {
    const p = world.pages.find((x) => x.name === shot.page);
    if (!p) throw new Error(`no page named ${shot.page} in the fixture`);
    let context = contexts.get(p.who);
    if (!context) {
      context = await browser.newContext();
      await context.addCookies([...world.jars[p.who]].map(([name, value]) => ({ name, value, url: app.url })));
      contexts.set(p.who, context);
    }
    const page = await context.newPage();
    for (const [lang, scheme, device] of shot.looks) {
      await context.addCookies([{ name: world.langCookie, value: lang, url: app.url }]);
      await page.setViewportSize(VIEWPORT[device]);
      await page.emulateMedia({ colorScheme: scheme });
      await page.goto(`${app.url}${p.path}`);
      const file = join(outDir, `${shot.page}-${lang}-${scheme}-${device}.png`);
      await page.screenshot({ path: file });
      const { size } = await stat(file);
      if (size > MAX_BYTES) tooBig.push(`${file} (${Math.round(size / 1024)} KB)`);
      console.log(`${file} ${Math.round(size / 1024)} KB`);
    }
    await page.close();
  }
  if (tooBig.length) {
    console.error(`over ${MAX_BYTES / 1024} KB: ${tooBig.join(', ')}`);
    process.exitCode = 1;
  }
} finally {
  await cleanup();
}
