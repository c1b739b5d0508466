// Server-side sessions (S5, SECURITY.md items 28–31). The cookie holds a 256-bit random token;
// only its SHA-256 is stored, so a database leak gives no usable session.
import { createQueryId, type CompiledQuery } from 'kysely';
import type { Db } from '../../db/index.ts';
import type { SessionTable } from '../../db/schema.ts';
import { randomToken, sha256Hex } from '../crypto/tokens.ts';

export type SessionRow = SessionTable;
export interface NewSession {
  userId: string; aal: SessionRow['aal']; skipReason: string | null; ip: string; userAgent: string;
  /** aal2: the second factor used (the OpenID Connect provider's `amr`); absent when skipped. */
  factor?: string | null;
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
    security_epoch: s.securityEpoch ?? db.selectFrom('app_user').select('security_epoch').where('id', '=', s.userId),
  }).execute();
  return token;
}

/**
 * The live session for a cookie token, or null (unknown, revoked, idle or absolute timeout).
 * Every authenticated request runs this, so its query is built once per database handle and run
 * with the token's hash as its only parameter (docs/performance.md: Kysely builds a query on each
 * call otherwise).
 */
export async function findLiveSession(db: Db, token: string, times: SessionTimes, now: number): Promise<SessionRow | null> {
  if (token.length < 40 || token.length > 60) return null;
  const result = await db.executeQuery<SessionRow>({ ...sessionByIdQuery(db), queryId: createQueryId(), parameters: [sha256Hex(token)] });
  const row = result.rows[0];
  if (!row || row.revoked_at !== null || row.expires_at <= now || row.idle_expires_at <= now) return null;
  if (now - row.last_seen_at >= TOUCH_EVERY_MS) {
    const idle = Math.min(now + times.idleMs, row.expires_at);
    await db.updateTable('session').set({ last_seen_at: now, idle_expires_at: idle })
      .where('id', '=', row.id).where('revoked_at', 'is', null).execute();
    row.last_seen_at = now;
    row.idle_expires_at = idle;
  }
  return row;
}

const sessionByIdQueries = new WeakMap<Db, CompiledQuery<SessionRow>>();

/** `select * from session where id = ?`, compiled once per handle (the SQL differs by dialect; a transaction compiles its own). */
function sessionByIdQuery(db: Db): CompiledQuery<SessionRow> {
  let q = sessionByIdQueries.get(db);
  if (!q) {
    q = db.selectFrom('session').selectAll().where('id', '=', '').compile();
    if (q.parameters.length !== 1) throw new Error('session lookup: expected exactly one parameter');
    sessionByIdQueries.set(db, q);
  }
  return q;
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

/** When the user's previous login happened: the newest session other than the current one. */
export async function previousLoginAt(db: Db, userId: string, currentId: string): Promise<number | null> {
  const row = await db.selectFrom('session').select('created_at').where('user_id', '=', userId)
    .where('id', '!=', currentId).orderBy('created_at', 'desc').limit(1).executeTakeFirst();
  return row?.created_at ?? null;
}
