// Issue 10 §4: the web security bar (SECURITY.md items 26, 29, 32, 33) checked in Chromium over every
// page of a first login and an admin's day: nothing leaves 127.0.0.1, every document has a strict CSP
// and no-store, cookies are HttpOnly/SameSite and hold no personal data (Secure and __Host- when
// COOKIE_SECURE=true), pages cannot be framed by another origin, and the back button after logout
// shows nothing private.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { startTestApp } from '../helpers/app.ts';
import { givenTerms, givenUser, type GivenUser } from '../helpers/scenario.ts';
import { givenOrg, loggedIn } from '../helpers/admin.ts';
import { assertClean, launchBrowser, onPage, openPage } from '../helpers/browser.ts';
import { UI, atHome, firstLoginWithTotp, logInWithTotp } from './walk.ts';
import { ADMIN_UI, adminNav, openAdminUsers, registerThroughForm } from './admin-walk.ts';
import {
  assertCookieJar, assertDocumentHeaders, assertNotFramable, assertSetCookieLine, launchWithBfcache, personalData,
  recordResponses, startOtherOrigin,
} from './web-checks.ts';

const ui = UI.ja;
const a = ADMIN_UI.ja;
const STEP = 30_000;

/** The pages a first login and an admin's day go through, by their h1 (SPEC screens, docs/admin.md). */
function pagesOfTheDay(admin: GivenUser, newUserName: string): [string, string | RegExp][] {
  return [
    ['login', ui.loginTitle], ['identity', ui.identityTitle], ['password', ui.passwordTitle], ['done', ui.doneTitle],
    ['2-step selection', ui.selectTitle], ['TOTP setup', ui.totpSetupTitle], ['backup codes', ui.backupCodesTitle],
    ['terms', ui.termsTitle], ['home', ui.welcome(admin.name)], ['profile', a.heading.profile],
    ['admin users list', a.heading.users], ['new user', a.heading.newUser], ['user detail', newUserName],
    ['groups', a.heading.groups], ['audit', a.heading.audit], ['settings', a.heading.settings],
    ['TOTP login', ui.totpTitle], ['password reset request', a.heading.reset], ['password reset requested', a.heading.resetRequested],
  ];
}

for (const secure of [false, true]) {
  describe(`browser: web security over a first login and an admin's day (COOKIE_SECURE=${secure})`, () => {
    it('CSP, no-store and frame protection on every document; cookies HttpOnly/SameSite without personal data; nothing leaves 127.0.0.1', async (t) => {
      const browser = await launchBrowser(t);
      if (!browser) return;
      const app = await startTestApp('sqlite', t, { COOKIE_SECURE: String(secure) });
      await givenTerms(app.ctx);
      const admin = await givenUser(app.ctx, { role: 'admin', lang: 'ja', name: '管理 一郎' });
      const { context, page, watch } = await openPage(browser);
      const seen = recordResponses(page);
      const nu = { email: `jiro.${Date.now()}@example.co.jp`, name: '鈴木 次郎', phone: '0311112222', lang: 'ja' as const };
      const personal = personalData(admin, { ...admin, loginId: nu.email, email: nu.email, name: nu.name, phone: nu.phone });
      const jar = (where: string) => assertCookieJar(context, app.url, personal, secure, where);
      const names: string[] = [];

      // Anonymous: the login page, switched to English and back (the language cookie).
      await page.goto(`${app.url}/login`);
      await onPage(page, ui.loginTitle);
      await page.getByRole('link', { name: 'English' }).click();
      await onPage(page, UI.en.loginTitle);
      await page.getByRole('link', { name: '日本語' }).click();
      await onPage(page, ui.loginTitle);
      names.push(...await jar('anonymous login page'));

      // The admin's first login, then profile and every admin page.
      const { secret } = await firstLoginWithTotp(page, ui, admin, 'admin', app.clock.now, t);
      names.push(...await jar('home after the first login'));
      await page.getByRole('link', { name: a.profile, exact: true }).click();
      await onPage(page, a.heading.profile);
      await page.goto(`${app.url}/`);
      await openAdminUsers(page, a);
      await registerThroughForm(page, a, nu, t);
      for (const to of ['groups', 'audit', 'settings', 'users'] as const) await adminNav(page, a, to);
      names.push(...await jar('admin pages'));

      // Another origin frames /login and /profile while this browser is logged in.
      await assertNotFramable(context, app, t, [admin.name, admin.loginId, nu.email]);

      // Sign out; a later login with TOTP; sign out; the password reset request.
      await page.getByRole('button', { name: ui.signOut, exact: true }).click();
      await onPage(page, ui.loginTitle);
      const afterLogout = await jar('after logout');
      assert.ok(!afterLogout.some((n) => /bp_session$/.test(n)), `the session cookie is gone after logout: ${afterLogout.join(', ')}`);
      app.clock.advance(STEP);
      await logInWithTotp(page, ui, admin, secret, app.clock.now, t);
      await onPage(page, ui.welcome(admin.name));
      await page.getByRole('button', { name: ui.signOut, exact: true }).click();
      await onPage(page, ui.loginTitle);
      await page.getByRole('link', { name: a.forgot }).click();
      await onPage(page, a.heading.reset);
      await page.getByLabel(a.loginId).fill(admin.loginId);
      await page.getByLabel(a.email).fill(admin.email);
      await page.getByRole('button', { name: a.resetSubmit }).click();
      await onPage(page, a.heading.resetRequested);
      names.push(...await jar('password reset'));

      // Every page of the day was seen, and every document carries the headers.
      const docs = await seen.docs();
      const rendered = docs.filter((d) => d.status < 300 || d.status >= 400);
      for (const [what, h1] of pagesOfTheDay(admin, nu.name)) {
        assert.ok(rendered.some((d) => d.h1 !== null && (typeof h1 === 'string' ? d.h1 === h1 : h1.test(d.h1))), `the ${what} page (${String(h1)}) was visited: ${rendered.map((d) => d.h1).join(' | ')}`);
      }
      for (const d of rendered) assertDocumentHeaders(d);
      t.diagnostic(`${rendered.length} documents checked`);

      // Every cookie the portal set, as sent and as stored.
      const lines = await seen.setCookies();
      for (const s of lines) assertSetCookieLine(s, personal, secure);
      const prefix = secure ? '__Host-' : '';
      const all = new Set([...names, ...lines.map((s) => s.line.slice(0, s.line.indexOf('=')))]);
      for (const n of ['bp_session', 'bp_csrf', 'bp_flow', 'bp_lang']) assert.ok(all.has(prefix + n), `${prefix}${n} was set and checked (${[...all].join(', ')})`);

      assertClean(watch);
    });
  });
}

