// Users many at a time, for the legacy-user importer (issue 21, src/migration/): which of a batch
// of login IDs are taken, one multi-row insert, and the first-login progress of imported users.
// Identity keeps its tables to itself (test/architecture/identity-tables.test.ts); the importer
// reaches them through src/auth/service.ts.
import type { Db } from '../../db/index.ts';
import { canonicalLoginId } from '../identity/canonical.ts';
import { newUserRow, type NewUser } from './store.ts';

/**
 * Of these canonical login IDs, the ones taken (item 41: compared by the canonical form; a legacy
 * placeholder row of decision 020 by its exact ID). One indexed query for the whole batch.
 */
export async function takenLoginIds(db: Db, canonicals: readonly string[]): Promise<Set<string>> {
  const taken = new Set<string>();
  if (!canonicals.length) return taken;
  const rows = await db.selectFrom('app_user').select(['login_id', 'login_id_canonical'])
    .where((eb) => eb.or([eb('login_id_canonical', 'in', [...canonicals]), eb('login_id', 'in', [...canonicals])]))
    .execute();
  for (const r of rows) {
    if (r.login_id_canonical) taken.add(r.login_id_canonical);
    taken.add(canonicalLoginId(r.login_id));
  }
  return taken;
}

/** Inserts the users in one statement (the caller's transaction); returns their ids in order. */
export async function insertUsers(db: Db, users: readonly NewUser[], now: number): Promise<string[]> {
  if (!users.length) return [];
  const rows = users.map((u) => newUserRow(u, now));
  await db.insertInto('app_user').values(rows).execute();
  return rows.map((r) => r.id);
}

export interface FirstLoginCount { organisationId: string; users: number; completed: number }

/**
 * Per organisation, how many users imported from the legacy portal there are and how many have
 * completed their first login. Completed = logged in once: a session is only issued after the
 * password, 2-step setup and terms (S2.4), and last_login_at is written when it is.
 */
export async function legacyFirstLoginCounts(db: Db): Promise<FirstLoginCount[]> {
  const rows = await db.selectFrom('app_user')
    .select((eb) => ['organisation_id', eb.fn.countAll<number>().as('users'), eb.fn.count<number>('last_login_at').as('completed')])
    .where('origin', '=', 'legacy').groupBy('organisation_id').execute();
  return rows.map((r) => ({ organisationId: r.organisation_id, users: Number(r.users), completed: Number(r.completed) }));
}

export interface LegacyUserProgress {
  id: string; organisationId: string; loginId: string; email: string; name: string; lastLoginAt: number | null;
}

/** Imported users in id order, a page after `afterId` (keyset: a million rows without an offset). */
export async function legacyUsersPage(db: Db, afterId: string, limit: number): Promise<LegacyUserProgress[]> {
  const rows = await db.selectFrom('app_user')
    .select(['id', 'organisation_id', 'login_id', 'email', 'name', 'last_login_at'])
    .where('origin', '=', 'legacy').where('id', '>', afterId).orderBy('id').limit(limit).execute();
  return rows.map((r) => ({ id: r.id, organisationId: r.organisation_id, loginId: r.login_id, email: r.email, name: r.name, lastLoginAt: r.last_login_at }));
}
