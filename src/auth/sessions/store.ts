// Server-side sessions (S5, SECURITY.md items 28–31). The cookie holds a 256-bit random token;
// only its SHA-256 is stored, so a database leak gives no usable session.
import type { Db } from '../../db/index.ts';
import type { SessionTable } from '../../db/schema.ts';
import { randomToken, sha256Hex } from '../crypto/tokens.ts';
import { findPageRow, type PageRow } from './page-row.ts';

export type SessionRow = SessionTable;
export interface NewSession {
  userId: string; aal: SessionRow['aal']; skipReason: string | null; ip: string; userAgent: string;
  /** aal2: the second factor used (the OpenID Connect provider's `amr`); absent when skipped. */
  factor?: string | null;
  /** RFC 8176 methods (src/auth/sessions/amr.ts), stored as a JSON array (issue 23 item 5). */
  amr?: readonly string[];
  /**
   * The user's security epoch the login was verified at (item 38): the login flow's, so a change
   * that raced the last step leaves a session that is dead on arrival. Absent: the current one.
   */
  securityEpoch?: number;
}
export interface SessionTimes { idleMs: number; absoluteMs: number }

/** Sliding idle expiry is written at most once a minute: one write per page would cost a row lock. */
const TOUCH_EVERY_MS = 60_000;

export async function createSession(db: Db, s: NewSession, times: SessionTimes, now: number): Promise<string> {
  const token = randomToken();
  await db.insertInto('session').values({
    id: sha256Hex(token),
    user_id: s.userId,
    aal: s.aal,
    skip_reason: s.skipReason,
    created_at: now,
    last_seen_at: now,
    idle_expires_at: now + times.idleMs,
    expires_at: now + times.absoluteMs,
    ip: s.ip,
    user_agent: s.userAgent.slice(0, 300),
    revoked_at: null,
    factor: s.factor ?? null,
    amr: s.amr ? JSON.stringify(s.amr) : null,
    security_epoch: s.securityEpoch ?? db.selectFrom('app_user').select('security_epoch').where('id', '=', s.userId),
  }).execute();
  return token;
}

/**
 * The live session for a cookie token, or null (unknown, revoked, idle or absolute timeout), with
 * what a page needs besides (page-row.ts: the user, organisation, terms, groups) from the same one
 * statement. Every authenticated request runs this. The user's own rules (disabled, security epoch)
 * are the caller's (resolve.ts).
 */
export async function findLivePageRow(db: Db, token: string, times: SessionTimes, now: number): Promise<PageRow | null> {
  if (token.length < 40 || token.length > 60) return null;
  const found = await findPageRow(db, sha256Hex(token));
  if (!found) return null;
  const row = found.session;
  if (row.revoked_at !== null || row.expires_at <= now || row.idle_expires_at <= now) return null;
  if (now - row.last_seen_at >= TOUCH_EVERY_MS) {
    const idle = Math.min(now + times.idleMs, row.expires_at);
    await db.updateTable('session').set({ last_seen_at: now, idle_expires_at: idle })
      .where('id', '=', row.id).where('revoked_at', 'is', null).execute();
    row.last_seen_at = now;
    row.idle_expires_at = idle;
  }
  return found;
}

/** The live session row alone (same statement and rules as findLivePageRow). */
export async function findLiveSession(db: Db, token: string, times: SessionTimes, now: number): Promise<SessionRow | null> {
  return (await findLivePageRow(db, token, times, now))?.session ?? null;
}

export async function revokeSessionByToken(db: Db, token: string, now: number): Promise<void> {
  await db.updateTable('session').set({ revoked_at: now }).where('id', '=', sha256Hex(token)).where('revoked_at', 'is', null).execute();
}

export async function revokeSessionById(db: Db, userId: string, id: string, now: number): Promise<boolean> {
  const r = await db.updateTable('session').set({ revoked_at: now })
    .where('id', '=', id).where('user_id', '=', userId).where('revoked_at', 'is', null).executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

/** Ends every session of a user (disable, reset, "sign out everywhere"); `exceptId` keeps the caller's. */
export async function revokeAllSessions(db: Db, userId: string, now: number, exceptId?: string): Promise<number> {
  let q = db.updateTable('session').set({ revoked_at: now }).where('user_id', '=', userId).where('revoked_at', 'is', null);
  if (exceptId) q = q.where('id', '!=', exceptId);
  const r = await q.executeTakeFirst();
  return Number(r.numUpdatedRows);
}

export async function listLiveSessions(db: Db, userId: string, now: number): Promise<SessionRow[]> {
  return db.selectFrom('session').selectAll()
    .where('user_id', '=', userId).where('revoked_at', 'is', null)
    .where((eb) => eb('security_epoch', '=', eb.selectFrom('app_user').select('app_user.security_epoch').where('app_user.id', '=', userId)))
    .where('expires_at', '>', now).where('idle_expires_at', '>', now)
    .orderBy('created_at', 'desc').execute();
}
