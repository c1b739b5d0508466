// The shared failure counters in Redis (S15: "Redis for shared throttling"), used when REDIS_URL is
// set. Same contract as DbThrottle (src/auth/throttle/test/throttle-contract.test.ts runs one test
// against both): an attempt is counted before the credential is checked, and counting, the lock it
// earns and the refusal while locked are one Lua script, so Redis runs them as one atomic step
// whichever node asks (SECURITY.md item 21; docs/decisions/003-throttle-single-write.md).
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { DomainError } from '../../errors.ts';
import { lockMsFor, lockSetBy, type Throttle, type ThrottlePolicy, type ThrottleVerdict } from './db-throttle.ts';

/** One hash per key: failures, locked_until, updated_at (epoch ms of the app's clock, like the database row). */
const BEGIN = `
local now = tonumber(ARGV[1])
local resetAfter = tonumber(ARGV[2])
local h = redis.call('HMGET', KEYS[1], 'failures', 'locked_until', 'updated_at')
local failures = tonumber(h[1]) or 0
local lockedUntil = tonumber(h[2]) or 0
local updatedAt = tonumber(h[3]) or now
if lockedUntil > now then return {0, lockedUntil} end
if updatedAt < now - resetAfter then failures = 0 end
failures = failures + 1
-- ARGV[5 + i]: the lock earned by failure number freeFailures + i (precomputed, the last one for
-- every failure beyond: the same CASE as DbThrottle's UPDATE).
local lockMs = 0
local free = tonumber(ARGV[3])
if failures >= free then
  local i = math.min(failures - free, #ARGV - 5)
  lockMs = tonumber(ARGV[5 + i])
  lockedUntil = now + lockMs
end
redis.call('HSET', KEYS[1], 'failures', failures, 'locked_until', string.format('%.0f', lockedUntil), 'updated_at', string.format('%.0f', now))
-- Expiry only collects garbage (Redis time); the decisions above use the app's clock.
redis.call('PEXPIRE', KEYS[1], math.max(resetAfter, lockMs) + tonumber(ARGV[4]))
return {1, failures}
`;

/** DbThrottle.refund's guarded write, as one script: one attempt back, its own lock lifted. */
const REFUND = `
local h = redis.call('HMGET', KEYS[1], 'failures', 'locked_until')
local failures = tonumber(h[1])
if not failures or failures <= 0 then return 0 end
local lockedUntil = tonumber(h[2]) or 0
if lockedUntil == tonumber(ARGV[1]) or failures - 1 < tonumber(ARGV[2]) then lockedUntil = 0 end
redis.call('HSET', KEYS[1], 'failures', failures - 1, 'locked_until', string.format('%.0f', lockedUntil))
return 1
`;

/** Lock lengths passed to the script: failures freeFailures … freeFailures + 20, then maxLockMs. */
const LOCK_STEPS = 21;
/** Extra lifetime of a key past the point where the script would ignore it anyway. */
const EXPIRY_SLACK_MS = 60_000;

interface ThrottleCommands {
  bpThrottleBegin(key: string, ...args: (string | number)[]): Promise<[number, number]>;
  bpThrottleRefund(key: string, mine: number, free: number): Promise<number>;
}

export interface RedisThrottleOptions {
  /** Prepended to every key ("bp:throttle:"); tests use a random one to stay apart. */
  prefix: string;
  /** Connection trouble is reported here (never with the URL: it may hold a password). */
  onError?: (message: string) => void;
  /**
   * Redis came back without the counters (restarted without persistence, flushed, failed over to
   * an empty replica): every running lockout and count is gone. Called once per such reconnect.
   */
  onCountersLost?: () => void;
}

/** Marker under the prefix, with no expiry: while it holds the value this node saw, the counters are the same. */
const EPOCH_KEY = '__epoch';

export class RedisThrottle implements Throttle {
  readonly redis: Redis;
  private readonly prefix: string;
  /** The marker value this node saw last; null before the first connection. */
  private epoch: string | null = null;
  /** Resolves when the marker check of the latest (re)connection is done (tests wait on it). */
  epochChecked: Promise<void> = Promise.resolve();

