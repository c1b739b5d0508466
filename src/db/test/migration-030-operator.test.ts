// Migration 030 (issue 26, the provider's console): existing tickets become 'normal' and unassigned,
// existing users have no operator role, and there can be only one provider organisation — also
// when two are written at once — on both databases; its down() restores the shape before it.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Kysely } from 'kysely';
import { bareDb, testDialects } from '../../../test/helpers/db.ts';
import { migrateToLatest } from '../index.ts';
import * as m030 from '../migrations/030_operator.ts';

const NOW = 1_800_000_000_000;
const org = (id: string, kind: string) => ({ id, name: id, kind, parent_id: null, profile: 'business', trusted_browsers_enabled_at: null, mail_otp_disabled_at: null, created_at: NOW });

for (const dialect of testDialects()) {
  describe(`${dialect}: migration 030 (operators, ticket severity and assignee)`, () => {
    it('defaults existing rows, allows one provider organisation only, and goes down again', async (t) => {
      const h = await bareDb(dialect, t);
      await migrateToLatest(h.db, { upTo: '022_factor' });
      const old = h.db as unknown as Kysely<any>;
      await old.insertInto('organisation').values(org('o', 'direct')).execute();
      await old.insertInto('app_user').values({
        id: 'u', organisation_id: 'o', login_id: 'u@x.example', login_id_canonical: 'u@x.example', email: 'u@x.example', name: 'u', phone: '0312345678',
        role: 'admin', lang: 'ja', password_hash: null, password_set_at: null, second_factor: null, security_epoch: 0, disabled_at: null, last_login_at: null,
        origin: 'portal', created_at: NOW, updated_at: NOW,
      }).execute();
      await old.insertInto('ticket').values({
        id: 't', organisation_id: 'o', number: 'T000000001', category: 'portal', service_id: null, contract_id: null, subject: 's', status: 'open',
        author_user_id: 'u', created_at: NOW, updated_at: NOW, closed_at: null,
      }).execute();

      await migrateToLatest(h.db);
      assert.deepEqual(await h.db.selectFrom('ticket').select(['severity', 'assignee_user_id']).executeTakeFirstOrThrow(), { severity: 'normal', assignee_user_id: null });
      assert.equal((await h.db.selectFrom('app_user').select('operator_role').executeTakeFirstOrThrow()).operator_role, null);

      await old.insertInto('organisation').values(org('p1', 'provider')).execute();
      await assert.rejects(old.insertInto('organisation').values(org('p2', 'provider')).execute(), 'a second provider organisation');
      const both = await Promise.allSettled([old.insertInto('organisation').values(org('d1', 'direct')).execute(), old.insertInto('organisation').values(org('d2', 'direct')).execute()]);
      assert.deepEqual(both.map((r) => r.status), ['fulfilled', 'fulfilled'], 'customer organisations are not limited');

      await m030.down(old);
      await assert.rejects(old.selectFrom('ticket').select('severity').execute(), 'no severity column after down()');
      await assert.rejects(old.selectFrom('app_user').select('operator_role').execute(), 'no operator_role column after down()');
      await old.insertInto('organisation').values(org('p2', 'provider')).execute();
    });
  });
}
