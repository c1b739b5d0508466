// Issue 20 item 6: the submit button disables itself in the browser, and the server still refuses a
// double submit. Each step of the first login is posted twice by one browser, one after the other and
// at the same moment: the second is refused (409) or harmless, there is one effect (one audit row,
// one password change, one enrolment, one acceptance), and the page it answers with is the flow's
// truth (the completion, the backup codes), never a dead link or «start again».
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { AppContext } from '../../src/context.ts';
import { testDialects } from '../helpers/db.ts';
import { startTestApp } from '../helpers/app.ts';
import { Browser, text, type Res } from '../helpers/client.ts';
import { completeFirstLogin, givenTerms, givenUser, independentTotp, secretOnPage, type GivenUser } from '../helpers/scenario.ts';

const PW = 'Kx7#mPq2vLa9';

async function auditCount(ctx: AppContext, userId: string, event: string): Promise<number> {
  const rows = await ctx.db.selectFrom('audit_log').select('event').where('subject_user_id', '=', userId).where('event', '=', event).execute();
  return rows.length;
}

/** The browser at the password page of a verified first login; returns the step's form action. */
async function atPasswordStep(b: Browser, u: GivenUser): Promise<string> {
  await b.follow(await b.get(u.setupUrl));
  const flowPath = b.last!.body.match(/action="(\/auth\/flows\/[^/]+)\/identity"/)![1]!;
  const page = await b.follow(await b.post(`${flowPath}/identity`, { email: u.email, name: u.name, phone: u.phone }));
  assert.match(text(page.body), /パスワードのルール/);
  return `${flowPath}/password`;
}

/** The browser at the TOTP setup page of the user's first login; returns the form action and the key. */
async function atTotpSetup(b: Browser, u: GivenUser): Promise<{ action: string; secret: string }> {
  await completeFirstLogin(b, u, PW);
  await b.get('/login');
  const page = await b.follow(await b.post('/login', { loginId: u.loginId, password: PW }));
  const flow = page.body.match(/action="(\/auth\/flows\/[^/]+)\/totp-setup"/)![1]!;
  return { action: `${flow}/totp-setup`, secret: secretOnPage(page.body) };
}

function codesOn(r: Res): string[] {
  return [...r.body.matchAll(/<li><code>([0-9A-Z-]{19})<\/code><\/li>/g)].map((m) => m[1]!);
}

for (const dialect of testDialects()) {
  describe(`${dialect}: a first-login step posted twice`, () => {
    it('password: the repeat answers 409 with the completion page; one password set, one audit row', async (t) => {
      const app = await startTestApp(dialect, t);
      for (const mode of ['one after the other', 'at the same moment'] as const) {
        const u = await givenUser(app.ctx);
        const b = new Browser(app.url);
        const action = await atPasswordStep(b, u);
        const csrf = b.csrf();
        const post = () => b.post(action, { password: PW, confirm: PW }, { csrf });
        const answers = mode === 'one after the other' ? [await post(), await post()] : await Promise.all([post(), post()]);
        assert.deepEqual(answers.map((r) => r.status).sort(), [303, 409], `${mode}: one accepted, one refused`);
        for (const r of answers) {
          const page = r.status === 303 ? await b.follow(r) : r;
          assert.match(text(page.body), /パスワード設定完了/, `${mode}: both answers show the completion`);
          assert.doesNotMatch(text(page.body), /このURLは無効です/, `${mode}: no dead-link page`);
        }
        assert.equal(await auditCount(app.ctx, u.id, 'password.set'), 1, `${mode}: one password.set`);
        const user = await app.ctx.db.selectFrom('app_user').select(['password_hash', 'security_epoch']).where('id', '=', u.id).executeTakeFirstOrThrow();
        assert.ok(user.password_hash, 'the password is set');
        assert.equal(Number(user.security_epoch), 1, `${mode}: one password change (one new epoch)`);
        // And the password set is the one typed: the login works.
        const other = new Browser(app.url);
        await other.get('/login');
        const login = await other.follow(await other.post('/login', { loginId: u.loginId, password: PW }));
        assert.match(text(login.body), /TOTP認証の設定/, `${mode}: the password typed is the one set`);
      }
    });

    it('TOTP registration: the repeat answers 409 with the same backup codes; one enrolment, one set of codes', async (t) => {
      const app = await startTestApp(dialect, t);
      await givenTerms(app.ctx);
      for (const mode of ['one after the other', 'at the same moment'] as const) {
        const u = await givenUser(app.ctx);
        const b = new Browser(app.url);
        const { action, secret } = await atTotpSetup(b, u);
        const csrf = b.csrf();
        const code = independentTotp(secret, app.clock.now);
        const post = () => b.post(action, { code }, { csrf });
        const answers = mode === 'one after the other' ? [await post(), await post()] : await Promise.all([post(), post()]);
        assert.deepEqual(answers.map((r) => r.status).sort(), [303, 409], `${mode}: one accepted, one refused`);
        const pages = [];
        for (const r of answers) pages.push(r.status === 303 ? await b.follow(r) : r);
        for (const p of pages) assert.match(text(p.body), /バックアップコードを保管してください/, `${mode}: both answers show the backup codes`);
        const [first, second] = pages.map(codesOn);
        assert.ok(first!.length >= 8);
        assert.deepEqual(second, first, `${mode}: the same codes both times`);
        assert.equal(await auditCount(app.ctx, u.id, 'mfa.totp_enrolled'), 1, `${mode}: one mfa.totp_enrolled`);
        const factors = await app.ctx.db.selectFrom('factor').select('id').where('user_id', '=', u.id).execute();
        assert.equal(factors.length, 1, `${mode}: one authenticator`);
        const codes = await app.ctx.db.selectFrom('backup_code').select('id').where('user_id', '=', u.id).execute();
        assert.equal(codes.length, first!.length, `${mode}: one set of backup codes`);
        // The flow goes on: acknowledging the codes issues the session and the terms page comes.
        const terms = await b.follow(await b.post(action.replace('/totp-setup', '/backup-codes'), {}));
        assert.match(text(terms.body), /ご利用規約/);
      }
    });

    it('terms: the repeat is harmless (back to where it was going); one acceptance, one audit row', async (t) => {
      const app = await startTestApp(dialect, t);
      await givenTerms(app.ctx);
      for (const mode of ['one after the other', 'at the same moment'] as const) {
        const u = await givenUser(app.ctx);
        const b = new Browser(app.url);
        const { action, secret } = await atTotpSetup(b, u);
        await b.follow(await b.post(action, { code: independentTotp(secret, app.clock.now) }));
        const page = await b.follow(await b.post(action.replace('/totp-setup', '/backup-codes'), {}));
        assert.match(text(page.body), /ご利用規約/);
        const versionId = page.body.match(/name="versionId" value="([^"]+)"/)![1]!;
        const csrf = b.csrf();
        const post = () => b.post('/terms', { versionId, accept: '1' }, { csrf });
        const answers = mode === 'one after the other' ? [await post(), await post()] : await Promise.all([post(), post()]);
        for (const r of answers) {
          assert.equal(r.status, 303, `${mode}: both go on`);
          assert.equal(r.location, '/');
        }
        const home = await b.follow(answers[1]!);
        assert.match(text(home.body), /ようこそ/);
        const rows = await app.ctx.db.selectFrom('terms_acceptance').select('user_id').where('user_id', '=', u.id).execute();
        assert.equal(rows.length, 1, `${mode}: one acceptance`);
        assert.equal(await auditCount(app.ctx, u.id, 'terms.accepted'), 1, `${mode}: one terms.accepted`);
      }
    });
  });
}
