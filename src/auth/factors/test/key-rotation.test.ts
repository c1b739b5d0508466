// TOTP key rotation: every secret re-sealed under the new key, resumable, on both databases.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { freshDb, testDialects } from '../../../../test/helpers/db.ts';
import { createOrganisation } from '../../tenancy/organisations.ts';
import { insertUser } from '../../users/store.ts';
import { keyId, open, seal } from '../../crypto/secret-box.ts';
import { rotateTotpSecrets } from '../key-rotation.ts';

const NOW = 1_800_000_000_000;

for (const dialect of testDialects()) {
  describe(`${dialect}: TOTP key rotation`, () => {
    it('re-seals every secret with the new key in batches, and a second run finds nothing to do', async (t) => {
      const { db } = await freshDb(dialect, t);
      const oldKey = randomBytes(32);
      const newKey = randomBytes(32);
      const org = await createOrganisation(db, { name: 'A', kind: 'direct' }, NOW);
      const secrets = new Map<string, string>();
      for (let i = 0; i < 25; i++) {
        const u = await insertUser(db, { organisationId: org.id, loginId: `u${i}@example.com`, email: `u${i}@example.com`, name: 'n', phone: '0312345678', role: 'general', lang: 'ja' }, NOW);
        const secret = `SECRET${i}`.padEnd(32, 'A');
        secrets.set(u.id, secret);
        await db.updateTable('app_user').set({ totp_secret_enc: seal(oldKey, secret, u.id) }).where('id', '=', u.id).execute();
      }
      const batches: number[] = [];
      const r = await rotateTotpSecrets(db, [newKey, oldKey], { batch: 10, onBatch: (p) => batches.push(p.done) });
      assert.deepEqual(r, { done: 25, remaining: 0 });
      assert.deepEqual(batches, [10, 20, 25]);
      const rows = await db.selectFrom('app_user').select(['id', 'totp_secret_enc']).execute();
      for (const row of rows) {
        assert.ok(row.totp_secret_enc!.startsWith(`v1.${keyId(newKey)}.`));
        assert.equal(open(newKey, row.totp_secret_enc!, row.id), secrets.get(row.id));
        assert.throws(() => open(oldKey, row.totp_secret_enc!, row.id));
      }
      assert.deepEqual(await rotateTotpSecrets(db, [newKey, oldKey]), { done: 0, remaining: 0 });
    });
  });
}
