// The console's customers and contracts over HTTP (issue 26 item 3), pages and JSON, as a service
// manager and an operator admin: an organisation created and refused (errors beside the fields,
// nothing written), its first portal admin (starting guide in the outbox, never the link on the
// page; a second one refused), a contract edited and moved (the customer's own list follows at
// once), the CSV import's dry run, a refused file (every bad line named, nothing written) and the
// real run, an order's milestones and opening notice (seen by the customer).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { testDialects } from '../helpers/db.ts';
import { startTestApp } from '../helpers/app.ts';
import { text } from '../helpers/client.ts';
import { givenTerms, lastMail } from '../helpers/scenario.ts';
import { api, givenOrg, loggedIn } from '../helpers/admin.ts';
import { loggedInOperator } from '../helpers/operator.ts';
import { givenCatalogue } from '../helpers/operator-customers.ts';
import { grantContract } from '../../src/portal/contracts/service.ts';
import type { Browser } from '../helpers/client.ts';

/** A form post with the CSRF token of the last page seen (JSON calls in between keep it). */
const form = (b: Browser, path: string, fields: Record<string, string>) => b.post(path, fields, { csrf: b.csrfFor() });

for (const dialect of testDialects()) {
  describe(`${dialect}: the console's customers and contracts over HTTP`, () => {
    it('organisations: created from the form, refused inputs shown beside their fields, first portal admin once', async (t) => {
      const app = await startTestApp(dialect, t);
      await givenTerms(app.ctx);
      const admin = await loggedInOperator(app, 'operator_admin');
      const b = admin.b;
      const orgs = async () => Number((await app.ctx.db.selectFrom('organisation').select((e) => e.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
      const before = await orgs();

      await b.get('/operator/organisations');
      const refused = await form(b, '/operator/organisations', { name: '', kind: 'child', parent: '' });
      assert.equal(refused.status, 400);
      assert.match(refused.body, /<input id="f-name" name="name" aria-invalid="true" aria-describedby="f-name-err"/);
      assert.match(text(refused.body), /A child organisation needs its partner organisation\.|子組織には親（パートナー）組織が必要です。/);
      assert.equal(await orgs(), before);
      const json = await api(app, b, 'POST', '/api/operator/organisations', { name: 'X', kind: 'reseller' });
      assert.equal(json.status, 400);
      assert.equal(json.json().error, 'common.field_errors');
      assert.deepEqual(Object.keys(json.json().fields), ['kind']);

      const made = await form(b, '/operator/organisations', { name: 'Partner 商事', kind: 'partner' });
      assert.equal(made.status, 303);
      const page = await b.follow(made);
      assert.match(text(page.body), /Organisation created\.|組織を作成しました。/);
      const partnerId = /\/operator\/organisations\/([^?]+)/.exec(made.location!)![1]!;
      const child = await api(app, b, 'POST', '/api/operator/organisations', { name: 'Kid', kind: 'child', parent: partnerId });
      assert.equal(child.status, 201);
      assert.equal(child.json().organisation.profile, 'partner-child');
      const list = await api(app, b, 'GET', '/api/operator/organisations?q=kid');
      assert.deepEqual(list.json().organisations.map((o: { name: string; parentName: string }) => [o.name, o.parentName]), [['Kid', 'Partner 商事']]);

      await b.get(`/operator/organisations/${partnerId}`);
      const bad = await form(b, `/operator/organisations/${partnerId}/first-admin`, { email: 'not an address', name: 'A', phone: '12' });
      assert.equal(bad.status, 400);
      assert.match(bad.body, /id="f-email" name="email" aria-invalid="true"/);
      assert.match(bad.body, /id="f-phone" name="phone" aria-invalid="true"/);
      const first = await form(b, `/operator/organisations/${partnerId}/first-admin`, { email: 'first@partner.example', name: '管理者 一郎', phone: '03-1234-5678' });
      assert.equal(first.status, 303);
      const after = await b.follow(first);
      assert.doesNotMatch(after.body, /\/setup\//, 'the setup link is a credential: never shown to the operator');
      const mail = await lastMail(app.ctx, 'first@partner.example');
      assert.ok(mail && /\/setup\//.test(mail.body_text), 'the starting guide is queued with the link');
      const again = await api(app, b, 'POST', `/api/operator/organisations/${partnerId}/first-admin`, { email: 'second@partner.example', name: 'B', phone: '0312345678' });
      assert.equal(again.status, 409);
      assert.equal(again.json().error, 'orgs.has_admin');
      const detail = await api(app, b, 'GET', `/api/operator/organisations/${partnerId}`);
      assert.deepEqual([detail.json().portalAdmins, detail.json().children.length], [1, 1]);
      assert.equal((await api(app, b, 'GET', '/api/operator/organisations/nope')).status, 404);
    });

    it('contracts: edit and move reach the customer\'s list at once; CSV import dry run, refused file, real run', async (t) => {
      const app = await startTestApp(dialect, t);
      await givenTerms(app.ctx);
      await givenCatalogue(app);
      const orgId = await givenOrg(app, 'direct');
      const other = await givenOrg(app, 'direct');
      const customer = await loggedIn(app, orgId);
      const sm = await loggedInOperator(app, 'service_manager');
      const b = sm.b;

      const created = await api(app, b, 'POST', '/api/operator/contracts', { org: orgId, number: 'ｎ１２３４５６７８９', service: 'fx-pbx', site: '東京' });
      assert.equal(created.status, 201);
      const contract = created.json().contract;
      assert.equal(contract.number, 'N123456789');
      const gid = 'g-' + contract.id;
      await app.ctx.db.insertInto('user_group').values({ id: gid, organisation_id: orgId, name: 'G', created_at: app.ctx.now() }).execute();
      await app.ctx.db.insertInto('user_group_member').values({ group_id: gid, user_id: customer.u.id }).execute();
      await grantContract(app.ctx.db, { id: gid, organisation_id: orgId }, { ...contract, organisation_id: orgId, id: contract.id } as never, app.ctx.now());
      const dup = await api(app, b, 'POST', '/api/operator/contracts', { org: other, number: 'N123456789', service: 'nope' });
      assert.equal(dup.status, 400);
      assert.deepEqual(Object.keys(dup.json().fields).sort(), ['number', 'service']);

      const cpage = await b.get(`/operator/contracts/${contract.id}`);
      assert.equal(cpage.status, 200, cpage.body.slice(0, 3000));
      const edit = await form(b, `/operator/contracts/${contract.id}`, { service: 'fx-fax', status: 'failure', site: '大阪', memo: '回線', group_number: '' });
      assert.equal(edit.status, 303);
      assert.match(text((await b.follow(edit)).body), /Contract saved|契約を保存しました/);
      const mine = await api(app, customer.b, 'GET', '/portal/contracts?status=failure');
      assert.deepEqual(mine.json().contracts.map((c: { number: string; site: string }) => [c.number, c.site]), [['N123456789', '大阪']], 'the customer sees the new status at once');
      const badEdit = await form(b, `/operator/contracts/${contract.id}`, { status: 'gone', memo: 'x'.repeat(201) });
      assert.equal(badEdit.status, 400);
      assert.match(badEdit.body, /id="f-memo" name="memo" aria-invalid="true"/);
      const page = await b.get('/operator/contracts?q=大阪　回線');
      assert.match(text(page.body), /N123456789/);

      const contracts = async () => Number((await app.ctx.db.selectFrom('contract').select((e) => e.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
      const n0 = await contracts();
      const badCsv = `organisation,number,service,site\n${orgId},N200000001,fx-pbx,名古屋\nnope,N200000002,fx-pbx,\n${orgId},N2000,fx-pbx,\n${orgId},N200000003,zzz,\n${orgId},N200000001,fx-pbx,\n${other},N123456789,fx-pbx,\n`;
      await b.get('/operator/contracts/import');
      const dry = await form(b, '/operator/contracts/import', { csv: badCsv, mode: 'dry_run' });
      assert.equal(dry.status, 422);
      const words = text(dry.body);
      for (const reason of [/There is no organisation with id "nope"|ID「nope」の組織はありません/, /N2000/, /There is no service with code "zzz"|コード「zzz」のサービスはありません/,
        /appears again in this file \(first on line 2\)|重複しています（最初は 2 行目）/, /exists already, in another organisation|別の組織にすでにあります/]) assert.match(words, reason);
      const apply = await form(b, '/operator/contracts/import', { csv: badCsv, mode: 'apply' });
      assert.equal(apply.status, 422);
      assert.equal(await contracts(), n0, 'a file with a bad line writes nothing');

      const good = `organisation,number,service,site,status\n${orgId},N200000001,fx-pbx,名古屋,\n${orgId},N123456789,fx-pbx,大阪,maintenance\n`;
      const dryGood = await api(app, b, 'POST', '/api/operator/contracts/import', { csv: good });
      assert.equal(dryGood.status, 200);
      assert.deepEqual([dryGood.json().report.created, dryGood.json().report.changed, dryGood.json().report.applied], [1, 1, false]);
      assert.equal(await contracts(), n0);
      const real = await form(b, '/operator/contracts/import', { csv: good, mode: 'apply' });
      assert.equal(real.status, 200);
      assert.match(text(real.body), /Imported: 1 created, 1 changed|取り込みました：作成 1 件、変更 1 件/);
      assert.equal(await contracts(), n0 + 1);
      const mineNow = await api(app, customer.b, 'GET', '/portal/contracts?status=maintenance');
      assert.deepEqual(mineNow.json().contracts.map((c: { number: string }) => c.number), ['N123456789']);
      const refusedJson = await api(app, b, 'POST', '/api/operator/contracts/import', { csv: badCsv, dryRun: false });
      assert.equal(refusedJson.status, 422);
      assert.equal(refusedJson.json().error, 'contracts.import_refused');
      assert.equal(refusedJson.json().report.errors, 5);
      const headerless = await api(app, b, 'POST', '/api/operator/contracts/import', { csv: `${orgId},N1,x\n${orgId},N2,y\n` });
      assert.equal(headerless.status, 422);
      assert.deepEqual(Object.keys(headerless.json().fields), ['csv']);
    });

    it('orders: recorded, milestones advanced in order and dated, opening notice seen by the customer; services renamed', async (t) => {
      const app = await startTestApp(dialect, t);
      await givenTerms(app.ctx);
      await givenCatalogue(app);
      const orgId = await givenOrg(app, 'direct');
      const customerAdmin = await loggedIn(app, orgId, 'admin');
      const b = (await loggedInOperator(app, 'service_manager')).b;

      const opage = await b.get('/operator/orders');
      assert.equal(opage.status, 200, opage.body.slice(0, 3000));
      const badOrder = await form(b, '/operator/orders', { org: orgId, service: 'fx-pbx', planned: '2030-02-30', notice_ja: '開通', notice_en: '' });
      assert.equal(badOrder.status, 400);
      assert.match(badOrder.body, /id="f-planned" name="planned" aria-invalid="true"/);
      const made = await form(b, '/operator/orders', { org: orgId, service: 'fx-pbx', planned: '2030-04-01' });
      assert.equal(made.status, 303);
      const number = /\/operator\/orders\/([^?]+)/.exec(made.location!)![1]!;
      await b.follow(made);
      const early = await form(b, `/operator/orders/${number}/steps/arranging`, { action: 'done' });
      assert.equal(early.status, 409, 'a later step cannot be done before the current one');
      for (const step of ['reviewing', 'arranging', 'constructing']) assert.equal((await form(b, `/operator/orders/${number}/steps/${step}`, { action: 'done' })).status, 303);
      assert.equal((await form(b, `/operator/orders/${number}/steps/opened`, { action: 'plan', date: 'soon' })).status, 400);
      assert.equal((await api(app, b, 'POST', `/api/operator/orders/${number}/steps/opened`, { action: 'plan', date: '2030-05-01' })).json().order.plannedOpeningDate, '2030-05-01');
      assert.equal((await form(b, `/operator/orders/${number}/notice`, { notice_ja: '5月1日に開通します', notice_en: 'Opens on 1 May' })).status, 303);
      const done = await api(app, b, 'POST', `/api/operator/orders/${number}/steps/opened`, { action: 'done' });
      assert.equal(done.json().opened, true);
      const theirs = await api(app, customerAdmin.b, 'GET', '/portal/orders');
      const order = theirs.json().orders.find((o: { number: string }) => o.number === number);
      assert.equal(order.status, 'opened');
      assert.equal(order.openingNoticeEn, 'Opens on 1 May');

      const renamed = await api(app, b, 'POST', '/api/operator/services/fx-pbx', { name_en: 'Cloud PBX', settings_site_url: 'https://pbx.example.net/' });
      assert.deepEqual([renamed.json().service.nameEn, renamed.json().service.hasSettingsSite], ['Cloud PBX', true]);
      const badService = await form(b, '/operator/services/fx-pbx', { name_ja: '', settings_site_url: 'javascript:alert(1)' });
      assert.equal(badService.status, 400);
      assert.match(badService.body, /id="f-settings_site_url" name="settings_site_url" aria-invalid="true"/);
      assert.equal((await api(app, b, 'GET', '/api/operator/services')).json().services.find((s: { code: string }) => s.code === 'fx-pbx').nameJa, 'スマートPBX', 'nothing written');
    });
  });
}
