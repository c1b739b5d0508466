// Migration 022 (issue 13 §3, decision 042): the TOTP columns of app_user move into `factor` rows on
// both databases: the sealed secret as it was (still opens with the user id as AAD), the enrolment
// time, and the replay guard (a step used before the upgrade stays used); then the columns are gone.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import { bareDb, testDialects } from '../../../test/helpers/db.ts';
import { migrateToLatest } from '../index.ts';
import { createOrganisation } from '../../auth/tenancy/organisations.ts';
import { open, seal } from '../../auth/crypto/secret-box.ts';
import { acceptTotpStep } from '../../auth/login/factor-store.ts';
import { findUserById } from '../../auth/users/store.ts';

const NOW = 1_800_000_000_000;
const STEP = Math.floor(NOW / 30_000);

const openEmpty = bareDb;

for (const dialect of testDialects()) {
  describe(`${dialect}: migration 022 (factors as rows)`, () => {
    it('moves enrolled TOTP secrets, enrolment times and replay guards into factor rows, then drops the columns', async (t) => {
      const h = await openEmpty(dialect, t);
      await migrateToLatest(h.db, { upTo: '021_aggregates_and_mail_quota' });
      const org = await createOrganisation(h.db, { name: 'A', kind: 'direct' }, NOW);
      const key = randomBytes(32);
      const old = h.db as unknown as Kysely<any>;
      const user = (id: string, totp: Record<string, unknown>) => old.insertInto('app_user').values({
        id, organisation_id: org.id, login_id: `${id}@example.com`, login_id_canonical: `${id}@example.com`, email: `${id}@example.com`,
        name: id, phone: '0312345678', role: 'general', lang: 'ja', password_hash: null, password_set_at: null, second_factor: 'totp',
        totp_secret_enc: null, totp_enrolled_at: null, totp_last_step: 0,
        security_epoch: 0, disabled_at: null, last_login_at: null, origin: 'portal', created_at: NOW, updated_at: NOW, ...totp,
      }).execute();
      await user('enrolled', { totp_secret_enc: seal(key, 'JBSWY3DPEHPK3PXP', 'enrolled'), totp_enrolled_at: NOW - 5000, totp_last_step: STEP });
      await user('fresh', {});
      // A secret without an enrolment time was never active (schema.ts said so): it does not move.
      await user('half', { totp_secret_enc: seal(key, 'JBSWY3DPEHPK3PXQ', 'half') });

      await migrateToLatest(h.db);

      const rows = await h.db.selectFrom('factor').selectAll().execute();
      assert.equal(rows.length, 1);
      const f = rows[0]!;
      assert.deepEqual({ user: f.user_id, kind: f.kind, created: f.created_at, step: f.last_step, label: f.label },
        { user: 'enrolled', kind: 'totp', created: NOW - 5000, step: STEP, label: null });
      assert.equal(open([key], f.secret_enc, 'enrolled'), 'JBSWY3DPEHPK3PXP', 'the sealed secret moved as it was');
      assert.equal(await acceptTotpStep(h.db, 'enrolled', STEP), false, 'a step used before the upgrade stays used');
      assert.equal(await acceptTotpStep(h.db, 'enrolled', STEP + 1, NOW + 30_000), true);
      assert.equal(await acceptTotpStep(h.db, 'fresh', STEP + 1), false, 'no factor, nothing accepted');

      assert.equal((await findUserById(h.db, 'enrolled'))!.totp_enrolled_at, NOW - 5000);
      assert.equal((await findUserById(h.db, 'fresh'))!.totp_enrolled_at, null);
      assert.equal((await findUserById(h.db, 'half'))!.totp_secret_enc, null);
      for (const column of ['totp_secret_enc', 'totp_enrolled_at', 'totp_last_step']) {
        await assert.rejects(old.selectFrom('app_user').select(column).execute(), `${column} is dropped`);
      }
      // Deleting a user takes its factors with it.
      await old.deleteFrom('app_user').where('id', '=', 'enrolled').execute();
      assert.equal((await h.db.selectFrom('factor').selectAll().execute()).length, 0);
    });
  });
}
