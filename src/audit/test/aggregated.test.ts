// SECURITY.md items 43 and 44: the aggregated audit row and the mail quota are single guarded
// writes — 20 at once on one key give one row counting 20, and one mail, on both databases.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { freshDb, testDialects } from '../../../test/helpers/db.ts';
import { auditAggregated } from '../log.ts';
import { GUIDE_QUOTA, quotaState, takeMailQuota } from '../../mail/quota.ts';

const NOW = Date.UTC(2025, 3, 1, 0, 0);

for (const dialect of testDialects()) {
  describe(`${dialect}: aggregated audit rows and mail quotas under races`, () => {
    it('20 refused attempts at once on one lock: one row, counted 20 times', async (t) => {
      const { db } = await freshDb(dialect, t);
      await Promise.all(Array.from({ length: 20 }, (_, i) => auditAggregated(db, { event: 'login.locked', ip: '192.0.2.1', factor: 'password' }, 'pw:taro|1000', NOW + i)));
      await auditAggregated(db, { event: 'login.locked', ip: '192.0.2.1', factor: 'password' }, 'pw:taro|2000', NOW);
      const rows = await db.selectFrom('audit_log').select(['repeat_count', 'at', 'last_at']).orderBy('repeat_count', 'desc').execute();
      assert.deepEqual(rows.map((r) => Number(r.repeat_count)), [20, 1], 'a new lock is a new row');
      assert.equal(Number(rows[0]!.last_at), NOW + 19);
    });

    it('mail quota: 20 takes at once give one; the cooldown, then the daily cap, then a new window', async (t) => {
      const { db } = await freshDb(dialect, t);
      const verdicts = await Promise.all(Array.from({ length: 20 }, () => takeMailQuota(db, 'guide:u1', GUIDE_QUOTA, NOW)));
      assert.equal(verdicts.filter((v) => v.ok).length, 1);
      let at = NOW;
      for (let i = 2; i <= GUIDE_QUOTA.cap; i++) {
        assert.equal((await takeMailQuota(db, 'guide:u1', GUIDE_QUOTA, at + 30_000)).ok, false, 'within the cooldown');
        at += GUIDE_QUOTA.cooldownMs;
        assert.deepEqual(await takeMailQuota(db, 'guide:u1', GUIDE_QUOTA, at), { ok: true, count: i });
      }
      at += GUIDE_QUOTA.cooldownMs;
      assert.equal((await takeMailQuota(db, 'guide:u1', GUIDE_QUOTA, at)).ok, false, 'the daily cap');
      const s = await quotaState(db, 'guide:u1', GUIDE_QUOTA, at);
      assert.deepEqual([s.count, s.waiting, s.nextAt], [GUIDE_QUOTA.cap, true, NOW + GUIDE_QUOTA.windowMs]);
      assert.deepEqual(await takeMailQuota(db, 'guide:u1', GUIDE_QUOTA, NOW + GUIDE_QUOTA.windowMs), { ok: true, count: 1 });
    });
  });
}
