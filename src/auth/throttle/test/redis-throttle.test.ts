// What only RedisThrottle has: its keys live under the configured prefix and expire on their own
// (no table to sweep), and with Redis away an attempt is refused as "busy", never let through.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Redis } from 'ioredis';
import { deletePrefix, keysUnder, randomPrefix, redisThrottleFor, REDIS_URL } from '../../../../test/helpers/redis.ts';
import { closedPort } from '../../../../test/helpers/smtp.ts';
import { DomainError } from '../../../errors.ts';
import { PASSWORD_POLICY } from '../db-throttle.ts';
import { RedisThrottle } from '../redis-throttle.ts';

const NOW = Date.now();

/** The counters under a prefix, without the marker that detects lost counters. */
const counterKeys = async (prefix: string) => (await keysUnder(prefix)).filter((k) => k !== `${prefix}__epoch`);

describe('RedisThrottle', () => {
  it('keeps one hash per key under the prefix, with an expiry past the reset period and the lock', async (t) => {
    const prefix = randomPrefix();
    const throttle = redisThrottleFor(t, prefix);
    for (let i = 0; i < PASSWORD_POLICY.freeFailures; i++) await throttle.begin('pw:erin', PASSWORD_POLICY, NOW);
    assert.deepEqual(await counterKeys(prefix), [`${prefix}pw:erin`]);
    const r = new Redis(REDIS_URL);
    t.after(() => r.disconnect());
    const ttl = await r.pttl(`${prefix}pw:erin`);
    assert.ok(ttl > PASSWORD_POLICY.resetAfterMs && ttl <= PASSWORD_POLICY.resetAfterMs + 60_000, `pttl ${ttl}`);
    assert.deepEqual(await r.hgetall(`${prefix}pw:erin`), {
      failures: String(PASSWORD_POLICY.freeFailures), locked_until: String(NOW + PASSWORD_POLICY.baseLockMs), updated_at: String(NOW),
    });
    await throttle.succeed('pw:erin');
    assert.deepEqual(await counterKeys(prefix), []);
  });

  it('Redis unreachable: begin fails closed with common.busy (503 + Retry-After), it never answers ok', async (t) => {
    const throttle = new RedisThrottle(`redis://127.0.0.1:${await closedPort()}`, { prefix: randomPrefix() });
    t.after(() => throttle.close());
    await assert.rejects(throttle.begin('pw:frank', PASSWORD_POLICY, NOW), (err: unknown) => err instanceof DomainError && err.code === 'common.busy');
    await assert.rejects(throttle.ping());
  });

  it('issue 15 §9: reports counters lost when Redis comes back without them, not when it comes back with them', async (t) => {
    const prefix = randomPrefix();
    let lost = 0;
    const throttle = new RedisThrottle(REDIS_URL, { prefix, onCountersLost: () => { lost++; } });
    t.after(async () => { await throttle.close(); await deletePrefix(prefix); });
    await throttle.begin('pw:gina', PASSWORD_POLICY, NOW);
    await throttle.epochChecked;
    // A reconnect to a Redis that kept its data (persistence): nothing to report.
    throttle.redis.disconnect(true);
    await waitReady(throttle);
    assert.equal(lost, 0);
    // What a restart without persistence leaves: no keys at all under the prefix.
    await deletePrefix(prefix);
    throttle.redis.disconnect(true);
    await waitReady(throttle);
    assert.equal(lost, 1);
  });
});

async function waitReady(throttle: RedisThrottle): Promise<void> {
  const until = Date.now() + 10_000;
  while (throttle.redis.status !== 'ready' && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
  await throttle.epochChecked;
}

