// Every HTML page of the product in every look (issue 20): each GET page route, opened by whoever
// may open it (test/browser/every-page-fixture.ts), in ja and en, light and dark, 1280 px and 390 px
// wide. On each look: axe (0 serious or critical, test/helpers/browser.ts axeCheck) and no sideways
// scroll; on each page: the expected status, an h1, <html lang> in the page's language, no CSP
// violation or console error. The list of routes comes from the app's registered routes (every
// module's route-list.ts is enforced at registration, and the auth module's routes are in it too),
// so a new page route that is neither walked nor excluded with a reason fails here.
// One browser, one context per person; language by its cookie, so it needs its own load, while the
// four looks are switched on the loaded page (emulateMedia, setViewportSize) without a reload.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { startTestApp } from '../helpers/app.ts';
import { axeCheck, launchBrowser, openPage, type PageWatch } from '../helpers/browser.ts';
import { NOT_PAGES, NOT_PAGE_PREFIXES, buildEveryPageWorld, type Who } from './every-page-fixture.ts';
import { axeColours } from './every-page-axe.ts';

const LANGS = ['ja', 'en'] as const;
// Full axe in light at both widths, the colour rules in dark (every-page-axe.ts says why).
const LOOKS = [
  { scheme: 'light', width: 1280, axe: 'all' }, { scheme: 'light', width: 390, axe: 'all' },
  { scheme: 'dark', width: 390, axe: 'colours' }, { scheme: 'dark', width: 1280, axe: 'colours' },
] as const;
/** Only these pages, by name (a regular expression), while working on them: EVERY_PAGE_ONLY=admin */
const ONLY = process.env.EVERY_PAGE_ONLY ? new RegExp(process.env.EVERY_PAGE_ONLY) : null;

