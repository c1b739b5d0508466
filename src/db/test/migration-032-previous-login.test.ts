// Migration 032 (issue 19): the user row keeps the login before the last one, back-filled from the
// sessions kept so the dashboard shows, right after the migration, what it showed before it (the
// newest session older than the last login); indexes for the session statement's group and child
// organisation reads; on both databases; its down() restores the shape before it.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Kysely } from 'kysely';
import { bareDb, testDialects } from '../../../test/helpers/db.ts';
import { migrateToLatest } from '../index.ts';
import * as m032 from '../migrations/032_previous_login.ts';

const NOW = 1_800_000_000_000;
const HOUR = 3_600_000;

for (const dialect of testDialects()) {
  describe(`${dialect}: migration 032 (previous login, group and child organisation indexes)`, () => {
    it('back-fills the previous login from the sessions, indexes, and goes down again', async (t) => {
      const h = await bareDb(dialect, t);
      await migrateToLatest(h.db, { upTo: '031_oidc' });
      const old = h.db as unknown as Kysely<any>;
      await old.insertInto('organisation').values({ id: 'o', name: 'o', kind: 'direct', parent_id: null, profile: 'business', trusted_browsers_enabled_at: null, mail_otp_disabled_at: null, created_at: NOW }).execute();
      const user = (id: string, lastLoginAt: number | null) => ({
        id, organisation_id: 'o', login_id: `${id}@x.example`, login_id_canonical: `${id}@x.example`, email: `${id}@x.example`, name: id, phone: '0312345678',
        role: 'general', lang: 'ja', password_hash: null, password_set_at: null, second_factor: null, security_epoch: 0, disabled_at: null, last_login_at: lastLoginAt,
        origin: 'portal', created_at: NOW, updated_at: NOW, operator_role: null,
      });
      // many: three logins (the newest is last_login_at); once: one login; never: none.
      await old.insertInto('app_user').values([user('many', NOW), user('once', NOW - HOUR), user('never', null)]).execute();
      const session = (id: string, userId: string, at: number) => ({
        id, user_id: userId, aal: 'aal2', skip_reason: null, created_at: at, last_seen_at: at, idle_expires_at: at + HOUR, expires_at: at + 12 * HOUR,
        ip: '10.0.0.1', user_agent: 'ua', revoked_at: null, security_epoch: 0, factor: 'totp',
      });
      await old.insertInto('session').values([
        session('s1', 'many', NOW - 3 * HOUR), session('s2', 'many', NOW - 2 * HOUR), session('s3', 'many', NOW), session('s4', 'once', NOW - HOUR),
      ]).execute();

      await migrateToLatest(h.db);
      const rows = await h.db.selectFrom('app_user').select(['id', 'previous_login_at']).orderBy('id').execute();
      assert.deepEqual(rows, [{ id: 'many', previous_login_at: NOW - 2 * HOUR }, { id: 'never', previous_login_at: null }, { id: 'once', previous_login_at: null }]);
      await assert.rejects(old.schema.createIndex('user_group_member_user_idx').on('user_group_member').column('user_id').execute(), 'the group index exists');
      await assert.rejects(old.schema.createIndex('organisation_parent_idx').on('organisation').column('parent_id').execute(), 'the parent index exists');

      await m032.down(old);
      await assert.rejects(old.selectFrom('app_user').select('previous_login_at').execute(), 'no previous_login_at after down()');
      await old.schema.createIndex('user_group_member_user_idx').on('user_group_member').column('user_id').execute();
      await old.schema.createIndex('organisation_parent_idx').on('organisation').column('parent_id').execute();
    });
  });
}
