// Real-browser harness: Debian's Chromium driven by playwright-core (never a downloaded browser),
// with watchers for what a person would not see but must not happen (console errors, CSP
// violations, requests leaving the machine) and an axe-core check of each page (WCAG 2.1 A/AA).
import type { TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

const LAUNCH_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync'];

/** Where Chromium is missing: a failure on CI (browser tests must run there), a skip elsewhere. */
export function chromiumMissing(): string | null {
  if (existsSync(CHROMIUM_PATH)) return null;
  const msg = `Chromium not found at ${CHROMIUM_PATH} (install Debian's "chromium" package, or set CHROMIUM_PATH)`;
  if (process.env.CI) throw new Error(`${msg}; browser tests are required on CI`);
  return msg;
}

/** Starts Chromium for one test, closed when it ends; null (test skipped) without Chromium off CI. */
export async function launchBrowser(t: TestContext): Promise<Browser | null> {
  const missing = chromiumMissing();
  if (missing) {
    t.skip(missing);
    return null;
  }
  return launchChromium((fn) => t.after(fn));
}

export async function launchChromium(after: (fn: () => Promise<void>) => void): Promise<Browser> {
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: LAUNCH_ARGS });
  after(() => browser.close());
  return browser;
}

/** What happened in a page that a test asserts never happens. */
export interface PageWatch {
  consoleErrors: string[];
  pageErrors: string[];
  cspViolations: string[];
  /** Requests to anything but 127.0.0.1 (blocked, and recorded). */
  foreignRequests: string[];
  /**
   * Resolves as soon as `predicate` holds, checked on every recorded event (no fixed sleep: a
   * slow machine waits longer, a fast one not at all); rejects after `timeoutMs` saying what it saw.
   */
  until(predicate: (w: PageWatch) => boolean, timeoutMs?: number): Promise<void>;
}

export interface OpenOptions {
  viewport?: { width: number; height: number };
  /** Accept-Language of the browser; the app picks Japanese unless told otherwise. */
  locale?: string;
  /** false: a browser without JavaScript (the pages must work without their scripts). */
  javaScriptEnabled?: boolean;
  /** Browser permissions granted to the app's origin, e.g. ['clipboard-read', 'clipboard-write']. */
  permissions?: string[];
}

/**
 * A fresh context (own cookies) and page, watched. CSP stays enforced: axe is evaluated through
 * the DevTools protocol (page.evaluate), which CSP does not govern, so the app's real policy is
 * what the pages run under.
 */
export async function openPage(browser: Browser, o: OpenOptions = {}): Promise<{ context: BrowserContext; page: Page; watch: PageWatch }> {
  const context = await browser.newContext({
    viewport: o.viewport ?? { width: 1280, height: 900 },
    locale: o.locale ?? 'ja-JP',
    acceptDownloads: true,
    javaScriptEnabled: o.javaScriptEnabled ?? true,
    ...(o.permissions ? { permissions: o.permissions } : {}),
  });
  const waiters = new Set<() => void>();
  const watch: PageWatch = {
    consoleErrors: [], pageErrors: [], cspViolations: [], foreignRequests: [],
    until(predicate, timeoutMs = 10_000) {
      if (predicate(watch)) return Promise.resolve();
      return new Promise<void>((resolve, reject) => {
        const check = () => { if (predicate(watch)) { done(); resolve(); } };
        const timer = setTimeout(() => {
          done();
          reject(new Error(`watch.until: not met in ${timeoutMs} ms: ${JSON.stringify({ ...watch, until: undefined })}`));
        }, timeoutMs);
        const done = () => { clearTimeout(timer); waiters.delete(check); };
        waiters.add(check);
      });
    },
  };
  const record = (list: string[], v: string) => { list.push(v); for (const w of [...waiters]) w(); };
  // Top-level documents answered with 4xx (a wrong password is a 401 page): Chromium logs them as
  // "Failed to load resource", which is the expected answer, not a page error.
  const errorDocuments = new Set<string>();

  await context.exposeBinding('__bpCspViolation', (_src, v: string) => { record(watch.cspViolations, v); });
  await context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      (window as unknown as { __bpCspViolation(v: string): void }).__bpCspViolation(
        `${e.effectiveDirective} blocked ${e.blockedURI || '(inline)'} at ${e.sourceFile || e.documentURI}:${e.lineNumber}`);
    });
  });
  await context.route('**/*', (route) => {
    const url = new URL(route.request().url());
    // localhost too: the passkey tests' origin (WebAuthn needs a domain as RP ID); still this machine.
    if ((url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '127.0.0.1' && url.hostname !== 'localhost') {
      record(watch.foreignRequests, url.href);
      return route.abort('blockedbyclient');
    }
    return route.continue();
  });

  const page = await context.newPage();
  page.on('response', (res) => {
    if (res.request().isNavigationRequest() && res.status() >= 400 && res.status() < 500) errorDocuments.add(res.url());
  });
  page.on('console', (m) => {
    if (m.type() !== 'error') return;
    const where = m.location().url;
    if (/^Failed to load resource: the server responded with a status of 4\d\d/.test(m.text()) && errorDocuments.has(where)) return;
    record(watch.consoleErrors, `${m.text()} (${where})`);
  });
  page.on('pageerror', (err) => { record(watch.pageErrors, String(err)); });
  return { context, page, watch };
}

