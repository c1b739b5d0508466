// Issue 20 item 5 in Chromium: disabling a user takes a confirmation step, done with the keyboard
// only (Enter on the focused danger link, then on the focused confirm button); axe on the overview,
// the user list, the user page and the confirmation page.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp } from '../helpers/app.ts';
import { givenTerms, givenUser } from '../helpers/scenario.ts';
import { assertClean, axeCheck, launchBrowser, onPage, openPage } from '../helpers/browser.ts';
import { UI, firstLoginWithTotp } from './walk.ts';
import { ADMIN_UI, openAdminUsers } from './admin-walk.ts';

describe('browser: the admin overview and a destructive action\'s confirmation (issue 20)', () => {
  it('overview → users → a user → «無効化» by keyboard → confirmation → disabled', async (t) => {
    const browser = await launchBrowser(t);
    if (!browser) return;
    const app = await startTestApp('sqlite', t);
    await givenTerms(app.ctx);
    const admin = await givenUser(app.ctx, { role: 'admin', lang: 'ja', name: '管理 一郎' });
    const target = await givenUser(app.ctx, { orgId: admin.orgId, name: '対象 花子' });
    const { page, watch } = await openPage(browser);
    await firstLoginWithTotp(page, UI.ja, admin, 'admin', app.clock.now, t);
    await openAdminUsers(page, ADMIN_UI.ja);
    await axeCheck(page, t);
    await page.getByRole('link', { name: target.loginId }).click();
    await onPage(page, /^対象 花子$/);
    await axeCheck(page, t);

    const disable = page.locator(`a.button.danger[href$="/disable"]`);
    await disable.focus();
    await page.keyboard.press('Enter');
    await onPage(page, /対象 花子さんを無効にしますか/);
    await axeCheck(page, t);
    assert.equal(await app.ctx.db.selectFrom('app_user').select('disabled_at').where('id', '=', target.id).executeTakeFirstOrThrow().then((r) => r.disabled_at), null, 'nothing yet');
    await page.getByRole('button', { name: '無効にする' }).focus();
    await page.keyboard.press('Enter');
    await onPage(page, /^対象 花子$/);
    assert.notEqual(await app.ctx.db.selectFrom('app_user').select('disabled_at').where('id', '=', target.id).executeTakeFirstOrThrow().then((r) => r.disabled_at), null, 'disabled after the confirmation');
    assert.equal(await page.locator('a.button.danger[href$="/disable"]').count(), 0, 'disable no longer offered');
    assertClean(watch);
  });
});
