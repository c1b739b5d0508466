// The outbox store on both databases: leases, backoff to 'dead', release, listing and stats.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { freshDb, testDialects } from '../../../test/helpers/db.ts';
import {
  MAX_ATTEMPTS, claimDue, enqueueMail, listOutbox, markFailed, markSent, queueStats, releaseLeases, retryDelayMs,
} from '../outbox.ts';
import type { Db } from '../../db/index.ts';

const NOW = Date.UTC(2025, 0, 6, 0, 0);
const LEASE = { leaseMs: 60_000, limit: 50 };

async function enqueueMany(db: Db, n: number, now = NOW): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    ids.push(await enqueueMail(db, { to: `u${i}@example.com`, subject: `s${i}`, bodyText: 'b', kind: 'mail_otp', userId: null }, now));
  }
  return ids;
}

for (const dialect of testDialects()) {
  describe(`${dialect}: mail outbox store`, () => {
    it('leases a due mail to one owner until the lease expires', async (t) => {
      const { db } = await freshDb(dialect, t);
      const [id] = await enqueueMany(db, 1);
      const a = await claimDue(db, dialect, 'a', NOW, LEASE);
      assert.deepEqual(a.map((m) => m.id), [id]);
      assert.equal(a[0]!.leaseUntil, NOW + LEASE.leaseMs);
      assert.deepEqual(await claimDue(db, dialect, 'b', NOW + 59_999, LEASE), []);
      const b = await claimDue(db, dialect, 'b', NOW + 60_000, LEASE);
      assert.deepEqual(b.map((m) => m.id), [id]);
      // The first owner lost the mail: its outcome is not recorded.
      assert.equal(await markSent(db, id!, 'a', NOW + 60_001), false);
      assert.equal(await markFailed(db, id!, 'a', 'late', NOW + 60_001), null);
      assert.equal(await markSent(db, id!, 'b', NOW + 60_002), true);
      assert.equal(await markSent(db, id!, 'b', NOW + 60_003), false);
      const [row] = await listOutbox(db, { limit: 10 });
      assert.equal(row!.state, 'sent');
      assert.equal(row!.sentAt, NOW + 60_002);
    });

    it('claims nothing before next_attempt_at and honours the limit', async (t) => {
      const { db } = await freshDb(dialect, t);
      await enqueueMany(db, 5, NOW + 1000);
      assert.equal((await claimDue(db, dialect, 'a', NOW, LEASE)).length, 0);
      assert.equal((await claimDue(db, dialect, 'a', NOW + 1000, { leaseMs: 1000, limit: 3 })).length, 3);
      assert.equal((await claimDue(db, dialect, 'b', NOW + 1000, LEASE)).length, 2);
    });

    it('backs off exponentially and marks the mail dead after MAX_ATTEMPTS, keeping the error', async (t) => {
      const { db } = await freshDb(dialect, t);
      const [id] = await enqueueMany(db, 1);
      let now = NOW;
      for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
        const [claimed] = await claimDue(db, dialect, 'w', now, LEASE);
        assert.equal(claimed?.id, id, `attempt ${attempt} claims the mail`);
        const state = await markFailed(db, id!, 'w', `550 rejected #${attempt}`, now);
        assert.equal(state, attempt < MAX_ATTEMPTS ? 'queued' : 'dead');
        const [row] = await listOutbox(db, { limit: 1 });
        assert.equal(row!.attempts, attempt);
        assert.equal(row!.nextAttemptAt, now + retryDelayMs(attempt));
        assert.equal(row!.leaseOwner, null);
        // Not due again before the backoff has passed.
        assert.deepEqual(await claimDue(db, dialect, 'w', row!.nextAttemptAt - 1, LEASE), []);
        now = row!.nextAttemptAt;
      }
      const [dead] = await listOutbox(db, { limit: 1, state: 'dead' });
      assert.equal(dead!.lastError, `550 rejected #${MAX_ATTEMPTS}`);
      assert.deepEqual(await claimDue(db, dialect, 'w', now + 86_400_000, LEASE), []);
      assert.deepEqual([1, 2, 7, 8, 20].map(retryDelayMs), [30_000, 60_000, 1_920_000, 3_600_000, 3_600_000]);
    });

    it('releases leases so another worker may send at once', async (t) => {
      const { db } = await freshDb(dialect, t);
      const ids = await enqueueMany(db, 4);
      await claimDue(db, dialect, 'draining', NOW, LEASE);
      assert.equal(await releaseLeases(db, 'draining', [ids[0]!]), 1);
      assert.deepEqual((await claimDue(db, dialect, 'other', NOW, LEASE)).map((m) => m.id), [ids[0]]);
      assert.equal(await releaseLeases(db, 'draining'), 3);
      assert.equal((await claimDue(db, dialect, 'other', NOW, LEASE)).length, 3);
    });

    it('lists newest first without bodies unless asked, and reports queue stats', async (t) => {
      const { db } = await freshDb(dialect, t);
      const old = await enqueueMail(db, { to: 'a@example.com', subject: 'old', bodyText: 'code 123456', kind: 'mail_otp', userId: null }, NOW);
      const recent = await enqueueMail(db, { to: 'b@example.com', subject: 'new', bodyText: 'x', kind: 'mail_otp', userId: null }, NOW + 5000);
      const listed = await listOutbox(db, { limit: 10 });
      assert.deepEqual(listed.map((m) => m.id), [recent, old]);
      assert.equal(listed[0]!.bodyText, undefined);
      assert.equal((await listOutbox(db, { limit: 10, includeBody: true }))[1]!.bodyText, 'code 123456');
      assert.deepEqual(await queueStats(db, NOW + 65_000), { queued: 2, dead: 0, oldestQueuedAgeMs: 65_000 });
      assert.deepEqual(await listOutbox(db, { limit: 10, state: 'dead' }), []);
      await claimDue(db, dialect, 'w', NOW + 5000, LEASE);
      await markSent(db, old, 'w', NOW + 6000);
      assert.deepEqual(await queueStats(db, NOW + 65_000), { queued: 1, dead: 0, oldestQueuedAgeMs: 60_000 });
      await markSent(db, recent, 'w', NOW + 6000);
      assert.deepEqual(await queueStats(db, NOW + 65_000), { queued: 0, dead: 0, oldestQueuedAgeMs: 0 });
    });

    it('gives each mail to exactly one of 10 concurrent claimers', async (t) => {
      const { db } = await freshDb(dialect, t);
      const ids = await enqueueMany(db, 300);
      const owners = Array.from({ length: 10 }, (_, i) => `w${i}`);
      const claimed = new Map<string, string>();
      // Each claimer keeps claiming small batches until nothing is left, all at the same time.
      await Promise.all(owners.map(async (owner) => {
        for (;;) {
          const batch = await claimDue(db, dialect, owner, NOW, { leaseMs: 60_000, limit: 7 });
          if (batch.length === 0) return;
          for (const m of batch) {
            assert.equal(claimed.get(m.id), undefined, `mail ${m.id} claimed twice`);
            claimed.set(m.id, owner);
          }
        }
      }));
      assert.equal(claimed.size, ids.length);
      const rows = await listOutbox(db, { limit: 1000 });
      for (const r of rows) assert.equal(r.leaseOwner, claimed.get(r.id));
    });
  });
}
