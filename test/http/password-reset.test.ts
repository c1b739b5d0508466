// Attacks on the password reset request (S4; SECURITY.md items 22, 24–27), each opening with the
// attack, on SQLite and PostgreSQL. The link's life after the mail: password-reset-link.test.ts.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { testDialects } from '../helpers/db.ts';
import { startTestApp } from '../helpers/app.ts';
import { Browser, text } from '../helpers/client.ts';
import { completeFirstLogin, givenUser } from '../helpers/scenario.ts';
import {
  NEW_PW, PW, completeReset, countMails, loginPage, postResetForm, resetFields, resetLinkFor,
} from '../helpers/reset.ts';
import { RESET_IP_POLICY, RESET_POLICY } from '../../src/auth/throttle/db-throttle.ts';

/** The answer as a client sees it, minus the per-browser CSRF token value. */
const shape = (r: { status: number; body: string }) => ({ status: r.status, body: r.body.replace(/value="[0-9a-f]{64}"/g, '') });

for (const dialect of testDialects()) {
  describe(`${dialect}: password reset request`, () => {
    it('enumeration: matched, unknown ID, wrong name, disabled and throttled get one answer; only a match mails', async (t) => {
      const app = await startTestApp(dialect, t);
      const u = await givenUser(app.ctx);
      const off = await givenUser(app.ctx);
      await app.ctx.db.updateTable('app_user').set({ disabled_at: app.clock.now }).where('id', '=', off.id).execute();
      const b = new Browser(app.url);
      const matched = await postResetForm(b, resetFields(u));
      const unknown = await postResetForm(b, { ...resetFields(u), loginId: 'nobody@example.co.jp' });
      const wrongName = await postResetForm(b, { ...resetFields(u), name: '山田　太郎' });   // full-width space (S2.1)
      const disabled = await postResetForm(b, resetFields(off));
      // Two requests counted on u's login ID so far; use up the rest of the allowance.
      for (let i = 2; i < RESET_POLICY.freeFailures; i++) {
        app.clock.advance(61_000); // past the reset-mail cooldown (SECURITY.md item 44)
        assert.equal((await postResetForm(b, resetFields(u))).status, 200);
      }
      const mailsBefore = await countMails(app, u.email);
      const throttled = await postResetForm(b, resetFields(u));
      assert.equal(matched.status, 200);
      assert.match(text(matched.body), /入力された情報が正しい場合、登録されているメールアドレスにパスワード再設定URLを記載したメールを送信します/);
      for (const other of [unknown, wrongName, disabled, throttled]) assert.deepEqual(shape(other), shape(matched));
      assert.equal(await countMails(app, u.email), mailsBefore, 'a throttled request sends nothing');
      assert.equal(mailsBefore, RESET_POLICY.freeFailures - 1, 'every matched request within the allowance mailed');
      assert.equal(await countMails(app, off.email), 0, 'a disabled user gets no link');
      const audits = await app.ctx.db.selectFrom('audit_log').select(['event', 'detail']).where('event', '=', 'password.reset_requested').execute();
      assert.equal(audits.length, mailsBefore, 'audited only when a link was sent');
      assert.ok(audits.every((a) => a.detail === '{}'), 'no secret in the audit detail');
    });

    it('the per-source limit stops one address spraying many login IDs, with the same answer', async (t) => {
      const app = await startTestApp(dialect, t);
      const u = await givenUser(app.ctx);
      const b = new Browser(app.url);
      const first = await postResetForm(b, { loginId: 'spray-0@example.co.jp', email: 'x@example.co.jp' });
      for (let i = 1; i < RESET_IP_POLICY.freeFailures; i++) await postResetForm(b, { loginId: `spray-${i}@example.co.jp`, email: 'x@example.co.jp' });
      const blocked = await postResetForm(b, resetFields(u));
      assert.deepEqual(shape(blocked), shape(first));
      assert.equal(await countMails(app, u.email), 0);
    });

    it('a partner-child user is matched on login ID + e-mail; a business user needs all four fields', async (t) => {
      const app = await startTestApp(dialect, t);
      const child = await givenUser(app.ctx, { kind: 'child' });
      const biz = await givenUser(app.ctx);
      const b = new Browser(app.url);
      await postResetForm(b, { loginId: child.loginId, email: child.email, name: 'ignored', phone: '0000' });
      await postResetForm(b, { loginId: biz.loginId, email: biz.email });
      assert.equal(await countMails(app, child.email), 1);
      assert.equal(await countMails(app, biz.email), 0);
      await postResetForm(b, { ...resetFields(biz), phone: '03-1234-5678', email: biz.email.replace('@example.co.jp', '@EXAMPLE.co.jp') });
      assert.equal(await countMails(app, biz.email), 1, 'hyphens in the phone and the e-mail domain case are forgiven');
    });

    it('forged Host, X-Forwarded-Host and Forwarded headers never reach the mailed URL (trusted proxy too)', async (t) => {
      const app = await startTestApp(dialect, t, { TRUSTED_PROXIES: '127.0.0.1' });
      const u = await givenUser(app.ctx);
      const forged = { host: 'evil.example', 'x-forwarded-host': 'evil.example', 'x-forwarded-proto': 'https', forwarded: 'host=evil.example;proto=https' };
      const r = await postResetForm(new Browser(app.url), resetFields(u), forged);
      assert.equal(r.status, 200);
      const mail = (await app.ctx.db.selectFrom('mail_outbox').select('body_text').where('to_addr', '=', u.email).where('kind', '=', 'password_reset').executeTakeFirstOrThrow()).body_text;
      assert.doesNotMatch(mail, /evil/);
      assert.match(await resetLinkFor(app, u), new RegExp(`^${app.config.publicUrl}/password/reset/[A-Za-z0-9_-]{43}$`));
    });

    it('requesting a reset changes nothing on the account: the old password still works', async (t) => {
      const app = await startTestApp(dialect, t);
      const u = await givenUser(app.ctx);
      await completeFirstLogin(new Browser(app.url), u, PW);
      const before = await app.ctx.db.selectFrom('app_user').selectAll().where('id', '=', u.id).executeTakeFirstOrThrow();
      await postResetForm(new Browser(app.url), resetFields(u));
      const after = await app.ctx.db.selectFrom('app_user').selectAll().where('id', '=', u.id).executeTakeFirstOrThrow();
      assert.deepEqual(after, before);
      const login = await loginPage(new Browser(app.url), u, PW);
      assert.equal(login.status, 303);
      assert.match(login.location ?? '', /^\/auth\/flows\//);
    });

    it('S1: a user whose starting-guide link expired sets the first password through a reset', async (t) => {
      const app = await startTestApp(dialect, t);
      const u = await givenUser(app.ctx);
      app.clock.advance(72 * 3_600_000 + 1);
      assert.equal((await new Browser(app.url).get(u.setupUrl)).status, 410);
      const b = new Browser(app.url);
      await postResetForm(b, resetFields(u));
      const done = await completeReset(b, await resetLinkFor(app, u));
      assert.equal(done.status, 200);
      assert.match(text(done.body), /パスワード設定完了/);
      assert.match(done.body, /href="\/login"/, '"Return to Service" goes to the login page');
      assert.equal(b.jar.get('bp_session'), undefined, 'a reset never logs in (item 27)');
      const next = await b.follow(await loginPage(b, u, NEW_PW));
      assert.match(next.body, /\/totp-setup"/, 'the login continues with 2-step setup (S4)');
    });

    it('a completed reset ends a still-live starting-guide link', async (t) => {
      const app = await startTestApp(dialect, t);
      const u = await givenUser(app.ctx);
      const b = new Browser(app.url);
      await postResetForm(b, resetFields(u));
      await completeReset(b, await resetLinkFor(app, u));
      assert.equal((await new Browser(app.url).get(u.setupUrl)).status, 410);
    });

    it('reset pages send Referrer-Policy: no-referrer, load nothing from elsewhere, and drop the token from the URL', async (t) => {
      const app = await startTestApp(dialect, t);
      const u = await givenUser(app.ctx);
      const b = new Browser(app.url);
      const pages = [await b.get('/password/reset'), await postResetForm(b, resetFields(u))];
      const link = await resetLinkFor(app, u);
      const opened = await b.get(link);
      assert.equal(opened.status, 303);
      assert.match(opened.location ?? '', /^\/auth\/flows\/[^/]+$/);
      assert.ok(!opened.location!.includes(link.split('/').pop()!), 'the token leaves the URL (item 26)');
      pages.push(opened, await b.get(opened.location!), await new Browser(app.url).get('/password/reset/' + 'A'.repeat(43)));
      for (const p of pages) {
        assert.equal(p.headers.get('referrer-policy'), 'no-referrer');
        assert.match(p.headers.get('content-security-policy') ?? '', /default-src 'none'/);
        for (const [, url] of p.body.matchAll(/(?:src|href|action)="([^"]*)"/g)) assert.match(url!, /^(\/(?!\/)|#|data:)/, `own resource: ${url}`);
      }
    });

    it('bad input on the reset routes is a clear 4xx, never a 500', async (t) => {
      const app = await startTestApp(dialect, t);
      const b = new Browser(app.url);
      await b.get('/password/reset');
      const csrf = b.csrf();
      const form = { 'content-type': 'application/x-www-form-urlencoded' };
      const cases: [string, Record<string, string>, number][] = [
        [`_csrf=${csrf}&loginId=${'x'.repeat(5000)}&email=a@b.c`, form, 400],
        [`_csrf=${csrf}&loginId=a&loginId=b&email=a@b.c`, form, 400],
        [`_csrf=${csrf}&loginId=a%00b&email=a@b.c`, form, 400],
        [`_csrf=${csrf}&loginId=a&email=a%1Bb@c.d`, form, 400],
        [`_csrf=${csrf}&loginId=a`, form, 400],
        [`_csrf=${csrf}&loginId=&email=`, form, 422],
        ['loginId=a&email=a@b.c', form, 403],
        ['{"loginId":', { 'content-type': 'application/json', 'x-csrf-token': csrf }, 400],
        ['{"loginId":["a"],"email":1}', { 'content-type': 'application/json', 'x-csrf-token': csrf }, 400],
      ];
      for (const [body, headers, status] of cases) {
        const r = await b.request('POST', '/password/reset', body, headers);
        assert.equal(r.status, status, `${body.replace(csrf, '…').slice(0, 60)} → ${r.status}`);
        assert.doesNotMatch(r.body, /at .*\.ts:\d+|SELECT|sqlite|postgres/i);
      }
      for (const path of ['/password/reset/' + 'x'.repeat(500), '/password/reset/%E0%A4%A', '/password/reset/short', '/password/reset/' + '%00'.repeat(30)]) {
        const r = await b.get(path);
        assert.ok(r.status >= 400 && r.status < 500, `${path.slice(0, 40)} → ${r.status}`);
      }
    });
  });
}
