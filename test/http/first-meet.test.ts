// Issue 16: what a new customer meets first, from the starting guide mail to home, over real HTTP on
// SQLite and PostgreSQL. Each test opens with the defect it guards against.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { testDialects } from '../helpers/db.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { Browser, formAction, text } from '../helpers/client.ts';
import { givenOrg, loggedIn } from '../helpers/admin.ts';
import {
  completeFirstLogin, givenTerms, givenUser, independentTotp, lastMail, mailOtpIn, secretOnPage, type GivenUser,
} from '../helpers/scenario.ts';

const PW = 'Kx7#mPq2vLa9';
/** The help topics, written out (not read from src/help) so a lost page fails here. */
const HELP_TOPICS = ['password', 'authenticator', 'backup-codes', 'mail-otp', 'locked-out', 'trusted-networks', 'faq'];
const PLACEHOLDER = /\{[A-Za-z_]+\}/;

/** Every http(s) URL in a mail body. */
function urlsIn(body: string): string[] {
  return [...body.matchAll(/https?:\/\/[^\s)」]+/g)].map((m) => m[0]);
}

/** A page as a person reads it must never show a catalog placeholder. */
function assertNoPlaceholder(html: string, where: string): void {
  const m = text(html).match(PLACEHOLDER);
  assert.equal(m, null, `${where}: leftover ${m?.[0]} in «${text(html).slice(0, 300)}»`);
}

/** Walks a partner-child user from the mailed link to home in `lang`, returning every page body seen. */
async function partnerChildWalk(app: TestApp, u: GivenUser, lang: 'ja' | 'en'): Promise<{ pages: Map<string, string>; b: Browser }> {
  const pages = new Map<string, string>();
  const b = new Browser(app.url, { 'accept-language': lang });
  let r = await b.follow(await b.get(u.setupUrl));
  pages.set('identity', r.body);
  const flow = formAction(r.body, '/identity').replace('/identity', '');
  r = await b.follow(await b.post(`${flow}/identity`, { loginId: u.loginId, email: u.email }));
  pages.set('password', r.body);
  r = await b.follow(await b.post(`${flow}/password`, { password: PW, confirm: PW }));
  pages.set('password-done', r.body);
  const loginHref = r.body.match(/href="([^"]+)" class="button primary"/)![1]!.replace(/&amp;/g, '&');
  r = await b.get(loginHref);
  pages.set('login', r.body);
  r = await b.get(r.body.match(/href="(\/password\/reset[^"]*)"/)![1]!.replace(/&amp;/g, '&'));
  pages.set('reset', r.body);
  r = await b.get(loginHref);
  r = await b.follow(await b.post(formAction(r.body, '/credentials'), { loginId: u.loginId, password: PW }));
  pages.set('totp-setup', r.body);
  const secret = secretOnPage(r.body);
  const f = formAction(r.body, '/totp-setup');
  r = await b.follow(await b.post(f, { code: independentTotp(secret, app.clock.now) }));
  pages.set('backup-codes', r.body);
  r = await b.follow(await b.post(formAction(r.body, '/backup-codes'), {}));
  pages.set('terms', r.body);
  const versionId = r.body.match(/name="versionId" value="([^"]+)"/)![1]!;
  r = await b.follow(await b.post('/terms', { versionId, accept: '1' }));
  pages.set('home', r.body);
  pages.set('profile', (await b.get('/profile')).body);
  pages.set('help', (await b.get('/help')).body);
  return { pages, b };
}

