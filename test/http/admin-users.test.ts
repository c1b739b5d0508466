// Portal admins managing users over real HTTP (issue 4 §3; S1, S5, S13; SECURITY.md items 11, 31,
// 34), on SQLite and PostgreSQL. Each test opens with what could go wrong.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { testDialects } from '../helpers/db.ts';
import { startTestApp } from '../helpers/app.ts';
import { Browser, text } from '../helpers/client.ts';
import { givenTerms, givenUser, lastMail, linkIn } from '../helpers/scenario.ts';
import { api, givenOrg, loggedIn, loginAgain, PW } from '../helpers/admin.ts';
import { OTP_POLICY } from '../../src/auth/throttle/db-throttle.ts';

for (const dialect of testDialects()) {
  describe(`${dialect}: admin user management`, () => {
    it('registers a user: starting guide queued, link never shown to the admin, posted organisation_id ignored', async (t) => {
      const app = await startTestApp(dialect, t);
      await givenTerms(app.ctx);
      const org = await givenOrg(app, 'direct');
      const other = await givenOrg(app, 'direct');
      const { u: admin, b } = await loggedIn(app, org, 'admin');
      await b.get('/admin/groups');
      const g = await b.post('/admin/groups', { name: '営業部' });
      assert.equal(g.status, 303);
      const groupId = g.location!.match(/\/admin\/groups\/([^?]+)/)![1]!;

      assert.equal((await b.get('/admin/users/new')).status, 200);
      const r = await b.post('/admin/users', {
        loginId: '', email: 'hanako@example.co.jp', name: '佐藤 花子', phone: '03-1111-2222', role: 'general', lang: 'ja', groups: groupId,
        organisation_id: other, password: 'Chosen#by4dmin', // extra fields: never read (SECURITY.md items 11, 34)
      });
      assert.equal(r.status, 303);
      const page = await b.follow(r);
      assert.match(text(page.body), /ユーザーを登録し、開通案内メールを送信しました/);
      assert.doesNotMatch(page.body, /\/setup\//, 'the setup link is the user\'s credential');
      const row = await app.ctx.db.selectFrom('app_user').selectAll().where('email', '=', 'hanako@example.co.jp').executeTakeFirstOrThrow();
      assert.equal(row.login_id, 'hanako@example.co.jp', 'S1: login ID defaults to the e-mail address');
      assert.equal(row.organisation_id, org);
      assert.equal(row.phone, '0311112222');
      assert.equal(row.password_hash, null);
      const mail = (await lastMail(app.ctx, 'hanako@example.co.jp', 'starting_guide'))!;
      assert.ok(linkIn(mail.body_text, '/setup/'));
      const member = await app.ctx.db.selectFrom('user_group_member').selectAll().where('user_id', '=', row.id).execute();
      assert.deepEqual(member, [{ group_id: groupId, user_id: row.id }]);
      const reg = await app.ctx.db.selectFrom('audit_log').selectAll().where('event', '=', 'user.registered').where('subject_user_id', '=', row.id).executeTakeFirstOrThrow();
      assert.equal(reg.actor_user_id, admin.id);
      assert.equal(reg.ip, '127.0.0.1');

      await b.get('/admin/users/new');
      const dup = await b.post('/admin/users', { email: 'hanako@example.co.jp', name: '別人', phone: '0300000000', role: 'general' });
      assert.equal(dup.status, 400);
      assert.match(text(dup.body), /このログインIDは使用できません。別のログインIDを指定してください/);

      const j = await api(app, b, 'POST', '/admin/users', { email: 'api@example.co.jp', name: 'API 太郎', phone: '0312341234', role: 'admin', lang: 'en' });
      assert.equal(j.status, 201);
      assert.equal(j.json().user.loginId, 'api@example.co.jp');
      assert.doesNotMatch(j.body, /setup|password/i);
      const badGroup = await api(app, b, 'POST', '/admin/users', { email: 'g@example.co.jp', name: 'G', phone: '0312341234', role: 'general', groups: ['nope'] });
      assert.equal(badGroup.status, 400);
      assert.ok(badGroup.json().fields.groups);

      // S1: «A portal admin can also re-send it»: a new link, the old one stops working.
      const oldLink = linkIn(mail.body_text, '/setup/');
      app.clock.advance(61_000); // past the starting-guide cooldown (SECURITY.md item 44)
      const again = await api(app, b, 'POST', `/admin/users/${row.id}/starting-guide`);
      assert.equal(again.status, 200);
      const newLink = linkIn((await lastMail(app.ctx, 'hanako@example.co.jp', 'starting_guide'))!.body_text, '/setup/');
      assert.notEqual(newLink, oldLink);
      assert.ok((await new Browser(app.url).get(new URL(oldLink).pathname)).status >= 400);
      const done = await api(app, b, 'POST', `/admin/users/${admin.id}/starting-guide`);
      assert.equal(done.status, 409, 'a user with a password resets it themselves (S4)');
    });

    it('edits e-mail/name/phone: audited old → new; posted role/organisation/password change nothing', async (t) => {
      const app = await startTestApp(dialect, t);
      const org = await givenOrg(app, 'direct');
      const other = await givenOrg(app, 'direct');
      const { b } = await loggedIn(app, org, 'admin');
      const target = await givenUser(app.ctx, { orgId: org });
      await b.get(`/admin/users/${target.id}`);
      const r = await b.post(`/admin/users/${target.id}/contact`, {
        email: 'new.address@example.co.jp', name: '山田　太郎', phone: '090-1234-5678',
        role: 'admin', organisation_id: other, password_hash: 'x', disabled_at: '1',
      });
      assert.equal(r.status, 200);
      assert.match(text(r.body), /保存しました/);
      const row = await app.ctx.db.selectFrom('app_user').selectAll().where('id', '=', target.id).executeTakeFirstOrThrow();
      assert.deepEqual([row.email, row.name, row.phone], ['new.address@example.co.jp', '山田　太郎', '09012345678']);
      assert.deepEqual([row.role, row.organisation_id, row.password_hash, row.disabled_at], ['general', org, null, null]);
      const ev = await app.ctx.db.selectFrom('audit_log').selectAll().where('event', '=', 'user.updated').where('subject_user_id', '=', target.id).executeTakeFirstOrThrow();
      const detail = JSON.parse(ev.detail) as Record<string, string>;
      assert.equal(detail.fields, 'email,name,phone');
      assert.equal(detail['email.old'], target.email);
      assert.equal(detail['email.new'], 'new.address@example.co.jp');
      assert.ok((await new Browser(app.url).get(new URL(target.setupUrl).pathname)).status >= 400, 'a link mailed to the old address dies');

      const bad = await b.post(`/admin/users/${target.id}/contact`, { email: 'not-an-address', name: '', phone: '12' });
      assert.equal(bad.status, 400);
      assert.match(bad.body, /value="not-an-address"/, 'the typed value is kept');
      assert.match(text(bad.body), /正しいメールアドレスを入力してください/);
      const same = await b.post(`/admin/users/${target.id}/contact`, { email: 'new.address@example.co.jp', name: '山田　太郎', phone: '09012345678' });
      assert.match(text(same.body), /変更はありません/);

      const viaJson = await api(app, b, 'POST', `/admin/users/${target.id}/contact`, { email: 'json@example.co.jp', name: 'J', phone: '0311112222', role: 'admin', organisation_id: other });
      assert.equal(viaJson.status, 200);
      const after = await app.ctx.db.selectFrom('app_user').select(['role', 'organisation_id']).where('id', '=', target.id).executeTakeFirstOrThrow();
      assert.deepEqual(after, { role: 'general', organisation_id: org });
      const view = await api(app, b, 'GET', `/admin/users/${target.id}`);
      assert.doesNotMatch(view.body, /password_hash|totp_secret|\$argon2/, 'JSON never carries secrets');

      // SECURITY.md item 34: change the id in the URL to another organisation's user: refused, unchanged.
      const foreign = await givenUser(app.ctx, { orgId: other });
      assert.equal((await b.get(`/admin/users/${foreign.id}`)).status, 404, 'not found, like an unknown id (issue 16)');
      await b.get(`/admin/users/${target.id}`);
      assert.equal((await b.post(`/admin/users/${foreign.id}/contact`, { email: 'x@example.co.jp', name: 'x', phone: '0311112222' })).status, 404);
      const untouched = await app.ctx.db.selectFrom('app_user').select('email').where('id', '=', foreign.id).executeTakeFirstOrThrow();
      assert.equal(untouched.email, foreign.email);
    });

    it('disable: the user\'s open session stops at the next request and login fails; enable restores login', async (t) => {
      const app = await startTestApp(dialect, t);
      const org = await givenOrg(app, 'direct');
      const { u: admin, b } = await loggedIn(app, org, 'admin');
      const user = await loggedIn(app, org);
      assert.equal((await user.b.get('/profile')).status, 200);

      await b.get(`/admin/users/${user.u.id}`);
      assert.equal((await b.post(`/admin/users/${user.u.id}/disable`, { confirm: 'yes' })).status, 200);
      const next = await user.b.get('/profile');
      assert.equal(next.status, 303);
      assert.equal(next.location, '/login?return_to=%2Fprofile', 'to the login, which returns to the page');
      const live = await app.ctx.db.selectFrom('session').select('id').where('user_id', '=', user.u.id).where('revoked_at', 'is', null).execute();
      assert.deepEqual(live, [], 'the rows are revoked too');
      assert.equal((await loginAgain(app, user)).res.status, 401, 'same answer as a wrong password');
      const list = await b.get('/admin/users');
      assert.match(text(list.body), new RegExp(`${user.u.loginId.replace(/\./g, '\\.')} .*無効`));

      await b.get(`/admin/users/${user.u.id}`);
      assert.equal((await b.post(`/admin/users/${user.u.id}/enable`, {})).status, 200);
      const back = await loginAgain(app, user);
      assert.equal(back.res.status, 303);
      assert.equal((await back.b.get('/profile')).status, 200);
      const events = await app.ctx.db.selectFrom('audit_log').select(['event', 'actor_user_id']).where('subject_user_id', '=', user.u.id)
        .where('event', 'in', ['user.disabled', 'user.enabled']).orderBy('at').execute();
      assert.deepEqual(events.map((e) => [e.event, e.actor_user_id]), [['user.disabled', admin.id], ['user.enabled', admin.id]]);
    });

    it('an admin cannot disable or demote themselves; sessions of a user can be ended', async (t) => {
      const app = await startTestApp(dialect, t);
      const org = await givenOrg(app, 'direct');
      const { u: admin, b } = await loggedIn(app, org, 'admin');
      const self = await b.get(`/admin/users/${admin.id}`);
      assert.doesNotMatch(self.body, /\/disable"/, 'no disable button on one\'s own page');
      const dis = await b.post(`/admin/users/${admin.id}/disable`, { confirm: 'yes' });
      assert.equal(dis.status, 409);
      assert.match(text(dis.body), /ご自身のアカウントの無効化や権限の変更はできません/);
      const demote = await api(app, b, 'POST', `/admin/users/${admin.id}/role`, { role: 'general' });
      assert.equal(demote.status, 409);
      assert.equal(demote.json().error, 'admin.self_forbidden');
      const row = await app.ctx.db.selectFrom('app_user').select(['role', 'disabled_at']).where('id', '=', admin.id).executeTakeFirstOrThrow();
      assert.deepEqual(row, { role: 'admin', disabled_at: null });

      const other = await loggedIn(app, org, 'admin');
      const demoted = await api(app, b, 'POST', `/admin/users/${other.u.id}/role`, { role: 'general' });
      assert.equal(demoted.status, 200);
      assert.equal((await other.b.get('/admin/users')).status, 403, 'a demoted admin loses admin pages at once');
      const ended = await api(app, b, 'POST', `/admin/users/${other.u.id}/sessions/revoke`, { confirm: 'yes' });
      assert.equal(ended.json().count, 1);
      assert.equal((await other.b.get('/profile')).status, 303);
      const mine = await api(app, b, 'POST', `/admin/users/${admin.id}/sessions/revoke`, { confirm: 'yes' });
      assert.equal(mine.status, 200);
      assert.equal((await b.get('/admin/users')).status, 200, 'ending one\'s own sessions keeps the current one');
    });

    it('unlock: a locked-out user is shown as locked, and unlocking lets them in again', async (t) => {
      const app = await startTestApp(dialect, t);
      const org = await givenOrg(app, 'direct');
      const { b } = await loggedIn(app, org, 'admin');
      const user = await loggedIn(app, org);
      const lb = new Browser(app.url);
      await lb.get('/login');
      const csrf = lb.csrf();
      for (let i = 0; i < 5; i++) assert.equal((await lb.post('/login', { loginId: user.u.loginId, password: 'Wrong#pass123' }, { csrf })).status, 401);
      assert.equal((await lb.post('/login', { loginId: user.u.loginId, password: PW }, { csrf })).status, 429);
      for (let i = 0; i < 6; i++) await app.ctx.throttle.begin(`otp:${user.u.id}`, OTP_POLICY, app.ctx.now());

      const json = (await api(app, b, 'GET', `/admin/users/${user.u.id}`)).json();
      assert.ok(json.lockouts.passwordLockedUntil > app.ctx.now());
      const page = await b.get(`/admin/users/${user.u.id}`);
      assert.match(text(page.body), /パスワード:.*までロック中/);
      assert.match(text(page.body), /2段階認証:.*までロック中/);

      const r = await b.post(`/admin/users/${user.u.id}/unlock`, {});
      assert.equal(r.status, 200);
      assert.match(text(r.body), /ロックを解除しました/);
      assert.match(text(r.body), /ロックされていません/);
      assert.equal(await app.ctx.throttle.lockedUntil(`otp:${user.u.id}`, app.ctx.now()), 0);
      assert.equal((await loginAgain(app, user)).res.status, 303);
      const ev = await app.ctx.db.selectFrom('audit_log').select('detail').where('event', '=', 'user.unlocked').executeTakeFirstOrThrow();
      assert.deepEqual(JSON.parse(ev.detail), { passwordLocked: true, otpLocked: true });
    });

  });
}
