// Migration 012 (issue 17, "Scale and speed"): grants made before it get their contract's
// organisation, service, status and number (back-fill) on both databases, and keep them in step.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Kysely } from 'kysely';
import { bareDb, testDialects } from '../../../test/helpers/db.ts';
import { migrateToLatest } from '../index.ts';

const NOW = 1_800_000_000_000;

const openEmpty = bareDb;

for (const dialect of testDialects()) {
  describe(`${dialect}: migration 012 (the grant carries the list's columns)`, () => {
    it('back-fills existing grants, then follows a contract change', async (t) => {
      const h = await openEmpty(dialect, t);
      await migrateToLatest(h.db, { upTo: '011_org_password_policy' });
      const old = h.db as unknown as Kysely<any>;
      await old.insertInto('organisation').values({ id: 'o', name: 'o', kind: 'direct', parent_id: null, profile: 'business', created_at: NOW }).execute();
      await old.insertInto('service_category').values({ id: 'cat', code: 'dc', name_ja: 'c', name_en: 'c', position: 1 }).execute();
      await old.insertInto('service').values({ id: 'svc', code: 'colo', category_id: 'cat', name_ja: 's', name_en: 's', settings_site_url: null, created_at: NOW }).execute();
      await old.insertInto('contract').values({
        id: 'c1', organisation_id: 'o', number: 'N1', group_number: '', service_id: 'svc', site: '', memo: '',
        status: 'maintenance', search_text: 'n1', created_at: NOW, updated_at: NOW,
      }).execute();
      await old.insertInto('user_group').values({ id: 'g', organisation_id: 'o', name: 'g', created_at: NOW }).execute();
      await old.insertInto('contract_group_access').values({ group_id: 'g', contract_id: 'c1', granted_at: NOW }).execute();

      await migrateToLatest(h.db);
      const row = () => h.db.selectFrom('contract_group_access').select(['organisation_id', 'service_id', 'status', 'number']).where('contract_id', '=', 'c1').executeTakeFirstOrThrow();
      assert.deepEqual(await row(), { organisation_id: 'o', service_id: 'svc', status: 'maintenance', number: 'N1' });
      await h.db.updateTable('contract').set({ status: 'normal', number: 'N0' }).where('id', '=', 'c1').execute();
      assert.deepEqual(await row(), { organisation_id: 'o', service_id: 'svc', status: 'normal', number: 'N0' });
    });
  });
}
