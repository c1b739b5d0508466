// Issue 20 item 6: the first login's step indicator tells the truth over real HTTP. The current step
// on each page; the terms step «not needed» when no terms are published; no indicator on a later
// login (the same 2-step pages) and none on the password page of a reset. The password page carries
// the policy the server checks, for the live checklist.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { testDialects } from '../helpers/db.ts';
import { startTestApp } from '../helpers/app.ts';
import { Browser, text } from '../helpers/client.ts';
import { completeFirstLogin, givenTerms, givenUser, independentTotp, loginAndEnrolTotp, secretOnPage } from '../helpers/scenario.ts';

const PW = 'Kx7#mPq2vLa9';

/** The indicator's items as read out: "本人確認 (完了)", … ; [] when the page has none. */
function steps(html: string): string[] {
  const ol = html.match(/<ol class="step-indicator"[^>]*>([\s\S]*?)<\/ol>/);
  if (!ol) return [];
  return [...ol[1]!.matchAll(/<li[^>]*>([\s\S]*?)<\/li>/g)].map((m) => text(m[1]!).trim());
}

function current(html: string): string | null {
  const m = html.match(/<li class="current" aria-current="step"><span>([^<]+)<\/span>/);
  return m ? m[1]! : null;
}

for (const dialect of testDialects()) {
  describe(`${dialect}: the first login's step indicator`, () => {
    it('marks each step in turn; the terms step is «不要» when none are published; later logins show none', async (t) => {
      const app = await startTestApp(dialect, t);
      const u = await givenUser(app.ctx);
      const b = new Browser(app.url);
      const identity = await b.follow(await b.get(u.setupUrl));
      assert.equal(current(identity.body), '本人確認');
      assert.deepEqual(steps(identity.body), ['本人確認 (現在のステップ)', 'パスワード設定 (未完了)', '2段階認証 (未完了)', '利用規約 (不要)']);
      const flowPath = identity.body.match(/action="(\/auth\/flows\/[^/]+)\/identity"/)![1]!;
      const password = await b.follow(await b.post(`${flowPath}/identity`, { email: u.email, name: u.name, phone: u.phone }));
      assert.deepEqual(steps(password.body), ['本人確認 (完了)', 'パスワード設定 (現在のステップ)', '2段階認証 (未完了)', '利用規約 (不要)']);
      // The checklist's policy is the server's: the rules in data attributes, the login ID among the words.
      const policy = JSON.parse(password.body.match(/data-policy="([^"]+)"/)![1]!.replace(/&quot;/g, '"')) as { min: number; words: { contains_login_id: string[] } };
      assert.equal(policy.min, 8);
      assert.deepEqual(policy.words.contains_login_id, [u.loginId.normalize('NFKC').toLowerCase()]);
      assert.match(password.body, /data-toggle-password="f-password f-confirm" aria-pressed="false" hidden/);
      const done = await b.follow(await b.post(`${flowPath}/password`, { password: PW, confirm: PW }));
      assert.equal(current(done.body), 'パスワード設定');

      await b.get('/login');
      const setup = await b.follow(await b.post('/login', { loginId: u.loginId, password: PW }));
      assert.deepEqual(steps(setup.body), ['本人確認 (完了)', 'パスワード設定 (完了)', '2段階認証 (現在のステップ)', '利用規約 (不要)']);
      assert.match(setup.body, /data-copy="totp-key" data-copy-compact="true"/);
      const flow = setup.body.match(/action="(\/auth\/flows\/[^/]+)\/totp-setup"/)![1]!;
      const codes = await b.follow(await b.post(`${flow}/totp-setup`, { code: independentTotp(secretOnPage(setup.body), app.clock.now) }));
      assert.equal(current(codes.body), '2段階認証');
      const home = await b.follow(await b.post(`${flow}/backup-codes`, {}));
      assert.match(text(home.body), /ようこそ/, 'no terms published: home straight after the second step');

      // A later login: the same 2-step page, no indicator (no longer the first login).
      const again = new Browser(app.url);
      await again.get('/login');
      const totp = await again.follow(await again.post('/login', { loginId: u.loginId, password: PW }));
      assert.match(text(totp.body), /2段階目の認証/);
      assert.deepEqual(steps(totp.body), []);
    });

    it('terms at the end of the first login: the last step, the earlier ones done; a later version shows none', async (t) => {
      const app = await startTestApp(dialect, t);
      await givenTerms(app.ctx);
      const u = await givenUser(app.ctx);
      const b = new Browser(app.url);
      await completeFirstLogin(b, u, PW);
      const { res, secret } = await loginAndEnrolTotp(b, u, PW, app.clock.now);
      assert.deepEqual(steps(res.body), ['本人確認 (完了)', 'パスワード設定 (完了)', '2段階認証 (完了)', '利用規約 (現在のステップ)']);
      const versionId = res.body.match(/name="versionId" value="([^"]+)"/)![1]!;
      await b.follow(await b.post('/terms', { versionId, accept: '1' }));
      // A second login, then a new version: the terms page is not part of a first login any more.
      app.clock.advance(60_000);
      const c = new Browser(app.url);
      await c.get('/login');
      const totpPage = await c.follow(await c.post('/login', { loginId: u.loginId, password: PW }));
      assert.deepEqual(steps(totpPage.body), []);
      const totpAction = totpPage.body.match(/action="(\/auth\/flows\/[^/]+\/totp)"/)![1]!;
      const home = await c.follow(await c.post(totpAction, { code: independentTotp(secret, app.clock.now) }));
      assert.match(text(home.body), /ようこそ/);
      await givenTerms(app.ctx);
      const terms = await c.follow(await c.get('/'));
      assert.match(text(terms.body), /ご利用規約/);
      assert.deepEqual(steps(terms.body), [], 'a new version for a returning user: no first-login steps');
    });
  });
}
