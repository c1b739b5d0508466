// S9 in a real browser, without help from JavaScript for the upload: a user opens the new-ticket
// form, attaches a file with the plain file input, sends, reads the ticket with its attachment,
// replies, closes and reopens it; the order timeline and a refused upload are checked too. axe runs
// on every page; no CSP violation, no console error.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestApp } from '../helpers/app.ts';
import { assertClean, axeCheck, launchBrowser, openPage } from '../helpers/browser.ts';
import { givenWorld, sessionFor, T0 } from '../helpers/portal-world.ts';

describe('browser: tickets and the order timeline (S7, S9)', () => {
  it('opens a ticket with an attachment from the plain form, replies, closes, reopens; axe on every page', async (t) => {
    const browser = await launchBrowser(t);
    if (!browser) return;
    const app = await startTestApp('sqlite', t);
    app.clock.now = T0;
    await givenWorld(app.ctx.db);
    const session = await sessionFor(app, 'aGen', 'A');
    const dir = mkdtempSync(join(tmpdir(), 'bp-upload-'));
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    writeFileSync(join(dir, 'trace.log'), 'line 1\nline 2\n');
    writeFileSync(join(dir, 'evil.html'), '<script>alert(1)</script>');

    const { context, page, watch } = await openPage(browser, { locale: 'en-GB' });
    await context.addCookies([...session.jar].map(([name, value]) => ({ name, value, url: app.url })));
    await page.goto(`${app.url}/portal/tickets?lang=en`);
    await axeCheck(page, t);
    await page.getByRole('link', { name: 'New inquiry' }).click();
    await axeCheck(page, t);
    await page.getByLabel('Category').selectOption('service');
    await page.getByLabel('Service', { exact: true }).selectOption({ label: 'Colocation' });
    await page.getByLabel('Subject').fill('Slow line');
    await page.getByLabel('Message').fill('Since yesterday the line is slow.');

    // A refused type: the form comes back with the reason next to the file input and the text kept.
    await page.getByLabel('Attachments').setInputFiles(join(dir, 'evil.html'));
    await page.getByRole('button', { name: 'Send inquiry' }).click();
    await page.getByRole('alert').filter({ hasText: 'not an allowed file type' }).waitFor();
    assert.equal(await page.getByLabel('Subject').inputValue(), 'Slow line');
    await axeCheck(page, t);

    await page.getByLabel('Attachments').setInputFiles(join(dir, 'trace.log'));
    await page.getByRole('button', { name: 'Send inquiry' }).click();
    await page.getByRole('heading', { level: 1, name: 'Slow line' }).waitFor();
    await page.getByRole('status').filter({ hasText: 'was sent' }).waitFor();
    await axeCheck(page, t);
    const download = page.waitForEvent('download');
    await page.getByRole('link', { name: 'trace.log' }).click();
    assert.equal((await download).suggestedFilename(), 'trace.log');

    await page.getByLabel('Message').fill('Still slow this morning.');
    await page.getByRole('button', { name: 'Send reply' }).click();
    await page.getByText('Your reply was sent.').waitFor();
    assert.match(await page.locator('ol.conversation').innerText(), /Since yesterday[\s\S]*Still slow this morning/);
    await page.getByRole('button', { name: 'Close this inquiry' }).click();
    await page.getByRole('heading', { name: 'This inquiry is closed' }).waitFor();
    await axeCheck(page, t);
    await page.getByRole('button', { name: 'Reopen' }).click();
    await page.getByText('The inquiry was reopened.').waitFor();

    await page.goto(`${app.url}/portal/orders/oA1?lang=en`);
    const current = page.locator('ol.timeline li[aria-current="step"]');
    assert.match(await current.innerText(), /Construction\s+Current step/);
    await axeCheck(page, t);
    await page.setViewportSize({ width: 375, height: 812 });
    await axeCheck(page, t);
    assertClean(watch);
  });
});
