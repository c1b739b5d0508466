// A user's matrix password positions at rest (issue 22). Sealed, not hashed: a login must read the
// digits at these positions in a grid it has just drawn, so the server needs the positions
// themselves (docs/matrix-password.md). The box is the TOTP secrets' (AES-256-GCM, key ring for
// rotation) with its own associated data, so a TOTP box copied into this table does not open here.
import type { Db } from '../../db/index.ts';
import { open, seal } from '../crypto/secret-box.ts';

/** What is sealed: the positions and the grid they were chosen on (a later MATRIX_* change keeps them readable). */
export interface MatrixSecret { rows: number; cols: number; positions: number[] }

const aad = (userId: string) => `matrix\0${userId}`;

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
