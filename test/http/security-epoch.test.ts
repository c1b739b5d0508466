// The security epoch (SECURITY.md item 38; issue 14 items 1, 2, 4, 8): a password change or reset,
// a 2-step lock, disabling and a 2-step change end the user's pending flows and sessions and
// supersede every outstanding link. Each test opens with the attack, over real HTTP, on both databases.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { testDialects } from '../helpers/db.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { Browser, formAction, text } from '../helpers/client.ts';
import { independentTotp, lastMail, secretOnPage } from '../helpers/scenario.ts';
import { NEW_PW, PW, openResetLink, postResetForm, resetFields, resetLinkFor } from '../helpers/reset.ts';
import { STEP, givenOrg, loggedIn, type Person } from '../helpers/admin.ts';

/** A second browser of the person that passed the password step and waits at the TOTP page. */
async function pendingTotpLogin(app: TestApp, p: Person, password = PW): Promise<{ b: Browser; action: string }> {
  const b = new Browser(app.url);
  await b.get('/login');
  const page = await b.follow(await b.post('/login', { loginId: p.u.loginId, password }));
  return { b, action: formAction(page.body, '/totp') };
}

/** Changes the password on the profile page (needs the current one). */
async function changePassword(p: Person, next: string, current = PW): Promise<void> {
  await p.b.get('/profile');
  const r = await p.b.post('/profile/password', { currentPassword: current, password: next, confirm: next });
  assert.equal(r.status, 200, 'password changed');
}

async function countEvents(app: TestApp, userId: string, event: string): Promise<number> {
  const rows = await app.ctx.db.selectFrom('audit_log').select('id').where('subject_user_id', '=', userId).where('event', '=', event).execute();
  return rows.length;
}

