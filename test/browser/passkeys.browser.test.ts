// Issue 23 in Chromium: passkeys through the real browser half (@simplewebauthn/browser under the
// strict CSP) and Chromium's own WebAuthn stack, answered by a virtual authenticator (DevTools
// protocol WebAuthn domain, test/helpers/virtual-authenticator.ts). The origin is
// http://localhost:PORT: browsers accept a domain, not an IP address, as RP ID.
//   1. register from the security settings (fresh sign-in), the passkey as the second step, removal;
//   2. a passkey registered during the first login's 2-step setup, the TOTP setup after it;
//   3. the passwordless sign-in from the login page where the organisation turned it on; refused
//      once the passkey is removed from the portal (the authenticator still holds it).
import { describe, it, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { givenTerms, givenUser } from '../helpers/scenario.ts';
import { assertClean, axeCheck, launchBrowser, onPage, openPage } from '../helpers/browser.ts';
import { addVirtualAuthenticator } from '../helpers/virtual-authenticator.ts';
import { updateOrganisationSettings } from '../../src/auth/tenancy/organisations.ts';
import { UI, acceptTerms, atHome, enrolTotp, firstLoginWithTotp, logIn, setPassword, verifyIdentity } from './walk.ts';

const ui = UI.ja;

async function signOut(page: Page): Promise<void> {
  await page.locator('header form.signout button').click();
  await onPage(page, ui.loginTitle);
}

/** From the security settings: «パスキーを追加» (fresh sign-in, no code) → name it → the ceremony → back with the notice. */
async function registerPasskey(page: Page, app: TestApp, name: string): Promise<void> {
  await page.goto(`${app.url}/profile`);
  await page.locator('#passkeys').waitFor();
  await page.locator('#passkey-add').click();
  await page.locator('#passkey-register-form').waitFor({ state: 'visible' });
  await page.locator('#f-label').fill(name);
  await page.locator('#passkey-register').click();
  await page.waitForURL(/\/profile\?passkey=added/);
  await page.getByText('パスキーを登録しました。').waitFor();
}

/** The `amr` of the user's live session (the test clock stands still, so no ordering by time). */
async function amrOfLiveSession(app: TestApp, userId: string): Promise<string> {
  const rows = await app.ctx.db.selectFrom('session').select('amr').where('user_id', '=', userId).where('revoked_at', 'is', null).execute();
  assert.equal(rows.length, 1, 'one live session');
  return String(rows[0]!.amr);
}

/**
 * The login page with the passkey sign-in: Chromium's virtual authenticator answers the page's
 * conditional (autofill) request by itself, so the page may sign in before anyone clicks; where it
 * does not, the «パスキーでログイン» button does.
 */
async function passkeySignIn(page: Page, app: TestApp): Promise<void> {
  await page.goto(`${app.url}/login`);
  const button = page.locator('#passkey-signin');
  await Promise.race([
    page.waitForURL((url) => url.pathname === '/', { timeout: 5_000 }).catch(() => {}),
    button.waitFor({ state: 'visible', timeout: 5_000 }).catch(() => {}),
  ]);
  if (new URL(page.url()).pathname === '/login' && await button.isVisible()) await button.click();
}

/** Chromium with a virtual authenticator, at the home page of a user after their first login (TOTP); null without Chromium off CI. */
async function passkeyWorld(t: TestContext) {
  const browser = await launchBrowser(t);
  if (!browser) return null;
  const app = await startTestApp('sqlite', t, {}, { host: 'localhost' });
  await givenTerms(app.ctx);
  const u = await givenUser(app.ctx, { lang: 'ja' });
  const { context, page, watch } = await openPage(browser);
  const auth = await addVirtualAuthenticator(context, page);
  await firstLoginWithTotp(page, ui, u, 'general', app.clock.now, t);
  return { app, u, context, page, watch, auth };
}

describe('browser: passkeys (issue 23)', () => {
  it('register from the security settings, the passkey as the second step, then removal (back to TOTP)', { timeout: 240_000 }, async (t) => {
    const w = await passkeyWorld(t);
    if (!w) return;
    const { app, u, page, watch, auth } = w;
    await registerPasskey(page, app, '業務用ノートPC');
    await axeCheck(page, t);
    assert.equal((await auth.credentials()).length, 1, 'the authenticator holds the new credential');
    assert.match(await page.locator('#passkeys').innerText(), /業務用ノートPC/);
    const stored = await app.ctx.db.selectFrom('factor').select(['label', 'sign_count']).where('user_id', '=', u.id).where('kind', '=', 'passkey').execute();
    assert.deepEqual(stored.map((f) => f.label), ['業務用ノートPC']);

    // The next login: password, then the passkey step (not the TOTP code).
    await signOut(page);
    await logIn(page, ui, u, t);
    await page.locator('#passkey-form').waitFor({ state: 'visible' });
    await axeCheck(page, t);
    await page.locator('#passkey-use').click();
    await onPage(page, ui.welcome(u.name));
    const amr = await amrOfLiveSession(app, u.id);
    assert.match(amr, /"pwd"/);
    assert.match(amr, /"user"/, 'the session says a passkey with user verification was the second step');
    assert.doesNotMatch(amr, /"otp"/);

    // Removal (fresh sign-in: no code asked), then the login asks for the TOTP code again.
    await page.goto(`${app.url}/profile`);
    await page.locator('#passkey-remove').click();
    await page.getByText('パスキーを削除しました。').waitFor();
    assert.equal((await app.ctx.db.selectFrom('factor').select('id').where('user_id', '=', u.id).where('kind', '=', 'passkey').execute()).length, 0);
    await signOut(page);
    await logIn(page, ui, u, t);
    await onPage(page, ui.totpTitle);
    assertClean(watch);
  });

  it('passwordless sign-in where the organisation turns it on; a passkey removed from the portal no longer signs in', { timeout: 240_000 }, async (t) => {
    const w = await passkeyWorld(t);
    if (!w) return;
    const { app, u, context, page, watch, auth } = w;
    await registerPasskey(page, app, 'YubiKey');
    await signOut(page);

    // Off by default: no button on the login page.
    assert.equal(await page.locator('#passkey-signin').count(), 0);
    await updateOrganisationSettings(app.ctx.db, u.orgId, { passkeySignin: true }, app.ctx.now());
    assert.match(await (await fetch(`${app.url}/login`)).text(), /id="passkey-signin"/, 'the login page offers it now');
    await passkeySignIn(page, app);
    await onPage(page, ui.welcome(u.name));
    const amr = await amrOfLiveSession(app, u.id);
    assert.match(amr, /"user"/);
    assert.doesNotMatch(amr, /"pwd"/, 'no password in a passwordless sign-in');

    // The portal forgets the passkey; the authenticator still offers it: refused, no session.
    await app.ctx.db.deleteFrom('factor').where('user_id', '=', u.id).where('kind', '=', 'passkey').execute();
    const sessions = async () => (await app.ctx.db.selectFrom('session').select('id').where('user_id', '=', u.id).execute()).length;
    const before = await sessions();
    // From here the browser offers no autofill (conditional) request: the virtual authenticator would
    // answer each page's by itself, where a person has to pick the passkey; the button is used instead.
    await context.addInitScript(() => {
      (globalThis as unknown as { PublicKeyCredential: { isConditionalMediationAvailable?: () => Promise<boolean> } }).PublicKeyCredential.isConditionalMediationAvailable = async () => false;
    });
    await signOut(page);
    // The click returns before the ceremony's answer is posted: wait for the portal's answer to it.
    const answered = page.waitForResponse((r) => /\/passkey\/signin/.test(r.url()) && r.request().method() === 'POST', { timeout: 30_000 });
    await passkeySignIn(page, app);
    assert.equal((await answered).status(), 401, 'the portal refuses the forgotten passkey');
    await page.waitForLoadState('load');
    assert.notEqual(new URL(page.url()).pathname, '/', 'not signed in');
    assert.equal((await auth.credentials()).length, 1, 'the authenticator still offered it');
    assert.equal(await sessions(), before, 'no new session');
    const refused = await app.ctx.db.selectFrom('audit_log').select('detail').where('event', '=', 'login.failed').where('factor', '=', 'passkey').execute();
    assert.ok(refused.length >= 1, 'the refusal is audited');
    // The refusal is a page with its error (401), not a console error of ours; only the 401 response is logged.
    watch.consoleErrors.splice(0, watch.consoleErrors.length, ...watch.consoleErrors.filter((e) => !/401/.test(e)));
    assertClean(watch);
  });

  it('during the first login\'s 2-step setup: «パスキーを登録» on the TOTP setup page, then the TOTP setup, and the next login asks for the passkey', { timeout: 240_000 }, async (t) => {
    const browser = await launchBrowser(t);
    if (!browser) return;
    const app = await startTestApp('sqlite', t, {}, { host: 'localhost' });
    await givenTerms(app.ctx);
    const u = await givenUser(app.ctx, { lang: 'ja' });
    const { context, page, watch } = await openPage(browser);
    const auth = await addVirtualAuthenticator(context, page);
    await verifyIdentity(page, ui, u, t);
    await setPassword(page, ui, t);
    await logIn(page, ui, u, t);
    await onPage(page, ui.totpSetupTitle);
    const keyBefore = (await page.locator('#totp-key').textContent() ?? '').replace(/\s/g, '');
    // The offer is shown by the script where WebAuthn exists (hidden without it).
    await page.locator('#passkey-setup').click();
    await page.locator('#passkey-register-form').waitFor({ state: 'visible' });
    await axeCheck(page, t);
    await page.locator('#f-label').fill('業務用スマートフォン');
    await page.locator('#passkey-register').click();
    await page.locator('#passkey-setup-held').waitFor();
    await axeCheck(page, t);
    assert.equal((await auth.credentials()).length, 1, 'the authenticator holds the new credential');
    assert.equal(await page.locator('#passkey-setup').count(), 0, 'no second offer');
    assert.equal((await page.locator('#totp-key').textContent() ?? '').replace(/\s/g, ''), keyBefore, 'the same TOTP key as before the detour');
    await enrolTotp(page, ui, app.clock.now, t);
    await page.getByRole('button', { name: ui.ack }).click();
    await acceptTerms(page, ui, t);
    await atHome(page, ui, u, t);

    await signOut(page);
    await logIn(page, ui, u, t);
    await page.locator('#passkey-form').waitFor({ state: 'visible' });
    await page.locator('#passkey-use').click();
    await onPage(page, ui.welcome(u.name));
    const amr = await amrOfLiveSession(app, u.id);
    assert.match(amr, /"pwd"/);
    assert.match(amr, /"user"/, 'the passkey from the setup answered the second step');
    assertClean(watch);
  });
});
