// Issue 14, the input, audit and mail items, attacked over real HTTP on SQLite and PostgreSQL as an
// outsider and as an admin of another organisation (SECURITY.md items 40–44). Each test opens with
// what the attack did before the fix.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { testDialects } from '../helpers/db.ts';
import { startTestApp } from '../helpers/app.ts';
import { Browser, text } from '../helpers/client.ts';
import { givenTerms, givenUser } from '../helpers/scenario.ts';
import { api, givenOrg, loggedIn, loginAgain, PW } from '../helpers/admin.ts';
import { newId } from '../../src/lib/index.ts';

for (const dialect of testDialects()) {
  describe(`${dialect}: issue 14 inputs, audit and mail`, () => {
    it('admin pages and JSON accept only a plain e-mail, stored as delivered, and refuse look-alike login IDs with one neutral answer', async (t) => {
      // Before: `victim@example.com(x)evil.example` was stored and mailed to victim@example.comevil.example;
      // `Taro@…`, full-width and zero-width variants of an existing login ID were registered.
      const app = await startTestApp(dialect, t);
      await givenTerms(app.ctx);
      const org = await givenOrg(app, 'direct');
      const other = await givenOrg(app, 'direct');
      const { b } = await loggedIn(app, org, 'admin');
      const rival = await loggedIn(app, other, 'admin');
      await b.get('/admin/users/new');
      const csrf = b.csrf();
      const user = { name: '山田 太郎', phone: '0312345678', role: 'general' };
      for (const email of ['victim@example.com(x)evil.example', '"victim"@example.com', 'vic\u200btim@example.com', 'victim@exаmple.com']) {
        const page = await b.post('/admin/users', { ...user, loginId: '', email }, { csrf });
        assert.equal(page.status, 400, email);
        assert.match(text(page.body), /正しいメールアドレスを入力してください/);
        assert.ok(page.body.includes('value="' + email.replace(/"/g, '&quot;') + '"'), 'the typed value is kept');
        const j = await api(app, b, 'POST', '/admin/users', { ...user, email });
        assert.equal(j.status, 400);
        assert.ok(j.json().fields.email, email);
      }
      assert.equal(Number((await app.ctx.db.selectFrom('app_user').select((e) => e.fn.countAll<number>().as('n')).where('email', 'like', '%victim%').executeTakeFirstOrThrow()).n), 0);

      // Stored normalised, and the outbox row carries exactly the stored address.
      const created = await api(app, b, 'POST', '/admin/users', { ...user, email: 'Taro@Example.COM' });
      assert.equal(created.status, 201);
      assert.equal(created.json().user.email, 'Taro@example.com');
      const row = await app.ctx.db.selectFrom('app_user').select(['id', 'email', 'login_id']).where('id', '=', created.json().user.id).executeTakeFirstOrThrow();
      const mail = await app.ctx.db.selectFrom('mail_outbox').select('to_addr').where('user_id', '=', row.id).executeTakeFirstOrThrow();
      assert.equal(mail.to_addr, row.email);

      // The contact edit goes through the same check.
      const edit = await b.post(`/admin/users/${row.id}/contact`, { email: 'victim@example.com(x)evil.example', name: '山田 太郎', phone: '0312345678' }, { csrf });
      assert.equal(edit.status, 400);
      assert.equal((await app.ctx.db.selectFrom('app_user').select('email').where('id', '=', row.id).executeTakeFirstOrThrow()).email, 'Taro@example.com');

      // Look-alikes of an existing login ID: the same answer from the own organisation and from another.
      for (const loginId of ['taro@example.com', 'TARO@EXAMPLE.COM', 'ｔａｒｏ@example.com']) {
        const own = await api(app, b, 'POST', '/admin/users', { ...user, email: 'x@example.com', loginId });
        const foreign = await api(app, rival.b, 'POST', '/admin/users', { ...user, email: 'x@example.com', loginId });
        assert.equal(own.status, 400, loginId);
        assert.deepEqual(foreign.json(), own.json(), 'the answer does not tell which organisation holds the ID');
        assert.match(own.json().fields.loginId[0], /このログインIDは使用できません。別のログインIDを指定してください/);
      }
      await rival.b.get('/admin/users/new');
      const rivalCsrf = rival.b.csrf();
      const zw = await rival.b.post('/admin/users', { ...user, email: 'x@example.com', loginId: 'Taro@example.com\u200b' }, { csrf: rivalCsrf });
      assert.equal(zw.status, 400);
      assert.match(text(zw.body), /見えない文字/);
      const cyr = await rival.b.post('/admin/users', { ...user, email: 'x@example.com', loginId: 'tаro@example.com' }, { csrf: rivalCsrf });
      assert.equal(cyr.status, 400);
      assert.match(text(cyr.body), /キリル文字/);
      const ids = await app.ctx.db.selectFrom('app_user').select('login_id').where('login_id', 'like', '%aro%').execute();
      assert.equal(ids.length, 1);

      // The user logs in with any spelling of the canonical form; the counter is shared by them all.
      const b2 = new Browser(app.url);
      await b2.get('/login');
      const r = await b2.post('/login', { loginId: 'ＴＡＲＯ@example.com', password: 'Wrong#pass123' });
      assert.equal(r.status, 401);
      assert.equal((await app.ctx.db.selectFrom('throttle').select('failures').where('key', '=', 'pw:taro@example.com').executeTakeFirstOrThrow()).failures, 1);
    });

    it('trusted networks: IPv4-mapped and split catch-all ranges are refused with a clear message; a stored one trusts no one', async (t) => {
      // Before: 0.0.0.0/0 was refused but ::ffff:0:0/96, and 0.0.0.0/1 + 128.0.0.0/1, were accepted
      // and let every IPv4 client skip the second step.
      const app = await startTestApp(dialect, t, { TRUSTED_NETWORKS_MAX_PERCENT: '0.002' });
      await givenTerms(app.ctx);
      const org = await givenOrg(app, 'direct');
      const { b } = await loggedIn(app, org, 'admin');
      for (const cidr of ['::ffff:0:0/96', '0.0.0.0/1', '128.0.0.0/1', '::ffff:0.0.0.0/97', '::/64', '8.0.0.0/8']) {
        await b.get('/admin/settings');
        const r = await b.post('/admin/settings/networks', { cidr, label: 'x' });
        assert.equal(r.status, 422, cidr);
        assert.match(text(r.body), /第三者が2段階認証を省略できてしまいます/, cidr);
        assert.ok(r.body.includes(`value="${cidr}"`), 'the typed value is kept');
      }
      // An IPv4-mapped entry is stored as the IPv4 range it is.
      assert.equal((await api(app, b, 'POST', '/admin/settings/networks', { cidr: '::ffff:203.0.113.0/120', label: 'office' })).status, 200);
      // The share is of the whole set: two /16s (0.0015 % each) pass one by one, not together.
      assert.equal((await api(app, b, 'POST', '/admin/settings/networks', { cidr: '198.18.0.0/16', label: 'a' })).status, 200);
      const second = await api(app, b, 'POST', '/admin/settings/networks', { cidr: '198.51.0.0/16', label: 'b' });
      assert.equal(second.status, 422);
      assert.match(second.json().fields.cidr[0], /0\.002%/);
      const stored = await app.ctx.db.selectFrom('trusted_network').select('cidr').where('organisation_id', '=', org).orderBy('cidr').execute();
      assert.deepEqual(stored.map((s) => s.cidr), ['198.18.0.0/16', '203.0.113.0/24']);

      // A catch-all written before the rule (straight into the table) no longer skips the second step.
      const user = await loggedIn(app, org);
      await app.ctx.db.insertInto('trusted_network').values({ id: newId(), organisation_id: org, cidr: '::ffff:0:0/96', label: 'old', created_at: app.ctx.now() }).execute();
      const lb = new Browser(app.url);
      await lb.get('/login');
      const r = await lb.post('/login', { loginId: user.u.loginId, password: PW });
      assert.equal(r.status, 303);
      assert.notEqual(r.location, '/', 'the second step is asked');
      assert.equal((await app.ctx.db.selectFrom('session').select('id').where('user_id', '=', user.u.id).where('aal', '=', 'aal1_skipped').execute()).length, 0);
    });

    it('refused attempts: 50 parallel wrong passwords leave 5 failures and one aggregated lock row the admin sees', async (t) => {
      // Before: 5 audited failures and 45 silent 429s (rows without organisation, one each).
      const app = await startTestApp(dialect, t);
      await givenTerms(app.ctx);
      const org = await givenOrg(app, 'direct');
      const { b } = await loggedIn(app, org, 'admin');
      const victim = await loggedIn(app, org);
      const attacker = new Browser(app.url);
      await attacker.get('/login');
      const csrf = attacker.csrf();
      const answers = await Promise.all(Array.from({ length: 50 }, () => attacker.post('/login', { loginId: victim.u.loginId, password: 'Wrong#pass123' }, { csrf })));
      assert.equal(answers.filter((a) => a.status === 401).length, 5);
      const refused = answers.filter((a) => a.status === 429);
      assert.equal(refused.length, 45);
      assert.match(text(refused[0]!.body), /このアカウントのログインを\d+分間停止しています/);
      const rows = await app.ctx.db.selectFrom('audit_log').select(['event', 'subject_user_id', 'organisation_id', 'repeat_count'])
        .where('event', 'in', ['login.failed', 'login.locked']).where('subject_user_id', '=', victim.u.id).orderBy('event').execute();
      assert.deepEqual(rows.map((r) => [r.event, Number(r.repeat_count)]), [...Array.from({ length: 5 }, () => ['login.failed', 1]), ['login.locked', 45]]);
      assert.equal(rows.at(-1)!.organisation_id, org);
      // The admin sees it on the audit log, with the count.
      const log = (await api(app, b, 'GET', '/admin/audit?event=login.locked')).json();
      assert.equal(log.entries.length, 1);
      assert.equal(log.entries[0].count, 45);
      assert.equal(log.entries[0].detail.scope, 'account');
      const page = await b.get('/admin/audit?event=login.locked');
      assert.match(text(page.body), /失敗が続いたためログインを一時停止\(パスワード\) このログインIDに対して .*まで ログインID: \S+ 45回\(最終: /);
    });

    it('refused attempts: a paused source address is named as such, and its refusals are counted on one row', async (t) => {
      // Before: a source lock said "this account" and left no trace at all.
      const app = await startTestApp(dialect, t);
      const attacker = new Browser(app.url);
      await attacker.get('/login');
      const csrf = attacker.csrf();
      for (let i = 0; i < 50; i++) await attacker.post('/login', { loginId: `spray${i}@example.com`, password: 'Wrong#pass123' }, { csrf });
      const answers = await Promise.all(Array.from({ length: 10 }, (_, i) => attacker.post('/login', { loginId: `more${i}@example.com`, password: 'Wrong#pass123' }, { csrf })));
      assert.ok(answers.every((a) => a.status === 429));
      assert.match(text(answers[0]!.body), /お使いのネットワーク（接続元アドレス）からのログインを\d+分間停止しています/);
      assert.doesNotMatch(text(answers[0]!.body), /このアカウント/);
      const rows = await app.ctx.db.selectFrom('audit_log').select(['repeat_count', 'detail']).where('event', '=', 'login.locked').execute();
      assert.equal(rows.length, 1);
      assert.equal(Number(rows[0]!.repeat_count), 10);
      assert.equal(JSON.parse(rows[0]!.detail).scope, 'source');
    });

    it('cross-organisation requests: an admin\'s refused requests on another organisation are audited, aggregated, for the operator', async (t) => {
      // Before: 403s on another organisation's users left no audit row.
      const app = await startTestApp(dialect, t);
      await givenTerms(app.ctx);
      const org = await givenOrg(app, 'direct');
      const other = await givenOrg(app, 'direct');
      const { u: admin, b } = await loggedIn(app, org, 'admin');
      const foreign = await givenUser(app.ctx, { orgId: other });
      // Another organisation's user answers like an unknown one (404 ユーザーが見つかりません, issue 16).
      assert.equal((await b.get(`/admin/users/${foreign.id}`)).status, 404);
      assert.equal((await b.get(`/admin/users/${foreign.id}`)).status, 404);
      await b.get('/admin/users');
      assert.equal((await b.post(`/admin/users/${foreign.id}/disable`, { confirm: 'yes' })).status, 404);
      assert.equal((await api(app, b, 'GET', `/admin/settings?org=${other}`)).status, 403);
      const rows = await app.ctx.db.selectFrom('audit_log').select(['actor_user_id', 'organisation_id', 'subject_user_id', 'detail', 'repeat_count'])
        .where('event', '=', 'admin.cross_org_refused').execute();
      const seen = rows.map((r) => [JSON.parse(r.detail).route, JSON.parse(r.detail).target, Number(r.repeat_count)]).sort();
      assert.deepEqual(seen, [
        ['GET /admin/settings', other, 1],
        ['GET /admin/users/:userId', foreign.id, 2],
        ['POST /admin/users/:userId/disable', foreign.id, 1],
      ]);
      assert.ok(rows.every((r) => r.actor_user_id === admin.id && r.organisation_id === org && r.subject_user_id === null),
        'filed under the actor\'s organisation; the target only in the detail, so the other organisation learns nothing');
      assert.equal((await app.ctx.db.selectFrom('app_user').select('disabled_at').where('id', '=', foreign.id).executeTakeFirstOrThrow()).disabled_at, null);
    });

    it('starting guide: 20 parallel re-sends send one mail; a cooldown and a daily cap, shown on the admin page', async (t) => {
      // Before: 20 re-sends in 20 s sent 21 mails.
      const app = await startTestApp(dialect, t);
      await givenTerms(app.ctx);
      const org = await givenOrg(app, 'direct');
      const admin = await loggedIn(app, org, 'admin');
      const { b } = admin;
      const target = await givenUser(app.ctx, { orgId: org });
      const mails = async () => Number((await app.ctx.db.selectFrom('mail_outbox').select((e) => e.fn.countAll<number>().as('n'))
        .where('user_id', '=', target.id).where('kind', '=', 'starting_guide').executeTakeFirstOrThrow()).n);
      assert.equal(await mails(), 1);
      const early = await api(app, b, 'POST', `/admin/users/${target.id}/starting-guide`);
      assert.equal(early.status, 429, 'registration\'s mail starts the cooldown');
      assert.equal(early.json().error, 'admin.mail_cooldown');
      app.clock.advance(61_000);
      const burst = await Promise.all(Array.from({ length: 20 }, () => api(app, b, 'POST', `/admin/users/${target.id}/starting-guide`)));
      assert.equal(burst.filter((r) => r.status === 200).length, 1);
      assert.equal(burst.filter((r) => r.status === 429).length, 19);
      assert.equal(await mails(), 2);
      for (let i = 0; i < 3; i++) {
        app.clock.advance(61_000);
        assert.equal((await api(app, b, 'POST', `/admin/users/${target.id}/starting-guide`)).status, 200);
      }
      assert.equal(await mails(), 5);
      app.clock.advance(61_000);
      const capped = await api(app, b, 'POST', `/admin/users/${target.id}/starting-guide`);
      assert.equal(capped.status, 429);
      assert.equal(capped.json().error, 'admin.mail_daily_cap');
      const page = await b.get(`/admin/users/${target.id}`);
      assert.match(text(page.body), /開通案内メール：24時間で5回中5回送信済み/);
      assert.match(text(page.body), /以降に再送できます/);
      const json = (await api(app, b, 'GET', `/admin/users/${target.id}`)).json();
      assert.equal(json.startingGuide.sentLast24h, 5);
      assert.equal(json.startingGuide.dailyCap, 5);
      await b.get(`/admin/users/${target.id}`);
      const form = await b.post(`/admin/users/${target.id}/starting-guide`, {});
      assert.equal(form.status, 429);
      assert.match(text(form.body), /24時間で5回送信済みです/);
      app.clock.advance(24 * 3_600_000);
      const later = await loginAgain(app, admin); // the session has expired meanwhile
      await later.b.follow(later.res);
      assert.equal((await api(app, later.b, 'POST', `/admin/users/${target.id}/starting-guide`)).status, 200, 'the window ends');
      assert.equal(await mails(), 6);
    });

    it('reset mails: one user gets at most one a minute and five a day, whoever knows their answers', async (t) => {
      // An admin knows every identity answer of their users, so the public reset form is a mail they can trigger.
      const app = await startTestApp(dialect, t);
      const u = await givenUser(app.ctx);
      const b = new Browser(app.url);
      await b.get('/password/reset');
      const csrf = b.csrf();
      const form = { loginId: u.loginId, email: u.email, name: u.name, phone: u.phone };
      const resets = async () => Number((await app.ctx.db.selectFrom('mail_outbox').select((e) => e.fn.countAll<number>().as('n'))
        .where('user_id', '=', u.id).where('kind', '=', 'password_reset').executeTakeFirstOrThrow()).n);
      const first = await b.post('/password/reset', form, { csrf });
      const again = await b.post('/password/reset', form, { csrf });
      assert.equal(again.status, first.status, 'the same neutral answer');
      assert.equal(text(again.body), text(first.body));
      assert.equal(await resets(), 1, 'the cooldown holds the second');
      for (let i = 0; i < 6; i++) {
        app.clock.advance(16 * 60_000 * 4); // past the per-login-ID request throttle, too
        await b.post('/password/reset', form, { csrf });
      }
      assert.equal(await resets(), 5, 'the daily cap');
    });
  });
}
