// Screenshots of every page of the first login and the 2-step login, in Japanese and English, at a
// phone width (375 px) and a desktop width (1280 px), for a person to look at. Not a test.
// Usage: node --import tsx scripts/screenshots.ts [outDir]   (default ./screenshots, gitignored)
// Needs Debian's chromium (CHROMIUM_PATH to override) and, for Japanese glyphs, a CJK font
// (fonts-noto-cjk); without one Japanese text renders as boxes.
import type { TestContext } from 'node:test';
import { execFileSync } from 'node:child_process';
import { mkdir, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { startTestApp, type TestApp } from '../test/helpers/app.ts';
import { givenTerms, givenUser, independentTotp, lastMail, mailOtpIn, type GivenUser } from '../test/helpers/scenario.ts';
import { chromiumMissing, launchChromium, onPage } from '../test/helpers/browser.ts';
import { createOrganisation } from '../src/auth/tenancy/organisations.ts';
import { PASSWORD, UI, firstLoginWithTotp, type Ui } from '../test/browser/walk.ts';
import { fillDemo } from '../src/portal/demo.ts';

const WIDTHS = [375, 1280] as const;
const args = process.argv.slice(2);
const outDir = resolve(args.find((a) => !a.startsWith('--')) ?? 'screenshots');
/** `--portal-only`: only the dashboard and contract pages (over the demo data), not the login walk. */
const portalOnly = args.includes('--portal-only');

/** Enough of node:test's TestContext for startTestApp: cleanups run in reverse at the end. */
const cleanups: (() => unknown)[] = [];
const fakeT = { after: (fn: () => unknown) => { cleanups.push(fn); }, diagnostic: () => {} } as unknown as TestContext;

let shotCount = 0;
/** Full-page PNG at each width: `<lang>-<width>-<nn>-<name>.png`. The page is not reloaded between widths. */
async function shoot(page: Page, lang: string, seq: number, name: string): Promise<void> {
  for (const width of WIDTHS) {
    await page.setViewportSize({ width, height: width < 500 ? 812 : 900 });
    const file = join(outDir, `${lang}-${width}-${String(seq).padStart(2, '0')}-${name}.png`);
    await page.screenshot({ path: file, fullPage: true });
    shotCount++;
  }
  await page.setViewportSize({ width: 1280, height: 900 });
}

async function newPage(browser: Browser, lang: 'ja' | 'en'): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: lang === 'ja' ? 'ja-JP' : 'en-GB' });
  const page = await context.newPage();
  page.setDefaultTimeout(10_000);
  return page;
}

async function identity(page: Page, ui: Ui, u: GivenUser, name = u.name): Promise<void> {
  await page.getByLabel(ui.email).fill(u.email);
  await page.getByLabel(ui.name).fill(name);
  await page.getByLabel(ui.phone).fill(u.phone);
  await page.getByRole('button', { name: ui.next }).click();
}

async function password(page: Page, ui: Ui, pw: string): Promise<void> {
  await page.getByLabel(ui.newPassword).fill(pw);
  await page.getByLabel(ui.confirmPassword).fill(pw);
  await page.getByRole('button', { name: ui.save }).click();
}

async function logIn(page: Page, ui: Ui, loginId: string, pw: string): Promise<void> {
  await page.getByLabel(ui.loginId).fill(loginId);
  await page.getByLabel(ui.password).fill(pw);
  await page.getByRole('button', { name: ui.signIn }).click();
}

async function signOut(page: Page, ui: Ui): Promise<void> {
  await page.getByRole('button', { name: ui.signOut }).click();
  await onPage(page, ui.loginTitle);
}

