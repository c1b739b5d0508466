// The maintenance calendar's secret URL (issue 24 item 3): one live token per user, shown once,
// revocable. A token is «id + secret» (22 + 43 URL-safe characters, 128 + 256 random bits): the id
// finds the row, the secret is compared in constant time with the stored SHA-256 (the split-token
// shape of session and link tokens). Unknown, malformed, revoked, or a disabled user's: all null,
// so the feed answers 404 alike.
import type { Db } from '../../db/index.ts';
import { constantTimeEqual, newId, randomToken, sha256Hex } from '../../lib/index.ts';
import { audit } from '../../audit/log.ts';
import { findPublicUser, type PublicUser } from '../../auth/service.ts';
import { activeTokenOf, findToken, insertToken, revokeTokensOf, touchToken } from './store.ts';

const ID_CHARS = 22;
const SECRET_CHARS = 43;
export const TOKEN_PATTERN = new RegExp(`^[A-Za-z0-9_-]{${ID_CHARS + SECRET_CHARS}}$`);

export interface CalendarTokenMeta { createdAt: number; lastUsedAt: number | null }

export async function calendarTokenOf(db: Db, userId: string): Promise<CalendarTokenMeta | null> {
  const row = await activeTokenOf(db, userId);
  return row ? { createdAt: row.created_at, lastUsedAt: row.last_used_at } : null;
}

/** A new token for the user (any older one is revoked in the same transaction); audited. The token is returned once. */
export async function createCalendarToken(db: Db, user: { id: string; organisationId: string }, ip: string, now: number): Promise<string> {
  let id = newId();
  while (id.length !== ID_CHARS) id = newId();
  const secret = randomToken(32);
  await db.transaction().execute(async (trx) => {
    await revokeTokensOf(trx, user.id, now);
    await insertToken(trx, { id, user_id: user.id, token_hash: sha256Hex(secret), created_at: now, revoked_at: null, last_used_at: null });
    await audit(trx, { event: 'calendar.token_created', actorUserId: user.id, subjectUserId: user.id, organisationId: user.organisationId, ip }, now);
  });
  return id + secret;
}

export async function revokeCalendarToken(db: Db, user: { id: string; organisationId: string }, ip: string, now: number): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const n = await revokeTokensOf(trx, user.id, now);
    if (n) await audit(trx, { event: 'calendar.token_revoked', actorUserId: user.id, subjectUserId: user.id, organisationId: user.organisationId, ip }, now);
    return n > 0;
  });
}

/** The user a feed token stands for, or null (unknown, malformed, revoked, user disabled). */
export async function userOfCalendarToken(db: Db, token: string, now: number): Promise<PublicUser | null> {
  if (!TOKEN_PATTERN.test(token)) return null;
  const row = await findToken(db, token.slice(0, ID_CHARS));
  // Compared even for an unknown id, against a hash that matches nothing, so both paths do the same work.
  const ok = constantTimeEqual(row?.token_hash ?? '-', sha256Hex(token.slice(ID_CHARS)));
  if (!row || !ok || row.revoked_at !== null) return null;
  const user = await findPublicUser(db, row.user_id);
  if (!user || user.disabled_at !== null) return null;
  await touchToken(db, row.id, now);
  return user;
}
