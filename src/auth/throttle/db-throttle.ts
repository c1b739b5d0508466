// Shared failure counters (S5, SECURITY.md items 21–22): one row per key in the database every node
// uses. An attempt is counted BEFORE the credential is checked (`begin`), so N parallel wrong
// guesses all count; a success clears the key. Lockouts grow and always end (no permanent lockout).
import { sql } from 'kysely';
import type { Db } from '../../db/index.ts';

export interface ThrottlePolicy {
  /** Failures allowed before the first lockout. */
  freeFailures: number;
  /** First lockout; each further failure doubles it up to maxLockMs. */
  baseLockMs: number;
  maxLockMs: number;
  /** A key with no failure for this long starts from zero again. */
  resetAfterMs: number;
}

export type ThrottleVerdict = { ok: true; failures: number } | { ok: false; retryAt: number };

/** Lock length after `failures` counted failures (0 while still under the free allowance). */
export function lockMsFor(p: ThrottlePolicy, failures: number): number {
  if (failures < p.freeFailures) return 0;
  return Math.min(p.maxLockMs, p.baseLockMs * 2 ** Math.min(20, failures - p.freeFailures));
}

export interface Throttle {
  /** Refuses while locked; otherwise counts this attempt as a failure up front. */
  begin(key: string, p: ThrottlePolicy, now: number): Promise<ThrottleVerdict>;
  /** The attempt succeeded: forget the key's failures. */
  succeed(key: string): Promise<void>;
  /** Current lock end for a key (0 = none); no counting. */
  lockedUntil(key: string, now: number): Promise<number>;
  clear(key: string): Promise<void>;
}

export class DbThrottle implements Throttle {
  constructor(private readonly db: Db) {}

  async begin(key: string, p: ThrottlePolicy, now: number): Promise<ThrottleVerdict> {
    const locked = await this.lockedUntil(key, now);
    if (locked > now) return { ok: false, retryAt: locked };
    // Atomic upsert-increment: concurrent attempts each get a distinct count.
    const row = await this.db.insertInto('throttle')
      .values({ key, failures: 1, window_started_at: now, locked_until: 0, updated_at: now })
      .onConflict((oc) => oc.column('key').doUpdateSet({
        failures: sql`case when throttle.updated_at < ${now - p.resetAfterMs} then 1 else throttle.failures + 1 end`,
        window_started_at: sql`case when throttle.updated_at < ${now - p.resetAfterMs} then ${now} else throttle.window_started_at end`,
        updated_at: now,
      }))
      .returning(['failures'])
      .executeTakeFirstOrThrow();
    const failures = Number(row.failures);
    // This attempt is failure number `failures` if it fails; past the allowance it is refused outright
    // and the lock is set, so parallel attempts beyond the limit never reach the credential check.
    if (failures > p.freeFailures) {
      const until = now + lockMsFor(p, failures - 1);
      await this.db.updateTable('throttle').set({ locked_until: until })
        .where('key', '=', key).where('locked_until', '<', until).execute();
      return { ok: false, retryAt: until };
    }
    if (failures === p.freeFailures) {
      // The last free attempt: lock pre-emptively; `succeed` lifts it if the credential is right.
      const until = now + lockMsFor(p, failures);
      await this.db.updateTable('throttle').set({ locked_until: until })
        .where('key', '=', key).where('locked_until', '<', until).execute();
    }
    return { ok: true, failures };
  }

  async succeed(key: string): Promise<void> {
    await this.db.deleteFrom('throttle').where('key', '=', key).execute();
  }

  async lockedUntil(key: string, now: number): Promise<number> {
    const row = await this.db.selectFrom('throttle').select('locked_until').where('key', '=', key).executeTakeFirst();
    return row && row.locked_until > now ? row.locked_until : 0;
  }

  async clear(key: string): Promise<void> {
    await this.succeed(key);
  }
}

/** Thresholds (documented in docs/security.md, compared with Keycloak's defaults there). */
export const PASSWORD_POLICY: ThrottlePolicy = { freeFailures: 5, baseLockMs: 60_000, maxLockMs: 15 * 60_000, resetAfterMs: 12 * 3_600_000 };
export const OTP_POLICY: ThrottlePolicy = { freeFailures: 5, baseLockMs: 60_000, maxLockMs: 15 * 60_000, resetAfterMs: 12 * 3_600_000 };
/** Per source address: generous (offices share NAT) but stops spraying many accounts from one host. */
export const IP_POLICY: ThrottlePolicy = { freeFailures: 50, baseLockMs: 5 * 60_000, maxLockMs: 60 * 60_000, resetAfterMs: 3_600_000 };
