// Seeds the bench database through the portal's own stores: one organisation, published terms,
// N general users with one password hash (the verify cost is the same for every copy) and a
// distinct TOTP secret each, terms already accepted so pages do not redirect to /terms.
import type { AppContext } from '../src/context.ts';
import type { Argon2Params } from '../src/config.ts';
import { migrateToLatest, openDb } from '../src/db/index.ts';
import { createOrganisation } from '../src/auth/tenancy/organisations.ts';
import { insertUser, setPasswordHash } from '../src/auth/users/store.ts';
import { hashPassword } from '../src/auth/password/hash.ts';
import { saveTotpEnrolment } from '../src/auth/login/factor-store.ts';
import { seal } from '../src/auth/crypto/secret-box.ts';
import { generateTotpSecret } from '../src/auth/factors/totp.ts';
import { DEFAULT_TERMS, publishTerms } from '../src/auth/terms/service.ts';

export const BENCH_PASSWORD = 'correct-Horse-battery-staple-42';

export interface BenchUser {
  loginId: string;
  name: string;
  totpSecret: string;
  /** The client address the proxy reports for this user (X-Forwarded-For). */
  ip: string;
}

export async function seedDatabase(url: string, count: number, argon2: Argon2Params, totpKey: Buffer): Promise<BenchUser[]> {
  const handle = openDb(url);
  try {
    await migrateToLatest(handle.db);
    const now = Date.now();
    // publishTerms reads only db and now from the context.
    const terms = await publishTerms({ db: handle.db, now: () => now } as Pick<AppContext, 'db' | 'now'> as AppContext,
      DEFAULT_TERMS, { userId: null, ip: 'bench' });
    const org = await createOrganisation(handle.db, { name: 'Bench Corporation', kind: 'direct' }, now);
    const passwordHash = await hashPassword(BENCH_PASSWORD, argon2);
    const users: BenchUser[] = [];
    const BATCH = 500;
    for (let start = 0; start < count; start += BATCH) {
      await handle.db.transaction().execute(async (trx) => {
        for (let i = start; i < Math.min(count, start + BATCH); i++) {
          const loginId = `bench${String(i).padStart(5, '0')}`;
          const name = `Bench User ${i}`;
          const row = await insertUser(trx, {
            organisationId: org.id, loginId, email: `${loginId}@bench.example`, name, phone: '0312345678', role: 'general', lang: 'en',
          }, now);
          await setPasswordHash(trx, row.id, passwordHash, now);
          const totpSecret = generateTotpSecret();
          // Step 0: every current step is newer, so each user's first code is accepted.
          await saveTotpEnrolment(trx, row.id, seal(totpKey, totpSecret, row.id), 0, now);
          await trx.insertInto('terms_acceptance').values({ user_id: row.id, terms_version_id: terms.id, accepted_at: now, ip: 'bench' }).execute();
          users.push({ loginId, name, totpSecret, ip: `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}` });
        }
      });
    }
    return users;
  } finally {
    await handle.close();
  }
}
