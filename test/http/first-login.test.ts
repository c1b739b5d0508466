// The whole first login over real HTTP, on SQLite and PostgreSQL, and the attacks on it (issue 2).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { testDialects } from '../helpers/db.ts';
import { startTestApp } from '../helpers/app.ts';
import { Browser, text } from '../helpers/client.ts';
import { completeFirstLogin, givenTerms, givenUser, lastMail, linkIn, loginAndEnrolTotp } from '../helpers/scenario.ts';

const PW = 'Kx7#mPq2vLa9';

for (const dialect of testDialects()) {
  describe(`${dialect}: first login`, () => {
    it('walks mail link → identity → password → login → TOTP → terms → home', async (t) => {
      const app = await startTestApp(dialect, t);
      await givenTerms(app.ctx);
      const u = await givenUser(app.ctx);
      const mail = await lastMail(app.ctx, u.email, 'starting_guide');
      assert.ok(mail, 'starting guide queued');
      assert.equal(linkIn(mail.body_text, '/setup/'), u.setupUrl);

      const b = new Browser(app.url);
      const opened = await b.get(u.setupUrl);
      assert.equal(opened.status, 303);
      assert.ok(!opened.location!.includes(u.setupUrl.split('/setup/')[1]!), 'token leaves the URL');
      const done = await completeFirstLogin(b, u, PW);
      assert.equal(done.status, 200);
      assert.match(text(done.body), /パスワード設定完了/);

      const { res } = await loginAndEnrolTotp(b, u, PW, app.clock.now);
      assert.equal(b.last!.status, 200);
      assert.match(text(res.body), /ご利用規約/);
      const versionId = res.body.match(/name="versionId" value="([^"]+)"/)![1]!;
      const home = await b.follow(await b.post('/terms', { versionId, accept: '1' }));
      assert.match(text(home.body), /ようこそ、山田 太郎 様/);
      assert.match(text(home.body), /今回が初めてのログインです/);
      const events = await app.ctx.db.selectFrom('audit_log').select('event').where('subject_user_id', '=', u.id).execute();
      for (const e of ['user.registered', 'identity.verified', 'password.set', 'login.password_ok', 'mfa.totp_enrolled', 'login.succeeded', 'terms.accepted']) {
        assert.ok(events.some((x) => x.event === e), `audit has ${e}`);
      }
    });
  });
}
