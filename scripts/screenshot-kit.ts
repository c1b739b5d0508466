// What the screenshot scripts share: a fake test context whose cleanups run at the end, and a
// shooter that saves a page at 375 px and 1280 px under `outDir` as `<prefix>-<name>-<width>.png`.
import type { TestContext } from 'node:test';
import { join } from 'node:path';
import type { Page } from 'playwright-core';

export function screenshotKit(outDir: string, prefix: string) {
  const cleanups: (() => unknown)[] = [];
  const t = { after: (fn: () => unknown) => { cleanups.push(fn); }, diagnostic: () => {} } as unknown as TestContext;
  return {
    t,
    cleanups,
    async shoot(page: Page, name: string): Promise<void> {
      for (const width of [375, 1280]) {
        await page.setViewportSize({ width, height: width < 500 ? 812 : 900 });
        await page.screenshot({ path: join(outDir, `${prefix}-${name}-${width}.png`), fullPage: true });
      }
    },
    async cleanup(): Promise<void> {
      for (const fn of cleanups.reverse()) await fn();
    },
  };
}