  constructor(url: string, opts: RedisThrottleOptions) {
    this.prefix = opts.prefix;
    this.redis = new Redis(url, {
      // Fail fast while Redis is away: an attempt that cannot be counted is refused (fail closed),
      // not queued behind reconnects for seconds.
      maxRetriesPerRequest: 1,
      connectTimeout: 2_000,
      commandTimeout: 2_000,
      retryStrategy: (times) => Math.min(times * 100, 2_000),
    });
    let healthy = true;
    this.redis.on('error', (err: Error) => {
      if (healthy) opts.onError?.(`redis throttle: ${err.message}`);
      healthy = false;
    });
    this.redis.on('ready', () => {
      healthy = true;
      this.epochChecked = this.checkEpoch(opts.onCountersLost);
    });
    this.redis.defineCommand('bpThrottleBegin', { numberOfKeys: 1, lua: BEGIN });
    this.redis.defineCommand('bpThrottleRefund', { numberOfKeys: 1, lua: REFUND });
  }

  async begin(key: string, p: ThrottlePolicy, now: number): Promise<ThrottleVerdict> {
    const locks = [...Array.from({ length: LOCK_STEPS }, (_, i) => lockMsFor(p, p.freeFailures + i)), p.maxLockMs];
    const [ok, n] = await this.call(() => (this.redis as unknown as ThrottleCommands)
      .bpThrottleBegin(this.prefix + key, now, p.resetAfterMs, p.freeFailures, EXPIRY_SLACK_MS, ...locks));
    if (ok !== 1) return { ok: false, retryAt: Math.max(now + 1000, Number(n)) };
    return { ok: true, failures: Number(n) };
  }

  async succeed(key: string): Promise<void> {
    await this.call(() => this.redis.del(this.prefix + key));
  }

  async lockedUntil(key: string, now: number): Promise<number> {
    const v = Number(await this.call(() => this.redis.hget(this.prefix + key, 'locked_until')));
    return v > now ? v : 0;
  }

  async clear(key: string): Promise<void> {
    await this.succeed(key);
  }

  async refund(key: string, p: ThrottlePolicy, counted: { failures: number; at: number }): Promise<void> {
    await this.call(() => (this.redis as unknown as ThrottleCommands).bpThrottleRefund(this.prefix + key, lockSetBy(p, counted), p.freeFailures));
  }

  /**
   * Issue 15 §9: on each (re)connection, compare the marker with the one seen before. A Redis that
   * lost its data has no marker; the first node back writes a fresh one (SET NX) and every node,
   * seeing a value it did not see before, reports the loss.
   */
  private async checkEpoch(onLost?: () => void, tries = 0): Promise<void> {
    try {
      const key = this.prefix + EPOCH_KEY;
      await this.redis.set(key, randomBytes(8).toString('hex'), 'NX');
      const current = await this.redis.get(key);
      if (this.epoch !== null && current !== this.epoch) onLost?.();
      this.epoch = current;
    } catch {
      // Redis went away again: the next 'ready' checks. Still connected (a command timed out on a
      // busy machine): try again, or a loss would go unreported until the next reconnection.
      if (this.redis.status !== 'ready' || tries >= 5) return;
      await sleep(200 * 2 ** tries, undefined, { ref: false });
      return this.checkEpoch(onLost, tries + 1);
    }
  }

  /** Readiness (/readyz): Redis answers. */
  async ping(): Promise<void> {
    await this.redis.ping();
  }

  async close(): Promise<void> {
    // quit() waits for replies to commands sent; if Redis is gone it would wait, so disconnect then.
    if (this.redis.status === 'ready') await this.redis.quit().catch(() => this.redis.disconnect());
    else this.redis.disconnect();
  }

  /** Redis unreachable → "busy, try again" (503 + Retry-After), the cause kept for the log. */
  private async call<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      throw new DomainError('common.busy', { seconds: 5 }, {}, { cause: err });
    }
  }
}
