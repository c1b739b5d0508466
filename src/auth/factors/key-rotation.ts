// TOTP_KEY rotation (issue 10 §6): re-seals every secret stored under the secret box with the
// current key, column by column, in batches, resumable (each run picks up whatever is not yet under
// the new key). A value changed concurrently (a re-enrolment, a new client secret) is left to the
// newer write by a guarded UPDATE. The columns are listed by src/sealed-at-rest.ts, which knows
// each one's AAD; this file knows none of the modules.
import type { Kysely } from 'kysely';
import type { Db } from '../../db/index.ts';
import { boxKeyId, keyId, open, seal } from '../crypto/secret-box.ts';

export interface RotationProgress { done: number; remaining: number }

/**
 * One sealed column: its table, the row's key column, the box column, the columns the AAD is made
 * of and how. Empty and null values are not boxes (a passkey row's '', a private_key_jwt client).
 */
export interface SealedColumn {
  name: string;
  table: string;
  key: string;
  column: string;
  aadFrom: string;
  aad: (value: string) => string;
}

type Row = { k: string; box: string; a: string };

/** Re-seals one column; returns how many were done and how many remain under another key. */
export async function rotateColumn(db: Db, ring: Buffer[], col: SealedColumn, opts: { batch?: number; onBatch?: (p: RotationProgress) => void } = {}): Promise<RotationProgress> {
  // The table and column names come from the fixed list in sealed-at-rest.ts, never from input.
  const any = db as unknown as Kysely<Record<string, Record<string, string>>>;
  const current = ring[0]!;
  const kid = keyId(current);
  const batch = opts.batch ?? 200;
  const stale = () => any.selectFrom(col.table)
    .where(col.column, 'is not', null).where(col.column, '!=', '').where(col.column, 'not like', `v1.${kid}.%`);
  let done = 0;
  for (;;) {
    const rows = await stale().select([`${col.key} as k`, `${col.column} as box`, `${col.aadFrom} as a`]).orderBy(col.key).limit(batch).execute() as unknown as Row[];
    if (rows.length === 0) break;
    await any.transaction().execute(async (trx) => {
      for (const r of rows) {
        // The AAD binds the box to its row: a secret cannot be moved to another row.
        const resealed = seal(current, open(ring, r.box, col.aad(r.a)), col.aad(r.a));
        await trx.updateTable(col.table).set({ [col.column]: resealed }).where(col.key, '=', r.k).where(col.column, '=', r.box).execute();
      }
    });
    done += rows.length;
    opts.onBatch?.({ done, remaining: await countStale() });
  }
  return { done, remaining: await countStale() };

  async function countStale(): Promise<number> {
    const r = await stale().select((e) => e.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    return Number(r.n);
  }
}

/** The TOTP secrets alone (the `factor` rows; AAD = the user id). */
export const FACTOR_SECRETS: SealedColumn = { name: 'TOTP secrets', table: 'factor', key: 'id', column: 'secret_enc', aadFrom: 'user_id', aad: (userId) => userId };

export async function rotateTotpSecrets(db: Db, ring: Buffer[], opts: { batch?: number; onBatch?: (p: RotationProgress) => void } = {}): Promise<RotationProgress> {
  return rotateColumn(db, ring, FACTOR_SECRETS, opts);
}

export { boxKeyId };
