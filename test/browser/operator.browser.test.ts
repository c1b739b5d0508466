// Issue 26 in a real browser: an operator of the provider organisation finishes the first login
// (TOTP), signs in again with TOTP straight to /operator, and works a customer's ticket from the
// inbox — assign to me, an internal note, a request for information — reading what the customer
// will see beside each action; then the same pages in English and at 375 px. axe on every page
// (0 serious/critical), no CSP violation, no console error. The customer then sees the question,
// not the note. Labels are written out here, not read from src/, so a lost label fails.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp } from '../helpers/app.ts';
import { givenTerms, givenUser, type GivenUser } from '../helpers/scenario.ts';
import { assertClean, axeCheck, launchBrowser, onPage, openPage } from '../helpers/browser.ts';
import { addOperator, ensureProviderOrganisation, setOperatorRole } from '../../src/auth/service.ts';
import { openTicket, ticketFor } from '../../src/portal/tickets/service.ts';
import { contractScope } from '../../src/portal/access.ts';
import { UI, firstLoginWithTotp, logInWithTotp } from './walk.ts';

describe('browser: the provider\'s console (issue 26)', () => {
  it('an operator signs in with TOTP and works a ticket: inbox → ticket → assign, note, ask; ja and en; axe everywhere', async (t) => {
    const browser = await launchBrowser(t);
    if (!browser) return;
    const app = await startTestApp('sqlite', t);
    await givenTerms(app.ctx);
    const sys = { userId: null, ip: '127.0.0.1' };
    await ensureProviderOrganisation(app.ctx, 'Provider KK', sys);
    const added = await addOperator(app.ctx, { email: 'desk@provider.example', name: '窓口 一郎', role: 'agent', phone: '0312345678' }, sys);
    const op: GivenUser = { id: added.user.id, loginId: added.user.login_id, email: added.user.email, name: added.user.name, phone: '0312345678', orgId: added.user.organisation_id, setupUrl: added.setupUrl };
    const customer = await givenUser(app.ctx, { role: 'admin', name: '顧客 花子' });
    const scope = await contractScope(app.ctx.db, { userId: customer.id, organisationId: customer.orgId, role: 'admin' });
    const ticket = await openTicket(app.ctx, scope, { id: customer.id, name: customer.name }, { category: 'portal', subject: 'ログインできません', body: '昨日からログインできません。', files: [] });

    // First login (TOTP enrolment), then a fresh browser: /operator → login → TOTP → back to /operator.
    const first = await openPage(browser);
    const { secret } = await firstLoginWithTotp(first.page, UI.ja, op, 'general', app.clock.now, t);
    assertClean(first.watch);
    app.clock.advance(30_000);
    const { page, watch } = await openPage(browser);
    await page.goto(`${app.url}/operator`);
    await logInWithTotp(page, UI.ja, op, secret, app.clock.now, t);
    await onPage(page, 'コンソールホーム');
    assert.equal(new URL(page.url()).pathname, '/operator');
    await axeCheck(page, t);
    assert.match(await page.locator('main').innerText(), /対応待ち 1 件/);

    const nav = page.getByRole('navigation', { name: 'コンソールメニュー' });
    await nav.getByRole('link', { name: 'お問い合わせ', exact: true }).click();
    await onPage(page, 'お問い合わせ一覧');
    await axeCheck(page, t);
    await page.getByLabel('担当者').selectOption('none');
    await page.getByRole('button', { name: '表示' }).click();
    await page.getByRole('link', { name: 'ログインできません' }).click();
    await onPage(page, `ログインできません (${ticket.number})`);
    await axeCheck(page, t);

    await page.getByRole('button', { name: '自分に割り当て' }).click();
    await page.getByText('割り当てを保存しました。').waitFor();
    assert.match(await page.locator('dl.facts').innerText(), /担当者\s+窓口 一郎/);
    const note = page.getByRole('textbox', { name: /^社内メモ/ });
    await note.fill('前回も同じ症状。パスワード再設定を案内済み。');
    // What the customer sees is said next to the field, and read with it.
    assert.match(await page.locator('#sees-note').innerText(), /お客様には何も見えません/);
    await page.getByRole('button', { name: 'メモを追加' }).click();
    await page.getByText('社内メモを追加しました。お客様には表示されません。').waitFor();
    assert.match(await page.locator('li.message.internal').innerText(), /社内メモ — お客様には表示されません[\s\S]*パスワード再設定を案内済み/);
    await axeCheck(page, t);

    await page.getByRole('textbox', { name: /^本文/ }).fill('エラーメッセージの画面を添付していただけますか。');
    await page.getByRole('radio', { name: /情報のご提供のお願い/ }).check();
    assert.match(await page.locator('#sees-ask').innerText(), /お客様に見えるもの/);
    await page.getByRole('button', { name: 'お客様に送信' }).click();
    await page.getByText('情報のご提供をお願いしました。お客様の返信待ちです。').waitFor();
    assert.match(await page.locator('dl.facts').innerText(), /お客様の返信待ち/);
    await axeCheck(page, t);

    // English, and a phone's width.
    await page.goto(`${app.url}/operator/tickets/${ticket.id}?lang=en`);
    await onPage(page, `ログインできません (${ticket.number})`);
    assert.match(await page.locator('main').innerText(), /Internal note — the customer never sees this/);
    await axeCheck(page, t);
    await page.goto(`${app.url}/operator/tickets?status=all&lang=en`);
    await onPage(page, 'Tickets inbox');
    await axeCheck(page, t);
    await page.goto(`${app.url}/operator?lang=en`);
    await onPage(page, 'Console home');
    await axeCheck(page, t);
    await page.setViewportSize({ width: 375, height: 812 });
    await page.goto(`${app.url}/operator/tickets/${ticket.id}?lang=en`);
    await axeCheck(page, t);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    const wide = await page.evaluate(() => [...document.querySelectorAll('body *')].filter((e) => e.getBoundingClientRect().right > document.documentElement.clientWidth + 0.5).map((e) => `${e.tagName}.${e.className}#${e.id} ${Math.round(e.getBoundingClientRect().right)}`).slice(0, 15));
    assert.ok(overflow <= 0, `no sideways scrolling at 375 px (${overflow} px): ${wide.join(", ")}`);

    // Promoted to operator admin (the role is read on every request): the operators page appears in the menu.
    await setOperatorRole(app.ctx, op.id, 'operator_admin', sys);
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.goto(`${app.url}/operator?lang=ja`);
    await nav.getByRole('link', { name: 'オペレーター', exact: true }).click();
    await onPage(page, 'オペレーター');
    await axeCheck(page, t);
    await page.getByLabel('メールアドレス').fill('new@provider.example');
    await page.getByLabel('名前', { exact: false }).first().fill('新人 三郎');
    await page.getByLabel('連絡先電話番号').fill('0311112222');
    await page.getByRole('radio', { name: 'サービス管理者' }).check();
    await page.getByRole('button', { name: '追加して開通案内メールを送信' }).click();
    await page.getByText('オペレーターを追加し、開通案内メールを送信しました。').waitFor();
    assert.match(await page.locator('table').innerText(), /新人 三郎[\s\S]*サービス管理者/);
    await axeCheck(page, t);
    await page.goto(`${app.url}/operator/operators?lang=en`);
    await axeCheck(page, t);
    assertClean(watch);

    // The customer's view: the question, not the note.
    const seen = await ticketFor(app.ctx.db, scope, ticket.id);
    assert.deepEqual(seen.messages.map((m) => m.body), ['昨日からログインできません。', 'エラーメッセージの画面を添付していただけますか。']);
  });
});
