// Steps of the first login and the 2-step login as a person does them in Chromium: find the page by
// its heading, find fields by their visible label, type, press the button. axe runs on every page.
// The words are written out here (not read from src/i18n) so a lost or wrong label fails a test.
import type { TestContext } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import type { GivenUser } from '../helpers/scenario.ts';
import { independentTotp } from '../helpers/scenario.ts';
import { axeCheck, onPage } from '../helpers/browser.ts';

export const UI = {
  ja: {
    identityTitle: '本人確認', email: 'メールアドレス', name: '名前', phone: '連絡先電話番号', next: '次へ',
    passwordTitle: 'パスワード設定', newPassword: /^新しいパスワード \(必須\)$/, confirmPassword: '新しいパスワード(確認)', save: '保存',
    doneTitle: 'パスワード設定完了', returnToService: 'サービスへ戻る',
    loginTitle: 'ログインID/パスワードでログイン', loginId: 'ログインID', password: 'パスワード', signIn: 'ログイン',
    selectTitle: '2段階目の認証方式の選択', totpChoice: 'TOTP認証', mailOtpChoice: 'MailOTP認証',
    totpSetupTitle: 'TOTP認証の設定', code: '確認コード', register: '登録',
    backupCodesTitle: 'バックアップコードを保管してください', download: 'テキストでダウンロード', copy: 'コピー', copied: 'コピーしました',
    ack: 'バックアップコードを保管しました',
    totpTitle: '2段階目の認証', useBackup: 'バックアップコードを使用する', backupCode: 'バックアップコード',
    mailOtpTitle: 'メールOTP認証', mailOtpCode: 'ワンタイムパスワード', mailOtpSubmit: '送信',
    termsTitle: 'ご利用規約', acceptLabel: '規約に同意する', accept: '同意を承認する',
    welcome: (name: string) => `ようこそ、${name} 様`, firstLogin: '今回が初めてのログインです。', signOut: 'ログアウト',
  },
  en: {
    identityTitle: 'Identity verification', email: 'E-mail address', name: 'Name', phone: 'Contact telephone number', next: 'Continue',
    passwordTitle: 'Set password', newPassword: /^New password \(required\)$/, confirmPassword: 'New password (again)', save: 'Save',
    doneTitle: 'Password setting completed', returnToService: 'Return to Service',
    loginTitle: 'Log in with login ID and password', loginId: 'Login ID', password: 'Password', signIn: 'Log in',
    selectTitle: 'Select the second verification', totpChoice: 'TOTP authentication', mailOtpChoice: 'MailOTP authentication',
    totpSetupTitle: 'Set up TOTP authentication', code: 'Verification code', register: 'Register',
    backupCodesTitle: 'Keep your backup codes', download: 'Download as text', copy: 'Copy', copied: 'Copied',
    ack: 'I have stored my backup codes',
    totpTitle: 'Second verification', useBackup: 'Use a backup code instead', backupCode: 'Backup code',
    mailOtpTitle: 'MailOTP authentication', mailOtpCode: 'One-time password', mailOtpSubmit: 'Send',
    termsTitle: 'Terms and conditions', acceptLabel: 'I accept the terms and conditions', accept: 'Accept',
    welcome: (name: string) => `Welcome, ${name}`, firstLogin: 'This is your first login.', signOut: 'Log out',
  },
} as const;
export type Ui = (typeof UI)[keyof typeof UI];

export const PASSWORD = 'Kx7#mPq2vLa9';

/** Opens the mailed link and answers identity verification (S2.1). */
export async function verifyIdentity(page: Page, ui: Ui, u: GivenUser, t: TestContext, query = ''): Promise<void> {
  await page.goto(u.setupUrl + query);
  await onPage(page, ui.identityTitle);
  assert.ok(!page.url().includes(u.setupUrl.split('/setup/')[1]!), 'the link token has left the address bar');
  await axeCheck(page, t);
  await page.getByLabel(ui.email).fill(u.email);
  await page.getByLabel(ui.name).fill(u.name);
  await page.getByLabel(ui.phone).fill(u.phone);
  await page.getByRole('button', { name: ui.next }).click();
}

