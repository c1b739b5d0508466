// Issue 23 (SPEC S3.9): passkeys over real HTTP on SQLite and PostgreSQL, with a software
// authenticator (test/helpers/passkey-authenticator.ts): registration from the security settings
// after a fresh second step; the passkey as second step; the passwordless sign-in; removal; and the
// refused cases — a replayed assertion, another flow's challenge, a wrong origin, a counter going
// back (audited), a removed passkey, a disabled user, an organisation that does not allow it.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { AppContext } from '../../src/context.ts';
import { updateOrganisationSettings } from '../../src/auth/tenancy/organisations.ts';
import { createPgSchema, PG_URL, testDialects } from '../helpers/db.ts';
import { migrateToLatest, openDb } from '../../src/db/index.ts';
import { randomBytes } from 'node:crypto';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { Browser, text, type Res } from '../helpers/client.ts';
import { completeFirstLogin, givenUser, independentTotp, loginAndEnrolTotp, type GivenUser } from '../helpers/scenario.ts';
import { formActionById, passkeyOptionsOn, SoftAuthenticator } from '../helpers/passkey-authenticator.ts';

const PW = 'Kx7#mPq2vLa9';

interface Holder { app: TestApp; u: GivenUser; b: Browser; secret: string; key: SoftAuthenticator }

/** A signed-in TOTP user who registers a passkey from the security settings (within the fresh-login window). */
async function withPasskey(app: TestApp, o: { counter?: number; synced?: boolean; label?: string } = {}): Promise<Holder> {
  const u = await givenUser(app.ctx);
  const b = new Browser(app.url);
  await completeFirstLogin(b, u, PW);
  const { secret } = await loginAndEnrolTotp(b, u, PW, app.clock.now);
  const key = new SoftAuthenticator({ origin: app.url, counter: o.counter ?? 1, synced: o.synced ?? false });
  await registerPasskey(b, key, o.label ?? 'My laptop');
  return { app, u, b, secret, key };
}

async function registerPasskey(b: Browser, key: SoftAuthenticator, label: string): Promise<Res> {
  await b.get('/profile');
  const page = await b.follow(await b.post('/profile/passkeys/add', {}));
  assert.equal(page.status, 200, text(page.body).slice(0, 300));
  const options = passkeyOptionsOn(page.body, 'passkey-register-form');
  const done = await b.follow(await b.post(formActionById(page.body, 'passkey-register-form'), { credential: JSON.stringify(key.register(options as never)), label }));
  assert.equal(done.status, 200);
  assert.match(text(done.body), /パスキーを登録しました/);
  return done;
}

async function logout(b: Browser): Promise<void> {
  await b.get('/profile');
  await b.follow(await b.post('/logout', {}));
}

/** Password step → the passkey page. */
async function atPasskeyStep(b: Browser, u: GivenUser): Promise<Res> {
  await b.get('/login');
  const page = await b.follow(await b.post('/login', { loginId: u.loginId, password: PW }));
  assert.match(page.body, /id="passkey-form"/, 'the passkey step');
  return page;
}

async function answerStep(b: Browser, page: Res, key: SoftAuthenticator, o: { origin?: string; counter?: number } = {}): Promise<Res> {
  const assertion = key.assert(passkeyOptionsOn(page.body, 'passkey-form') as never, o);
  return b.post(formActionById(page.body, 'passkey-form'), { credential: JSON.stringify(assertion) });
}

/** The user's sessions made with `factor` (all sessions of a test share the test clock's time). */
async function sessionsOf(ctx: AppContext, userId: string, factor = 'passkey') {
  return ctx.db.selectFrom('session').select(['factor', 'amr', 'aal']).where('user_id', '=', userId).where('factor', '=', factor).execute();
}

/** The id of the first passkey in the removal form's list. */
function passkeyIdOn(html: string): string {
  return html.match(/<select id="f-passkey-id"[^>]*>\s*<option value="([^"]+)"/)![1]!;
}

