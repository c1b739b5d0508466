// The portal's contract pages over real HTTP (S7, S8, S13), on SQLite and PostgreSQL. The attack:
// a user of group A, or of another organisation, tries to see contracts not granted to them —
// through the dashboard's service list, the list page, its JSON, its count, the CSV, a contract
// id, the settings-site list and its button (no client registered: the plain link). And the list's URL input at its edges.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { testDialects } from '../helpers/db.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { text } from '../helpers/client.ts';
import { api, givenOrg, loggedIn } from '../helpers/admin.ts';
import { createCategory, createService } from '../../src/portal/catalogue/service.ts';
import { createContract, grantContract, type ContractRow } from '../../src/portal/contracts/service.ts';

async function catalogue(app: TestApp) {
  const now = app.ctx.now();
  await createCategory(app.ctx.db, { code: 'voice', nameJa: '音声・ビデオ・電話', nameEn: 'Voice, video and phone', position: 1 });
  await createCategory(app.ctx.db, { code: 'dc', nameJa: 'データセンター', nameEn: 'Data centre', position: 0 });
  const pbx = await createService(app.ctx.db, { code: 'pbx', categoryCode: 'voice', nameJa: 'Arcstar Smart PBX', nameEn: 'Arcstar Smart PBX', settingsSiteUrl: 'https://pbx.example.net/' }, now);
  const colo = await createService(app.ctx.db, { code: 'colo', categoryCode: 'dc', nameJa: 'Nexcenter', nameEn: 'Nexcenter' }, now);
  return { pbx, colo };
}

const mk = (app: TestApp, org: string, n: number, serviceCode: string, memo = '', site = '') =>
  createContract(app.ctx.db, { organisationId: org, number: `N${String(n).padStart(9, '0')}`, serviceCode, memo, site }, app.ctx.now());

async function group(app: TestApp, orgId: string, userIds: string[], contracts: ContractRow[]) {
  const id = `g${Math.random().toString(36).slice(2, 10)}`;
  await app.ctx.db.insertInto('user_group').values({ id, organisation_id: orgId, name: id, created_at: app.ctx.now() }).execute();
  for (const u of userIds) await app.ctx.db.insertInto('user_group_member').values({ group_id: id, user_id: u }).execute();
  for (const c of contracts) await grantContract(app.ctx.db, { id, organisation_id: orgId }, c, app.ctx.now());
  return id;
}