/** Sets the password (S2.2), sees the completion page (S2.3) and returns to the login page. */
export async function setPassword(page: Page, ui: Ui, t: TestContext, password = PASSWORD): Promise<void> {
  await onPage(page, ui.passwordTitle);
  await axeCheck(page, t);
  await page.getByLabel(ui.newPassword).fill(password);
  await page.getByLabel(ui.confirmPassword).fill(password);
  await page.getByRole('button', { name: ui.save }).click();
  await onPage(page, ui.doneTitle);
  await axeCheck(page, t);
  await page.getByRole('link', { name: ui.returnToService }).click();
}

/** The first verification: login ID + password (S3.1). */
export async function logIn(page: Page, ui: Ui, u: GivenUser, t: TestContext, password = PASSWORD): Promise<void> {
  await onPage(page, ui.loginTitle);
  await axeCheck(page, t);
  await page.getByLabel(ui.loginId).fill(u.loginId);
  await page.getByLabel(ui.password).fill(password);
  await page.getByRole('button', { name: ui.signIn }).click();
}

/** TOTP setup (S3.4): the key read from the page, the code computed independently; then the backup codes page. */
export async function enrolTotp(page: Page, ui: Ui, now: number, t: TestContext): Promise<{ secret: string }> {
  await onPage(page, ui.totpSetupTitle);
  await axeCheck(page, t);
  assert.ok(await page.locator('.qr svg').isVisible(), 'QR code shown');
  const secret = (await page.locator('#totp-key').textContent() ?? '').replace(/\s/g, '');
  assert.match(secret, /^[A-Z2-7]{16,}$/);
  await page.getByLabel(ui.code).fill(independentTotp(secret, now));
  await page.getByRole('button', { name: ui.register, exact: true }).click();
  await onPage(page, ui.backupCodesTitle);
  await axeCheck(page, t);
  return { secret };
}

/** The backup codes as shown (S3.5). */
export async function backupCodesOnPage(page: Page): Promise<string[]> {
  return (await page.locator('#backup-codes code').allTextContents()).map((c) => c.trim());
}

/** Terms (S6): tick «I accept», press Accept. */
export async function acceptTerms(page: Page, ui: Ui, t: TestContext): Promise<void> {
  await onPage(page, ui.termsTitle);
  await axeCheck(page, t);
  await page.getByLabel(ui.acceptLabel).check();
  await page.getByRole('button', { name: ui.accept, exact: true }).click();
}

/** The home page greets the user by name. */
export async function atHome(page: Page, ui: Ui, u: GivenUser, t: TestContext): Promise<void> {
  await onPage(page, ui.welcome(u.name));
  await axeCheck(page, t);
  assert.equal(new URL(page.url()).pathname, '/');
}

/** S3.3: a portal admin picks the second step on the selection screen (general users never see it). */
export async function chooseMethod(page: Page, ui: Ui, method: 'totp' | 'mail_otp', t: TestContext): Promise<void> {
  await onPage(page, ui.selectTitle);
  await axeCheck(page, t);
  await page.getByLabel(method === 'totp' ? ui.totpChoice : ui.mailOtpChoice).check();
  await page.getByRole('button', { name: ui.next }).click();
}

/**
 * The whole first login from the mailed link to the home page with TOTP as the second step (an
 * admin picks it on the selection screen): identity → password → done → login → TOTP setup →
 * backup codes → terms → home. Returns what a later login needs.
 */
export async function firstLoginWithTotp(page: Page, ui: Ui, u: GivenUser, role: 'general' | 'admin', now: number, t: TestContext): Promise<{ secret: string; backupCodes: string[] }> {
  await verifyIdentity(page, ui, u, t);
  await setPassword(page, ui, t);
  await logIn(page, ui, u, t);
  if (role === 'admin') await chooseMethod(page, ui, 'totp', t);
  const { secret } = await enrolTotp(page, ui, now, t);
  const backupCodes = await backupCodesOnPage(page);
  await page.getByRole('button', { name: ui.ack }).click();
  await acceptTerms(page, ui, t);
  await atHome(page, ui, u, t);
  return { secret, backupCodes };
}

/** A later login: login ID + password, then the authenticator's code for `now` (S3.1, S3.4). */
export async function logInWithTotp(page: Page, ui: Ui, u: GivenUser, secret: string, now: number, t: TestContext): Promise<void> {
  await logIn(page, ui, u, t);
  await onPage(page, ui.totpTitle);
  await page.getByLabel(ui.code).fill(independentTotp(secret, now));
  await page.getByLabel(ui.code).press('Enter');
}
