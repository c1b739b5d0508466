// One contract for every Throttle (S5, SECURITY.md items 21–22), run against DbThrottle on SQLite
// and PostgreSQL and against RedisThrottle: the same answers whichever store holds the counters.
// Each backend is opened as two "nodes" (two pools / two Redis connections on the same store), as
// app nodes behind a load balancer would use it. PostgreSQL or Redis down fails, never skips.
import { describe, it, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { freshDb, PG_URL, testDialects } from '../../../../test/helpers/db.ts';
import { randomPrefix, redisThrottleFor } from '../../../../test/helpers/redis.ts';
import { openDb } from '../../../db/index.ts';
import { DbThrottle, lockMsFor, type Throttle, type ThrottlePolicy } from '../db-throttle.ts';

const MIN = 60_000;
const POLICY: ThrottlePolicy = { freeFailures: 5, baseLockMs: MIN, maxLockMs: 15 * MIN, resetAfterMs: 12 * 60 * MIN };
const NOW = 1_750_000_000_000;

interface Backend { name: string; nodes(t: TestContext): Promise<[Throttle, Throttle]> }

const backends: Backend[] = [
  ...testDialects().map((dialect): Backend => ({
    name: `DbThrottle (${dialect})`,
    async nodes(t) {
      const h = await freshDb(dialect, t);
      if (dialect === 'sqlite') return [new DbThrottle(h.db), new DbThrottle(h.db)];
      // A second pool on the same schema: another node's connections.
      const other = openDb(PG_URL, { schema: h.schema!, poolSize: 25 });
      t.after(() => other.close());
      return [new DbThrottle(h.db), new DbThrottle(other.db)];
    },
  })),
  {
    name: 'RedisThrottle',
    async nodes(t) {
      const prefix = randomPrefix();
      return [redisThrottleFor(t, prefix), redisThrottleFor(t, prefix)];
    },
  },
];

for (const backend of backends) {
  describe(`${backend.name}: throttle contract`, () => {
    it('50 parallel attempts on one key from two nodes: exactly freeFailures are let through', async (t) => {
      const [a, b] = await backend.nodes(t);
      const verdicts = await Promise.all(Array.from({ length: 50 }, (_, i) => (i % 2 ? a : b).begin('pw:victim', POLICY, NOW)));
      const allowed = verdicts.filter((v) => v.ok);
      assert.equal(allowed.length, POLICY.freeFailures);
      assert.deepEqual(allowed.map((v) => (v.ok ? v.failures : 0)).sort((x, y) => x - y), [1, 2, 3, 4, 5], 'each allowed attempt got its own count');
      for (const v of verdicts) if (!v.ok) assert.equal(v.retryAt, NOW + POLICY.baseLockMs);
      assert.equal(await b.lockedUntil('pw:victim', NOW), NOW + POLICY.baseLockMs);
    });

    it('refuses while locked, lets one attempt through when the lock ends, and each further failure locks longer', async (t) => {
      const [a, b] = await backend.nodes(t);
      for (let i = 0; i < POLICY.freeFailures; i++) assert.ok((await a.begin('otp:u1', POLICY, NOW)).ok);
      let end = NOW + POLICY.baseLockMs;
      assert.deepEqual(await b.begin('otp:u1', POLICY, NOW + 1), { ok: false, retryAt: end });
      assert.deepEqual(await b.begin('otp:u1', POLICY, end - 1), { ok: false, retryAt: end - 1 + 1000 }, 'never "retry now"');
      // Refused attempts do not extend the lock.
      assert.equal(await a.lockedUntil('otp:u1', end - 1), end);
      for (const factor of [2, 4, 8, 15]) {
        const v = await (factor % 4 ? a : b).begin('otp:u1', POLICY, end);
        assert.equal(v.ok, true, 'one attempt once the lock has ended');
        const next = end + Math.min(POLICY.maxLockMs, POLICY.baseLockMs * factor);
        assert.equal(await b.lockedUntil('otp:u1', end), next, `lock ×${factor}`);
        assert.equal((await a.begin('otp:u1', POLICY, end)).ok, false, 'and then locked again');
        end = next;
      }
      assert.equal(end - (NOW + POLICY.baseLockMs + 2 * MIN + 4 * MIN + 8 * MIN), 15 * MIN, 'capped at maxLockMs');
      assert.equal(lockMsFor(POLICY, POLICY.freeFailures + 30), POLICY.maxLockMs);
      assert.equal(await a.lockedUntil('otp:u1', end), 0, 'a lock always ends (no permanent lockout, item 22)');
    });

    it('a success clears the key on every node: a fresh allowance', async (t) => {
      const [a, b] = await backend.nodes(t);
      for (let i = 0; i < POLICY.freeFailures; i++) await a.begin('pw:alice', POLICY, NOW);
      assert.ok((await b.lockedUntil('pw:alice', NOW)) > NOW);
      await b.succeed('pw:alice');
      assert.equal(await a.lockedUntil('pw:alice', NOW), 0);
      assert.deepEqual(await a.begin('pw:alice', POLICY, NOW), { ok: true, failures: 1 });
      await a.clear('pw:alice');
      assert.deepEqual(await b.begin('pw:alice', POLICY, NOW), { ok: true, failures: 1 }, 'clear (admin unlock) too');
    });

    it('a key quiet for resetAfterMs starts from zero; a shorter pause does not', async (t) => {
      const [a, b] = await backend.nodes(t);
      for (let i = 0; i < 3; i++) await a.begin('pw:bob', POLICY, NOW);
      assert.deepEqual(await b.begin('pw:bob', POLICY, NOW + POLICY.resetAfterMs), { ok: true, failures: 4 }, 'not yet quiet long enough');
      assert.deepEqual(await b.begin('pw:bob', POLICY, NOW + 2 * POLICY.resetAfterMs + 1), { ok: true, failures: 1 });
    });

    it('keys are independent and an unknown key is not locked', async (t) => {
      const [a, b] = await backend.nodes(t);
      for (let i = 0; i < POLICY.freeFailures; i++) await a.begin('pw:carol', POLICY, NOW);
      assert.equal((await a.begin('pw:carol', POLICY, NOW)).ok, false);
      assert.deepEqual(await b.begin('pw:dave', POLICY, NOW), { ok: true, failures: 1 });
      assert.equal(await b.lockedUntil('pw:nobody', NOW), 0);
    });

    it('refund (item 45): an attempt given back no longer counts, and the lock it set is lifted on every node', async (t) => {
      const [a, b] = await backend.nodes(t);
      // Four real failures, then the fifth attempt (which sets the lock) meets an outage: refunded.
      for (let i = 0; i < POLICY.freeFailures - 1; i++) await a.begin('pw:erin', POLICY, NOW);
      const fifth = await b.begin('pw:erin', POLICY, NOW);
      assert.deepEqual(fifth, { ok: true, failures: 5 });
      assert.equal(await a.lockedUntil('pw:erin', NOW), NOW + POLICY.baseLockMs);
      await a.refund('pw:erin', POLICY, { failures: 5, at: NOW });
      assert.equal(await b.lockedUntil('pw:erin', NOW), 0, 'the lock the refunded attempt set is gone');
      assert.deepEqual(await b.begin('pw:erin', POLICY, NOW + 1), { ok: true, failures: 5 }, 'the count went back to 4');
      // Many refunds of attempts that each met an outage: none counts, nothing locks.
      const verdicts = await Promise.all(Array.from({ length: 10 }, () => a.begin('pw:frank', POLICY, NOW)));
      assert.equal(verdicts.filter((v) => v.ok).length, POLICY.freeFailures);
      await Promise.all(verdicts.map((v) => (v.ok ? b.refund('pw:frank', POLICY, { failures: v.failures, at: NOW }) : null)));
      assert.equal(await a.lockedUntil('pw:frank', NOW), 0);
      assert.deepEqual(await a.begin('pw:frank', POLICY, NOW), { ok: true, failures: 1 });
      // A refund of a key that a success has cleared meanwhile changes nothing.
      await b.succeed('pw:frank');
      await a.refund('pw:frank', POLICY, { failures: 1, at: NOW });
      assert.deepEqual(await a.begin('pw:frank', POLICY, NOW), { ok: true, failures: 1 });
    });
  });
}