for (const dialect of testDialects()) {
  describe(`${dialect}: issue 16, what a new customer meets first`, () => {
    it('defect 1: the starting guide linked to /help, a 404; every help page answers 200 and every link in every mail resolves', async (t) => {
      const app = await startTestApp(dialect, t);
      const b = new Browser(app.url);
      for (const lang of ['ja', 'en'] as const) {
        for (const path of ['/help', ...HELP_TOPICS.map((h) => `/help/${h}`)]) {
          const r = await b.get(`${path}?lang=${lang}`);
          assert.equal(r.status, 200, `${path} (${lang})`);
          assert.match(r.body, /<main id="main"/);
          assert.match(r.body, /<h1[ >]/);
          assertNoPlaceholder(r.body, `${path} (${lang})`);
        }
      }
      assert.equal((await b.get('/help/no-such-topic')).status, 404);

      // Mails with links: the starting guide (both profiles) and the reset mail; each link answers.
      const business = await givenUser(app.ctx);
      const child = await givenUser(app.ctx, { profile: 'partner-child', kind: 'child' });
      const reset = new Browser(app.url);
      await reset.get('/password/reset');
      await reset.post('/password/reset', { loginId: business.loginId, email: business.email, name: business.name, phone: business.phone });
      const mails = await app.ctx.db.selectFrom('mail_outbox').select(['kind', 'body_text']).execute();
      assert.ok(mails.some((m) => m.kind === 'password_reset'), 'the reset mail was queued');
      let checked = 0;
      for (const m of mails) {
        for (const url of urlsIn(m.body_text)) {
          assert.ok(url.startsWith(app.url), `${m.kind}: ${url} is on the portal`);
          const r = await new Browser(app.url).get(url.slice(app.url.length));
          assert.ok(r.status < 400, `${m.kind}: ${url} answered ${r.status}`);
          checked++;
        }
      }
      assert.ok(checked >= 7, `${checked} links checked`);
      const childGuide = (await lastMail(app.ctx, child.email, 'starting_guide'))!;
      assert.match(childGuide.body_text, /\/help\?portal=partner-child/, 'the help link keeps the profile');
    });

    it('defect 2: the MailOTP resend cooldown showed «再送信は{seconds}秒後から可能です。» as a field error; now a notice with the seconds, field not invalid', async (t) => {
      const app = await startTestApp(dialect, t);
      for (const lang of ['ja', 'en'] as const) {
        const admin = await givenUser(app.ctx, { role: 'admin', lang });
        const b = new Browser(app.url, { 'accept-language': lang });
        await completeFirstLogin(b, admin, PW);
        await b.get('/login');
        const choice = await b.follow(await b.post('/login', { loginId: admin.loginId, password: PW }));
        const flow = formAction(choice.body, '/method').replace('/method', '');
        await b.follow(await b.post(`${flow}/method`, { method: 'mail_otp' }));
        app.clock.advance(15_000);
        const cooldown = await b.post(`${flow}/mail-otp/resend`, {});
        assert.equal(cooldown.status, 429);
        assertNoPlaceholder(cooldown.body, `cooldown (${lang})`);
        assert.match(text(cooldown.body), lang === 'ja' ? /再送信は45秒後から可能です/ : /can be sent in 45 seconds/);
        assert.match(cooldown.body, /class="alert info" role="status"/, 'shown as a notice');
        assert.doesNotMatch(cooldown.body, /aria-invalid="true"/, 'the code field is not marked invalid');
        assert.doesNotMatch(cooldown.body, /role="alert"/, 'no error');
        // A wrong code is an error of the field, with its text complete.
        const wrong = await b.post(`${flow}/mail-otp`, { code: '000000' === mailOtpIn((await lastMail(app.ctx, admin.email, 'mail_otp'))!.body_text) ? '111111' : '000000' });
        assert.equal(wrong.status, 400);
        assert.match(wrong.body, /aria-invalid="true"/);
        assertNoPlaceholder(wrong.body, `wrong code (${lang})`);
      }
    });

    it('defect 3: a full-width space typed by an IME was refused with nothing to go on; the form now says which space was typed and the attempts left, the admin page shows the registered kind', async (t) => {
      const app = await startTestApp(dialect, t);
      const orgId = await givenOrg(app, 'direct');
      const admin = await loggedIn(app, orgId, 'admin');
      const u = await givenUser(app.ctx, { orgId, name: '管理者 太郎' });
      const b = new Browser(app.url);
      let r = await b.follow(await b.get(u.setupUrl));
      assert.match(text(r.body), /登録時と同じ種類のスペースで入力してください/, 'the hint says what to do');
      const flow = formAction(r.body, '/identity');
      r = await b.post(flow, { email: u.email, name: '管理者\u3000太郎', phone: u.phone });
      assert.equal(r.status, 422);
      const page = text(r.body);
      assert.match(page, /登録されている情報と一致しません/);
      assert.match(page, /残り入力回数:4回/, 'the remaining attempts are shown');
      assert.match(page, /入力された名前には全角スペース/, 'the typed space is named');
      r = await b.follow(await b.post(flow, { email: u.email, name: u.name, phone: u.phone }));
      assert.match(r.body, /\/password"/, 'the half-width name passes');

      const wide = await givenUser(app.ctx, { orgId, name: '山田\u3000花子' });
      const userPage = text((await admin.b.get(`/admin/users/${wide.id}`)).body);
      assert.match(userPage, /名前のスペース 全角スペース/);
      assert.match(text((await admin.b.get(`/admin/users/${u.id}`)).body), /名前のスペース 半角スペース/);
    });

    it('defect 4: a partner-child user saw ビジネスポータル, カスタマポータル and © bizportal; every page now names the SDPF portal', async (t) => {
      const app = await startTestApp(dialect, t);
      await givenTerms(app.ctx);
      for (const lang of ['ja', 'en'] as const) {
        const partner = await givenOrg(app, 'partner');
        const child = await givenOrg(app, 'child', partner);
        const u = await givenUser(app.ctx, { orgId: child, lang });
        const { pages } = await partnerChildWalk(app, u, lang);
        const own = lang === 'ja' ? 'SDPFポータル' : 'SDPF Portal';
        for (const [name, html] of pages) {
          const page = text(html);
          assert.ok(page.includes(own), `${name} (${lang}) names ${own}`);
          for (const other of ['ビジネスポータル', 'Business Portal', 'bizportal', 'カスタマポータル', 'Customer Portal']) {
            assert.ok(!page.includes(other), `${name} (${lang}) says ${other}`);
          }
          assertNoPlaceholder(html, `${name} (${lang})`);
        }
        // Seed 004's SDPF wording on its own screens.
        if (lang === 'ja') {
          assert.match(text(pages.get('login')!), /パスワードの再設定はこちら/);
          assert.match(pages.get('backup-codes')!, /<button type="submit" class="primary">戻る<\/button>/);
          assert.doesNotMatch(text(pages.get('reset')!), /名前|連絡先電話番号/, 'the SDPF reset asks login ID and e-mail only');
        }
        const otpUri = decodeURIComponent(pages.get('totp-setup')!.match(/href="(otpauth:[^"]+)"/)![1]!);
        assert.match(otpUri, new RegExp(`issuer=${own}`));
        for (const kind of ['starting_guide', 'password_reset', 'mail_otp']) {
          const m = await lastMail(app.ctx, u.email, kind);
          if (m) assert.ok(m.subject.includes(own), `${kind} subject`);
        }
      }
      // An unknown ?portal= is the default portal, the same page as none (nothing to probe).
      const b = new Browser(app.url);
      const plain = text((await b.get('/login?lang=ja')).body);
      const unknown = text((await b.get('/login?lang=ja&portal=acme-corp')).body);
      assert.equal(unknown.replace(/[0-9a-f]{64}/g, ''), plain.replace(/[0-9a-f]{64}/g, ''));
      assert.match(plain, /ビジネスポータル/);
      assert.doesNotMatch(text((await b.get('/password/reset?lang=ja')).body), /SDPF/, 'the business reset page names no other portal');
    });

    it('alignment: «ログイン» button, per-field errors on an empty login form, nothing pre-selected, MailOTP screen words, reset subject, terms button, 様', async (t) => {
      const app = await startTestApp(dialect, t);
      await givenTerms(app.ctx);
      const b = new Browser(app.url);
      const login = await b.get('/login?lang=ja');
      assert.match(login.body, /<button type="submit" class="primary">ログイン<\/button>/);
      assert.match(text(login.body), /ログインID\/パスワードでログイン/);
      assert.doesNotMatch(text(login.body), /サインイン/);
      assert.match(login.body, /href="\/help"/, 'the login page links to help');
      const empty = await b.post('/login', { loginId: '', password: '' });
      assert.equal(empty.status, 422);
      assert.match(text(empty.body), /ログインIDを入力してください/);
      assert.match(text(empty.body), /パスワードを入力してください/);
      assert.doesNotMatch(text(empty.body), /正しくありません/);

      const admin = await givenUser(app.ctx, { role: 'admin' });
      await completeFirstLogin(b, admin, PW);
      await b.get('/login');
      const choice = await b.follow(await b.post('/login', { loginId: admin.loginId, password: PW }));
      assert.doesNotMatch(choice.body, /checked/, 'no method pre-selected (seed 004 «選択必須»)');
      assert.match(text(choice.body), /ポータルからのメールを受信できる/);
      assert.match(choice.body, /href="\/help\//, 'the method choice links to help');
      const flow = formAction(choice.body, '/method').replace('/method', '');
      const none = await b.post(`${flow}/method`, {});
      assert.equal(none.status, 422);
      assert.match(text(none.body), /認証方式を選択してください/);
      const otp = await b.follow(await b.post(`${flow}/method`, { method: 'mail_otp' }));
      assert.match(otp.body, /<h1>メールOTP認証<\/h1>/);
      assert.match(text(otp.body), /ワンタイムパスワード \(必須\)/);
      assert.match(otp.body, /<button type="submit" class="primary">送信<\/button>/);
      assert.match(text(otp.body), /セキュリティを保ったまま二段階認証の省略ができます。 設定方法を見る/);
      const code = mailOtpIn((await lastMail(app.ctx, admin.email, 'mail_otp'))!.body_text);
      const terms = await b.follow(await b.post(`${flow}/mail-otp`, { code }));
      assert.match(terms.body, />同意を承認する<\/button>/);
      const versionId = terms.body.match(/name="versionId" value="([^"]+)"/)![1]!;
      const home = await b.follow(await b.post('/terms', { versionId, accept: '1' }));
      assert.match(text(home.body), new RegExp(`${admin.name} 様`));

      const r = new Browser(app.url);
      await r.get('/password/reset');
      await r.post('/password/reset', { loginId: admin.loginId, email: admin.email, name: admin.name, phone: admin.phone });
      assert.equal((await lastMail(app.ctx, admin.email, 'password_reset'))!.subject, '【ビジネスポータル】パスワード再設定メール');
      assert.match((await lastMail(app.ctx, admin.email, 'starting_guide'))!.subject, /ユーザー登録受付メール/);
    });

    it('alignment: an unknown user id and another tenant\'s user both answer «ユーザーが見つかりません» (404)', async (t) => {
      const app = await startTestApp(dialect, t);
      const mine = await givenOrg(app, 'direct');
      const theirs = await givenOrg(app, 'direct');
      const admin = await loggedIn(app, mine, 'admin');
      const other = await givenUser(app.ctx, { orgId: theirs });
      for (const id of [other.id, 'no-such-user']) {
        const r = await admin.b.get(`/admin/users/${id}`);
        assert.equal(r.status, 404, id);
        assert.match(text(r.body), /ユーザーが見つかりません/);
      }
    });
  });
}
