// findLiveSession runs on every authenticated request with a query compiled once per database
// handle (docs/performance.md). It keeps the session rules: unknown, malformed, revoked, idle and
// absolute timeouts refuse; the idle expiry slides at most once a minute; a transaction handle
// compiles its own query and reads inside the transaction.
import { describe, it, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { freshDb, testDialects } from '../../../../test/helpers/db.ts';
import { createOrganisation } from '../../tenancy/organisations.ts';
import { insertUser } from '../../users/store.ts';
import { sha256Hex } from '../../crypto/tokens.ts';
import { createSession, findLiveSession, revokeSessionByToken } from '../store.ts';

const NOW = 1_750_000_000_000;
const times = { idleMs: 30 * 60_000, absoluteMs: 12 * 3_600_000 };

for (const dialect of testDialects()) {
  describe(`${dialect}: findLiveSession`, () => {
    async function given(t: TestContext) {
      const h = await freshDb(dialect, t);
      const org = await createOrganisation(h.db, { name: 'Acme', kind: 'direct' }, NOW);
      const user = await insertUser(h.db, { organisationId: org.id, loginId: 'u1', email: 'u1@example.com', name: 'User One', phone: '0312345678', role: 'general', lang: 'ja' }, NOW);
      const token = await createSession(h.db, { userId: user.id, aal: 'aal2', skipReason: null, ip: '10.0.0.1', userAgent: 'ua' }, times, NOW);
      return { db: h.db, user, token };
    }

    it('returns the stored row, numbers as numbers, for each of several sessions', async (t) => {
      const { db, user, token } = await given(t);
      const other = await createSession(db, { userId: user.id, aal: 'aal1_skipped', skipReason: 'trusted_network', ip: '10.0.0.2', userAgent: 'ua2' }, times, NOW);
      const stored = await db.selectFrom('session').selectAll().where('id', '=', sha256Hex(token)).executeTakeFirstOrThrow();
      assert.deepEqual(await findLiveSession(db, token, times, NOW + 1000), stored);
      const second = await findLiveSession(db, other, times, NOW + 1000);
      assert.equal(second?.skip_reason, 'trusted_network');
      assert.equal(second?.id, sha256Hex(other));
      assert.equal(typeof second?.expires_at, 'number');
    });

    it('refuses an unknown, malformed, revoked, idle or expired session', async (t) => {
      const { db, token } = await given(t);
      assert.equal(await findLiveSession(db, 'x'.repeat(43), times, NOW), null);
      assert.equal(await findLiveSession(db, 'short', times, NOW), null);
      assert.equal(await findLiveSession(db, token, times, NOW + times.idleMs), null);
      assert.equal(await findLiveSession(db, token, times, NOW + times.absoluteMs), null);
      await revokeSessionByToken(db, token, NOW + 1);
      assert.equal(await findLiveSession(db, token, times, NOW + 2), null);
    });

    it('slides the idle expiry at most once a minute', async (t) => {
      const { db, token } = await given(t);
      assert.equal((await findLiveSession(db, token, times, NOW + 59_000))?.last_seen_at, NOW);
      const later = await findLiveSession(db, token, times, NOW + 61_000);
      assert.equal(later?.idle_expires_at, NOW + 61_000 + times.idleMs);
      const stored = await db.selectFrom('session').select(['last_seen_at', 'idle_expires_at']).where('id', '=', sha256Hex(token)).executeTakeFirstOrThrow();
      assert.deepEqual(stored, { last_seen_at: NOW + 61_000, idle_expires_at: NOW + 61_000 + times.idleMs });
    });

    it('works on a transaction handle, seeing the transaction\'s own writes', async (t) => {
      const { db, user } = await given(t);
      await db.transaction().execute(async (trx) => {
        const token = await createSession(trx, { userId: user.id, aal: 'aal2', skipReason: null, ip: '10.0.0.3', userAgent: 'ua' }, times, NOW);
        assert.equal((await findLiveSession(trx, token, times, NOW + 1))?.ip, '10.0.0.3');
      });
    });
  });
}
