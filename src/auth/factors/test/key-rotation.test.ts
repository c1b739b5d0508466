// TOTP key rotation: every factor row's secret re-sealed under the new key, resumable, on both databases.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { freshDb, testDialects } from '../../../../test/helpers/db.ts';
import { createOrganisation } from '../../tenancy/organisations.ts';
import { insertUser } from '../../users/store.ts';
import { keyId, open, seal } from '../../crypto/secret-box.ts';
import { rotateTotpSecrets } from '../key-rotation.ts';
import { saveTotpEnrolment } from '../../login/factor-store.ts';

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
        await saveTotpEnrolment(db, u.id, seal(oldKey, secret, u.id), 1, NOW);
      }
      const batches: number[] = [];
      const r = await rotateTotpSecrets(db, [newKey, oldKey], { batch: 10, onBatch: (p) => batches.push(p.done) });
      assert.deepEqual(r, { done: 25, remaining: 0 });
      assert.deepEqual(batches, [10, 20, 25]);
      const rows = await db.selectFrom('factor').select(['user_id', 'secret_enc']).execute();
      assert.equal(rows.length, 25);
      for (const row of rows) {
        assert.ok(row.secret_enc.startsWith(`v1.${keyId(newKey)}.`));
        assert.equal(open(newKey, row.secret_enc, row.user_id), secrets.get(row.user_id));
        assert.throws(() => open(oldKey, row.secret_enc, row.user_id));
      }
      assert.deepEqual(await rotateTotpSecrets(db, [newKey, oldKey]), { done: 0, remaining: 0 });
    });
  });
}
