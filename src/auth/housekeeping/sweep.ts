// Housekeeping (issue 13 §8, docs/decisions/042-factors-as-rows-and-sweeper.md): deletes what can
// never be used again: expired login/first-login/reset flows, sessions, setup/reset links and mailed
// codes, and the throttle rows of login IDs nobody has (anyone can make up login IDs, so without
// this the table grows with every typo and every spraying run). Nothing live is touched: every
// condition is "ended at least RETENTION_MS ago", and a throttle row goes only once unlocked and
// quiet for as long as its policy takes to forget it anyway.
import { sql } from 'kysely';
import type { Db } from '../../db/index.ts';
import { PASSWORD_POLICY, RESET_POLICY } from '../throttle/db-throttle.ts';
import { LOGIN_ID_PREFIXES, type ThrottlePrefix } from '../throttle/keys.ts';

/**
 * Rows stay a day past their end: an operator looking into yesterday's problem still finds them,
 * and a link or flow that just expired still answers as expired rather than unknown.
 */
export const RETENTION_MS = 24 * 3_600_000;
/** Deleted per statement, so no sweep holds locks on a large table for long. */
const BATCH = 1000;

/** After this long without a failure a key's counter starts from zero anyway (ThrottlePolicy.resetAfterMs). */
const QUIET_MS: Partial<Record<ThrottlePrefix, number>> = {
  pw: PASSWORD_POLICY.resetAfterMs,
  reset: RESET_POLICY.resetAfterMs,
};

export interface SweepCounts { flows: number; sessions: number; links: number; mailOtps: number; throttles: number; [other: string]: number }

export async function sweep(db: Db, now: number): Promise<SweepCounts> {
  const cutoff = now - RETENTION_MS;
  // Mailed codes first: they name their flow.
  const mailOtps = await batched(db, 'mail_otp', 'id', sql`expires_at <= ${cutoff}`);
  const flows = await batched(db, 'flow', 'id', sql`expires_at <= ${cutoff}`);
  const sessions = await batched(db, 'session', 'id',
    sql`(expires_at <= ${cutoff} or idle_expires_at <= ${cutoff} or (revoked_at is not null and revoked_at <= ${cutoff}))`);
  const links = await batched(db, 'link_token', 'id', sql`expires_at <= ${cutoff}`);
  let throttles = 0;
  for (const prefix of LOGIN_ID_PREFIXES) {
    const quiet = QUIET_MS[prefix];
    if (quiet === undefined) throw new Error(`sweep: no quiet time for throttle prefix ${prefix}`);
    // The key's subject is the canonical login ID cut to 254 (keys.ts); a real user's key is kept
    // whatever its age (it clears on success). substr and || are the same on SQLite and PostgreSQL.
    throttles += await batched(db, 'throttle', 'key', sql`key like ${`${prefix}:%`} and locked_until <= ${now}
      and updated_at <= ${now - quiet}
      and not exists (select 1 from app_user u where ${prefix + ':'} || substr(u.login_id_canonical, 1, 254) = throttle.key)`);
  }
  return { flows, sessions, links, mailOtps, throttles };
}

/** `delete … where <id> in (select <id> … where <cond> limit BATCH)` until nothing is left. */
async function batched(db: Db, table: string, id: string, cond: ReturnType<typeof sql>): Promise<number> {
  let total = 0;
  for (;;) {
    const r = await sql`delete from ${sql.table(table)} where ${sql.ref(id)} in
      (select ${sql.ref(id)} from ${sql.table(table)} where ${cond} limit ${BATCH})`.execute(db);
    const n = Number(r.numAffectedRows ?? 0);
    total += n;
    if (n < BATCH) return total;
  }
}
