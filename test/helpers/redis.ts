// Redis for tests: TEST_REDIS_URL (default the local server). Every test gets its own random key
// prefix, deleted when it ends. Redis down is a failure, never a skip.
import type { TestContext } from 'node:test';
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { RedisThrottle } from '../../src/auth/throttle/redis-throttle.ts';

export const REDIS_URL = process.env.TEST_REDIS_URL || 'redis://127.0.0.1:6379';

export function randomPrefix(): string {
  return `bp:test:${randomBytes(6).toString('hex')}:`;
}

/** A short-lived client; a connection error shows up as the command's rejection. */
function client(): Redis {
  const r = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
  r.on('error', () => {});
  return r;
}

/** Deletes every key under `prefix` (SCAN, never KEYS on a shared server). */
export async function deletePrefix(prefix: string): Promise<void> {
  const r = client();
  try {
    let cursor = '0';
    do {
      const [next, keys] = await r.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
      if (keys.length) await r.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    r.disconnect();
  }
}

/** Keys under `prefix` right now. */
export async function keysUnder(prefix: string): Promise<string[]> {
  const r = client();
  try {
    const out: string[] = [];
    let cursor = '0';
    do {
      const [next, keys] = await r.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
      out.push(...keys);
      cursor = next;
    } while (cursor !== '0');
    return out;
  } finally {
    r.disconnect();
  }
}

/** A RedisThrottle on a fresh prefix; closed and its keys deleted when the test ends. */
export function redisThrottleFor(t: TestContext, prefix = randomPrefix()): RedisThrottle {
  const throttle = new RedisThrottle(REDIS_URL, { prefix });
  t.after(async () => {
    await throttle.close();
    // With Redis down the test has failed already; a failing hook would keep later hooks (and
    // their connections' reconnect timers) from running, and the process from ending.
    await deletePrefix(prefix).catch(() => {});
  });
  return throttle;
}