async function walk(app: TestApp, browser: Browser, lang: 'ja' | 'en'): Promise<void> {
  const ui = UI[lang];
  const general = await givenUser(app.ctx, { role: 'general', lang, name: lang === 'ja' ? '山田 太郎' : 'Taro Yamada' });
  const admin = await givenUser(app.ctx, { role: 'admin', lang, name: lang === 'ja' ? '佐藤 花子' : 'Hanako Sato' });
  const page = await newPage(browser, lang);
  let n = 0;

  // The link-invalid page, then the login page and its error.
  await page.goto(`${app.url}/setup/not-a-valid-token?lang=${lang}`);
  await shoot(page, lang, ++n, 'link-invalid');
  await page.goto(`${app.url}/login`);
  await onPage(page, ui.loginTitle);
  await shoot(page, lang, ++n, 'login');
  await logIn(page, ui, general.loginId, 'wrong-password');
  await page.locator('.alert.error').waitFor();
  await shoot(page, lang, ++n, 'login-error');

  // First login: identity (empty, then with an error), password (rules failing), completion.
  await page.goto(general.setupUrl);
  await onPage(page, ui.identityTitle);
  await shoot(page, lang, ++n, 'identity');
  await identity(page, ui, general, general.name.replace(' ', '\u3000'));   // S2.1: a full-width space differs
  await page.locator('.alert.error').waitFor();
  await shoot(page, lang, ++n, 'identity-error');
  await identity(page, ui, general);
  await onPage(page, ui.passwordTitle);
  await shoot(page, lang, ++n, 'password');
  await password(page, ui, 'abc');
  await page.locator('.alert.error').waitFor();
  await shoot(page, lang, ++n, 'password-rules-failing');
  await password(page, ui, PASSWORD);
  await onPage(page, ui.doneTitle);
  await shoot(page, lang, ++n, 'password-done');

  // 2-step setup of a general user: TOTP setup (and a wrong code), backup codes, terms, home.
  await page.getByRole('link', { name: ui.returnToService }).click();
  await onPage(page, ui.loginTitle);
  await logIn(page, ui, general.loginId, PASSWORD);
  await onPage(page, ui.totpSetupTitle);
  await shoot(page, lang, ++n, 'totp-setup');
  const secret = ((await page.locator('#totp-key').textContent()) ?? '').replace(/\s/g, '');
  await page.getByLabel(ui.code).fill('000000' === independentTotp(secret, app.clock.now) ? '111111' : '000000');
  await page.getByRole('button', { name: ui.register }).click();
  await page.locator('.alert.error').waitFor();
  await shoot(page, lang, ++n, 'totp-setup-error');
  await page.getByLabel(ui.code).fill(independentTotp(secret, app.clock.now));
  await page.getByRole('button', { name: ui.register }).click();
  await onPage(page, ui.backupCodesTitle);
  await shoot(page, lang, ++n, 'backup-codes');
  await page.getByRole('button', { name: ui.ack }).click();
  await onPage(page, ui.termsTitle);
  await shoot(page, lang, ++n, 'terms');
  await page.getByRole('button', { name: ui.accept, exact: true }).click();
  await page.locator('.alert.error').waitFor();
  await shoot(page, lang, ++n, 'terms-error');
  await page.getByLabel(ui.acceptLabel).check();
  await page.getByRole('button', { name: ui.accept, exact: true }).click();
  await onPage(page, ui.welcome(general.name));
  await shoot(page, lang, ++n, 'home');
  await signOut(page, ui);
  await shoot(page, lang, ++n, 'signed-out');

  // A later login: the TOTP code page (and a wrong code, with the backup code box open).
  app.clock.advance(5 * 60_000);
  await page.goto(`${app.url}/login`);
  await logIn(page, ui, general.loginId, PASSWORD);
  await onPage(page, ui.totpTitle);
  await shoot(page, lang, ++n, 'totp-code');
  await page.getByLabel(ui.code).fill('000000' === independentTotp(secret, app.clock.now) ? '111111' : '000000');
  await page.getByRole('button', { name: ui.next }).click();
  await page.locator('.alert.error').waitFor();
  await page.locator('details.backup summary').click();
  await shoot(page, lang, ++n, 'totp-code-error');
  await page.getByLabel(ui.backupCode).fill('0000-0000-0000-0000');
  await page.locator('form[action$="/backup-code"]').getByRole('button', { name: ui.next }).click();
  await page.locator('.alert.error').waitFor();
  await shoot(page, lang, ++n, 'backup-code-error');
  await page.getByLabel(ui.code).fill(independentTotp(secret, app.clock.now));
  await page.locator('form[action$="/totp"]').getByRole('button', { name: ui.next }).click();
  await onPage(page, ui.welcome(general.name));
  await signOut(page, ui);

  // A portal admin: method selection, then MailOTP (and a wrong code).
  await page.goto(admin.setupUrl);
  await identity(page, ui, admin);
  await onPage(page, ui.passwordTitle);
  await password(page, ui, PASSWORD);
  await onPage(page, ui.doneTitle);
  await page.goto(`${app.url}/login`);
  await logIn(page, ui, admin.loginId, PASSWORD);
  await onPage(page, ui.selectTitle);
  await shoot(page, lang, ++n, 'method-select');
  await page.getByLabel(ui.mailOtpChoice).check();
  await page.getByRole('button', { name: ui.next }).click();
  await onPage(page, ui.mailOtpTitle);
  await shoot(page, lang, ++n, 'mail-otp');
  // Issue 16 §2: a resend inside the cooldown is a notice with the seconds left, not a field error.
  await page.locator('form[action$="/mail-otp/resend"] button').click();
  await page.locator('.alert.info').waitFor();
  await shoot(page, lang, ++n, 'mail-otp-cooldown');
  await page.getByLabel(ui.mailOtpCode).fill('000000');
  await page.getByRole('button', { name: ui.mailOtpSubmit, exact: true }).click();
  await page.locator('.alert.error').waitFor();
  await shoot(page, lang, ++n, 'mail-otp-error');
  const mail = await lastMail(app.ctx, admin.email, 'mail_otp');
  await page.getByLabel(ui.mailOtpCode).fill(mailOtpIn(mail!.body_text));
  await page.getByRole('button', { name: ui.mailOtpSubmit, exact: true }).click();
  await onPage(page, ui.termsTitle);
  await page.getByLabel(ui.acceptLabel).check();
  await page.getByRole('button', { name: ui.accept, exact: true }).click();
  await onPage(page, ui.welcome(admin.name));
  await shoot(page, lang, ++n, 'home-admin');

  // Issue 16 §1: the help section (index and one topic).
  await page.goto(`${app.url}/help`);
  await shoot(page, lang, ++n, 'help');
  await page.goto(`${app.url}/help/authenticator`);
  await shoot(page, lang, ++n, 'help-authenticator');
  await signOut(page, ui);

  // Issue 16 §4: a partner-child (SDPF) user's pages carry that profile's name and wording.
  const partner = (await createOrganisation(app.ctx.db, { name: lang === 'ja' ? 'パートナー株式会社' : 'Partner Ltd', kind: 'partner' }, app.clock.now)).id;
  const child = (await createOrganisation(app.ctx.db, { name: lang === 'ja' ? '子契約株式会社' : 'Child Co.', kind: 'child', parentId: partner }, app.clock.now)).id;
  const sdpf = await givenUser(app.ctx, { orgId: child, lang, name: lang === 'ja' ? '鈴木 一郎' : 'Ichiro Suzuki' });
  await page.goto(`${app.url}/login?portal=partner-child`);
  await shoot(page, lang, ++n, 'sdpf-login');
  await page.goto(sdpf.setupUrl);
  await onPage(page, ui.identityTitle);
  await shoot(page, lang, ++n, 'sdpf-identity');
  await page.context().close();
}