/** What sticks out of the viewport on the right (for the report when the page scrolls sideways). */
async function sideways(page: Page): Promise<string | null> {
  return page.evaluate(() => {
    const root = document.documentElement;
    if (root.scrollWidth <= root.clientWidth) return null;
    const wide = [...document.querySelectorAll('body *')]
      .filter((e) => e.getBoundingClientRect().right > root.clientWidth + 0.5)
      .map((e) => `${e.tagName.toLowerCase()}${e.id ? `#${e.id}` : ''}${typeof e.className === 'string' && e.className ? `.${e.className.trim().split(/\s+/).join('.')}` : ''} (right ${Math.round(e.getBoundingClientRect().right)})`);
    return `scrollWidth ${root.scrollWidth} > clientWidth ${root.clientWidth}: ${wide.slice(0, 8).join(', ')}`;
  });
}

/** The watch's findings since the last call, emptied. */
function drain(watch: PageWatch): string[] {
  const out = [
    ...watch.cspViolations.map((v) => `CSP: ${v}`), ...watch.consoleErrors.map((v) => `console: ${v}`),
    ...watch.pageErrors.map((v) => `page error: ${v}`), ...watch.foreignRequests.map((v) => `request left 127.0.0.1: ${v}`),
  ];
  watch.cspViolations.length = 0; watch.consoleErrors.length = 0; watch.pageErrors.length = 0; watch.foreignRequests.length = 0;
  return out;
}

describe('browser: every page, ja/en × light/dark × 1280/390 (issue 20)', () => {
  it('walks every GET page route: status, h1, lang, axe 0 serious/critical, no sideways scroll, no CSP/console error', { timeout: 1_200_000 }, async (t) => {
    const browser = await launchBrowser(t);
    if (!browser) return;
    const started = Date.now();
    const app = await startTestApp('sqlite', t);
    const world = await buildEveryPageWorld(app);
    const built = Date.now();

    await t.test('every GET route is a walked page or excluded with a reason', () => {
      const registered = app.routes.filter((r) => r.method === 'GET').map((r) => `GET ${r.url}`);
      const walked = new Set(world.pages.map((p) => p.route));
      const missing = registered.filter((r) => !walked.has(r) && !(r in NOT_PAGES) && !Object.keys(NOT_PAGE_PREFIXES).some((pre) => r.startsWith(pre)));
      assert.deepEqual(missing, [], 'GET routes neither walked (every-page-fixture.ts pages) nor in NOT_PAGES');
      const stale = [...walked, ...Object.keys(NOT_PAGES)].filter((r) => r !== 'GET /*' && !registered.includes(r));
      assert.deepEqual(stale, [], 'walked or excluded routes that are not registered (renamed?)');
    });

    // One context per person, made when first needed and kept for both languages.
    const contexts = new Map<Who, Awaited<ReturnType<typeof openPage>>>();
    async function pageOf(who: Who, lang: string) {
      let c = contexts.get(who);
      if (!c) {
        c = await openPage(browser!);
        await c.context.addCookies([...world.jars[who]].map(([name, value]) => ({ name, value, url: app.url })));
        contexts.set(who, c);
      }
      await c.context.addCookies([{ name: world.langCookie, value: lang, url: app.url }]);
      return c;
    }

    let axeRuns = 0;
    // Where the time goes (reported, never asserted): loads, full axe runs, colour-only axe runs.
    const spent = { load: 0, axeAll: 0, axeColours: 0 };
    const timed = async <R>(k: keyof typeof spent, fn: () => Promise<R>): Promise<R> => {
      const t0 = performance.now();
      try { return await fn(); } finally { spent[k] += performance.now() - t0; }
    };
    // Page by page, both languages one after the other: an interaction or flow (15 min for the
    // OpenID Connect interaction) is opened twice within seconds, however slow the machine.
    for (const p of world.pages.filter((x) => !ONLY || ONLY.test(x.name))) {
      for (const lang of LANGS) {
        await t.test(`${lang} ${p.name} (${p.who}) ${p.path}`, async (st) => {
          const { page, watch } = await pageOf(p.who, lang);
          await page.setViewportSize({ width: 1280, height: 900 });
          await page.emulateMedia({ colorScheme: 'light' });
          const res = await timed('load', () => page.goto(`${app.url}${p.path}`));
          const problems: string[] = [];
          if (res?.status() !== p.status) problems.push(`status ${res?.status()} (expected ${p.status})`);
          if (await page.locator('h1').count() < 1) {
            const seen = await page.evaluate(() => `title «${document.title}», text «${document.body?.innerText.replace(/\s+/g, ' ').slice(0, 160) ?? ''}»`);
            problems.push(`no h1 (${seen})`);
          }
          const htmlLang = await page.evaluate(() => document.documentElement.lang);
          if (htmlLang !== lang) problems.push(`<html lang="${htmlLang}">`);
          for (const look of LOOKS) {
            await page.emulateMedia({ colorScheme: look.scheme });
            await page.setViewportSize({ width: look.width, height: 900 });
            const where = `${look.scheme} ${look.width}px`;
            try {
              axeRuns++;
              if (look.axe === 'all') await timed('axeAll', () => axeCheck(page, st));
              else await timed('axeColours', () => axeColours(page));
            } catch (err) {
              problems.push(`${where}: ${(err as Error).message.split('\n')[0]} ${JSON.stringify((err as assert.AssertionError).actual ?? '')}`);
            }
            const scroll = await sideways(page);
            if (scroll) problems.push(`${where}: scrolls sideways: ${scroll}`);
          }
          problems.push(...drain(watch));
          assert.deepEqual(problems, [], `${lang} ${p.name} ${p.path}`);
        });
      }
    }
    const seconds = (ms: number) => (ms / 1000).toFixed(1);
    t.diagnostic(`every page: ${world.pages.length} pages × ${LANGS.length} languages, ${axeRuns} axe runs; world built in ${seconds(built - started)} s, walked in ${seconds(Date.now() - built)} s (loads ${seconds(spent.load)} s, full axe ${seconds(spent.axeAll)} s, colour axe ${seconds(spent.axeColours)} s)`);
  });
});