/** Nothing went wrong behind the pixels: no console/page errors, no CSP violation, nothing left 127.0.0.1. */
export function assertClean(watch: PageWatch): void {
  assert.deepEqual(watch.cspViolations, [], 'CSP violations');
  assert.deepEqual(watch.consoleErrors, [], 'console errors');
  assert.deepEqual(watch.pageErrors, [], 'uncaught page errors');
  assert.deepEqual(watch.foreignRequests, [], 'requests to hosts other than 127.0.0.1');
}

let axeSource: string | null = null;
function axeScript(): string {
  axeSource ??= readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
  return axeSource;
}

interface AxeViolation { id: string; impact: string | null; help: string; nodes: { target: unknown[]; failureSummary?: string }[] }

/**
 * Runs axe-core (WCAG 2.0/2.1 A and AA rules) on the page; fails on serious or critical
 * violations, reports the rest as test diagnostics.
 */
export async function axeCheck(page: Page, t?: TestContext): Promise<void> {
  const loaded = await page.evaluate(() => typeof (window as unknown as { axe?: unknown }).axe !== 'undefined');
  if (!loaded) await page.evaluate(axeScript());
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(ctx: Document, o: unknown): Promise<{ violations: AxeViolation[] }> } }).axe;
    const r = await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] }, resultTypes: ['violations'] });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => ({ target: n.target, failureSummary: n.failureSummary })) }));
  });
  const describe = (v: AxeViolation) => `${v.impact} ${v.id}: ${v.help} — ${v.nodes.map((n) => JSON.stringify(n.target)).join(', ')}`;
  const blocking = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  for (const v of violations.filter((x) => !blocking.includes(x))) t?.diagnostic(`axe (${page.url()}): ${describe(v)}`);
  assert.deepEqual(blocking.map(describe), [], `axe violations on ${page.url()}`);
}

/** Waits for the page whose h1 is `text` (each step of a flow is its own page). */
export async function onPage(page: Page, text: string | RegExp): Promise<void> {
  try {
    await page.getByRole('heading', { level: 1, name: text }).waitFor({ timeout: 10_000 });
  } catch (err) {
    // Say what the person sees instead: the page, its heading and its message.
    const h1 = await page.locator('h1').first().textContent({ timeout: 1000 }).catch(() => null);
    const alert = await page.locator('[role="alert"]').first().textContent({ timeout: 1000 }).catch(() => null);
    throw new Error(`expected the page "${String(text)}", but ${page.url()} shows "${h1?.trim() ?? '(no h1)'}"${alert ? `: ${alert.trim()}` : ''}`, { cause: err });
  }
}
