// An admin's pages as a person uses them in Chromium (S13): found by heading, link text and the
// visible labels of the registration form. The words are written out (not read from src/admin) so
// a lost or wrong label fails a test.
import type { TestContext } from 'node:test';
import type { Page } from 'playwright-core';
import { axeCheck, onPage } from '../helpers/browser.ts';

export const ADMIN_UI = {
  ja: {
    menu: 'ポータル管理', profile: 'セキュリティ設定', nav: '管理メニュー',
    // Link texts (matched exactly) and the page headings they lead to.
    users: 'ユーザー', groups: 'ユーザーグループ', audit: '監査ログ', settings: '組織のセキュリティ設定', newUser: 'ユーザー登録',
    heading: {
      profile: /^セキュリティ設定$/, overview: /^ポータル管理$/, users: /^ユーザー$/, groups: /^ユーザーグループ$/, audit: /^監査ログ$/,
      settings: /^組織のセキュリティ設定$/, newUser: /^ユーザー登録$/, reset: /^パスワード再設定$/, resetRequested: /^パスワード再設定の受付$/,
    },
    loginId: 'ログインID', email: 'メールアドレス', name: '名前', phone: '連絡先電話番号',
    general: '一般ユーザー', mailLang: { ja: '日本語', en: 'English' }, create: '登録して開通案内メールを送信',
    created: 'ユーザーを登録し、開通案内メールを送信しました。', setupPending: '初回ログイン未完了',
    forgot: 'パスワード再設定はこちら', resetSubmit: '送信',
  },
} as const;
export type AdminUi = (typeof ADMIN_UI)['ja'];

export interface NewUser { email: string; name: string; phone: string; lang: 'ja' | 'en' }

/** Goes to an admin page by the admin menu (link text matched exactly) and waits for its heading. */
export async function adminNav(page: Page, a: AdminUi, to: 'users' | 'groups' | 'audit' | 'settings'): Promise<void> {
  await page.getByRole('navigation', { name: a.nav }).getByRole('link', { name: a[to], exact: true }).click();
  await onPage(page, a.heading[to]);
}

/** The admin menu link leads to the overview (issue 20 item 4); from there the admin navigation to users. */
export async function openAdminUsers(page: Page, a: AdminUi): Promise<void> {
  await page.getByRole('link', { name: a.menu, exact: true }).first().click();
  await onPage(page, a.heading.overview);
  await adminNav(page, a, 'users');
}

/** Users list → «ユーザー登録» → the form filled by its labels → the new user's page (S1, S13). */
export async function registerThroughForm(page: Page, a: AdminUi, nu: NewUser, t: TestContext): Promise<{ userId: string }> {
  await onPage(page, a.heading.users);
  await page.getByRole('link', { name: a.newUser, exact: true }).click();
  await onPage(page, a.heading.newUser);
  await axeCheck(page, t);
  // The login ID is left empty: it defaults to the e-mail address (docs/admin.md).
  await page.getByLabel(a.email).fill(nu.email);
  await page.getByLabel(a.name).fill(nu.name);
  await page.getByLabel(a.phone).fill(nu.phone);
  await page.getByRole('radio', { name: a.general }).check();
  await page.getByRole('radio', { name: a.mailLang[nu.lang] }).check();
  await page.getByRole('button', { name: a.create }).click();
  await onPage(page, new RegExp(`^${nu.name}$`));
  const userId = /\/admin\/users\/([^/?]+)/.exec(page.url())?.[1];
  if (!userId) throw new Error(`not on a user page after registering: ${page.url()}`);
  return { userId };
}