for (const dialect of testDialects()) {
  describe(`${dialect}: security epoch`, () => {
    it('a password change supersedes an earlier reset link: neither the open flow nor the link can overwrite it', async (t) => {
      const app = await startTestApp(dialect, t);
      const p = await loggedIn(app, await givenOrg(app, 'direct'));
      await postResetForm(new Browser(app.url), resetFields(p.u));
      const link = await resetLinkFor(app, p.u);
      const opened = new Browser(app.url);
      const action = await openResetLink(opened, link);
      await changePassword(p, NEW_PW);
      const late = await opened.post(action, { password: 'Att4ck#Pass9', confirm: 'Att4ck#Pass9' });
      assert.equal(late.status, 410, 'the flow opened before the change is dead');
      assert.equal((await new Browser(app.url).get(link)).status, 410, 'the link itself is dead');
      const b = new Browser(app.url);
      await b.get('/login');
      assert.equal((await b.post('/login', { loginId: p.u.loginId, password: NEW_PW })).status, 303, 'the changed password stands');
    });

    it('a reset ends a login waiting at the 2-step page: a valid code afterwards opens nothing', async (t) => {
      const app = await startTestApp(dialect, t);
      const p = await loggedIn(app, await givenOrg(app, 'direct'));
      const attacker = await pendingTotpLogin(app, p);
      await postResetForm(new Browser(app.url), resetFields(p.u));
      const victim = new Browser(app.url);
      const action = await openResetLink(victim, await resetLinkFor(app, p.u));
      assert.equal((await victim.post(action, { password: NEW_PW, confirm: NEW_PW })).status, 303);
      app.clock.advance(STEP);
      const r = await attacker.b.post(attacker.action, { code: independentTotp(p.secret, app.clock.now) });
      assert.equal(r.status, 410);
      assert.equal(attacker.b.jar.get('bp_session'), undefined, 'no session issued');
    });

    it('a password change, disable + enable, a method change and a TOTP reset each end pending logins and sessions', async (t) => {
      const app = await startTestApp(dialect, t);
      const org = await givenOrg(app, 'direct');
      const admin = await loggedIn(app, org, 'admin');
      const triggers: [string, (p: Person) => Promise<void>][] = [
        ['password change', (p) => changePassword(p, NEW_PW)],
        ['disable + enable', async (p) => {
          await admin.b.get(`/admin/users/${p.u.id}`);
          await admin.b.post(`/admin/users/${p.u.id}/disable`, { confirm: 'yes' });
          await admin.b.get(`/admin/users/${p.u.id}`);
          await admin.b.post(`/admin/users/${p.u.id}/enable`, {});
        }],
        ['method change', async (p) => {
          await admin.b.get(`/admin/users/${p.u.id}`);
          await admin.b.post(`/admin/users/${p.u.id}/second-factor`, { method: 'mail_otp' });
        }],
        ['TOTP reset', async (p) => {
          await admin.b.get(`/admin/users/${p.u.id}`);
          await admin.b.post(`/admin/users/${p.u.id}/totp-reset`, { confirm: 'yes' });
        }],
      ];
      for (const [name, trigger] of triggers) {
        const p = await loggedIn(app, org);
        const other = await pendingTotpLogin(app, p);
        const session = new Browser(app.url);
        session.jar.set('bp_session', p.b.jar.get('bp_session')!);
        await trigger(p);
        app.clock.advance(STEP);
        const r = await other.b.post(other.action, { code: independentTotp(p.secret, app.clock.now) });
        assert.equal(r.status, 410, `${name}: the pending login is ended`);
        if (name !== 'password change') assert.equal((await session.get('/')).status, 303, `${name}: the session is ended`);
      }
    });

    it('a 2-step lock ends flows opened before it: after the lock expires, an older flow cannot be finished', async (t) => {
      const app = await startTestApp(dialect, t);
      const p = await loggedIn(app, await givenOrg(app, 'direct'));
      const older = await pendingTotpLogin(app, p);
      const guesser = await pendingTotpLogin(app, p);
      const wrong = independentTotp(p.secret, app.clock.now, 5);
      for (let i = 0; i < 5; i++) await guesser.b.post(guesser.action, { code: wrong }, { csrf: guesser.b.csrf() });
      const whileLocked = await older.b.post(older.action, { code: independentTotp(p.secret, app.clock.now) });
      assert.equal(whileLocked.status, 429, 'while the lock lasts it is named');
      assert.match(text(whileLocked.body), /分間停止/);
      app.clock.advance(16 * 60_000);
      const after = await older.b.post(older.action, { code: independentTotp(p.secret, app.clock.now) }, { csrf: older.b.csrfFor() });
      assert.equal(after.status, 410, 'the flow opened before the lock is over');
      assert.equal((await p.b.get('/')).status, 303, 'the lock ended the sessions too');
      const fresh = await pendingTotpLogin(app, p);
      assert.equal((await fresh.b.post(fresh.action, { code: independentTotp(p.secret, app.clock.now) })).status, 303, 'a new login works');
    });

    it('race: a login finishing while the password changes never keeps a working session', async (t) => {
      const app = await startTestApp(dialect, t);
      const p = await loggedIn(app, await givenOrg(app, 'direct'));
      let current = PW;
      for (let round = 0; round < 6; round++) {
        const next = `N3w#Pass${round}word`;
        const pending = await pendingTotpLogin(app, p, current);
        await p.b.get('/profile');
        const csrf = p.b.csrf();
        // The login's last step starts 0–400 ms after the change, so rounds land before, inside and after it.
        const delay = [0, 5, 20, 60, 150, 400][round]!;
        const [login, change] = await Promise.all([
          new Promise((r) => setTimeout(r, delay)).then(() => pending.b.post(pending.action, { code: independentTotp(p.secret, app.clock.now) })),
          p.b.post('/profile/password', { currentPassword: current, password: next, confirm: next, _csrf: csrf }, { csrf: null }),
        ]);
        assert.equal(change.status, 200, 'the change went through');
        assert.ok([303, 410].includes(login.status), `the login either finished or was ended (${login.status})`);
        assert.equal((await pending.b.get('/')).status, 303, `round ${round}: no working session survives the change`);
        assert.equal((await p.b.get('/')).status, 200, 'the session the change was made from stays');
        current = next;
        app.clock.advance(STEP);
      }
    });

    it('TOTP re-enrolment ends every other session; the re-enrolling browser keeps its own and gets no second one', async (t) => {
      const app = await startTestApp(dialect, t);
      const p = await loggedIn(app, await givenOrg(app, 'direct'));
      const other = new Browser(app.url);
      await other.get('/login');
      const page = await other.follow(await other.post('/login', { loginId: p.u.loginId, password: PW }));
      await other.post(formAction(page.body, '/totp'), { code: independentTotp(p.secret, app.clock.now) });
      assert.equal((await other.get('/')).status, 200);
      app.clock.advance(STEP);
      await p.b.get('/profile');
      const setup = await p.b.follow(await p.b.post('/profile/totp/reenrol', { code: independentTotp(p.secret, app.clock.now) }));
      const secret = secretOnPage(setup.body);
      const flow = formAction(setup.body, '/totp-setup').replace('/totp-setup', '');
      await p.b.follow(await p.b.post(`${flow}/totp-setup`, { code: independentTotp(secret, app.clock.now) }));
      const succeededBefore = await countEvents(app, p.u.id, 'login.succeeded');
      const done = await p.b.post(`${flow}/backup-codes`, {});
      // Issue 13 item 1: re-enrolment is its own flow kind whose end issues no session: back to the
      // settings, the same session (moved to the new epoch), no second login.succeeded row.
      assert.equal(done.status, 303);
      assert.equal(done.location, '/profile');
      assert.equal((await other.get('/')).status, 303, 'the other session ended');
      assert.equal((await p.b.get('/')).status, 200, 'the re-enrolling browser is signed in');
      const live = await app.ctx.db.selectFrom('session').select('id').where('user_id', '=', p.u.id).where('revoked_at', 'is', null).execute();
      assert.equal(live.length, 1, 'one live session: the one re-enrolment started from');
      assert.equal(await countEvents(app, p.u.id, 'login.succeeded'), succeededBefore, 'no login.succeeded for a re-enrolment');
      assert.ok(await lastMail(app.ctx, p.u.email, 'totp_enrolled'));
    });
  });
}
