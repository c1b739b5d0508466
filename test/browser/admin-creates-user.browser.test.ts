// Issue 4 in a real browser: a portal admin logs in (their own first login, through the UI),
// registers a general user with the form on /admin/users/new, the starting guide travels through a
// real SMTP server, and the new user — in a browser of their own — opens the mailed link and walks
// their first login to the home page. axe runs on every page, the admin's included.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp } from '../helpers/app.ts';
import { startTestSmtp } from '../helpers/smtp.ts';
import { givenTerms, givenUser, linkIn, type GivenUser } from '../helpers/scenario.ts';
import { assertClean, axeCheck, launchBrowser, onPage, openPage } from '../helpers/browser.ts';
import { MailWorker } from '../../src/mail/service.ts';
import { UI, firstLoginWithTotp } from './walk.ts';
import { ADMIN_UI, adminNav, openAdminUsers, registerThroughForm } from './admin-walk.ts';

describe('browser: an admin registers a user who then logs in for the first time (issue 4)', () => {
  it('admin login → /admin/users/new → starting guide over SMTP → the user\'s first login in another browser', async (t) => {
    const browser = await launchBrowser(t);
    if (!browser) return;
    const smtp = await startTestSmtp({ t });
    const app = await startTestApp('sqlite', t, { SMTP_URL: smtp.url });
    const worker = new MailWorker({ db: app.ctx.db, dialect: app.ctx.dialect, smtpUrl: smtp.url, from: app.config.mailFrom });
    app.defer(() => worker.stop());
    await givenTerms(app.ctx);
    const ui = UI.ja;
    const a = ADMIN_UI.ja;

    // The admin: their own first login through the UI, TOTP picked on the selection screen.
    const admin = await givenUser(app.ctx, { role: 'admin', lang: 'ja', name: '管理 一郎' });
    const adminSide = await openPage(browser);
    const ap = adminSide.page;
    await firstLoginWithTotp(ap, ui, admin, 'admin', app.clock.now, t);

    await openAdminUsers(ap, a);
    await axeCheck(ap, t);
    const stamp = Date.now();
    const nu = { email: `hanako.${stamp}@example.co.jp`, name: '佐藤 花子', phone: '0398765432', lang: 'ja' as const };
    const { userId } = await registerThroughForm(ap, a, nu, t);
    await axeCheck(ap, t);
    const adminView = await ap.locator('main').innerText();
    assert.match(adminView, new RegExp(a.created), 'the admin is told the guide was sent');
    assert.match(adminView, new RegExp(a.setupPending), 'the new user has not logged in yet');
    assert.ok(adminView.includes(nu.email), 'the login ID defaults to the e-mail address');

    // The app's mail leaves through SMTP; the test reads what the SMTP server received.
    await worker.runOnce(app.clock.now);
    const mails = await smtp.waitFor((m) => m.some((x) => x.to.includes(nu.email)));
    const guides = mails.filter((x) => x.to.includes(nu.email));
    assert.equal(guides.length, 1, 'one starting guide for the new user');
    const guide = guides[0]!;
    assert.match(guide.subject, /ユーザー登録受付メール/);
    const link = linkIn(guide.text, '/setup/');
    assert.ok(link.startsWith(`${app.url}/setup/`), `the link points at the portal: ${link}`);
    // Admins never see the link (docs/admin.md): not on the page they are shown.
    const token = link.split('/setup/')[1]!;
    assert.ok(!(await ap.content()).includes(token), 'the setup link is not on the admin\'s page');

    // The user, in a new browser context (own cookies), from the mailed link to home.
    const userSide = await openPage(browser);
    const user: GivenUser = { id: userId, loginId: nu.email, email: nu.email, name: nu.name, phone: nu.phone, orgId: admin.orgId, setupUrl: link };
    await firstLoginWithTotp(userSide.page, ui, user, 'general', app.clock.now, t);
    assert.equal((await userSide.page.locator('header .who').textContent())?.trim(), nu.name);
    assert.match(await userSide.page.locator('main').innerText(), new RegExp(ui.firstLogin));

    // Back on the admin's side: the user is active now.
    await ap.reload();
    await onPage(ap, new RegExp(`^${nu.name}$`));
    assert.doesNotMatch(await ap.locator('main').innerText(), new RegExp(a.setupPending));
    await adminNav(ap, a, 'users');
    assert.ok(await ap.getByRole('link', { name: nu.email }).isVisible(), 'the new user is listed by login ID');

    assertClean(adminSide.watch);
    assertClean(userSide.watch);
  });
});
