// The security settings in words, and the self-service profile (issue 20 items 3 and 7), over real
// HTTP on SQLite and PostgreSQL: events as sentences (no codes), sessions as «Chrome / Windows» with
// «このブラウザ» on the current one, the registered information read-only, and the display language
// the user sets themselves (cookie, next page, mails), refused without CSRF or with a bad value.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { testDialects } from '../helpers/db.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { Browser, formAction, text } from '../helpers/client.ts';
import { independentTotp } from '../helpers/scenario.ts';
import { givenOrg, loggedIn, PW, STEP, type Person } from '../helpers/admin.ts';

const CHROME_WINDOWS = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36';

/** Signs the person in again from a Chrome on Windows, one wrong 2-step code first. */
async function signInFromChrome(app: TestApp, p: Person): Promise<Browser> {
  app.clock.advance(STEP);
  const b = new Browser(app.url, { 'user-agent': CHROME_WINDOWS });
  await b.get('/login');
  const page = await b.follow(await b.post('/login', { loginId: p.u.loginId, password: PW }));
  const action = formAction(page.body, '/totp');
  const csrf = b.csrf();
  const wrong = await b.post(action, { code: independentTotp(p.secret, app.clock.now - 3_600_000) }, { csrf });
  assert.equal(wrong.status, 400, wrong.body.slice(0, 300));
  const ok = await b.post(action, { code: independentTotp(p.secret, app.clock.now) }, { csrf });
  assert.equal(ok.status, 303);
  return b;
}

const row = (html: string, contains: string) => html.split('<tr>').find((r) => r.includes(contains)) ?? '';

for (const dialect of testDialects()) {
  describe(`${dialect}: security settings in words, self-service profile`, () => {
    it('/profile: events as sentences, devices by name, «このブラウザ», the registered information read-only', async (t) => {
      const app = await startTestApp(dialect, t);
      const org = await givenOrg(app, 'direct');
      const p = await loggedIn(app, org, 'general');
      const b = await signInFromChrome(app, p);
      const page = await b.get('/profile');
      assert.equal(page.status, 200);
      const words = text(page.body);
      assert.match(words, /ログイン成功\(認証アプリ\)/);
      assert.match(words, /2段階認証コードの誤り/);
      assert.match(words, /認証アプリを設定/);
      assert.doesNotMatch(page.body, /<code>/);
      assert.doesNotMatch(page.body, /login\.succeeded|mfa\.totp_failed|mfa\.totp_enrolled/, 'no event codes on the page');
      // This browser is Chrome on Windows and marked; the first browser (no known agent) is not.
      assert.match(row(page.body, 'このブラウザ'), /Chrome \/ Windows/);
      assert.match(row(page.body, '不明なブラウザ'), /ログアウトさせる/);
      assert.doesNotMatch(page.body, />Mozilla\/5\.0/, 'the raw agent is not the text shown');
      // Registered information: shown, explained, not editable here.
      for (const v of [p.u.loginId, p.u.name, p.u.email, p.u.phone]) assert.ok(words.includes(v), v);
      assert.match(words, /direct org \d+/);
      assert.match(words, /本人性確認に使われるため、ポータル管理者が変更します/);
      assert.doesNotMatch(page.body, /name="(email|phone|name|loginId)"/);
      // The English page says the same in English.
      const en = text((await b.get('/profile?lang=en')).body);
      assert.match(en, /Signed in \(authenticator app\)/);
      assert.match(en, /Wrong 2-step verification code/);
      assert.match(en, /This browser/);
    });

    it('display language: refused without CSRF and with a bad value (nothing changes); then set, remembered, used for pages and mails', async (t) => {
      const app = await startTestApp(dialect, t);
      const org = await givenOrg(app, 'direct');
      const p = await loggedIn(app, org, 'general');
      const { b } = p;
      const lang = async () => (await app.ctx.db.selectFrom('app_user').select('lang').where('id', '=', p.u.id).executeTakeFirstOrThrow()).lang;
      const changes = async () => (await app.ctx.db.selectFrom('audit_log').select('detail').where('event', '=', 'profile.language_changed').execute()).map((r) => JSON.parse(r.detail));
      assert.equal(await lang(), 'ja');
      await b.get('/profile');
      const csrf = b.csrf();

      const noCsrf = await b.post('/profile/language', { lang: 'en' }, { csrf: null });
      assert.equal(noCsrf.status, 403);
      const bad = await b.post('/profile/language', { lang: 'fr' }, { csrf });
      assert.equal(bad.status, 400);
      assert.match(bad.body, /<p class="field-error" id="f-lang-err"><span>日本語または英語を選択してください。<\/span>/);
      assert.match(bad.body, /aria-invalid="true"/);
      assert.equal((await b.post('/profile/language', { lang: 'x'.repeat(9) }, { csrf })).status, 400, 'too long for the schema');
      assert.equal(await lang(), 'ja');
      assert.deepEqual(await changes(), []);
      assert.ok(!b.jar.has('bp_lang'));

      const ok = await b.post('/profile/language', { lang: 'en' }, { csrf });
      assert.equal(ok.status, 200);
      assert.match(ok.body, /<html lang="en"/);
      assert.match(text(ok.body), /The display language was changed\./);
      assert.match(ok.body, /<option value="en" selected lang="en">English<\/option>/);
      assert.equal(b.jar.get('bp_lang'), 'en');
      assert.equal(await lang(), 'en');
      assert.deepEqual(await changes(), [{ from: 'ja', to: 'en' }]);
      const next = await b.get('/profile');
      assert.match(next.body, /<html lang="en"/);
      assert.match(text(next.body), /Display language changed.*language: Japanese → English/);
      // The same value again changes nothing and records nothing.
      assert.equal((await b.post('/profile/language', { lang: 'en' })).status, 200);
      assert.equal((await changes()).length, 1);

      // Mails follow the chosen language: the password-change notice comes in English.
      const NEW = 'N3w#Passw0rdXq';
      assert.equal((await b.post('/profile/password', { currentPassword: PW, password: NEW, confirm: NEW })).status, 200);
      const mail = await app.ctx.db.selectFrom('mail_outbox').select(['subject', 'body_text']).where('user_id', '=', p.u.id).where('kind', '=', 'password_changed').executeTakeFirstOrThrow();
      assert.doesNotMatch(mail.subject + mail.body_text, /パスワード|変更/, 'an English mail');
    });
  });
}
