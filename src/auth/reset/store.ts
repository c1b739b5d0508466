// Kysely only: the database work of a reset request that sends nothing (S4 «takes the same time»,
// SECURITY.md item 24).
import type { Db } from '../../db/index.ts';

/** Never a real id or key: '~' is outside the base64url alphabet of newId()/randomToken(). */
export const DECOY_ID = '~reset-decoy';

/**
 * The stand-in for issueLink + queueMail + audit on the path that sends nothing: the same tables in
 * the same order, one statement each (4 round trips), and one real row write so the commit costs
 * what the sending path's commit costs (PostgreSQL flushes WAL only for a transaction that wrote).
 * The write touches the request's own throttle row, which `begin` has just written anyway, so
 * nothing anyone can observe changes.
 */
export async function decoyResetWrites(db: Db, throttleKey: string, now: number): Promise<void> {
  await db.updateTable('link_token').set({ superseded_at: now })
    .where('user_id', '=', DECOY_ID).where('purpose', '=', 'reset')
    .where('used_at', 'is', null).where('superseded_at', 'is', null).execute();
  await db.updateTable('throttle').set({ updated_at: now }).where('key', '=', throttleKey).execute();
  await db.updateTable('mail_outbox').set({ next_attempt_at: now }).where('id', '=', DECOY_ID).execute();
  await db.selectFrom('audit_log').select('id').where('id', '=', DECOY_ID).execute();
}
