// S8 permission rule on both databases: groups grant contracts; admins see their organisation;
// partner admins also their children; nothing crosses organisations through a group.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { testDialects, freshDb } from '../../../test/helpers/db.ts';
import type { Db } from '../../db/index.ts';
import { contractScope, contractVisible, mayViewContract, type Viewer } from '../access.ts';

const NOW = 1_800_000_000_000;

async function world(db: Db) {
  const org = (id: string, kind: string, parent: string | null = null) => db.insertInto('organisation').values({
    id, name: id, kind: kind as 'direct', parent_id: parent, profile: 'business',
    trusted_browsers_enabled_at: null, mail_otp_disabled_at: null, created_at: NOW,
  }).execute();
  await org('partner', 'partner'); await org('child', 'child', 'partner'); await org('other', 'direct');
  const user = (id: string, orgId: string, role: 'admin' | 'general') => db.insertInto('app_user').values({
    id, organisation_id: orgId, login_id: id, email: `${id}@example.com`, name: id, phone: '0', role, lang: 'ja',
    password_hash: null, password_set_at: null, second_factor: null, security_epoch: 0, disabled_at: null, last_login_at: null, origin: 'portal', created_at: NOW, updated_at: NOW,
  }).execute();
  await user('padmin', 'partner', 'admin'); await user('pgen', 'partner', 'general'); await user('pgen2', 'partner', 'general');
  await user('cadmin', 'child', 'admin'); await user('oadmin', 'other', 'admin');
  await db.insertInto('service_category').values({ id: 'cat', code: 'dc', name_ja: 'データセンター', name_en: 'Data centre', position: 1 }).execute();
  await db.insertInto('service').values({ id: 'svc', code: 'colo', category_id: 'cat', name_ja: 'コロケーション', name_en: 'Colocation', settings_site_url: null, created_at: NOW }).execute();
  const contract = (id: string, orgId: string) => db.insertInto('contract').values({
    id, organisation_id: orgId, number: `N${id.padStart(9, '0')}`, group_number: '', service_id: 'svc', site: '', memo: '',
    status: 'normal', search_text: id, created_at: NOW, updated_at: NOW,
  }).execute();
  for (const [id, o] of [['1', 'partner'], ['2', 'partner'], ['3', 'child'], ['4', 'other']] as const) await contract(id, o);
  await db.insertInto('user_group').values([
    { id: 'gA', organisation_id: 'partner', name: 'A', created_at: NOW },
    { id: 'gX', organisation_id: 'partner', name: 'X', created_at: NOW },
  ]).execute();
  await db.insertInto('user_group_member').values([{ group_id: 'gA', user_id: 'pgen' }, { group_id: 'gX', user_id: 'pgen2' }]).execute();
  // gA may view contract 1; gX was (wrongly) granted another organisation's contract 4.
  await db.insertInto('contract_group_access').values([
    { group_id: 'gA', contract_id: '1', granted_at: NOW }, { group_id: 'gX', contract_id: '4', granted_at: NOW },
  ]).execute();
}

const viewers: Record<string, Viewer> = {
  padmin: { userId: 'padmin', organisationId: 'partner', role: 'admin' },
  pgen: { userId: 'pgen', organisationId: 'partner', role: 'general' },
  pgen2: { userId: 'pgen2', organisationId: 'partner', role: 'general' },
  cadmin: { userId: 'cadmin', organisationId: 'child', role: 'admin' },
  oadmin: { userId: 'oadmin', organisationId: 'other', role: 'admin' },
};

