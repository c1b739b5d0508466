// TOTP key rotation (issue 10 §6): re-seals every stored factor secret (the `factor` rows, migration
// 022) with the current key, in batches, resumable (each run picks up whatever is not yet under the
// new key). A secret changed concurrently (re-enrolment) is left to the newer write by a guarded UPDATE.
import type { Db } from '../../db/index.ts';
import { boxKeyId, keyId, open, seal } from '../crypto/secret-box.ts';

export interface RotationProgress { done: number; remaining: number }

export async function rotateTotpSecrets(db: Db, ring: Buffer[], opts: { batch?: number; onBatch?: (p: RotationProgress) => void } = {}): Promise<RotationProgress> {
  const current = ring[0]!;
  const kid = keyId(current);
  const batch = opts.batch ?? 200;
  let done = 0;
  for (;;) {
    const rows = await db.selectFrom('factor').select(['id', 'user_id', 'secret_enc'])
      .where('secret_enc', 'not like', `v1.${kid}.%`).where('secret_enc', '!=', '')
      .orderBy('id').limit(batch).execute();
    if (rows.length === 0) break;
    await db.transaction().execute(async (trx) => {
      for (const r of rows) {
        // The box's AAD is the user id: a secret cannot be moved to another user's row.
        const resealed = seal(current, open(ring, r.secret_enc, r.user_id), r.user_id);
        await trx.updateTable('factor').set({ secret_enc: resealed })
          .where('id', '=', r.id).where('secret_enc', '=', r.secret_enc).execute();
      }
    });
    done += rows.length;
    opts.onBatch?.({ done, remaining: await countNotUnder(db, kid) });
  }
  return { done, remaining: await countNotUnder(db, kid) };
}

async function countNotUnder(db: Db, kid: string): Promise<number> {
  const r = await db.selectFrom('factor').select((e) => e.fn.countAll<number>().as('n'))
    .where('secret_enc', 'not like', `v1.${kid}.%`).where('secret_enc', '!=', '').executeTakeFirstOrThrow();
  return Number(r.n);
}

export { boxKeyId };
