// Issue 20 items 4 and 5 over real HTTP on SQLite and PostgreSQL: the user list's total, filters,
// sort and pager; the overview's counts (scoped to the admin's organisations); the member picker's
// search; destructive actions that need confirm=yes; actions that do not apply are not offered.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { testDialects } from '../helpers/db.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { Browser, text } from '../helpers/client.ts';
import { givenTerms, givenUser } from '../helpers/scenario.ts';
import { api, csrfOf, givenOrg, loggedIn } from '../helpers/admin.ts';

/** Wrong passwords over the login form: each is a login.failed row; the fifth locks the login ID (S5). */
async function wrongLogins(app: TestApp, loginId: string, times: number): Promise<void> {
  const b = new Browser(app.url);
  for (let i = 0; i < times; i++) {
    await b.get('/login');
    await b.post('/login', { loginId, password: 'Wrong#pass123' });
  }
}

const names = (r: { json: () => any }) => (r.json().users as { name: string }[]).map((u) => u.name);

for (const dialect of testDialects()) {
  describe(`${dialect}: admin user list, overview, member picker, confirmations`, () => {
    it('lists users with the total, each filter, sort both ways and numbered pages that keep the filters; bad values are refused', async (t) => {
      const app = await startTestApp(dialect, t);
      await givenTerms(app.ctx);
      const org = await givenOrg(app, 'direct');
      const other = await givenOrg(app, 'direct');
      const { b } = await loggedIn(app, org, 'admin', { name: 'Aaron Admin' });
      const users = [];
      for (let i = 0; i < 55; i++) {
        users.push(await givenUser(app.ctx, { orgId: org, name: `User ${String(i).padStart(2, '0')}` }));
        app.clock.advance(1000); // distinct registration times for the «created» sort
      }
      for (let i = 0; i < 3; i++) await givenUser(app.ctx, { orgId: other, name: `Other ${i}` });
      await b.get(`/admin/users/${users[0]!.id}`);
      assert.equal((await b.post(`/admin/users/${users[0]!.id}/disable`, { confirm: 'yes' })).status, 200);
      assert.equal((await b.post(`/admin/users/${users[1]!.id}/second-factor`, { method: 'mail_otp' })).status, 200);
      await wrongLogins(app, users[2]!.loginId, 5);

      const all = await api(app, b, 'GET', '/admin/users');
      assert.equal(all.status, 200);
      assert.equal(all.json().total, 56, 'the admin and 55 users; the other organisation\'s 3 are not listed');
      assert.equal(all.json().pages, 2);
      assert.equal(all.json().users.length, 50);
      const page2 = await api(app, b, 'GET', '/admin/users?page=2');
      assert.equal(page2.json().users.length, 6);

      const total = async (query: string) => (await api(app, b, 'GET', `/admin/users?${query}`)).json().total as number;
      assert.equal(await total('role=admin'), 1);
      assert.equal(await total('role=general'), 55);
      assert.equal(await total('state=disabled'), 1);
      assert.equal(await total('state=locked'), 1);
      assert.equal(await total('state=waiting'), 53);
      assert.equal(await total('state=active'), 1);
      assert.equal(await total('method=mail_otp'), 1);
      assert.equal(await total('method=totp'), 1, 'only the admin has enrolled an authenticator app');
      assert.equal(await total('method=none'), 54);
      assert.equal(await total('q=user%2005'), 1);
      assert.equal(await total('state=waiting&role=admin'), 0);
      const locked = await api(app, b, 'GET', '/admin/users?state=locked');
      assert.equal(locked.json().users[0].id, users[2]!.id);
      assert.equal(locked.json().users[0].state, 'locked');
      assert.ok(locked.json().users[0].lockedUntil > app.clock.now);

      // Sort: both ways, by name, registration and last login.
      assert.deepEqual(names(await api(app, b, 'GET', '/admin/users?sort=name&dir=asc')).slice(0, 3), ['Aaron Admin', 'User 00', 'User 01']);
      assert.deepEqual(names(await api(app, b, 'GET', '/admin/users?sort=name&dir=desc')).slice(0, 3), ['User 54', 'User 53', 'User 52']);
      assert.deepEqual(names(await api(app, b, 'GET', '/admin/users?sort=created&dir=desc')).slice(0, 2), ['User 54', 'User 53']);
      assert.deepEqual(names(await api(app, b, 'GET', '/admin/users?sort=created&dir=asc')).slice(0, 2), ['Aaron Admin', 'User 00']);
      assert.equal(names(await api(app, b, 'GET', '/admin/users?sort=last_login&dir=desc'))[0], 'Aaron Admin');
      assert.equal(names(await api(app, b, 'GET', '/admin/users?sort=last_login&dir=asc&page=2')).at(-1), 'Aaron Admin');

      // The page: the total, the state in words, numbered page links keeping every filter.
      const page = await b.get('/admin/users?state=waiting&sort=name&dir=desc');
      assert.equal(page.status, 200);
      assert.match(text(page.body), /53人/);
      assert.match(text(page.body), /1–50/, "the range of the page and the total");
      assert.ok(page.body.includes('href="/admin/users?state=waiting&amp;sort=name&amp;dir=desc&amp;page=2"'), 'the pager keeps the filters');
      assert.match(page.body, /aria-current="page" class="current">1</);
      // Sortable headings: the sorted column says so (aria-sort), its link turns the order round; the
      // others sort by themselves ascending; every link keeps the filters and starts at page 1.
      assert.ok(page.body.includes('<th scope="col" aria-sort="descending"><a href="/admin/users?state=waiting&amp;sort=name&amp;dir=asc">'), 'the sorted heading');
      assert.ok(page.body.includes('<a href="/admin/users?state=waiting&amp;sort=created&amp;dir=asc">'), 'another heading');
      assert.equal((page.body.match(/aria-sort=/g) ?? []).length, 1, 'one sorted column');
      assert.match(text(page.body), /初回ログイン待ち/);
      const second = await b.get('/admin/users?state=waiting&sort=name&dir=desc&page=2');
      assert.ok(second.body.includes('href="/admin/users?state=waiting&amp;sort=name&amp;dir=desc"'), 'page 1 is the link without page=');
      assert.match(second.body, /User 01/);

      // Whitelisted values only: anything else is a 400 (page and JSON) and lists nothing.
      for (const bad of ['sort=password_hash', 'sort=name;drop', 'dir=sideways', 'state=deleted', 'method=sms', 'role=operator', 'guide=soon', 'page=-1']) {
        const r = await b.get(`/admin/users?${bad}`);
        assert.equal(r.status, 400, bad);
        assert.doesNotMatch(r.body, /User 00/, bad);
        const j = await api(app, b, 'GET', `/admin/users?${bad}`);
        assert.equal(j.status, 400, bad);
        assert.equal(j.json().error, 'common.bad_request', bad);
      }
      assert.equal((await b.get(`/admin/users?org=${other}`)).status, 403, 'another organisation is refused, not listed');
    });

    it('overview: waiting, locked, failed logins of 24 h and expiring guides, counted over the partner\'s children and never another organisation', async (t) => {
      const app = await startTestApp(dialect, t);
      await givenTerms(app.ctx);
      const partner = await givenOrg(app, 'partner');
      const child = await givenOrg(app, 'child', partner);
      const foreign = await givenOrg(app, 'direct');
      const waitingChild = await givenUser(app.ctx, { orgId: child, name: 'Child Waiting' });
      await givenUser(app.ctx, { orgId: foreign });
      await wrongLogins(app, (await givenUser(app.ctx, { orgId: foreign })).loginId, 2); // old: more than 24 h ago
      app.clock.advance(25 * 3_600_000); // the child's starting guide (72 h) now expires within 48 h
      const lockedUser = await givenUser(app.ctx, { orgId: partner, name: 'Partner Locked' });
      const foreignNew = await givenUser(app.ctx, { orgId: foreign });
      const { b } = await loggedIn(app, partner, 'admin');
      await wrongLogins(app, lockedUser.loginId, 5);
      await wrongLogins(app, foreignNew.loginId, 5); // another organisation's failures and lock: not counted

      const j = await api(app, b, 'GET', '/admin');
      assert.equal(j.status, 200);
      const o = j.json().overview;
      assert.deepEqual({ waiting: o.waiting, locked: o.locked, failed: o.failedLogins24h, expiring: o.guidesExpiring }, { waiting: 1, locked: 1, failed: 5, expiring: 1 });
      assert.equal(o.links.locked, '/admin/users?state=locked');
      assert.ok(Array.isArray(j.json().routes), 'the route list stays in the JSON twin');
      const expiring = await api(app, b, 'GET', o.links.expiring);
      assert.deepEqual(names(expiring), ['Child Waiting']);
      assert.equal(expiring.json().users[0].id, waitingChild.id);
      assert.deepEqual(names(await api(app, b, 'GET', o.links.locked)), ['Partner Locked']);

      const page = await b.get('/admin');
      assert.equal(page.status, 200);
      const body = text(page.body);
      assert.match(body, /初回ログイン待ち\s*1/);
      assert.match(body, /過去24時間のログイン失敗\s*5/);
      assert.ok(page.body.includes('href="/admin/audit?event=login.failed&amp;from='), 'failed logins link to the audit log');
      assert.ok(page.body.includes('href="/admin/users?state=waiting&amp;guide=expiring"'));
      assert.match(page.body, /<nav class="crumbs"/);

      const onlyChild = (await api(app, b, 'GET', `/admin?org=${child}`)).json().overview;
      assert.deepEqual([onlyChild.waiting, onlyChild.locked, onlyChild.failedLogins24h], [1, 0, 0]);
      assert.equal((await b.get(`/admin?org=${foreign}`)).status, 403);
    });

    it('member picker: a search that lists only the group\'s organisation\'s users who are not members, each with its own add button', async (t) => {
      const app = await startTestApp(dialect, t);
      await givenTerms(app.ctx);
      const org = await givenOrg(app, 'direct');
      const other = await givenOrg(app, 'direct');
      const { b } = await loggedIn(app, org, 'admin');
      const hanako = await givenUser(app.ctx, { orgId: org, name: 'Sato Hanako' });
      await givenUser(app.ctx, { orgId: org, name: 'Sato Jiro' });
      await givenUser(app.ctx, { orgId: org, name: 'Suzuki Ichiro' });
      await givenUser(app.ctx, { orgId: other, name: 'Sato Elsewhere' });
      await b.get('/admin/groups');
      const g = await b.post('/admin/groups', { name: 'Sales' });
      const base = g.location!.split('?')[0]!;

      const plain = await b.get(base);
      assert.match(plain.body, /name="member_q"/);
      assert.doesNotMatch(plain.body, /<select[^>]*name="userId"/, 'no select of every user');
      assert.doesNotMatch(plain.body, /Sato Hanako/, 'nothing listed before a search');

      const found = await b.get(`${base}?member_q=SATO`);
      assert.equal(found.status, 200);
      assert.match(found.body, /Sato Hanako/);
      assert.match(found.body, /Sato Jiro/);
      assert.doesNotMatch(found.body, /Suzuki Ichiro/);
      assert.doesNotMatch(found.body, /Sato Elsewhere/, 'another organisation\'s user is never offered');

      const added = await b.post(`${base}/members`, { userId: hanako.id, member_q: 'sato' });
      assert.equal(added.status, 200);
      const members = await app.ctx.db.selectFrom('user_group_member').select('user_id').execute();
      assert.deepEqual(members.map((m) => m.user_id), [hanako.id]);
      const results = added.body.slice(added.body.indexOf('id="h-candidates"'));
      assert.match(results, /Sato Jiro/, 'the search stays shown after adding');
      assert.doesNotMatch(results, /Sato Hanako/, 'a member is no longer a candidate');
      assert.equal((await b.get(`${base}?member_q=${'x'.repeat(201)}`)).status, 400);
    });

    it('destructive actions: a POST without confirm=yes only shows the confirmation; with it the action is done; actions that do not apply are not offered', async (t) => {
      const app = await startTestApp(dialect, t);
      await givenTerms(app.ctx);
      const org = await givenOrg(app, 'direct');
      const { b } = await loggedIn(app, org, 'admin');
      const target = await loggedIn(app, org, 'general', { name: 'Target Person' });
      await app.ctx.db.insertInto('trusted_device').values({
        id: 'td1', user_id: target.u.id, token_hash: 'x'.repeat(64), security_epoch: 0, user_agent: 'test', created_at: app.clock.now,
        expires_at: app.clock.now + 86_400_000, last_used_at: null, revoked_at: null,
      }).execute();
      const base = `/admin/users/${target.u.id}`;

      const page = await b.get(base);
      for (const action of ['disable', 'sessions/revoke', 'totp-reset', 'trusted-browsers/revoke']) {
        assert.ok(page.body.includes(`<a href="${base}/${action}" class="button danger"`), `${action} offered in danger style`);
      }
      for (const absent of ['unlock', 'enable', 'starting-guide']) assert.ok(!page.body.includes(`${base}/${absent}"`), `${absent} is not offered`);

      const live = async () => ({
        disabled: (await app.ctx.db.selectFrom('app_user').select('disabled_at').where('id', '=', target.u.id).executeTakeFirstOrThrow()).disabled_at !== null,
        sessions: (await app.ctx.db.selectFrom('session').select('id').where('user_id', '=', target.u.id).where('revoked_at', 'is', null).execute()).length,
        totp: (await app.ctx.db.selectFrom('factor').select('id').where('user_id', '=', target.u.id).where('kind', '=', 'totp').execute()).length,
        browsers: (await app.ctx.db.selectFrom('trusted_device').select('id').where('user_id', '=', target.u.id).where('revoked_at', 'is', null).execute()).length,
      });
      const before = await live();
      assert.deepEqual(before, { disabled: false, sessions: 1, totp: 1, browsers: 1 });
      for (const action of ['trusted-browsers/revoke', 'totp-reset', 'sessions/revoke', 'disable']) {
        const confirm = await b.get(`${base}/${action}`);
        assert.equal(confirm.status, 200, action);
        assert.match(text(confirm.body), /Target Person/, `${action}: the confirmation names the user`);
        assert.ok(confirm.body.includes(`action="${base}/${action}"`), action);
        assert.match(confirm.body, /name="confirm" value="yes"/);
        assert.match(confirm.body, /<button type="submit" class="danger primary"/);
        const unconfirmed = await b.post(`${base}/${action}`, {});
        assert.equal(unconfirmed.status, 200, action);
        assert.match(unconfirmed.body, /name="confirm" value="yes"/, `${action}: the confirmation page again`);
        assert.equal((await b.post(`${base}/${action}`, { confirm: 'no' }, { csrf: csrfOf(app, b) })).status, 400, action);
        assert.equal((await api(app, b, 'POST', `${base}/${action}`)).status, 409, action);
        assert.deepEqual(await live(), before, `${action}: nothing changed without confirm=yes`);
      }
      const done: Record<string, Partial<Awaited<ReturnType<typeof live>>>> = {
        'trusted-browsers/revoke': { browsers: 0 }, 'totp-reset': { totp: 0 }, 'sessions/revoke': { sessions: 0 }, disable: { disabled: true },
      };
      await b.get(base);
      for (const [action, change] of Object.entries(done)) {
        assert.equal((await b.post(`${base}/${action}`, { confirm: 'yes' })).status, 200, action);
        const now = await live();
        for (const [k, v] of Object.entries(change)) assert.equal(now[k as keyof typeof now], v, `${action} done`);
      }
      const after = await b.get(base);
      for (const absent of ['disable', 'sessions/revoke', 'totp-reset', 'trusted-browsers/revoke', 'unlock']) {
        assert.ok(!after.body.includes(`${base}/${absent}"`), `${absent} no longer applies`);
      }
      assert.ok(after.body.includes(`action="${base}/enable"`), 'a disabled user can be enabled');

      const waiting = await givenUser(app.ctx, { orgId: org });
      const wp = await b.get(`/admin/users/${waiting.id}`);
      assert.ok(wp.body.includes(`/admin/users/${waiting.id}/starting-guide"`), 'the guide can be re-sent before first login');
      assert.ok(!wp.body.includes(`/admin/users/${waiting.id}/totp-reset"`));
      await wrongLogins(app, waiting.loginId, 5);
      assert.ok((await b.get(`/admin/users/${waiting.id}`)).body.includes(`/admin/users/${waiting.id}/unlock"`), 'unlock once locked');

      // Groups: deleting the group and removing a member.
      await b.get('/admin/groups');
      const g = await b.post('/admin/groups', { name: 'Doomed' });
      const gBase = g.location!.split('?')[0]!;
      await b.get(gBase);
      await b.post(`${gBase}/members`, { userId: waiting.id });
      const gp = await b.get(gBase);
      assert.ok(gp.body.includes(`<a href="${gBase}/delete" class="button danger"`));
      assert.ok(gp.body.includes(`<a href="${gBase}/members/${waiting.id}/remove" class="button danger"`));
      const rc = await b.get(`${gBase}/members/${waiting.id}/remove`);
      assert.match(text(rc.body), /Doomed/);
      assert.match((await b.post(`${gBase}/members/${waiting.id}/remove`, {})).body, /name="confirm" value="yes"/);
      assert.equal((await app.ctx.db.selectFrom('user_group_member').select('user_id').execute()).length, 1, 'still a member');
      assert.equal((await b.post(`${gBase}/members/${waiting.id}/remove`, { confirm: 'yes' })).status, 200);
      assert.equal((await app.ctx.db.selectFrom('user_group_member').select('user_id').execute()).length, 0);
      assert.match(text((await b.get(`${gBase}/delete`)).body), /グループ「Doomed」を削除しますか/);
      assert.equal((await b.post(`${gBase}/delete`, {})).status, 200);
      assert.equal((await api(app, b, 'POST', `${gBase}/delete`)).status, 409);
      assert.equal((await app.ctx.db.selectFrom('user_group').select('id').execute()).length, 1, 'not deleted without confirm=yes');
      assert.equal((await b.post(`${gBase}/delete`, { confirm: 'yes' }, { csrf: csrfOf(app, b) })).status, 303);
      assert.equal((await app.ctx.db.selectFrom('user_group').select('id').execute()).length, 0);
    });
  });
}