for (const dialect of testDialects()) {
  describe(`${dialect}: contract visibility (S8)`, () => {
    it('groups grant, admins see their organisation, partner admins their children, nothing crosses tenants', async (t) => {
      const { db } = await freshDb(dialect, t);
      await world(db);
      const expected: Record<string, string[]> = {
        padmin: ['1', '2', '3'], pgen: ['1'], pgen2: [], cadmin: ['3'], oadmin: ['4'],
      };
      for (const [name, ids] of Object.entries(expected)) {
        const scope = await contractScope(db, viewers[name]!);
        const rows = await db.selectFrom('contract').select('id').where(contractVisible(scope)).orderBy('id').execute();
        assert.deepEqual(rows.map((r) => r.id), ids, name);
        for (const id of ['1', '2', '3', '4']) assert.equal(await mayViewContract(db, scope, id), ids.includes(id), `${name} → ${id}`);
      }
    });
  });
}

// Issue 17: a general user's list, count and services read the grant table's copy of the
// contract's columns (migration 012). A copy that goes stale is the classic bug: a change of a
// contract must show in the user's filtered list at once, and a contract granted to two of the
// user's groups must still list once.
for (const dialect of testDialects()) {
  describe(`${dialect}: a general user's list follows the contract (grant copy, migration 012)`, () => {
    it('a status, number or service change is seen in the filtered list, count and services; two grants list once', async (t) => {
      const { db } = await freshDb(dialect, t);
      await world(db);
      const { pageOfContracts, countContracts, servicesWithVisibleContracts } = await import('../contracts/store.ts');
      await db.insertInto('service').values({ id: 'svc2', code: 'net', category_id: 'cat', name_ja: 'ネットワーク', name_en: 'Network', settings_site_url: null, created_at: NOW }).execute();
      await db.insertInto('user_group').values({ id: 'gB', organisation_id: 'partner', name: 'B', created_at: NOW }).execute();
      await db.insertInto('user_group_member').values({ group_id: 'gB', user_id: 'pgen' }).execute();
      await db.insertInto('contract_group_access').values([
        { group_id: 'gA', contract_id: '2', granted_at: NOW }, { group_id: 'gB', contract_id: '2', granted_at: NOW },
      ]).execute();
      const scope = await contractScope(db, viewers.pgen!);
      const list = async (f: Parameters<typeof pageOfContracts>[2]) => (await pageOfContracts(db, scope, f, 0, 10)).map((r) => `${r.id}:${r.status}:${r.number}`);
      assert.deepEqual(await list({ terms: [] }), ['1:normal:N000000001', '2:normal:N000000002']);
      assert.equal(await countContracts(db, scope, { terms: [] }, 100), 2);
      assert.deepEqual(await list({ terms: [], status: 'failure' }), []);

      await db.updateTable('contract').set({ status: 'failure', updated_at: NOW + 1 }).where('id', '=', '2').execute();
      assert.deepEqual(await list({ terms: [], status: 'failure' }), ['2:failure:N000000002']);
      assert.equal(await countContracts(db, scope, { terms: [], status: 'failure' }, 100), 1);
      assert.deepEqual(await list({ terms: [], status: 'normal' }), ['1:normal:N000000001']);

      // The number orders the list; the service filters it and names the user's services.
      await db.updateTable('contract').set({ number: 'N000000000', service_id: 'svc2' }).where('id', '=', '2').execute();
      assert.deepEqual(await list({ terms: [] }), ['2:failure:N000000000', '1:normal:N000000001']);
      assert.deepEqual(await list({ terms: [], serviceId: 'svc2' }), ['2:failure:N000000000']);
      assert.deepEqual((await servicesWithVisibleContracts(db, scope)).map((s) => s.id).sort(), ['svc', 'svc2']);
      await db.updateTable('contract').set({ service_id: 'svc' }).where('id', '=', '2').execute();
      assert.deepEqual((await servicesWithVisibleContracts(db, scope)).map((s) => s.id), ['svc']);

      // The copy never lets a contract cross organisations: moved to another organisation, it is gone.
      await db.updateTable('contract').set({ organisation_id: 'other' }).where('id', '=', '1').execute();
      assert.deepEqual(await list({ terms: [] }), ['2:failure:N000000000']);
      assert.equal(await countContracts(db, scope, { terms: [] }, 100), 1);
    });
  });
}
