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

/** Lock earned by failure number `failures` (0 before the last free attempt). */
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
  /**
   * Gives back one attempt counted by `begin` at `at` that ended in an infrastructure failure, not
   * in a verdict on the credential (SECURITY.md item 45, docs/decisions/006): one guarded write that
   * takes the count down by one and lifts the lock that attempt set, if it is still the one in place.
   */
  refund(key: string, p: ThrottlePolicy, counted: { failures: number; at: number }): Promise<void>;
  /**
   * The same counters written through `db` (a transaction): a flow step clears and counts inside its
   * own transaction (issue 19). A store that is not the database (Redis) returns itself.
   */
  within?(db: Db): Throttle;
}

/** The lock end `begin` wrote for the attempt that got count `failures` at `at` (-1: it set none). */
export function lockSetBy(p: ThrottlePolicy, counted: { failures: number; at: number }): number {
  return counted.failures >= p.freeFailures ? counted.at + lockMsFor(p, counted.failures) : -1;
}

export class DbThrottle implements Throttle {
  constructor(private readonly db: Db) {}

  async begin(key: string, p: ThrottlePolicy, now: number): Promise<ThrottleVerdict> {
    // One atomic statement (issue 19 §3; it was three): the first attempt inserts the row with
    // count 1; a later one counts up — from zero again when the key was quiet for resetAfterMs —
    // AND, from the last free attempt on, sets the lock this attempt earns if it fails. While
    // locked, the update's condition matches nothing and nothing is returned: parallel attempts
    // beyond the allowance are refused before any credential is checked (SECURITY.md item 21,
    // decision 003: one conditional write per attempt, so N parallel guesses all count).
    const quiet = now - p.resetAfterMs;
    const next = sql<number>`(case when throttle.updated_at < ${quiet} then 1 else throttle.failures + 1 end)`;
    const lockCases = Array.from({ length: 21 }, (_, i) => p.freeFailures + i);
    const lockExpr = sql<number>`case ${sql.join(lockCases.map((n) => sql`when ${next} = ${n} then ${now + lockMsFor(p, n)}`), sql` `)} when ${next} > ${p.freeFailures + 20} then ${now + p.maxLockMs} else throttle.locked_until end`;
    const firstLock = 1 >= p.freeFailures ? now + lockMsFor(p, 1) : 0;
    const row = await this.db.insertInto('throttle')
      .values({ key, failures: 1, window_started_at: now, locked_until: firstLock, updated_at: now })
      .onConflict((oc) => oc.column('key').doUpdateSet({
        failures: next,
        window_started_at: sql<number>`case when throttle.updated_at < ${quiet} then ${now} else throttle.window_started_at end`,
        locked_until: lockExpr,
        updated_at: now,
      }).where('throttle.locked_until', '<=', now))
      .returning(['failures']).executeTakeFirst();
    if (!row) return { ok: false, retryAt: Math.max(now + 1000, await this.lockedUntil(key, now)) };
    return { ok: true, failures: Number(row.failures) };
  }

  within(db: Db): Throttle {
    return new DbThrottle(db);
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

  async refund(key: string, p: ThrottlePolicy, counted: { failures: number; at: number }): Promise<void> {
    // One statement: a refund racing other attempts on other nodes still takes off exactly one.
    await this.db.updateTable('throttle')
      .set({
        failures: sql<number>`throttle.failures - 1`,
        locked_until: sql<number>`case when throttle.locked_until = ${lockSetBy(p, counted)} or throttle.failures - 1 < ${p.freeFailures} then 0 else throttle.locked_until end`,
      })
      .where('key', '=', key).where('failures', '>', 0)
      .execute();
  }
}

/** Thresholds (documented in docs/security.md, compared with Keycloak's defaults there). */
export const PASSWORD_POLICY: ThrottlePolicy = { freeFailures: 5, baseLockMs: 60_000, maxLockMs: 15 * 60_000, resetAfterMs: 12 * 3_600_000 };
export const OTP_POLICY: ThrottlePolicy = { freeFailures: 5, baseLockMs: 60_000, maxLockMs: 15 * 60_000, resetAfterMs: 12 * 3_600_000 };
/** Per source address: generous (offices share NAT) but stops spraying many accounts from one host. */
export const IP_POLICY: ThrottlePolicy = { freeFailures: 50, baseLockMs: 5 * 60_000, maxLockMs: 60 * 60_000, resetAfterMs: 3_600_000 };
/**
 * S4 reset requests, per login ID as typed (unknown IDs count alike, item 22). Every request counts
 * and a match never clears it: a request checks no credential, and clearing would let anyone who
 * knows a user's details mail-bomb them. 5 mails in a burst, then 15 min, doubling to 1 h.
 */
export const RESET_POLICY: ThrottlePolicy = { freeFailures: 5, baseLockMs: 15 * 60_000, maxLockMs: 60 * 60_000, resetAfterMs: 12 * 3_600_000 };
/** S4 reset requests per source address: stops one host from spraying many login IDs. */
export const RESET_IP_POLICY: ThrottlePolicy = { freeFailures: 20, baseLockMs: 15 * 60_000, maxLockMs: 60 * 60_000, resetAfterMs: 3_600_000 };

/**
 * Per-source-address accounting: only failures count (an office behind one NAT address logs in
 * many times an hour), and a locked address is refused before anything is checked. The per-account
 * counter, counted up front, is the race-proof one; this one stops spraying across accounts.
 */
export async function sourceLockedUntil(t: Throttle, key: string, now: number): Promise<number> {
  return t.lockedUntil(key, now);
}
export async function countSourceFailure(t: Throttle, key: string, now: number): Promise<void> {
  await t.begin(key, IP_POLICY, now);
}