/** The portal over the demo data (issue 17): dashboards, contract list, filter, contract, settings sites. */
async function portalWalk(browser: Browser, lang: 'ja' | 'en'): Promise<void> {
  const app = await startTestApp('sqlite', fakeT);
  const demo = await fillDemo(app.ctx);
  const ui = UI[lang];
  const as = (i: number): GivenUser => {
    const u = demo.users[i]!;
    return { id: '', loginId: u.loginId, email: u.loginId, name: u.name, phone: u.phone, orgId: '', setupUrl: u.setupUrl };
  };
  const page = await newPage(browser, lang);
  let n = 50;
  await firstLoginWithTotp(page, ui, as(2), 'general', app.clock.now, fakeT);
  await shoot(page, lang, ++n, 'portal-dashboard');
  await page.goto(`${app.url}/portal/contracts`);
  await shoot(page, lang, ++n, 'portal-contracts');
  await page.goto(`${app.url}/portal/contracts?q=${encodeURIComponent('大阪　ｎ１')}&size=20`);
  await shoot(page, lang, ++n, 'portal-contracts-filtered');
  await page.goto(`${app.url}/portal/contracts?q=${encodeURIComponent('名古屋 存在しない')}`);
  await shoot(page, lang, ++n, 'portal-contracts-no-match');
  await page.goto(`${app.url}/portal/contracts`);
  await page.locator('table.contracts tbody a').first().click();
  await shoot(page, lang, ++n, 'portal-contract');
  await page.goto(`${app.url}/portal/settings-sites`);
  await shoot(page, lang, ++n, 'portal-settings-sites');
  await page.getByRole('link', { name: lang === 'ja' ? /の設定を変更する$/ : /^Change settings of/ }).first().click();
  await shoot(page, lang, ++n, 'portal-settings-site-seam');
  await page.context().close();
  const adminPage = await newPage(browser, lang);
  await firstLoginWithTotp(adminPage, ui, as(0), 'admin', app.clock.now, fakeT);
  await shoot(adminPage, lang, ++n, 'portal-dashboard-admin');
  await adminPage.getByRole('link', { name: lang === 'ja' ? 'ユーザグループと契約の閲覧権限' : 'User groups and contract permissions' }).click();
  await adminPage.getByRole('link', { name: '営業部' }).click();
  await shoot(adminPage, lang, ++n, 'portal-admin-group-contracts');
  await adminPage.context().close();
}

function warnWithoutCjkFont(): void {
  try {
    if (!execFileSync('fc-list', [':lang=ja'], { encoding: 'utf8' }).trim()) throw new Error('none');
  } catch {
    console.warn('warning: no Japanese font found (apt-get install fonts-noto-cjk); Japanese text will render as boxes');
  }
}

try {
  const missing = chromiumMissing();
  if (missing) throw new Error(missing);
  warnWithoutCjkFont();
  await rm(outDir, { recursive: true, force: true });
  await mkdir(outDir, { recursive: true });
  const browser = await launchChromium(async (fn) => { cleanups.push(fn); });
  if (!portalOnly) {
    const app = await startTestApp('sqlite', fakeT);
    await givenTerms(app.ctx);
    for (const lang of ['ja', 'en'] as const) await walk(app, browser, lang);
  }
  for (const lang of ['ja', 'en'] as const) await portalWalk(browser, lang);
  console.log(`${shotCount} screenshots in ${outDir}`);
} catch (err) {
  console.error(err);
  process.exitCode = 1;
} finally {
  for (const fn of cleanups.reverse()) await fn();
}