async function events(ctx: AppContext, userId: string, event: string) {
  return ctx.db.selectFrom('audit_log').select(['event', 'detail', 'factor']).where('subject_user_id', '=', userId).where('event', '=', event as never).execute();
}

async function allowSignin(ctx: AppContext, orgId: string): Promise<void> {
  await updateOrganisationSettings(ctx.db, orgId, { passkeySignin: true }, ctx.now());
}

for (const dialect of testDialects()) {
  describe(`${dialect}: passkeys (issue 23)`, () => {
    it('register from the security settings, then the passkey is the second step: amr pwd+hwk+user+mfa; «別の方法を使う» goes to TOTP', async (t) => {
      const app = await startTestApp(dialect, t);
      const h = await withPasskey(app);
      const profile = await h.b.get('/profile');
      assert.match(text(profile.body), /My laptop/);
      assert.match(text(profile.body), /この端末のみ/);
      const row = await app.ctx.db.selectFrom('factor').selectAll().where('user_id', '=', h.u.id).where('kind', '=', 'passkey').executeTakeFirstOrThrow();
      assert.equal(row.credential_id, h.key.id);
      assert.equal(Number(row.sign_count), 1);
      assert.equal(row.secret_enc, '');
      assert.equal((await events(app.ctx, h.u.id, 'mfa.passkey_registered')).length, 1);
      await logout(h.b);

      const step = await atPasskeyStep(h.b, h.u);
      assert.match(step.body, /<script type="module" src="\/static\/passkey.js">/);
      const opts = passkeyOptionsOn(step.body, 'passkey-form');
      assert.equal(opts.rpId, '127.0.0.1', 'RP ID from PUBLIC_URL');
      assert.deepEqual(opts.allowCredentials?.map((c) => c.id), [h.key.id]);
      const ok = await answerStep(h.b, step, h.key);
      assert.equal(ok.status, 303);
      assert.equal(ok.location, '/');
      const [s] = await sessionsOf(app.ctx, h.u.id);
      assert.equal(s!.factor, 'passkey');
      assert.deepEqual(JSON.parse(s!.amr!), ['pwd', 'hwk', 'user', 'mfa']);
      const used = await app.ctx.db.selectFrom('factor').select(['sign_count', 'last_used_at']).where('credential_id', '=', h.key.id).executeTakeFirstOrThrow();
      assert.equal(Number(used.sign_count), 2);
      assert.ok(used.last_used_at !== null);

      // «別の方法を使う»: the TOTP page, and a TOTP session's amr.
      await logout(h.b);
      const again = await atPasskeyStep(h.b, h.u);
      const totpPage = await h.b.follow(await h.b.post(formActionById(again.body.replace(/<form method="post" action="([^"]+\/passkey\/other)"/, '<form id="other" method="post" action="$1"'), 'other'), {}));
      assert.match(totpPage.body, /\/totp"/);
      app.clock.advance(60_000);
      const flow = totpPage.body.match(/action="(\/auth\/flows\/[^/"]+)\/totp"/)![1]!;
      const viaTotp = await h.b.post(`${flow}/totp`, { code: independentTotp(h.secret, app.clock.now) });
      assert.equal(viaTotp.status, 303);
      for (const ts of await sessionsOf(app.ctx, h.u.id, 'totp')) assert.deepEqual(JSON.parse(ts.amr!), ['pwd', 'otp', 'mfa']);
      assert.equal((await sessionsOf(app.ctx, h.u.id, 'totp')).length, 2, 'the enrolment login and this one');
    });

    it('refused: a replayed assertion, another flow\'s challenge, a wrong origin, no user verification; each answer burns the challenge', async (t) => {
      const app = await startTestApp(dialect, t);
      const h = await withPasskey(app);
      await logout(h.b);
      const page = await atPasskeyStep(h.b, h.u);
      const action = formActionById(page.body, 'passkey-form');
      // Another login flow (another browser) gets its own challenge: this browser's answer for it is refused here.
      const other = new Browser(app.url);
      const otherPage = await atPasskeyStep(other, h.u);
      const forOther = h.key.assert(passkeyOptionsOn(otherPage.body, 'passkey-form') as never);
      const crossed = await h.b.post(action, { credential: JSON.stringify(forOther) });
      assert.equal(crossed.status, 401);
      assert.match(text(crossed.body), /パスキーを確認できませんでした/);
      // A wrong origin, on the fresh challenge the refusal page carries.
      const wrongOrigin = await answerStep(h.b, crossed, h.key, { origin: 'https://evil.example' });
      assert.equal(wrongOrigin.status, 401);
      // No user verification.
      h.key.uv = false;
      const noUv = await answerStep(h.b, wrongOrigin, h.key);
      assert.equal(noUv.status, 401);
      h.key.uv = true;
      // The right answer for the current challenge works once; the same answer again is refused.
      const good = h.key.assert(passkeyOptionsOn(noUv.body, 'passkey-form') as never);
      assert.equal((await h.b.post(action, { credential: JSON.stringify(good) })).status, 303);
      const replay = await h.b.post(action, { credential: JSON.stringify(good) }, { csrf: h.b.csrfFor() });
      assert.ok(replay.status === 409 || replay.status === 410, `replay refused: ${replay.status}`);
      const failed = await events(app.ctx, h.u.id, 'login.failed');
      assert.deepEqual(failed.filter((f) => f.factor === 'passkey').map((f) => JSON.parse(f.detail ?? '{}').reason).sort(), ['bad_response', 'bad_response', 'bad_response']);
      assert.equal((await sessionsOf(app.ctx, h.u.id)).length, 1);
    });

    it('a signature counter going back is refused and audited; a synced passkey at 0/0 is fine', async (t) => {
      const app = await startTestApp(dialect, t);
      const h = await withPasskey(app, { counter: 10 });
      await logout(h.b);
      const page = await atPasskeyStep(h.b, h.u);
      const back = await answerStep(h.b, page, h.key, { counter: 10 });
      assert.equal(back.status, 401);
      const audited = await events(app.ctx, h.u.id, 'mfa.passkey_counter_regression');
      assert.equal(audited.length, 1);
      assert.equal(JSON.parse(audited[0]!.detail!).received, 10);
      const lower = await answerStep(h.b, back, h.key, { counter: 3 });
      assert.equal(lower.status, 401);
      assert.equal((await events(app.ctx, h.u.id, 'mfa.passkey_counter_regression')).length, 2);
      assert.equal((await answerStep(h.b, lower, h.key, { counter: 11 })).status, 303);

      const s = await withPasskey(app, { counter: 0, synced: true, label: 'Phone' });
      await logout(s.b);
      const p1 = await atPasskeyStep(s.b, s.u);
      assert.equal((await answerStep(s.b, p1, s.key)).status, 303);
      const [sess] = await sessionsOf(app.ctx, s.u.id);
      assert.deepEqual(JSON.parse(sess!.amr!), ['pwd', 'swk', 'user', 'mfa']);
      await logout(s.b);
      assert.equal((await answerStep(s.b, await atPasskeyStep(s.b, s.u), s.key)).status, 303, 'again at 0');
      assert.match(text((await s.b.get('/profile')).body), /同期済み/);
    });

    it('passwordless: «パスキーでログイン» where the organisation allows it; amr without pwd; a disabled user, a removed passkey, an organisation not allowing it: one refusal', async (t) => {
      const app = await startTestApp(dialect, t);
      const h = await withPasskey(app);
      const plain = await new Browser(app.url).get('/login');
      assert.doesNotMatch(plain.body, /passkey-signin-form/, 'not offered while no organisation allows it');
      await allowSignin(app.ctx, h.u.orgId);
      await logout(h.b);
      const login = await h.b.get('/login');
      assert.match(text(login.body), /パスキーでログイン/);
      assert.match(login.body, /autocomplete="username webauthn"/);
      const opts = passkeyOptionsOn(login.body, 'passkey-signin-form');
      assert.equal(opts.allowCredentials?.length ?? 0, 0, 'discoverable: the page names nobody');
      const action = formActionById(login.body, 'passkey-signin-form');
      const ok = await h.b.post(action, { credential: JSON.stringify(h.key.assert(opts as never)) });
      assert.equal(ok.status, 303);
      const [s] = await sessionsOf(app.ctx, h.u.id);
      assert.deepEqual(JSON.parse(s!.amr!), ['hwk', 'user', 'mfa']);
      assert.equal(s!.aal, 'aal2');
      const home = await h.b.follow(ok);
      assert.equal(home.status, 200);

      const refuse = async (b: Browser, key: SoftAuthenticator, why: string) => {
        const page = await b.get('/login');
        const r = await b.post(formActionById(page.body, 'passkey-signin-form'), { credential: JSON.stringify(key.assert(passkeyOptionsOn(page.body, 'passkey-signin-form') as never)) });
        assert.equal(r.status, 401, why);
        assert.match(text(r.body), /パスキーを確認できませんでした/, why);
      };
      // An unknown passkey.
      await refuse(new Browser(app.url), new SoftAuthenticator({ origin: app.url, counter: 1 }), 'unknown');
      // A disabled user.
      await app.ctx.db.updateTable('app_user').set({ disabled_at: app.clock.now }).where('id', '=', h.u.id).execute();
      await refuse(new Browser(app.url), h.key, 'disabled');
      await app.ctx.db.updateTable('app_user').set({ disabled_at: null }).where('id', '=', h.u.id).execute();
      // The organisation no longer allows it.
      await updateOrganisationSettings(app.ctx.db, h.u.orgId, { passkeySignin: false }, app.clock.now);
      const other = await givenUser(app.ctx);
      await allowSignin(app.ctx, other.orgId); // the button is still offered (another organisation allows it)
      await refuse(new Browser(app.url), h.key, 'org off');
      await allowSignin(app.ctx, h.u.orgId);
      // A removed passkey (removal within the fresh-login window needs no code).
      const b2 = new Browser(app.url);
      await b2.get('/login');
      const page2 = await b2.get('/login');
      await b2.follow(await b2.post(formActionById(page2.body, 'passkey-signin-form'), { credential: JSON.stringify(h.key.assert(passkeyOptionsOn(page2.body, 'passkey-signin-form') as never)) }));
      const prof = await b2.get('/profile');
      const id = passkeyIdOn(prof.body);
      const removed = await b2.post('/profile/passkeys/remove', { id });
      assert.equal(removed.status, 200);
      assert.match(text(removed.body), /パスキーを削除しました/);
      assert.equal((await events(app.ctx, h.u.id, 'mfa.passkey_removed')).length, 1);
      await refuse(new Browser(app.url), h.key, 'removed');
      const reasons = (await app.ctx.db.selectFrom('audit_log').select('detail').where('event', '=', 'login.failed').where('factor', '=', 'passkey').execute())
        .map((r) => JSON.parse(r.detail ?? '{}').reason).sort();
      assert.deepEqual(reasons, ['disabled', 'passkey_not_allowed', 'unknown_passkey', 'unknown_passkey']);
    });

    it('adding or removing a passkey needs a fresh second step: after the window a current TOTP code', async (t) => {
      const app = await startTestApp(dialect, t);
      const h = await withPasskey(app);
      app.clock.advance(11 * 60_000);
      await h.b.get('/profile');
      const refused = await h.b.post('/profile/passkeys/add', {});
      assert.equal(refused.status, 401);
      assert.match(text(refused.body), /現在の認証アプリのコード/);
      const ok = await h.b.follow(await h.b.post('/profile/passkeys/add', { code: independentTotp(h.secret, app.clock.now) }));
      assert.match(ok.body, /id="passkey-register-form"/);
      await h.b.get('/profile');
      const id = passkeyIdOn((await h.b.get('/profile')).body);
      assert.equal((await h.b.post('/profile/passkeys/remove', { id })).status, 401);
      app.clock.advance(60_000);
      const removed = await h.b.post('/profile/passkeys/remove', { id, removeCode: independentTotp(h.secret, app.clock.now) });
      assert.equal(removed.status, 200);
      assert.equal((await app.ctx.db.selectFrom('factor').select('id').where('kind', '=', 'passkey').where('user_id', '=', h.u.id).execute()).length, 0);
    });

    it('an organisation that does not allow passkeys: no card, no registration, and the login asks for TOTP', async (t) => {
      const app = await startTestApp(dialect, t);
      const h = await withPasskey(app);
      await updateOrganisationSettings(app.ctx.db, h.u.orgId, { passkeys: 'off' }, app.clock.now);
      const profile = await h.b.get('/profile');
      assert.doesNotMatch(profile.body, /id="passkey-add-form"/);
      assert.equal((await h.b.post('/profile/passkeys/add', {})).status, 403);
      await logout(h.b);
      await h.b.get('/login');
      const next = await h.b.follow(await h.b.post('/login', { loginId: h.u.loginId, password: PW }));
      assert.doesNotMatch(next.body, /id="passkey-form"/);
      assert.match(next.body, /\/totp"/);
    });

    it('2-step setup (item 1): a general user registers a passkey on the TOTP setup page, the TOTP setup still follows, then the login asks for the passkey', async (t) => {
      const app = await startTestApp(dialect, t);
      const u = await givenUser(app.ctx);
      const b = new Browser(app.url);
      await completeFirstLogin(b, u, PW);
      await b.get('/login');
      const setupPage = await b.follow(await b.post('/login', { loginId: u.loginId, password: PW }));
      assert.match(setupPage.body, /\/totp-setup"/, 'a general user is at the TOTP setup');
      assert.match(setupPage.body, /id="passkey-setup-form"/, 'beside it: «パスキーを登録» (business profile: passkeys on)');
      const flow = formActionById(setupPage.body, 'passkey-setup-form').replace(/\/passkey\/setup$/, '');
      const secret = setupPage.body.match(/<code class="key" id="totp-key">([^<]+)<\/code>/)![1]!.replace(/\s/g, '');

      // No step of the passkey enrolment before its own state.
      assert.equal((await b.post(`${flow}/passkey/enrol`, { credential: '{}' })).status, 409);
      const register = await b.follow(await b.post(`${flow}/passkey/setup`, {}));
      assert.match(register.body, /id="passkey-register-form"/);
      assert.match(register.body, /id="passkey-setup-back"/);
      assert.doesNotMatch(register.body, /\/totp-setup"/, 'the TOTP step is not served meanwhile');
      assert.equal((await b.post(`${flow}/totp-setup`, { code: independentTotp(secret, app.clock.now) })).status, 409, 'wrong step');

      // A broken answer is refused and burns the challenge; the right one is saved.
      const key = new SoftAuthenticator({ origin: app.url, counter: 1, synced: true });
      const bad = await b.post(formActionById(register.body, 'passkey-register-form'), { credential: '{"id":"not a credential"}', label: 'x' });
      assert.equal(bad.status, 401);
      const fresh = await b.get(`${flow}`);
      const done = await b.follow(await b.post(formActionById(fresh.body, 'passkey-register-form'), { credential: JSON.stringify(key.register(passkeyOptionsOn(fresh.body, 'passkey-register-form') as never)), label: 'スマートフォン' }));
      assert.equal(done.status, 200);
      assert.match(done.body, /id="passkey-setup-held"/, 'the setup says the passkey is registered and the fallback comes next');
      assert.match(done.body, /\/totp-setup"/, 'back at the TOTP setup, with the same key as before');
      assert.doesNotMatch(done.body, /id="passkey-setup-form"/, 'no second offer');
      assert.equal((await b.post(`${flow}/passkey/setup`, {})).status, 403, 'one passkey from the setup');
      const [registered] = await events(app.ctx, u.id, 'mfa.passkey_registered');
      assert.deepEqual(JSON.parse(String(registered!.detail)).during, 'setup');
      assert.equal((await events(app.ctx, u.id, 'mfa.passkey_failed')).length, 1, 'the refused answer is audited');
      // No session yet: the passkey alone does not finish the setup.
      assert.equal((await app.ctx.db.selectFrom('session').select('id').where('user_id', '=', u.id).execute()).length, 0);

      // The TOTP setup (same secret, kept on the flow) and the backup codes end it with a session.
      const enrolled = await b.follow(await b.post(`${flow}/totp-setup`, { code: independentTotp(secret, app.clock.now) }));
      assert.match(enrolled.body, /backup-codes/);
      await b.follow(await b.post(`${flow}/backup-codes`, {}));
      assert.equal((await sessionsOf(app.ctx, u.id, 'totp')).length, 1);

      // The next login asks for the passkey, with «別の方法を使う» to TOTP.
      await logout(b);
      const step = await atPasskeyStep(b, u);
      assert.match(step.body, /\/passkey\/other"/);
      const ok = await answerStep(b, step, key);
      assert.equal(ok.status, 303);
      const [s] = await sessionsOf(app.ctx, u.id);
      assert.deepEqual(JSON.parse(s!.amr!), ['pwd', 'swk', 'user', 'mfa'], 'a synced passkey');
    });

    it('2-step setup: an admin sees the passkey beside TOTP and MailOTP; «戻る» registers nothing; an organisation without passkeys is not offered one', async (t) => {
      const app = await startTestApp(dialect, t);
      const admin = await givenUser(app.ctx, { role: 'admin' });
      const b = new Browser(app.url);
      await completeFirstLogin(b, admin, PW);
      await b.get('/login');
      const choice = await b.follow(await b.post('/login', { loginId: admin.loginId, password: PW }));
      assert.match(choice.body, /\/method"/);
      assert.match(choice.body, /id="passkey-setup-form"/);
      const flow = formActionById(choice.body, 'passkey-setup-form').replace(/\/passkey\/setup$/, '');
      const register = await b.follow(await b.post(`${flow}/passkey/setup`, {}));
      assert.match(register.body, /id="passkey-register-form"/);
      const back = await b.follow(await b.post(`${flow}/passkey/enrol/back`, {}));
      assert.match(back.body, /\/method"/, 'back at the method choice');
      assert.match(back.body, /id="passkey-setup-form"/, 'still offered');
      assert.equal((await app.ctx.db.selectFrom('factor').select('id').where('user_id', '=', admin.id).where('kind', '=', 'passkey').execute()).length, 0);
      assert.equal((await b.post(`${flow}/passkey/enrol/back`, {})).status, 409, 'no way back from where it is not');

      // Register, then choose MailOTP: the passkey is asked first at the next login, «別の方法を使う» mails a code.
      const again = await b.follow(await b.post(`${flow}/passkey/setup`, {}));
      const key = new SoftAuthenticator({ origin: app.url, counter: 5, synced: false });
      const held = await b.follow(await b.post(formActionById(again.body, 'passkey-register-form'), { credential: JSON.stringify(key.register(passkeyOptionsOn(again.body, 'passkey-register-form') as never)), label: 'YubiKey' }));
      assert.match(held.body, /id="passkey-setup-held"/);
      const otp = await b.follow(await b.post(`${flow}/method`, { method: 'mail_otp' }));
      assert.match(otp.body, /\/mail-otp"/);

      // An organisation that turned passkeys off: its general user's TOTP setup offers none, and the step refuses.
      const other = await givenUser(app.ctx);
      await updateOrganisationSettings(app.ctx.db, other.orgId, { passkeys: 'off' }, app.clock.now);
      const b2 = new Browser(app.url);
      await completeFirstLogin(b2, other, PW);
      await b2.get('/login');
      const plain = await b2.follow(await b2.post('/login', { loginId: other.loginId, password: PW }));
      assert.match(plain.body, /\/totp-setup"/);
      assert.doesNotMatch(plain.body, /passkey-setup/);
      const flow2 = plain.body.match(/action="(\/auth\/flows\/[^/"]+)\/totp-setup"/)![1]!;
      assert.equal((await b2.post(`${flow2}/passkey/setup`, {})).status, 403);
    });

    it('the browser package is served from our origin under the strict CSP', async (t) => {
      const app = await startTestApp(dialect, t);
      const js = await fetch(`${app.url}/static/vendor/simplewebauthn/index.js`);
      assert.equal(js.status, 200);
      assert.match(js.headers.get('content-type') ?? '', /javascript/);
      assert.match(await js.text(), /startAuthentication/);
      const own = await fetch(`${app.url}/static/passkey.js`);
      assert.equal(own.status, 200);
      assert.match(own.headers.get('content-security-policy') ?? '', /script-src 'self'/);
    });
  });
}

describe('postgres: passkeys on two nodes (issue 23)', () => {
  it('a challenge made on node 1 is answered on node 2; the answer replayed on node 1 is refused', async (t) => {
    if (!testDialects().includes('postgres')) return;
    const { schema, drop } = await createPgSchema();
    const h1 = openDb(PG_URL, { schema });
    const h2 = openDb(PG_URL, { schema });
    await migrateToLatest(h1.db);
    t.after(async () => { await h1.close(); await h2.close(); await drop(); });
    const keys = { SECRET_KEY: randomBytes(32).toString('base64'), TOTP_KEY: randomBytes(32).toString('base64') };
    const n1 = await startTestApp('postgres', t, keys, { db: h1 });
    // One public origin for both nodes (the load balancer's): node 1's.
    const n2 = await startTestApp('postgres', t, { ...keys, PUBLIC_URL: n1.url }, { db: h2 });
    n2.clock.now = n1.clock.now;
    const h = await withPasskey(n1);
    await logout(h.b);
    const page = await atPasskeyStep(h.b, h.u);
    // The same browser's next request lands on node 2.
    const b2 = new Browser(n2.url);
    for (const [k, v] of h.b.jar) b2.jar.set(k, v);
    const assertion = h.key.assert(passkeyOptionsOn(page.body, 'passkey-form') as never);
    const action = formActionById(page.body, 'passkey-form');
    const csrf = h.b.csrf();
    const done = await b2.post(action, { credential: JSON.stringify(assertion) }, { csrf });
    assert.equal(done.status, 303);
    assert.equal(done.location, '/');
    const replay = await h.b.post(action, { credential: JSON.stringify(assertion) }, { csrf });
    assert.ok(replay.status === 409 || replay.status === 410, `replay on node 1 refused: ${replay.status}`);
    assert.equal((await sessionsOf(n1.ctx, h.u.id)).length, 1);

    // Passwordless: the login page from node 2, answered on node 1.
    await updateOrganisationSettings(n1.ctx.db, h.u.orgId, { passkeySignin: true }, n1.clock.now);
    const c = new Browser(n2.url);
    const login = await c.get('/login');
    const c1 = new Browser(n1.url);
    for (const [k, v] of c.jar) c1.jar.set(k, v);
    const signed = await c1.post(formActionById(login.body, 'passkey-signin-form'), { credential: JSON.stringify(h.key.assert(passkeyOptionsOn(login.body, 'passkey-signin-form') as never)) }, { csrf: c.csrf() });
    assert.equal(signed.status, 303);
    assert.equal((await sessionsOf(n1.ctx, h.u.id)).length, 2);
  });
});