/** After logout, Back (and every step further back) shows the login page and nothing private. */
async function assertBackShowsNothingPrivate(page: Page, secrets: string[], where: string): Promise<void> {
  const [logout] = await Promise.all([
    page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/logout'),
    page.getByRole('button', { name: ui.signOut, exact: true }).click(),
  ]);
  // Without it Chromium brings the home page back from its back/forward cache, name and all.
  assert.equal(await logout.headerValue('clear-site-data'), '"cache"', 'logout clears the back/forward cache');
  await onPage(page, ui.loginTitle);
  // 'commit': a page restored from the back/forward cache fires no load event.
  await page.goBack({ waitUntil: 'commit' });
  await onPage(page, ui.loginTitle);
  for (let step = 0; step < 10; step++) {
    await page.locator('body').waitFor();
    const text = await page.locator('body').innerText();
    for (const s of secrets) assert.ok(!text.includes(s), `Back from logout (${where}, step ${step}) shows "${s}" at ${page.url()}`);
    assert.equal(await page.locator('header .who').count(), 0, `no signed-in header at ${page.url()}`);
    const before = page.url();
    const res = await page.goBack({ waitUntil: 'commit' });
    if (!res && page.url() === before) break;
  }
}

describe('browser: the back button after logout shows no private data', () => {
  for (const bfcache of [false, true]) {
    it(`/profile and /admin/users (back/forward cache ${bfcache ? 'on, as in a person\'s Chromium' : 'off, as Playwright launches it'})`, async (t) => {
      const browser = bfcache ? await launchWithBfcache(t) : await launchBrowser(t);
      if (!browser) return;
      const app = await startTestApp('sqlite', t);
      await givenTerms(app.ctx);
      const orgId = await givenOrg(app, 'direct');
      const p = await loggedIn(app, orgId, 'admin', { name: '管理 一郎' });
      const colleague = await givenUser(app.ctx, { orgId, name: '鈴木 次郎' });
      const { page, watch } = await openPage(browser);

      if (bfcache) {
        // The cache is really on here: a cacheable page of another origin comes back from it.
        const other = await startOtherOrigin(t, app.url);
        await page.goto(`${other}/a`);
        await page.getByRole('link', { name: 'b' }).click();
        await page.waitForURL(`${other}/b`);
        await page.goBack({ waitUntil: 'commit' });
        await page.waitForFunction(() => document.title === 'restored' || document.title === 'loaded');
        assert.equal(await page.title(), 'restored', 'this Chromium restores pages from the back/forward cache');
      }

      // 1. /profile: name, login ID, sessions.
      await page.goto(`${app.url}/login`);
      await logInWithTotp(page, ui, p.u, p.secret, app.clock.now, t);
      await atHome(page, ui, p.u, t);
      await page.getByRole('link', { name: a.profile, exact: true }).click();
      await onPage(page, a.heading.profile);
      const profile = await page.locator('body').innerText();
      assert.ok(profile.includes(p.u.name) && profile.includes('ログイン中のセッション'), 'the profile shows the name and the sessions');
      await assertBackShowsNothingPrivate(page, [p.u.name, p.u.loginId, 'ログイン中のセッション'], '/profile');

      // 2. /admin/users: other people's names and addresses.
      app.clock.advance(2 * STEP);
      await page.goto(`${app.url}/login`);
      await logInWithTotp(page, ui, p.u, p.secret, app.clock.now, t);
      await onPage(page, ui.welcome(p.u.name));
      await openAdminUsers(page, a);
      assert.ok((await page.locator('main').innerText()).includes(colleague.email), 'the list shows a colleague\'s address');
      await assertBackShowsNothingPrivate(page, [p.u.name, colleague.name, colleague.email, p.u.loginId], '/admin/users');

      assertClean(watch);
    });
  }
});