for (const dialect of testDialects()) {
  describe(`${dialect}: portal contracts over HTTP`, () => {
    it('group A sees only its contracts: dashboard, list, JSON, count, CSV, detail, settings sites; nothing of another organisation', async (t) => {
      const app = await startTestApp(dialect, t);
      const { pbx, colo } = await catalogue(app);
      const org = await givenOrg(app, 'direct');
      const other = await givenOrg(app, 'direct');
      const mine = [await mk(app, org, 101, 'pbx', '営業部', '東京本社'), await mk(app, org, 102, 'pbx', '=HYPERLINK("x")', '大阪')];
      const notMine = await mk(app, org, 103, 'colo', '秘密の契約', '東京本社');
      const foreign = await mk(app, other, 201, 'colo', '営業部', '東京本社');
      const a = await loggedIn(app, org, 'general');
      const lonely = await loggedIn(app, org, 'general');
      const admin = await loggedIn(app, org, 'admin');
      await group(app, org, [a.u.id], mine);

      // Dashboard: only services with a visible contract; menus per service; no admin menu.
      const dash = text((await a.b.get('/')).body);
      assert.match(dash, /ご契約中のサービスから選ぶ/);
      assert.match(dash, /Arcstar Smart PBX/);
      assert.doesNotMatch(dash, /Nexcenter/);
      assert.doesNotMatch(dash, /ポータル管理者向け/);
      for (const menu of ['ご契約・運用状況', 'お申し込みの進捗', '故障・お問い合わせの状況', '工事・故障情報', 'Web設定変更サイト']) assert.match(dash, new RegExp(menu));
      assert.deepEqual((await api(app, a.b, 'GET', '/')).json().services.map((s: { code: string }) => s.code), ['pbx']);
      const empty = text((await lonely.b.get('/')).body);
      assert.match(empty, /表示できる契約はまだありません/);
      assert.match(empty, /ポータル管理者にお問い合わせください/);
      const adminDash = text((await admin.b.get('/')).body);
      assert.match(adminDash, /ポータル管理者向け/);
      assert.match(adminDash, /Nexcenter/);
      assert.match(adminDash, /データセンター[\s\S]*音声・ビデオ・電話/, 'categories in their order');

      // List, JSON and count.
      const list = (await a.b.get('/portal/contracts')).body;
      assert.match(text(list), /合計 2件/);
      assert.match(list, /N000000101/); assert.match(list, /N000000102/);
      assert.doesNotMatch(list, /N000000103|N000000201|秘密/);
      const json = (await api(app, a.b, 'GET', '/portal/contracts?q=東京')).json();
      assert.deepEqual(json.contracts.map((c: { number: string }) => c.number), ['N000000101']);
      assert.equal(json.total, 1);
      assert.equal((await api(app, a.b, 'GET', `/portal/contracts?service=${colo.id}`)).json().total, 0, 'a service filter does not open other contracts');
      assert.equal((await api(app, lonely.b, 'GET', '/portal/contracts')).json().total, 0);
      assert.deepEqual((await api(app, admin.b, 'GET', '/portal/contracts')).json().contracts.map((c: { number: string }) => c.number), ['N000000101', 'N000000102', 'N000000103']);

      // CSV: BOM, the same filter, formulas neutralised, nothing else.
      const csv = await a.b.get('/portal/contracts.csv');
      assert.equal(csv.status, 200);
      assert.match(csv.headers.get('content-type')!, /text\/csv/);
      const raw = await fetch(new URL('/portal/contracts.csv', app.url), { headers: { cookie: [...a.b.jar].map(([k, v]) => `${k}=${v}`).join('; ') } });
      assert.deepEqual([...Buffer.from(await raw.arrayBuffer()).subarray(0, 3)], [0xef, 0xbb, 0xbf], 'UTF-8 BOM for Excel');
      assert.match(csv.body, /N000000101/);
      assert.match(csv.body, /"'=HYPERLINK\(""x""\)"/);
      assert.doesNotMatch(csv.body, /N000000103|N000000201/);
      assert.doesNotMatch((await a.b.get('/portal/contracts.csv?q=大阪')).body, /N000000101/);

      // Details: granted → 200; not granted or another organisation's → the same 404.
      assert.equal((await a.b.get(`/portal/contracts/${mine[0]!.id}`)).status, 200);
      for (const id of [notMine.id, foreign.id, 'x'.repeat(64)]) {
        assert.equal((await a.b.get(`/portal/contracts/${id}`)).status, 404, id);
        assert.equal((await api(app, a.b, 'GET', `/portal/contracts/${id}`)).status, 404);
        assert.equal((await a.b.get(`/portal/contracts/${id}/settings-site`)).status, 404);
      }
      assert.equal((await admin.b.get(`/portal/contracts/${foreign.id}`)).status, 404, 'an admin does not see another organisation');

      // Settings-site list: only services with a settings site, only visible contracts; the seam page.
      const sites = (await a.b.get(`/portal/settings-sites?service=${pbx.id}`)).body;
      assert.match(text(sites), /Arcstar Smart PBX 設定変更一覧/);
      assert.match(sites, /N000000101/);
      assert.match(text(sites), /設定を変更する/);
      assert.doesNotMatch(sites, /N000000103/);
      assert.equal((await api(app, admin.b, 'GET', '/portal/settings-sites')).json().total, 2, 'Nexcenter has no settings site');
      // The service registered no OpenID Connect client: the button says so and links the site.
      const seam = await a.b.get(`/portal/contracts/${mine[0]!.id}/settings-site`);
      assert.equal(seam.status, 200);
      assert.match(text(seam.body), /まだビジネスポータルからのログインに対応していません/);
    });

    it('the list URL at its edges: bad pages, huge sizes, bad status, keyword metacharacters; never a 500', async (t) => {
      const app = await startTestApp(dialect, t);
      await catalogue(app);
      const org = await givenOrg(app, 'direct');
      for (let i = 0; i < 23; i++) await mk(app, org, 300 + i, 'pbx', i === 5 ? '100%_\\ok' : 'memo');
      const admin = await loggedIn(app, org, 'admin');
      const page = async (qs: string) => (await api(app, admin.b, 'GET', `/portal/contracts${qs}`));
      assert.deepEqual((await page('')).json().pages, 3);
      assert.equal((await page('?page=3')).json().contracts.length, 3);
      assert.equal((await page('?page=99')).json().page, 3, 'past the end: the last page');
      assert.equal((await page('?page=0')).json().page, 1);
      assert.equal((await page('?page=abc')).json().page, 1);
      assert.equal((await page('?size=100000')).json().pageSize, 100);
      assert.equal((await page('?size=50')).json().contracts.length, 23);
      assert.equal((await page('?status=broken')).status, 400);
      assert.equal((await page(`?q=${'x'.repeat(1001)}`)).status, 400);
      for (const q of ['%', '_', '\\', '100%_\\']) assert.equal((await page(`?q=${encodeURIComponent(q)}`)).json().total, 1, q);
      assert.equal((await page(`?q=${encodeURIComponent('ｍｅｍｏ　Ｎ０００')}`)).json().total, 22);
      const html = await admin.b.get('/portal/contracts?page=2&size=10&q=memo');
      assert.equal(html.status, 200);
      assert.match(html.body, /aria-current="page"[^>]*>2</);
      assert.match(html.body, /href="\/portal\/contracts\?q=memo&amp;page=3"/, 'page links keep the filter');
      assert.equal((await admin.b.get('/portal/contracts?page=-1&size=abc')).status, 200);
    });

    it('pinning: CSRF required, only visible services; admin grants and revokes contracts of its own organisation only', async (t) => {
      const app = await startTestApp(dialect, t);
      const { pbx, colo } = await catalogue(app);
      const org = await givenOrg(app, 'direct');
      const other = await givenOrg(app, 'direct');
      const c1 = await mk(app, org, 401, 'pbx');
      await mk(app, org, 402, 'colo');
      await mk(app, other, 403, 'colo');
      const a = await loggedIn(app, org, 'general');
      const admin = await loggedIn(app, org, 'admin');
      const groupId = await group(app, org, [a.u.id], [c1]);

      await a.b.get('/');
      assert.equal((await a.b.post(`/portal/services/${pbx.id}/pin`, { pinned: '1' }, { csrf: 'f'.repeat(64) })).status, 403);
      assert.equal((await a.b.post(`/portal/services/${colo.id}/pin`, { pinned: '1' }, { csrf: a.b.csrfFor() })).status, 404, 'a service the user does not see');
      const pinned = await a.b.post(`/portal/services/${pbx.id}/pin`, { pinned: '1' }, { csrf: a.b.csrfFor() });
      assert.equal(pinned.status, 303);
      assert.match(text((await a.b.follow(pinned)).body), /ピン留めしました[\s\S]*最近の操作・ピン留め[\s\S]*ピン留め/);
      assert.equal((await api(app, a.b, 'POST', `/portal/services/${pbx.id}/pin`, { pinned: '0' })).json().pinned, false);

      // Admin section on the group page: grant by numbers (full-width accepted), unknown and foreign refused, revoke.
      const base = `/admin/groups/${groupId}`;
      assert.match(text((await admin.b.get(base)).body), /このグループが閲覧できる契約[\s\S]*N000000401/);
      const bad = await admin.b.post(`${base}/contracts`, { numbers: 'N000000403' }, { csrf: admin.b.csrfFor() });
      assert.equal(bad.status, 400);
      assert.match(text(bad.body), /グループの組織にない契約番号です: N000000403/);
      assert.equal((await api(app, admin.b, 'POST', `${base}/contracts`, { numbers: 'N12' })).status, 400);
      const ok = await admin.b.post(`${base}/contracts`, { numbers: 'Ｎ００００００４０２, N000000401' }, { csrf: admin.b.csrfFor() });
      assert.equal(ok.status, 200);
      assert.match(text(ok.body), /1件の契約の閲覧を許可しました/);
      assert.equal((await api(app, a.b, 'GET', '/portal/contracts')).json().total, 2);
      const c2 = (await app.ctx.db.selectFrom('contract').select('id').where('number', '=', 'N000000402').executeTakeFirstOrThrow()).id;
      assert.equal((await admin.b.post(`${base}/contracts/${c2}/revoke`, {}, { csrf: admin.b.csrfFor() })).status, 200);
      assert.equal((await api(app, a.b, 'GET', '/portal/contracts')).json().total, 1);
      assert.equal((await api(app, a.b, 'POST', `${base}/contracts`, { numbers: 'N000000402' })).status, 403, 'a general user is no admin');
      const events = (await app.ctx.db.selectFrom('audit_log').select('event').where('event', 'like', 'group.contract%').execute()).map((e) => e.event).sort();
      assert.deepEqual(events, ['group.contract_revoked', 'group.contracts_granted']);
      // Deleting the group takes its permissions with it.
      await admin.b.get(base);
      assert.equal((await admin.b.post(`${base}/delete`, { confirm: 'yes' })).status, 303);
      assert.equal((await app.ctx.db.selectFrom('contract_group_access').select('contract_id').where('group_id', '=', groupId).execute()).length, 0);
    });
  });
}
