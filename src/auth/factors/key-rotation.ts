// TOTP key rotation (issue 10 §6): re-seals every stored TOTP secret with the current key, in
// batches, resumable (each run picks up whatever is not yet under the new key). A secret changed
// concurrently (re-enrolment) is left to the newer write by a guarded UPDATE.
import type { Db } from '../../db/index.ts';
import { boxKeyId, keyId, open, seal } from '../crypto/secret-box.ts';

export interface RotationProgress { done: number; remaining: number }

export async function rotateTotpSecrets(db: Db, ring: Buffer[], opts: { batch?: number; onBatch?: (p: RotationProgress) => void } = {}): Promise<RotationProgress> {
  const current = ring[0]!;
  const kid = keyId(current);
  const batch = opts.batch ?? 200;
  let done = 0;
  for (;;) {
    const rows = await db.selectFrom('app_user').select(['id', 'totp_secret_enc'])
      .where('totp_secret_enc', 'is not', null)
      .where('totp_secret_enc', 'not like', `v1.${kid}.%`)
      .orderBy('id').limit(batch).execute();
    if (rows.length === 0) break;
    await db.transaction().execute(async (trx) => {
      for (const r of rows) {
        const box = r.totp_secret_enc!;
        const resealed = seal(current, open(ring, box, r.id), r.id);
        await trx.updateTable('app_user').set({ totp_secret_enc: resealed })
          .where('id', '=', r.id).where('totp_secret_enc', '=', box).execute();
      }
    });
    done += rows.length;
    opts.onBatch?.({ done, remaining: await countNotUnder(db, kid) });
  }
  return { done, remaining: await countNotUnder(db, kid) };
}

async function countNotUnder(db: Db, kid: string): Promise<number> {
  const r = await db.selectFrom('app_user').select((e) => e.fn.countAll<number>().as('n'))
    .where('totp_secret_enc', 'is not', null).where('totp_secret_enc', 'not like', `v1.${kid}.%`).executeTakeFirstOrThrow();
  return Number(r.n);
}

export { boxKeyId };
