// Groups and user search for portal admins over real HTTP (S0, S13; issue 4 §3.1), on SQLite and
// PostgreSQL: members never cross organisations; search is case-insensitive on both databases,
// treats LIKE wildcards as text and never shows another tenant's users.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { testDialects } from '../helpers/db.ts';
import { startTestApp } from '../helpers/app.ts';
import { text, type Browser } from '../helpers/client.ts';
import { givenUser } from '../helpers/scenario.ts';
import { api, givenOrg, loggedIn } from '../helpers/admin.ts';

for (const dialect of testDialects()) {
  describe(`${dialect}: admin groups and search`, () => {
    it('groups: create, duplicate name refused, members only from the same organisation, rename, remove, delete', async (t) => {
      const app = await startTestApp(dialect, t);
      const org = await givenOrg(app, 'direct');
      const other = await givenOrg(app, 'direct');
      const { b } = await loggedIn(app, org, 'admin');
      const alice = await givenUser(app.ctx, { orgId: org });
      const outsider = await givenUser(app.ctx, { orgId: other });
      await b.get('/admin/groups');
      const posted = await b.post('/admin/groups', { name: '経理部' });
      assert.equal(posted.status, 303);
      const groupId = posted.location!.match(/^\/admin\/groups\/([^?]+)\?done=created$/)![1]!;
      assert.match(text((await b.follow(posted)).body), /グループを作成しました/);
      await b.get('/admin/groups');
      const dup = await b.post('/admin/groups', { name: '経理部' });
      assert.equal(dup.status, 409);
      assert.match(text(dup.body), /同じ名前のグループ/);
      assert.equal((await api(app, b, 'POST', '/admin/groups', { name: '   ' })).status, 400);

      const base = `/admin/groups/${groupId}`;
      await b.get(base);
      assert.equal((await b.post(`${base}/members`, { userId: alice.id })).status, 200);
      assert.equal((await api(app, b, 'POST', `${base}/members`, { userId: outsider.id })).status, 404);
      const members = (await api(app, b, 'GET', base)).json().members.map((m: { id: string }) => m.id);
      assert.deepEqual(members, [alice.id]);
      assert.match(text((await b.get(`/admin/users/${alice.id}`)).body), /経理部/);

      await b.get(base);
      const renamed = await b.post(`${base}/rename`, { name: '経理課' });
      assert.match(text(renamed.body), /経理課/);
      assert.equal((await b.post(`${base}/members/${alice.id}/remove`, { confirm: 'yes' })).status, 200);
      assert.deepEqual((await api(app, b, 'GET', base)).json().members, []);
      await api(app, b, 'POST', `${base}/members`, { userId: alice.id });
      await b.get(base);
      const del = await b.post(`${base}/delete`, { confirm: 'yes' });
      assert.equal(del.status, 303);
      assert.match(text((await b.follow(del)).body), /グループを削除しました/);
      assert.equal((await app.ctx.db.selectFrom('user_group_member').select('user_id').where('group_id', '=', groupId).execute()).length, 0);
      assert.equal((await b.get(base)).status, 403, 'a deleted group answers like a foreign one');
      const events = await app.ctx.db.selectFrom('audit_log').select('event').where('event', 'like', 'group.%').orderBy('at').orderBy('event').execute();
      assert.deepEqual(new Set(events.map((e) => e.event)), new Set(['group.created', 'group.member_added', 'group.renamed', 'group.member_removed', 'group.deleted']));
    });

    it('search: login ID, name or e-mail substring, case-insensitive on both databases; LIKE wildcards are literal; tenancy kept', async (t) => {
      const app = await startTestApp(dialect, t);
      const partner = await givenOrg(app, 'partner');
      const child = await givenOrg(app, 'child', partner);
      const pa = await loggedIn(app, partner, 'admin');
      const ca = await loggedIn(app, child, 'admin');
      for (const [org, loginId, email, name] of [
        [child, 'Taro.Yamada', 'taro@example.co.jp', 'YAMADA Taro'], [child, 'hanako_100%', 'hanako@example.co.jp', '佐藤 花子'],
        [partner, 'partner-staff', 'staff@Partner.example', 'Partner Yamada'],
      ] as const) {
        assert.equal((await api(app, pa.b, 'POST', '/admin/users', { org, loginId, email, name, phone: '0311112222', role: 'general' })).status, 201);
      }
      const ids = async (b: Browser, q: string, org = '') => (await api(app, b, 'GET', `/admin/users?q=${encodeURIComponent(q)}${org ? `&org=${org}` : ''}`)).json().users.map((u: { loginId: string }) => u.loginId);
      assert.deepEqual(await ids(pa.b, 'yamada'), ['Taro.Yamada', 'partner-staff']);
      assert.deepEqual(await ids(pa.b, 'YAMADA', child), ['Taro.Yamada']);
      assert.deepEqual(await ids(pa.b, 'PARTNER.EXAMPLE'), ['partner-staff']);
      assert.deepEqual(await ids(pa.b, '花子'), ['hanako_100%']);
      assert.deepEqual(await ids(pa.b, '%'), ['hanako_100%'], '% is a character, not a wildcard');
      assert.deepEqual(await ids(pa.b, '_'), ['hanako_100%']);
      assert.deepEqual(await ids(ca.b, 'yamada'), ['Taro.Yamada'], 'a child admin does not see the partner');
      assert.equal((await ca.b.get(`/admin/users?org=${partner}`)).status, 403);
      const page = await pa.b.get('/admin/users?q=yamada');
      assert.match(page.body, /value="yamada"/);

      for (let i = 0; i < 55; i++) await givenUser(app.ctx, { orgId: child, name: `Bulk ${i}` });
      const p1 = (await api(app, pa.b, 'GET', `/admin/users?q=bulk&org=${child}`)).json();
      const p2 = (await api(app, pa.b, 'GET', `/admin/users?q=bulk&org=${child}&page=2`)).json();
      assert.deepEqual([p1.users.length, p1.hasNext, p2.users.length, p2.hasNext], [50, true, 5, false]);
      assert.match((await pa.b.get(`/admin/users?q=bulk&org=${child}`)).body, /href="\/admin\/users\?q=bulk&amp;org=[^"]+&amp;page=2"/);
    });
  });
}
