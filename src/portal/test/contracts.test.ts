// Contracts on both databases, through the portal services on a fresh database: creation refuses
// bad input and writes nothing; the keyword filter (S8); pages; who sees what (access.ts); the
// dashboard's services, notices and maintenance slots.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { testDialects, freshDb } from '../../../test/helpers/db.ts';
import type { Db } from '../../db/index.ts';
import { createOrganisation } from '../../auth/tenancy/organisations.ts';
import { createCategory, createService } from '../catalogue/service.ts';
import { contractScope, type ContractScope } from '../access.ts';
import {
  COUNT_CAP, contractFor, createContract, exportContracts, grantContract, grantNumbers, listContracts, pageOf, pageSizeOf, revokeContract, visibleServices,
} from '../contracts/service.ts';
import { DomainError } from '../../errors.ts';
import { dashboardNotices } from '../notices/service.ts';
import { upcomingMaintenance } from '../maintenance/service.ts';
import { dashboardServices, pinService } from '../dashboard/service.ts';
import { newId } from '../../lib/index.ts';
import { contractSearchText } from '../search.ts';

const NOW = 1_800_000_000_000;

async function user(db: Db, orgId: string, role: 'admin' | 'general') {
  const id = newId();
  await db.insertInto('app_user').values({
    id, organisation_id: orgId, login_id: id, email: `${id}@example.com`, name: id, phone: '0', role, lang: 'ja',
    password_hash: null, password_set_at: null, second_factor: null, security_epoch: 0, disabled_at: null, last_login_at: null, origin: 'portal', created_at: NOW, updated_at: NOW,
  }).execute();
  return id;
}

async function group(db: Db, orgId: string, members: string[]) {
  const id = newId();
  await db.insertInto('user_group').values({ id, organisation_id: orgId, name: id, created_at: NOW }).execute();
  for (const m of members) await db.insertInto('user_group_member').values({ group_id: id, user_id: m }).execute();
  return { id, organisation_id: orgId };
}

/** Two organisations; in A a general user in group gA, another in no group, an admin; B's admin. */
async function world(db: Db) {
  const a = await createOrganisation(db, { name: 'A', kind: 'direct' }, NOW);
  const b = await createOrganisation(db, { name: 'B', kind: 'direct' }, NOW);
  await createCategory(db, { code: 'voice', nameJa: '音声', nameEn: 'Voice', position: 1 });
  await createCategory(db, { code: 'dc', nameJa: 'データセンター', nameEn: 'Data centre', position: 0 });
  const pbx = await createService(db, { code: 'pbx', categoryCode: 'voice', nameJa: 'スマートPBX', nameEn: 'Smart PBX', settingsSiteUrl: 'https://pbx.example.net/' }, NOW);
  const colo = await createService(db, { code: 'colo', categoryCode: 'dc', nameJa: 'コロケーション', nameEn: 'Colocation' }, NOW);
  const mk = (org: string, n: number, o: { service?: string; site?: string; memo?: string; group?: string; status?: string } = {}) =>
    createContract(db, { organisationId: org, number: `N${String(n).padStart(9, '0')}`, serviceCode: o.service ?? 'pbx', site: o.site ?? '', memo: o.memo ?? '', groupNumber: o.group ?? '', ...(o.status ? { status: o.status } : {}) }, NOW);
  const cs = [
    await mk(a.id, 123, { site: '東京本社', memo: '営業部' }),
    await mk(a.id, 124, { site: 'カナ支店', memo: 'Test_line 100%' }),
    await mk(a.id, 125, { site: '大阪', memo: 'path c:\\temp', service: 'colo', status: 'failure' }),
    await mk(a.id, 126, { site: '東京 第二', memo: 'abc', group: 'G77' }),
  ];
  const other = await mk(b.id, 999, { site: '東京本社', memo: '営業部' });
  const general = await user(db, a.id, 'general');
  const lonely = await user(db, a.id, 'general');
  const admin = await user(db, a.id, 'admin');
  const bAdmin = await user(db, b.id, 'admin');
  const gA = await group(db, a.id, [general]);
  for (const c of [cs[0]!, cs[1]!, cs[2]!]) await grantContract(db, gA, c, NOW);
  const scope = async (userId: string, orgId: string, role: 'admin' | 'general') => contractScope(db, { userId, organisationId: orgId, role });
  return {
    a, b, pbx, colo, cs, other, gA,
    general: await scope(general, a.id, 'general'), lonely: await scope(lonely, a.id, 'general'),
    admin: await scope(admin, a.id, 'admin'), bAdmin: await scope(bAdmin, b.id, 'admin'),
  };
}

