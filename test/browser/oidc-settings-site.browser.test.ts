// Issue 18 in a real browser: «設定を変更する» signs a person in at a service's settings site through
// bizportal's OpenID Connect provider. The settings site is the repository's example
// (examples/settings-site/server.mjs) run as its own process; the portal is a real server. The
// person signs in with password + TOTP in Chromium, opens a contract's settings site, is signed
// out of it by the portal's sign-out (back-channel logout), and signs out from the site itself
// (RP-initiated logout, "also the portal"). Both databases; axe on the provider's pages; no
// console error or CSP violation; nothing leaves 127.0.0.1.
import { describe, it, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { freePort, startTestApp, type TestApp } from '../helpers/app.ts';
import { testDialects } from '../helpers/db.ts';
import { givenWorld } from '../helpers/portal-world.ts';
import { givenTerms, givenUser, type GivenUser } from '../helpers/scenario.ts';
import { assertClean, axeCheck, launchBrowser, onPage, openPage } from '../helpers/browser.ts';
import { addClient } from '../../src/oidc/clients.ts';
import { UI, firstLoginWithTotp, logInWithTotp } from './walk.ts';

const SERVER = fileURLToPath(new URL('../../examples/settings-site/server.mjs', import.meta.url));
const CONTRACT = 'N000000001';

/** The words of the example site (examples/settings-site/server.mjs, Japanese), written out here. */
const SITE = {
  title: 'Web設定変更サイト',
  settingsOf: (n: string) => `契約 ${n} の設定`,
  notSignedIn: 'このサイトはビジネスポータルから開いてください。',
  signedOut: 'サインアウトしました。',
  signOut: 'サインアウト',
};
/** The provider's pages (src/oidc/messages.ts, Japanese). */
const OP = {
  continueTitle: 'ログインしています…', continueLink: '続ける',
  logoutTitle: 'ログアウト', everywhere: 'ビジネスポータルからもログアウトする',
};

interface Site { url: string; port: number; out: string[]; proc: ChildProcess }

/**
 * The example settings site as a child process on a free port, registered at the portal (its
 * initiate_login_uri over http on the loopback host, as its README registers it);
 * stopped when the test ends.
 */
async function startSite(app: TestApp, t: TestContext): Promise<Site> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const { secret } = await addClient(app.ctx, {
    id: 'settings-colo', name: 'コロケーション設定', serviceCode: 'colo',
    redirectUris: [`${url}/callback`], postLogoutUris: [`${url}/`],
    initiateLoginUri: `${url}/login`, backchannelLogoutUri: `${url}/backchannel-logout`,
    authMethod: 'client_secret_basic', firstParty: true, requireAal2: false,
  });
  const out: string[] = [];
  const proc = spawn(process.execPath, [SERVER], {
    env: { PATH: process.env.PATH ?? '', ISSUER: app.url, CLIENT_ID: 'settings-colo', CLIENT_SECRET: secret!, PORT: String(port), BASE_URL: url, SITE_NAME: 'Colocation settings' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  proc.stdout!.setEncoding('utf8').on('data', (d: string) => out.push(...d.split('\n').filter(Boolean)));
  proc.stderr!.setEncoding('utf8').on('data', (d: string) => out.push(...d.split('\n').filter(Boolean).map((l) => `stderr: ${l}`)));
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
  // Before the app closes (deferred cleanup runs first): the site's last lines go to the report.
  app.defer(async () => {
    if (proc.exitCode === null) proc.kill('SIGTERM');
    await exited;
    t.diagnostic(`settings site log:\n${out.join('\n')}`);
  });
  for (let i = 0; ; i++) {
    if (proc.exitCode !== null) throw new Error(`the settings site exited (${proc.exitCode}): ${out.join('\n')}`);
    const ok = await fetch(`${url}/healthz`).then((r) => r.ok, () => false);
    if (ok) break;
    if (i > 100) throw new Error(`the settings site did not answer /healthz in 10 s: ${out.join('\n')}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return { url, port, out, proc };
}

/** Waits for a line of the site's log (the back-channel logout arrives over the portal's own request). */
async function siteLogged(site: Site, re: RegExp): Promise<string> {
  for (let i = 0; i < 100; i++) {
    const line = site.out.find((l) => re.test(l));
    if (line) return line;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`the settings site did not log ${re}: ${site.out.join('\n')}`);
}

/** The settings site's page of the contract: the number, the person, the full 2-step. */
async function atSettings(page: Page, site: Site, u: GivenUser): Promise<void> {
  await onPage(page, SITE.settingsOf(CONTRACT));
  assert.equal(new URL(page.url()).origin, site.url, 'on the settings site');
  const main = await page.locator('main').innerText();
  assert.match(main, new RegExp(u.name));
  assert.match(main, new RegExp(u.email.replace(/\./g, '\\.')));
  assert.match(main, /認証レベル \(acr\)\s+aal2/);
  assert.match(main, /コロケーション|colo/);
}

for (const dialect of testDialects()) {
  describe(`browser: settings-site sign-in through the portal (${dialect})`, () => {
    it('password + TOTP → «設定を変更する» → the site shows the contract (aal2); portal sign-out ends it (back-channel); the site\'s sign-out ends both (RP-initiated)', async (t) => {
      const browser = await launchBrowser(t);
      if (!browser) return;
      const app = await startTestApp(dialect, t);
      await givenWorld(app.ctx.db);
      await givenTerms(app.ctx);
      // The site registered as its README says: http on the loopback host.
      const site = await startSite(app, t);
      await app.ctx.db.updateTable('service').set({ settings_site_url: `${site.url}/` }).where('id', '=', 'S1').execute();
      // A person of organisation A in the group (gA) that may view contract cA1 (N000000001 of S1).
      const u = await givenUser(app.ctx, { orgId: 'A', role: 'general', lang: 'ja' });
      await app.ctx.db.insertInto('user_group_member').values({ group_id: 'gA', user_id: u.id }).execute();
      const ui = UI.ja;
      const { context, page, watch } = await openPage(browser);
      const handoffs: { status: number; location: URL }[] = [];
      await page.route(`${app.url}/portal/contracts/*/settings-site`, async (route) => {
        const res = await route.fetch({ maxRedirects: 0 });
        const location = new URL(res.headers()['location'] ?? '', app.url);
        handoffs.push({ status: res.status(), location: new URL(location) });
        await route.fulfill({ response: res });
      });
      // First login in the browser: mailed link, password, TOTP enrolment, terms → home.
      const { secret } = await firstLoginWithTotp(page, ui, u, 'general', app.clock.now, t);

      // «設定を変更する» → the site's initiate_login_uri → the provider → the interaction (the portal
      // session is live: the continue page, followed by its meta refresh) → the site's callback.
      await page.goto(`${app.url}/portal/settings-sites`);
      await onPage(page, '設定変更一覧');
      await axeCheck(page, t);
      await page.getByRole('link', { name: `${CONTRACT}の設定を変更する` }).click();
      await atSettings(page, site, u);
      // The portal's answer to «設定を変更する»: the site's initiate_login_uri with iss, the service's
      // settings site as target_link_uri, and the contract number (OpenID Connect Core §4).
      assert.equal(handoffs.length, 1, 'the portal handed the browser to the site once');
      const { status, location } = handoffs[0]!;
      assert.equal(status, 303);
      assert.equal(`${location.origin}${location.pathname}`, `http://127.0.0.1:${site.port}/login`);
      assert.equal(location.searchParams.get('iss'), app.url);
      assert.equal(location.searchParams.get('target_link_uri'), `${site.url}/`);
      assert.equal(location.searchParams.get('contract'), CONTRACT);
      assert.match(await siteLogged(site, /sign-in sub=/), new RegExp(`sub=${u.id} .*contract=${CONTRACT} acr=aal2`));

      // Portal sign-out (the header's button): the provider's session ends and the site gets a
      // logout token; the site, reloaded, shows no one signed in.
      await page.goto(`${app.url}/`);
      await onPage(page, ui.welcome(u.name));
      await page.getByRole('button', { name: ui.signOut }).click();
      await onPage(page, ui.loginTitle);
      assert.match(await siteLogged(site, /back-channel logout sub=/), /sessions ended=1/);
      await page.goto(`${site.url}/`);
      await onPage(page, SITE.title);
      assert.match(await page.locator('main').innerText(), new RegExp(SITE.notSignedIn));

      // Signed out, the settings-site list asks to log in and comes back after password + TOTP.
      app.clock.advance(30_000); // the next TOTP step: the enrolment's code may not be used twice
      await page.goto(`${app.url}/portal/settings-sites`);
      await logInWithTotp(page, ui, u, secret, app.clock.now, t);
      await onPage(page, '設定変更一覧');

      // This time the continue page is held (its refresh delayed past axe's 20 hours: axe accepts
      // the real page's immediate refresh, not a short delay) to be checked, then its link is
      // followed: the way on for a browser that does not follow a meta refresh. The page is the
      // last hop of a redirect chain, which Playwright's routes do not see: the DevTools protocol's
      // Fetch domain, at the response stage, does.
      const cdp = await context.newCDPSession(page);
      await cdp.send('Fetch.enable', { patterns: [{ urlPattern: `${app.url}/oidc/interaction/*`, requestStage: 'Response' }] });
      const held: string[] = [];
      cdp.on('Fetch.requestPaused', (e) => {
        void (async () => {
          const { body, base64Encoded } = await cdp.send('Fetch.getResponseBody', { requestId: e.requestId });
          const html = base64Encoded ? Buffer.from(body, 'base64').toString('utf8') : body;
          held.push(html);
          await cdp.send('Fetch.fulfillRequest', {
            requestId: e.requestId, responseCode: e.responseStatusCode ?? 200, responseHeaders: e.responseHeaders ?? [],
            body: Buffer.from(html.replace(/content="0;url=/, 'content="100000;url=')).toString('base64'),
          });
        })();
      });
      await page.getByRole('link', { name: `${CONTRACT}の設定を変更する` }).click();
      await onPage(page, OP.continueTitle);
      await axeCheck(page, t);
      const refresh = await page.locator('meta[http-equiv="refresh"]').getAttribute('content');
      assert.match(refresh ?? '', new RegExp(`url=${app.url.replace(/\./g, '\\.')}/oidc/auth/`), 'the continue page leads back to the provider');
      assert.equal(held.length, 1);
      assert.match(held[0]!, /<meta http-equiv="refresh" content="0;url=/, 'as sent, the page refreshes at once');
      await cdp.send('Fetch.disable');
      await cdp.detach();
      await page.getByRole('link', { name: OP.continueLink }).click();
      await atSettings(page, site, u);

      // The site's sign-out: RP-initiated logout at the portal, "also the portal" → back at the site.
      await page.getByRole('button', { name: SITE.signOut }).click();
      await onPage(page, OP.logoutTitle);
      assert.equal(new URL(page.url()).origin, app.url, 'the portal\'s sign-out page');
      await axeCheck(page, t);
      // "Also the portal": the provider answers with a page that goes on to the site (a form's
      // redirect to another origin would be held to the page's CSP form-action 'self').
      await page.getByRole('button', { name: OP.everywhere }).click();
      await onPage(page, SITE.title);
      assert.equal(new URL(page.url()).origin, site.url, 'back at the settings site');
      assert.match(await page.locator('main').innerText(), new RegExp(SITE.signedOut));
      // Signed out of the portal too.
      await page.goto(`${app.url}/`);
      await onPage(page, ui.loginTitle);
      const logout = await app.ctx.db.selectFrom('audit_log').select(['detail']).where('event', '=', 'oidc.logout').where('subject_user_id', '=', u.id).execute();
      assert.ok(logout.some((r) => JSON.parse(String(r.detail)).portal === true && JSON.parse(String(r.detail)).client === 'settings-colo'), `the provider's sign-out, also the portal, is audited: ${JSON.stringify(logout)}`);

      assertClean(watch);
    });
  });
}
