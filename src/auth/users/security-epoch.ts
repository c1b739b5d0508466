// The security epoch (SECURITY.md item 38): one counter per user, bumped in one statement by every
// password change or reset, 2-step lock, disable and 2-step change. Every flow and session records
// the epoch it was opened at; flow steps (src/auth/flows/flow.ts) and the session lookup
// (src/auth/session-plugin.ts) refuse an older one, so the change ends them on every node at once.
import type { Db } from '../../db/index.ts';
import { supersedeAllLinks } from '../links/store.ts';
import { revokeAllSessions } from '../sessions/store.ts';

/** What survives a bump: the session the change was made from, the flow that made it. */
export interface EpochKeep { sessionId?: string | undefined; flowId?: string | undefined }

/**
 * Starts a new security epoch for the user and returns it: every session (but `keep.sessionId`) is
 * revoked, every outstanding setup and reset link superseded, and every pending flow (but
 * `keep.flowId`) dies by its older epoch. Run it inside the transaction that makes the change.
 */
export async function bumpSecurityEpoch(db: Db, userId: string, now: number, keep: EpochKeep = {}): Promise<number> {
  const row = await db.updateTable('app_user')
    .set((eb) => ({ security_epoch: eb('security_epoch', '+', 1), updated_at: now }))
    .where('id', '=', userId).returning('security_epoch').executeTakeFirstOrThrow();
  const epoch = Number(row.security_epoch);
  await revokeAllSessions(db, userId, now, keep.sessionId);
  if (keep.sessionId) {
    await db.updateTable('session').set({ security_epoch: epoch }).where('id', '=', keep.sessionId).where('user_id', '=', userId).execute();
  }
  if (keep.flowId) {
    await db.updateTable('flow').set({ security_epoch: epoch }).where('id', '=', keep.flowId).where('user_id', '=', userId).execute();
  }
  await supersedeAllLinks(db, userId, now);
  return epoch;
}
