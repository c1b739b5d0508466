// Setup (starting guide) and reset links (SECURITY.md item 6): ≥128-bit tokens stored as SHA-256,
// single use by a guarded UPDATE, expiring, superseded by a newer link of the same purpose.
import type { Db } from '../../db/index.ts';
import type { LinkTokenTable } from '../../db/schema.ts';
import { newId, randomToken, sha256Hex } from '../crypto/tokens.ts';

export type LinkRow = LinkTokenTable;
export type LinkPurpose = LinkRow['purpose'];

/** Issues a link token; every older live link of the same purpose for the user stops working. */
export async function issueLink(db: Db, userId: string, purpose: LinkPurpose, ttlMs: number, now: number): Promise<{ token: string; row: LinkRow }> {
  await db.updateTable('link_token').set({ superseded_at: now })
    .where('user_id', '=', userId).where('purpose', '=', purpose)
    .where('used_at', 'is', null).where('superseded_at', 'is', null).execute();
  const token = randomToken();
  const row: LinkRow = {
    id: newId(), user_id: userId, purpose, token_hash: sha256Hex(token), expires_at: now + ttlMs,
    used_at: null, superseded_at: null, identity_failures: 0, created_at: now,
  };
  await db.insertInto('link_token').values(row).execute();
  return { token, row };
}

export async function findLinkByToken(db: Db, token: string): Promise<LinkRow | undefined> {
  if (token.length < 20 || token.length > 100) return undefined;
  return db.selectFrom('link_token').selectAll().where('token_hash', '=', sha256Hex(token)).executeTakeFirst();
}

export async function findLinkById(db: Db, id: string): Promise<LinkRow | undefined> {
  return db.selectFrom('link_token').selectAll().where('id', '=', id).executeTakeFirst();
}

export function linkUsable(l: LinkRow, now: number, maxIdentityFailures: number): boolean {
  return l.used_at === null && l.superseded_at === null && l.expires_at > now && l.identity_failures < maxIdentityFailures;
}

/** Marks the link used; true for exactly one caller even under parallel redemption. */
export async function consumeLink(db: Db, id: string, now: number): Promise<boolean> {
  const r = await db.updateTable('link_token').set({ used_at: now })
    .where('id', '=', id).where('used_at', 'is', null).where('superseded_at', 'is', null).where('expires_at', '>', now)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/**
 * Every other live link of the user stops working: once a password is set through one link, an
 * older starting-guide or reset link must not set it again (item 6; OWASP Forgot Password).
 */
export async function supersedeAllLinks(db: Db, userId: string, now: number): Promise<void> {
  await db.updateTable('link_token').set({ superseded_at: now })
    .where('user_id', '=', userId).where('used_at', 'is', null).where('superseded_at', 'is', null).execute();
}

/**
 * Reserves one identity-verification attempt before the answer is checked, so parallel guesses
 * cannot exceed the limit (S2.1: too many wrong answers lock the link). False = the link is locked.
 */
export async function reserveIdentityAttempt(db: Db, id: string, max: number): Promise<boolean> {
  const r = await db.updateTable('link_token')
    .set((eb) => ({ identity_failures: eb('identity_failures', '+', 1) }))
    .where('id', '=', id).where('identity_failures', '<', max).executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** A right answer gives its reserved attempt back (only wrong answers stay counted). */
export async function releaseIdentityAttempt(db: Db, id: string): Promise<void> {
  await db.updateTable('link_token')
    .set((eb) => ({ identity_failures: eb('identity_failures', '-', 1) }))
    .where('id', '=', id).where('identity_failures', '>', 0).execute();
}
