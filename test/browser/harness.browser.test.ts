// The watchers must not be vacuous: a CSP violation, a console error, a request to another host and
// an unlabelled field on a real app page are each caught.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp } from '../helpers/app.ts';
import { axeCheck, launchBrowser, onPage, openPage } from '../helpers/browser.ts';

describe('browser: harness self-check', () => {
  it('records CSP violations, console errors, foreign requests and axe violations', async (t) => {
    const browser = await launchBrowser(t);
    if (!browser) return;
    const app = await startTestApp('sqlite', t);
    const { page, watch } = await openPage(browser);
    await page.goto(`${app.url}/login`);
    await onPage(page, 'ログインID/パスワードでログイン');
    await axeCheck(page, t);

    await page.evaluate(() => {
      const s = document.createElement('script');
      s.textContent = 'window.__inline = 1';
      document.body.append(s); // blocked: script-src 'self'
      console.error('boom');
      void fetch('http://127.0.0.2:9/x').catch(() => undefined); // connect-src 'self' blocks it first
    });
    await page.evaluate(() => { window.location.href = 'http://example.invalid/'; }).catch(() => undefined);
    // The four events arrive asynchronously (a binding call, a console message, two routed
    // requests): wait for them, not for a fixed time a slow machine may overrun.
    await watch.until((w) => w.cspViolations.some((v) => v.startsWith('script-src')) && w.cspViolations.some((v) => v.startsWith('connect-src'))
      && w.consoleErrors.some((e) => e.startsWith('boom')) && w.foreignRequests.length > 0);
    assert.ok(watch.cspViolations.some((v) => v.startsWith('script-src')), `CSP violation recorded: ${watch.cspViolations}`);
    assert.ok(watch.cspViolations.some((v) => v.startsWith('connect-src')), `connect-src violation recorded: ${watch.cspViolations}`);
    assert.ok(watch.consoleErrors.some((e) => e.startsWith('boom')), 'console error recorded');
    assert.deepEqual(watch.foreignRequests, ['http://example.invalid/'], 'the navigation away was blocked and recorded');

    const { page: fresh } = await openPage(browser);
    await fresh.goto(`${app.url}/login`);
    await onPage(fresh, 'ログインID/パスワードでログイン');
    await fresh.evaluate(() => document.querySelector('label[for="f-loginId"]')?.remove());
    await assert.rejects(axeCheck(fresh), /label/, 'an unlabelled field fails the axe check');
  });
});
