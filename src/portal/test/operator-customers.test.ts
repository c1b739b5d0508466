// Issue 26 item 3 on both databases, through the services the console, its JSON API and the CLI
// share: bad input is refused per field and writes nothing; a contract's edit, status change and
// move between services keep every customer's list right (migration 012's grant columns); a
// service's new name reaches the keyword search; the CSV import's dry run reports every line and
// every problem, a file with one bad line writes nothing, a good one is written in one go.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { testDialects, freshDb } from '../../../test/helpers/db.ts';
import type { Db } from '../../db/index.ts';
import { newId } from '../../lib/index.ts';
import { DomainError } from '../../errors.ts';
import { createCustomerOrganisation, searchOrganisations, organisationDetail, type Actor } from '../../auth/service.ts';
import { createCategory, createService, updateCategory, updateService } from '../catalogue/service.ts';
import { contractScope } from '../access.ts';
import { createContract, grantContract, listAllContracts, listContracts, updateContract } from '../contracts/service.ts';
import { importContracts } from '../contracts/import.ts';

const NOW = 1_800_000_000_000;
const OP: Actor = { userId: null, ip: '192.0.2.1' };

async function count(db: Db, table: 'contract' | 'organisation' | 'service' | 'audit_log' | 'service_category'): Promise<number> {
  return Number((await db.selectFrom(table).select((e) => e.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
}

async function general(db: Db, orgId: string) {
  const id = newId();
  await db.insertInto('app_user').values({
    id, organisation_id: orgId, login_id: id, email: `${id}@example.com`, name: id, phone: '0', role: 'general', lang: 'ja',
    password_hash: null, password_set_at: null, second_factor: null, security_epoch: 0, disabled_at: null, last_login_at: null, origin: 'portal', created_at: NOW, updated_at: NOW,
  }).execute();
  const gid = newId();
  await db.insertInto('user_group').values({ id: gid, organisation_id: orgId, name: gid, created_at: NOW }).execute();
  await db.insertInto('user_group_member').values({ group_id: gid, user_id: id }).execute();
  return { userId: id, group: { id: gid, organisation_id: orgId } };
}

async function world(db: Db) {
  const a = await createCustomerOrganisation(db, { name: 'Acme 株式会社', kind: 'direct' }, OP, NOW);
  const p = await createCustomerOrganisation(db, { name: 'Partner KK', kind: 'partner' }, OP, NOW);
  await createCategory(db, { code: 'voice', nameJa: '音声', nameEn: 'Voice' }, OP, NOW);
  await createService(db, { code: 'pbx', categoryCode: 'voice', nameJa: 'スマートPBX', nameEn: 'Smart PBX' }, NOW, OP);
  await createService(db, { code: 'fax', categoryCode: 'voice', nameJa: 'ファクス', nameEn: 'Fax' }, NOW, OP);
  return { a, p };
}

const fieldsOf = (e: unknown) => (e instanceof DomainError ? Object.fromEntries(Object.entries(e.fields).map(([k, v]) => [k, v.map((x) => x.key)])) : null);

for (const dialect of testDialects()) {
  describe(`${dialect}: the provider's customers and contracts (issue 26)`, () => {
    it('organisations: kind, parent and preset checked per field, nothing written on refusal; search with pages', async (t) => {
      const { db } = await freshDb(dialect, t);
      const { a, p } = await world(db);
      const before = await count(db, 'organisation');
      const refused = async (input: Parameters<typeof createCustomerOrganisation>[1], expected: Record<string, string[]>) => {
        await assert.rejects(createCustomerOrganisation(db, input, OP, NOW), (e: unknown) => { assert.deepEqual(fieldsOf(e), expected); return true; });
      };
      await refused({ name: '', kind: 'reseller' }, { name: ['orgs.name_invalid'], kind: ['orgs.kind_invalid'] });
      await refused({ name: 'Kid', kind: 'child' }, { parent: ['orgs.parent_required'] });
      await refused({ name: 'Kid', kind: 'child', parentId: a.id }, { parent: ['orgs.parent_not_partner'] });
      await refused({ name: 'Kid', kind: 'child', parentId: 'nope' }, { parent: ['orgs.parent_unknown'] });
      await refused({ name: 'Kid', kind: 'direct', parentId: p.id }, { parent: ['orgs.parent_not_allowed'] });
      await refused({ name: 'Kid', kind: 'direct', profile: 'gold', passwordPolicy: 'weak' }, { profile: ['orgs.profile_unknown'], password_policy: ['orgs.policy_unknown'] });
      assert.equal(await count(db, 'organisation'), before);

      const kid = await createCustomerOrganisation(db, { name: 'Kid 商事', kind: 'child', parentId: p.id }, OP, NOW);
      assert.equal(kid.profile, 'partner-child');
      // Audited with the operator as actor, in the provider's log (auditOperator), naming the customer.
      const audited = await db.selectFrom('audit_log').select(['organisation_id', 'ip', 'detail']).where('event', '=', 'org.created').execute();
      assert.deepEqual(audited.map((r) => [r.organisation_id, r.ip, JSON.parse(r.detail).org]).at(-1), [null, '192.0.2.1', kid.id]);
      const d = await organisationDetail(db, p.id);
      assert.deepEqual(d?.children.map((c) => c.id), [kid.id]);

      for (let i = 0; i < 25; i++) await createCustomerOrganisation(db, { name: `Bulk ${String(i).padStart(2, '0')}`, kind: 'direct' }, OP, NOW);
      const page1 = await searchOrganisations(db, { q: 'bulk' });
      assert.equal(page1.total, 25);
      assert.equal(page1.pages, 2);
      assert.equal(page1.rows.length, 20);
      const page2 = await searchOrganisations(db, { q: 'ＢＵＬＫ　2', page: '2' });   // full-width, all terms must match
      assert.deepEqual(page2.rows.map((r) => r.name), ['Bulk 02', 'Bulk 12', 'Bulk 20', 'Bulk 21', 'Bulk 22', 'Bulk 23', 'Bulk 24']);
      assert.equal(page2.page, 1, 'past the end is the last page');
      assert.deepEqual((await searchOrganisations(db, { q: kid.id })).rows.map((r) => [r.name, r.parent_name]), [['Kid 商事', 'Partner KK']]);
      assert.deepEqual((await searchOrganisations(db, { q: '100%_' })).rows, []);
    });

    it('a contract\'s edit, status change and move between services keep the customer\'s list right (grant columns)', async (t) => {
      const { db } = await freshDb(dialect, t);
      const { a } = await world(db);
      const u = await general(db, a.id);
      const c = await createContract(db, { organisationId: a.id, number: 'N100000001', serviceCode: 'pbx', site: '東京' }, NOW, OP);
      await grantContract(db, u.group, c, NOW);
      const scope = await contractScope(db, { userId: u.userId, organisationId: a.id, role: 'general' });
      const fax = (await db.selectFrom('service').select('id').where('code', '=', 'fax').executeTakeFirstOrThrow()).id;
      const before = await count(db, 'audit_log');

      await assert.rejects(updateContract(db, 'N100000001', { status: 'broken', serviceCode: 'nope', memo: 'x'.repeat(201) }, NOW, OP),
        (e: unknown) => { assert.deepEqual(fieldsOf(e), { status: ['contracts.status_invalid'], memo: ['contracts.text_too_long'], service: ['contracts.service_unknown'] }); return true; });
      await assert.rejects(updateContract(db, 'N999999999', { memo: 'x' }, NOW, OP), (e: unknown) => e instanceof DomainError && e.code === 'contracts.unknown');
      assert.equal(await count(db, 'audit_log'), before, 'a refusal writes nothing');

      const r = await updateContract(db, 'ｎ１０００００００１', { status: 'maintenance', serviceCode: 'fax', memo: '夜間工事', site: '大阪' }, NOW + 1, OP);
      assert.deepEqual(r.changed.sort(), ['memo', 'service_id', 'site', 'status']);
      // The general user's list reads the grant table: its copy followed the change in the same statement.
      const grant = await db.selectFrom('contract_group_access').select(['status', 'service_id', 'number', 'organisation_id']).where('contract_id', '=', c.id).executeTakeFirstOrThrow();
      assert.deepEqual(grant, { status: 'maintenance', service_id: fax, number: 'N100000001', organisation_id: a.id });
      const list = (q: Parameters<typeof listContracts>[2]) => listContracts(db, scope, q).then((p) => p.rows.map((x) => `${x.number}/${x.status}/${x.service_code}`));
      assert.deepEqual(await list({ status: 'maintenance', service: fax }), ['N100000001/maintenance/fax']);
      assert.deepEqual(await list({ status: 'normal' }), []);
      assert.deepEqual(await list({ q: '大阪 ファクス 夜間' }), ['N100000001/maintenance/fax'], 'the search text follows the edit and the move');
      assert.deepEqual(await list({ q: '東京' }), []);
      assert.deepEqual((await updateContract(db, 'N100000001', { status: 'maintenance' }, NOW, OP)).changed, [], 'no change, no write');
      const events = await db.selectFrom('audit_log').select('event').where('event', '=', 'contract.updated').execute();
      assert.equal(events.length, 1);

      // The operator's list spans organisations, with the same keyword rule.
      const b = await createCustomerOrganisation(db, { name: 'B', kind: 'direct' }, OP, NOW);
      await createContract(db, { organisationId: b.id, number: 'N200000002', serviceCode: 'pbx', site: '大阪' }, NOW, OP);
      assert.deepEqual((await listAllContracts(db, { q: '大阪' })).rows.map((x) => x.number), ['N100000001', 'N200000002']);
      assert.deepEqual((await listAllContracts(db, { q: '大阪', org: b.id })).rows.map((x) => x.number), ['N200000002']);
      assert.deepEqual((await listAllContracts(db, { q: 'n２００　ｐｂｘ' })).rows.map((x) => x.number), ['N200000002']);
    });

    it('the same new number registered twice at once: one contract, the other refused per field (no server error)', async (t) => {
      const { db } = await freshDb(dialect, t);
      const { a } = await world(db);
      const results = await Promise.allSettled([1, 2, 3].map(() => createContract(db, { organisationId: a.id, number: 'N300000003', serviceCode: 'pbx' }, NOW, OP)));
      assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1);
      for (const r of results) if (r.status === 'rejected') assert.deepEqual(fieldsOf(r.reason), { number: ['contracts.number_taken'] });
      assert.equal(await count(db, 'contract'), 1);
    });

    it('services and categories: renamed in ja and en, settings site set and removed, the search follows; bad input writes nothing', async (t) => {
      const { db } = await freshDb(dialect, t);
      const { a } = await world(db);
      await createContract(db, { organisationId: a.id, number: 'N100000001', serviceCode: 'pbx' }, NOW, OP);
      await assert.rejects(updateService(db, 'pbx', { nameJa: '', settingsSiteUrl: 'javascript:alert(1)', categoryCode: 'nope' }, OP, NOW),
        (e: unknown) => { assert.deepEqual(fieldsOf(e), { name_ja: ['catalogue.name_invalid'], settings_site_url: ['catalogue.url_invalid'], category: ['catalogue.unknown_category'] }); return true; });
      await assert.rejects(updateService(db, 'nope', { nameJa: 'x' }, OP, NOW), (e: unknown) => e instanceof DomainError && e.code === 'catalogue.unknown_service');
      await assert.rejects(createService(db, { code: 'Bad Code', categoryCode: 'voice', nameJa: 'x', nameEn: 'x' }, NOW, OP), (e: unknown) => { assert.deepEqual(fieldsOf(e), { code: ['catalogue.code_invalid'] }); return true; });
      await assert.rejects(createCategory(db, { code: 'voice', nameJa: 'x', nameEn: 'x' }, OP, NOW), (e: unknown) => { assert.deepEqual(fieldsOf(e), { code: ['catalogue.code_taken'] }); return true; });
      assert.equal(await count(db, 'service'), 2);

      const s = await updateService(db, 'pbx', { nameJa: 'クラウドPBX', nameEn: 'Cloud PBX', settingsSiteUrl: 'https://pbx.example.net/' }, OP, NOW);
      assert.equal(s.settings_site_url, 'https://pbx.example.net/');
      assert.deepEqual((await listAllContracts(db, { q: 'クラウドpbx' })).rows.map((x) => x.number), ['N100000001']);
      assert.deepEqual((await listAllContracts(db, { q: 'スマート' })).rows, []);
      assert.equal((await updateService(db, 'pbx', { settingsSiteUrl: null }, OP, NOW)).settings_site_url, null);
      const cat = await updateCategory(db, 'voice', { nameEn: 'Voice and video', position: 5 }, OP, NOW);
      assert.deepEqual([cat.name_ja, cat.name_en, cat.position], ['音声', 'Voice and video', 5]);
      await assert.rejects(updateCategory(db, 'voice', { position: -1 }, OP, NOW), (e: unknown) => { assert.deepEqual(fieldsOf(e), { position: ['catalogue.position_invalid'] }); return true; });
    });

    it('CSV import: the dry run reports every line and every problem, a bad file writes nothing, a good one is written at once', async (t) => {
      const { db } = await freshDb(dialect, t);
      const { a, p } = await world(db);
      const u = await general(db, a.id);
      const existing = await createContract(db, { organisationId: a.id, number: 'N100000001', serviceCode: 'pbx', site: '東京', memo: 'old' }, NOW, OP);
      await grantContract(db, u.group, existing, NOW);
      await createContract(db, { organisationId: p.id, number: 'N900000009', serviceCode: 'pbx' }, NOW, OP);
      const bad = [
        '\uFEFForganisation,number,service,site,memo,status',
        `${a.id},N100000002,pbx,大阪,"memo, with comma",normal`,
        `nope,N100000003,pbx,,,`,
        `${a.id},N12345,pbx,,,`,
        `${a.id},N100000004,nope,,,`,
        `${a.id},N100000002,fax,,,`,
        `${a.id},N900000009,pbx,,,`,
        `${a.id},N100000005,pbx,,,broken`,
        `${a.id},N100000001,fax,東京,new,maintenance`,
        '',
      ].join('\r\n');
      const contracts = await count(db, 'contract');
      const audits = await count(db, 'audit_log');
      for (const dryRun of [true, false]) {
        const r = await importContracts(db, bad, { dryRun }, OP, NOW);
        assert.equal(r.applied, false);
        assert.deepEqual(r.lines.map((l) => [l.line, l.action, ...(l.action === 'error' ? l.problems.map((x) => `${x.field}:${x.key}`) : [])]), [
          [2, 'create'],
          [3, 'error', 'organisation:contracts.org_unknown'],
          [4, 'error', 'number:contracts.number_invalid'],
          [5, 'error', 'service:contracts.service_unknown'],
          [6, 'error', 'number:contracts.duplicate_in_file'],
          [7, 'error', 'number:contracts.number_other_org'],
          [8, 'error', 'status:contracts.status_invalid'],
          [9, 'change'],
        ]);
        assert.equal(r.errors, 6);
        const change = r.lines[7]!;
        assert.ok(change.action === 'change');
        assert.deepEqual(change.changes, [
          { field: 'memo', from: 'old', to: 'new' }, { field: 'status', from: 'normal', to: 'maintenance' }, { field: 'service', from: 'pbx', to: 'fax' },
        ]);
        assert.equal(await count(db, 'contract'), contracts, `nothing written (dry run: ${dryRun})`);
        assert.equal(await count(db, 'audit_log'), audits);
      }
      const good = [
        'number,organisation,service,site,memo,status,group_number',
        `N100000002,${a.id},pbx,大阪,"memo, with comma",,G1`,
        `n１０００００００３,${a.id},fax,"名古屋""支店""",,failure,`,
        `N100000001,${a.id},fax,東京,new,maintenance,`,
        `N100000006,${a.id},pbx,,,,`,
      ].join('\n');
      const dry = await importContracts(db, good, { dryRun: true }, OP, NOW);
      assert.deepEqual([dry.created, dry.changed, dry.unchanged, dry.errors, dry.applied], [3, 1, 0, 0, false]);
      assert.equal(await count(db, 'contract'), contracts);
      const done = await importContracts(db, good, { dryRun: false }, OP, NOW + 5);
      assert.deepEqual([done.created, done.changed, done.errors, done.applied], [3, 1, 0, true]);
      assert.equal(await count(db, 'contract'), contracts + 3);
      const n3 = await db.selectFrom('contract').selectAll().where('number', '=', 'N100000003').executeTakeFirstOrThrow();
      assert.deepEqual([n3.site, n3.status, n3.organisation_id], ['名古屋"支店"', 'failure', a.id]);
      // The changed contract's grant followed: the customer's list shows it as maintenance, under fax.
      const scope = await contractScope(db, { userId: u.userId, organisationId: a.id, role: 'general' });
      assert.deepEqual((await listContracts(db, scope, { status: 'maintenance' })).rows.map((x) => `${x.number}/${x.service_code}/${x.memo}`), ['N100000001/fax/new']);
      assert.deepEqual((await listAllContracts(db, { q: '名古屋' })).rows.map((x) => x.number), ['N100000003']);
      const imported = await db.selectFrom('audit_log').select(['detail', 'organisation_id']).where('event', '=', 'contracts.imported').execute();
      assert.deepEqual(imported.map((r) => JSON.parse(r.detail)), [{ org: a.id, via: 'cli', created: 3, changed: 1 }]);
      // Run again: every line is now unchanged (an import can be re-run).
      const again = await importContracts(db, good, { dryRun: false }, OP, NOW + 6);
      assert.deepEqual([again.created, again.changed, again.unchanged], [0, 0, 4]);
    });

    it('CSV import: whole-file problems are named and write nothing', async (t) => {
      const { db } = await freshDb(dialect, t);
      const { a } = await world(db);
      const problem = async (csv: string) => (await importContracts(db, csv, { dryRun: false }, OP, NOW)).fileProblem?.key;
      assert.equal(await problem(''), 'contracts.import_empty');
      assert.equal(await problem('organisation,number,service\n'), 'contracts.import_empty');
      assert.equal(await problem(`organisation,numbr,service\n${a.id},N100000001,pbx`), 'contracts.csv_header');
      assert.equal(await problem(`organisation,number,service\n${a.id},"N100000001,pbx`), 'contracts.csv_unreadable');
      assert.equal(await problem(`organisation,number,service\n${a.id},N1"00000001,pbx`), 'contracts.csv_unreadable');
      const r = await importContracts(db, `organisation,number,service\n${a.id},N100000001,pbx,extra`, { dryRun: false }, OP, NOW);
      assert.deepEqual(r.lines.map((l) => l.action === 'error' && l.problems.map((x) => x.key)), [['contracts.csv_columns']]);
      assert.equal(await count(db, 'contract'), 0);
    });
  });
}