const numbers = async (db: Db, s: ContractScope, q: Parameters<typeof listContracts>[2]) => (await listContracts(db, s, q)).rows.map((r) => r.number);

for (const dialect of testDialects()) {
  describe(`${dialect}: contracts (S8)`, () => {
    it('refuses bad input with one clear reason and writes nothing', async (t) => {
      const { db } = await freshDb(dialect, t);
      const w = await world(db);
      const before = (await db.selectFrom('contract').select('id').execute()).length;
      const refused = async (input: Partial<Parameters<typeof createContract>[1]>, re: RegExp) =>
        assert.rejects(createContract(db, { organisationId: w.a.id, number: 'N555555555', serviceCode: 'pbx', ...input }, NOW), (e: unknown) =>
          e instanceof DomainError && e.code === 'common.field_errors' && re.test(JSON.stringify(e.fields)));
      await refused({ organisationId: 'nope' }, /"org":\[\{"key":"contracts.org_unknown"/);
      await refused({ number: 'N12345' }, /"number":\[\{"key":"contracts.number_invalid"/);
      await refused({ number: '123456789' }, /contracts.number_invalid/);
      await refused({ serviceCode: 'nope' }, /"service":\[\{"key":"contracts.service_unknown"/);
      await refused({ number: 'N000000123' }, /contracts.number_taken/);
      await refused({ status: 'broken' }, /"status":\[\{"key":"contracts.status_invalid"/);
      await refused({ memo: 'x'.repeat(201) }, /"memo":\[\{"key":"contracts.text_too_long"/);
      // Every problem at once, per field.
      await refused({ organisationId: 'nope', number: 'x', serviceCode: 'nope', site: 'y'.repeat(201) }, /"number".*"site".*"org".*"service"/);
      assert.equal((await db.selectFrom('contract').select('id').execute()).length, before);
      // Another organisation's contract cannot be granted to a group.
      await assert.rejects(grantContract(db, w.gA, w.other, NOW), /another organisation/);
      assert.deepEqual(await grantNumbers(db, w.gA, ['N000000999'], NOW), { granted: [], unknown: ['N000000999'] });
      assert.equal((await db.selectFrom('contract_group_access').select('contract_id').where('contract_id', '=', w.other.id).execute()).length, 0);
      // Full-width input is folded into the canonical number.
      const c = await createContract(db, { organisationId: w.a.id, number: 'ｎ５５５５５５５５５', serviceCode: 'pbx' }, NOW);
      assert.equal(c.number, 'N555555555');
    });

    it('keyword filter: AND of terms split by either space, width- and case-insensitive, metacharacters literal', async (t) => {
      const { db } = await freshDb(dialect, t);
      const w = await world(db);
      const s = w.admin;
      assert.deepEqual(await numbers(db, s, { q: 'ｎ００００００１２３' }), ['N000000123']);
      assert.deepEqual(await numbers(db, s, { q: 'n000000123' }), ['N000000123']);
      assert.deepEqual(await numbers(db, s, { q: '東京' }), ['N000000123', 'N000000126']);
      assert.deepEqual(await numbers(db, s, { q: '東京　営業部' }), ['N000000123'], 'full-width space');
      assert.deepEqual(await numbers(db, s, { q: '東京 営業部' }), ['N000000123'], 'half-width space');
      assert.deepEqual(await numbers(db, s, { q: 'ｶﾅ' }), ['N000000124'], 'half-width kana');
      assert.deepEqual(await numbers(db, s, { q: 'ＳＭＡＲＴ ｐｂｘ 東京 営業 本社 N0000001' }), ['N000000123'], 'many terms, service name');
      assert.deepEqual(await numbers(db, s, { q: 'コロケーション' }), ['N000000125'], 'service name ja');
      assert.deepEqual(await numbers(db, s, { q: 'g77' }), ['N000000126'], 'group number');
      assert.deepEqual(await numbers(db, s, { q: '100%' }), ['N000000124']);
      assert.deepEqual(await numbers(db, s, { q: '%' }), ['N000000124'], '% is literal');
      assert.deepEqual(await numbers(db, s, { q: '_' }), ['N000000124'], '_ is literal');
      assert.deepEqual(await numbers(db, s, { q: 't_l' }), ['N000000124']);
      assert.deepEqual(await numbers(db, s, { q: 'txl' }), [], '_ does not match any character');
      assert.deepEqual(await numbers(db, s, { q: '\\' }), ['N000000125'], 'backslash is literal');
      assert.deepEqual(await numbers(db, s, { q: 'c:\\temp' }), ['N000000125']);
      assert.deepEqual(await numbers(db, s, { q: '名古屋' }), [], 'no match');
      const p = await listContracts(db, s, { q: '名古屋' });
      assert.equal(p.total, 0); assert.equal(p.page, 1); assert.equal(p.pages, 1);
      assert.deepEqual(await numbers(db, s, { service: w.colo.id }), ['N000000125']);
      assert.deepEqual(await numbers(db, s, { status: 'failure' }), ['N000000125']);
      assert.deepEqual(await numbers(db, s, { status: 'normal', q: '東京' }), ['N000000123', 'N000000126']);
    });

    it('who sees what: groups, admins, other organisations; lists, counts, exports, details, services', async (t) => {
      const { db } = await freshDb(dialect, t);
      const w = await world(db);
      const all = async (s: ContractScope) => {
        const rows: string[] = [];
        for await (const b of exportContracts(db, s, {}, 2)) rows.push(...b.map((r) => r.number));
        return rows;
      };
      assert.deepEqual(await numbers(db, w.general, {}), ['N000000123', 'N000000124', 'N000000125']);
      assert.deepEqual(await all(w.general), ['N000000123', 'N000000124', 'N000000125'], 'export in batches');
      assert.equal((await listContracts(db, w.general, {})).total, 3);
      assert.deepEqual(await numbers(db, w.lonely, {}), []);
      assert.equal((await listContracts(db, w.lonely, { q: '東京' })).total, 0);
      assert.deepEqual(await numbers(db, w.admin, {}), ['N000000123', 'N000000124', 'N000000125', 'N000000126']);
      assert.deepEqual(await numbers(db, w.bAdmin, { q: '東京' }), ['N000000999']);
      assert.equal(await contractFor(db, w.general, w.cs[3]!.id), undefined, 'not granted');
      assert.equal(await contractFor(db, w.admin, w.other.id), undefined, 'another organisation');
      assert.equal((await contractFor(db, w.general, w.cs[0]!.id))?.number, 'N000000123');
      assert.deepEqual((await visibleServices(db, w.general)).map((s) => s.code), ['colo', 'pbx'], 'category order: dc (0) before voice (1)');
      assert.deepEqual((await visibleServices(db, w.lonely)).map((s) => s.code), []);
      await revokeContract(db, w.gA.id, w.cs[2]!.id);
      assert.deepEqual((await visibleServices(db, w.general)).map((s) => s.code), ['pbx']);
      assert.deepEqual((await listContracts(db, w.general, {}, { settingsSiteOnly: true })).rows.map((r) => r.number), ['N000000123', 'N000000124']);
      // Pins: only services the viewer sees.
      assert.equal(await pinService(db, w.general, w.colo.id, true, NOW), false);
      assert.equal(await pinService(db, w.general, w.pbx.id, true, NOW), true);
      assert.deepEqual((await dashboardServices(db, w.general)).map((s) => [s.code, s.pinned]), [['pbx', true]]);
      assert.equal((await db.selectFrom('service_shortcut').select('service_id').execute()).length, 1);
    });

    it('pages: 10 by default, sizes 10/20/50/100, bad and past-the-end pages answered sensibly, stable order', async (t) => {
      const { db } = await freshDb(dialect, t);
      const w = await world(db);
      for (let i = 0; i < 41; i++) await createContract(db, { organisationId: w.a.id, number: `N7${String(i).padStart(8, '0')}`, serviceCode: 'colo' }, NOW);
      const p1 = await listContracts(db, w.admin, { q: 'n7' });
      assert.equal(p1.total, 41); assert.equal(p1.pageSize, 10); assert.equal(p1.pages, 5); assert.equal(p1.rows.length, 10);
      assert.equal(p1.rows[0]!.number, 'N700000000');
      const last = await listContracts(db, w.admin, { q: 'n7', page: '5' });
      assert.deepEqual(last.rows.map((r) => r.number), ['N700000040']);
      assert.equal((await listContracts(db, w.admin, { q: 'n7', page: '999999' })).page, 5, 'past the end: the last page');
      assert.equal((await listContracts(db, w.admin, { q: 'n7', page: '0' })).page, 1);
      assert.equal((await listContracts(db, w.admin, { q: 'n7', page: 'abc' })).page, 1);
      assert.equal((await listContracts(db, w.admin, { q: 'n7', page: '-3' })).page, 1);
      assert.equal((await listContracts(db, w.admin, { q: 'n7', size: '20' })).rows.length, 20);
      assert.equal((await listContracts(db, w.admin, { q: 'n7', size: '1000000' })).pageSize, 100, 'huge size: clamped to 100');
      assert.equal(pageSizeOf('abc'), 10); assert.equal(pageSizeOf('0'), 10); assert.equal(pageSizeOf('35'), 20); assert.equal(pageSizeOf('50'), 50);
      assert.equal(pageOf('3', 2), 2);
      const seen = new Set<string>();
      for (let p = 1; p <= 5; p++) for (const r of (await listContracts(db, w.admin, { q: 'n7', page: String(p) })).rows) seen.add(r.number);
      assert.equal(seen.size, 41, 'every row once over all pages');
      assert.ok(COUNT_CAP >= 1000);
    });

    it('keyword pages: sorted out of the matches whatever their stored order, and past the cap from the ordered walk', async (t) => {
      const { db } = await freshDb(dialect, t);
      const w = await world(db);
      // Stored in shuffled order: the list order must come from the sort, not from how rows were written.
      const order = Array.from({ length: 37 }, (_, i) => i).sort((x, y) => ((x * 7919) % 37) - ((y * 7919) % 37));
      for (const i of order) {
        const c = await createContract(db, { organisationId: w.a.id, number: `N6${String(i).padStart(8, '0')}`, serviceCode: 'colo', site: '横浜' }, NOW);
        if (i % 3 === 0) await grantContract(db, w.gA, c, NOW);
      }
      const all = async (s: ContractScope, q: string) => {
        const out: string[] = [];
        for (let p = 1; p <= 10; p++) out.push(...(await numbers(db, s, { q, page: String(p) })));
        return out;
      };
      const expected = Array.from({ length: 37 }, (_, i) => `N6${String(i).padStart(8, '0')}`);
      assert.deepEqual(await all(w.admin, '横浜　n6'), [...expected, ...Array.from({ length: 6 }, () => expected.slice(30)).flat()], 'admin: every page in number order, past-the-end pages repeat the last');
      const mine = expected.filter((_, i) => i % 3 === 0);
      const general = await listContracts(db, w.general, { q: 'ｎ６ 横浜', page: '99' });
      assert.equal(general.total, mine.length); assert.equal(general.page, 2);
      assert.deepEqual(general.rows.map((r) => r.number), mine.slice(10), 'general: past the end is the last page of their matches');

      // More matches than the count cap: the total says "more than", pages come in list order.
      const rows = Array.from({ length: COUNT_CAP + 5 }, (_, i) => COUNT_CAP + 4 - i).map((i) => {
        const number = `N5${String(i).padStart(8, '0')}`;
        return {
          id: newId(), organisation_id: w.a.id, number, group_number: '', service_id: w.colo.id, site: '', memo: '', status: 'normal' as const,
          search_text: contractSearchText({ number, groupNumber: '', site: '', memo: '', serviceNameJa: 'コロケーション', serviceNameEn: 'Colocation' }),
          created_at: NOW, updated_at: NOW,
        };
      });
      for (let i = 0; i < rows.length; i += 500) await db.insertInto('contract').values(rows.slice(i, i + 500)).execute();
      const first = await listContracts(db, w.admin, { q: 'n5 コロケーション' });
      assert.equal(first.capped, true); assert.equal(first.total, COUNT_CAP);
      assert.deepEqual(first.rows.map((r) => r.number), Array.from({ length: 10 }, (_, i) => `N5${String(i).padStart(8, '0')}`));
      const far = await listContracts(db, w.admin, { q: 'n5 コロケーション', page: '999999' });
      assert.equal(far.page, COUNT_CAP / 10);
      assert.deepEqual(far.rows.map((r) => r.number)[9], `N5${String(COUNT_CAP - 1).padStart(8, '0')}`);
    });

    it('dashboard slots: current notices for visible services or all, upcoming maintenance', async (t) => {
      const { db } = await freshDb(dialect, t);
      const w = await world(db);
      const notice = async (id: string, { service_id, ...o }: Partial<{ service_id: string | null; starts_at: number; ends_at: number | null; published_at: number; withdrawn_at: number | null }>) => {
        await db.insertInto('notice').values({
          id, kind: 'outage', title_ja: id, title_en: id, body_ja: '', body_en: '', starts_at: NOW - 10, ends_at: null,
          published_at: NOW - 10, withdrawn_at: null, created_at: NOW - 10, ...o,
        }).execute();
        if (service_id) await db.insertInto('notice_service').values({ notice_id: id, service_id }).execute();
      };
      await notice('all', {});
      await notice('pbx', { service_id: w.pbx.id });
      await notice('colo-only', { service_id: w.colo.id, starts_at: NOW - 5 });
      await notice('future', { starts_at: NOW + 1000 });
      await notice('ended', { ends_at: NOW });
      await notice('unpublished', { published_at: NOW + 1 });
      await notice('withdrawn', { withdrawn_at: NOW - 1 });
      await revokeContract(db, w.gA.id, w.cs[2]!.id); // the general user no longer sees colo
      assert.deepEqual((await dashboardNotices(db, w.general, NOW)).map((n) => n.id).sort(), ['all', 'pbx']);
      assert.deepEqual((await dashboardNotices(db, w.admin, NOW)).map((n) => n.id).sort(), ['all', 'colo-only', 'pbx']);
      assert.deepEqual((await dashboardNotices(db, w.lonely, NOW)).map((n) => n.id), ['all']);
      const mw = (id: string, o: Partial<{ announce_from: number; starts_at: number; ends_at: number; cancelled_at: number | null }>) =>
        db.insertInto('maintenance_window').values({ id, announce_from: NOW - 10, starts_at: NOW + 100, ends_at: NOW + 200, message_ja: id, message_en: id, cancelled_at: null, created_at: NOW, ...o }).execute();
      await mw('announced', {});
      await mw('running', { starts_at: NOW - 5, ends_at: NOW + 5 });
      await mw('not-yet-announced', { announce_from: NOW + 1 });
      await mw('over', { starts_at: NOW - 20, ends_at: NOW });
      await mw('cancelled', { cancelled_at: NOW - 1 });
      assert.deepEqual((await upcomingMaintenance(db, NOW)).map((m) => m.id), ['running', 'announced']);
    });
  });
}
