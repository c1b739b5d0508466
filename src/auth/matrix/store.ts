// A user's matrix password positions at rest (issue 22). Sealed, not hashed: a login must read the
// digits at these positions in a grid it has just drawn, so the server needs the positions
// themselves (docs/matrix-password.md). The box is the TOTP secrets' (AES-256-GCM, key ring for
// rotation) with its own associated data, so a TOTP box copied into this table does not open here.
import { sql } from 'kysely';
import type { Db } from '../../db/index.ts';
import { canonicalLoginId, emailForComparison } from '../identity/canonical.ts';
import { open, seal } from '../crypto/secret-box.ts';

/** What is sealed: the positions and the grid they were chosen on (a later MATRIX_* change keeps them readable). */
export interface MatrixSecret { rows: number; cols: number; positions: number[] }

export const aad = (userId: string) => `matrix\0${userId}`;

export function sealPositions(key: Buffer, userId: string, s: MatrixSecret): string {
  return seal(key, JSON.stringify({ r: s.rows, c: s.cols, p: s.positions }), aad(userId));
}

export function openPositions(keys: Buffer[], userId: string, box: string): MatrixSecret {
  const v = JSON.parse(open(keys, box, aad(userId))) as { r: number; c: number; p: number[] };
  return { rows: v.r, cols: v.c, positions: v.p };
}

/** Registers (or replaces) the user's positions, already sealed. */
export async function saveMatrixPassword(db: Db, userId: string, positionsEnc: string, now: number): Promise<void> {
  await db.deleteFrom('matrix_password').where('user_id', '=', userId).execute();
  await db.insertInto('matrix_password').values({ user_id: userId, positions_enc: positionsEnc, set_at: now }).execute();
}

export async function findMatrixPassword(db: Db, userId: string): Promise<string | undefined> {
  const r = await db.selectFrom('matrix_password').select('positions_enc').where('user_id', '=', userId).executeTakeFirst();
  return r?.positions_enc;
}

/** What the matrix login's entry names (seed 001 step 5 asks for the e-mail address). */
export type MatrixEntry =
  | { loginId: string; by: 'login_id' | 'email' }
  | { loginId: null; by: 'ambiguous_email' | 'none' };

/**
 * The login ID behind what was typed at the matrix login: the login ID of a matrix user (it wins),
 * else the one matrix user whose e-mail address it is. An address two matrix users share names
 * neither (the page says to type the login ID then). One indexed query whatever the outcome
 * (migration 037 indexes lower(email)); only users with registered positions, of an organisation
 * that uses the matrix, not disabled, are candidates.
 */
export async function resolveMatrixEntry(db: Db, typed: string): Promise<MatrixEntry> {
  const canonical = canonicalLoginId(typed);
  const exact = typed.trim();
  const address = emailForComparison(typed).normalize('NFKC').toLowerCase();
  const rows = await db.selectFrom('app_user')
    .innerJoin('matrix_password', 'matrix_password.user_id', 'app_user.id')
    .innerJoin('organisation', 'organisation.id', 'app_user.organisation_id')
    .select(['app_user.login_id', sql<number>`case when app_user.login_id_canonical = ${canonical} or app_user.login_id = ${exact} then 1 else 0 end`.as('by_id')])
    .where('organisation.first_factor', '=', 'matrix').where('app_user.disabled_at', 'is', null)
    .where((eb) => eb.or([
      eb('app_user.login_id_canonical', '=', canonical), eb('app_user.login_id', '=', exact),
      eb(sql`lower(app_user.email)`, '=', address),
    ]))
    .limit(3).execute();
  const byId = rows.find((r) => Number(r.by_id) === 1);
  if (byId) return { loginId: byId.login_id, by: 'login_id' };
  if (rows.length === 1) return { loginId: rows[0]!.login_id, by: 'email' };
  return rows.length ? { loginId: null, by: 'ambiguous_email' } : { loginId: null, by: 'none' };
}

/** Whether any organisation uses the matrix password: the login page then links to its login. */
export async function matrixInUse(db: Db): Promise<boolean> {
  return (await db.selectFrom('organisation').select('id').where('first_factor', '=', 'matrix').limit(1).executeTakeFirst()) !== undefined;
}
