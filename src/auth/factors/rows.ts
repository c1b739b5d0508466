// The factor rows (migration 022, docs/decisions/042-factors-as-rows-and-sweeper.md): what a user
// holds, read here; the single-use writes on them (TOTP replay guard, enrolment) are in
// src/auth/login/factor-store.ts next to the other second-factor state.
import { sql } from 'kysely';
import type { Db } from '../../db/index.ts';
import type { FactorKind, FactorTable } from '../../db/schema.ts';

export type FactorRow = FactorTable;

/**
 * The TOTP factor seen as the two fields the user row used to carry (`totp_secret_enc`,
 * `totp_enrolled_at`), for any query over app_user: `selectFrom('app_user').selectAll('app_user')
 * .select(TOTP_COLUMNS)`. Correlated subqueries, so they fit any join; the unique index on
 * (user_id) for kind 'totp' makes each at most one row.
 */
export const TOTP_COLUMNS = [
  sql<string | null>`(select f.secret_enc from factor f where f.user_id = app_user.id and f.kind = 'totp')`.as('totp_secret_enc'),
  sql<number | null>`(select f.created_at from factor f where f.user_id = app_user.id and f.kind = 'totp')`.as('totp_enrolled_at'),
  // Issue 23: how many passkeys the user holds (the login asks for one when ≥ 1 and the organisation allows them).
  sql<number>`(select count(*) from factor f where f.user_id = app_user.id and f.kind = 'passkey')`.as('passkeys_held'),
] as const;

export interface TotpProjection {
  /** The sealed TOTP secret of the enrolled authenticator; null = none enrolled. */
  totp_secret_enc: string | null;
  /** When the authenticator was enrolled; null = none. */
  totp_enrolled_at: number | null;
  /** Issue 23: the number of passkeys held (PostgreSQL answers count(*) as a string: read it with Number()). */
  passkeys_held: number | string;
}

export async function listFactors(db: Db, userId: string): Promise<FactorRow[]> {
  return db.selectFrom('factor').selectAll().where('user_id', '=', userId).orderBy('created_at').orderBy('id').execute();
}

export async function findFactor(db: Db, userId: string, kind: FactorKind): Promise<FactorRow | undefined> {
  return db.selectFrom('factor').selectAll().where('user_id', '=', userId).where('kind', '=', kind).executeTakeFirst();
}

/** What an admin page shows of each user's factors: kinds, when enrolled and last used; never the secret. */
export interface FactorSummary { kind: FactorKind; label: string | null; createdAt: number; lastUsedAt: number | null }

export async function factorSummaries(db: Db, userIds: readonly string[]): Promise<Map<string, FactorSummary[]>> {
  const out = new Map<string, FactorSummary[]>(userIds.map((id) => [id, []]));
  if (!userIds.length) return out;
  const rows = await db.selectFrom('factor').select(['user_id', 'kind', 'label', 'created_at', 'last_used_at'])
    .where('user_id', 'in', [...userIds]).orderBy('created_at').orderBy('id').execute();
  for (const r of rows) out.get(r.user_id)?.push({ kind: r.kind, label: r.label, createdAt: r.created_at, lastUsedAt: r.last_used_at });
  return out;
}
