// What leaves auth about a user (issue 13 §4): a projection built field by field, never the row, so
// the password hash, the sealed TOTP secret and the security epoch cannot reach a page, a JSON
// answer or another module by a spread. The column names stay (views read them); what is derived
// from factors (`two_step`, `first_login_done`) is computed here, so callers never read factor
// columns or tables, which are auth's to change (the factor table of issue 13 §3).
import type { Lang, OperatorRole, Role, SecondFactor } from '../db/schema.ts';
import type { Db } from '../db/index.ts';
import type { UserRow } from './users/store.ts';
import { TOTP_COLUMNS } from './factors/rows.ts';

export interface PublicUser {
  readonly id: string;
  readonly organisation_id: string;
  readonly login_id: string;
  readonly email: string;
  readonly name: string;
  readonly phone: string;
  readonly role: Role;
  readonly lang: Lang;
  readonly second_factor: SecondFactor | null;
  readonly disabled_at: number | null;
  readonly last_login_at: number | null;
  readonly created_at: number;
  readonly updated_at: number;
  /** The user has set a password (the starting guide was redeemed). */
  readonly first_login_done: boolean;
  readonly two_step: { readonly method: SecondFactor | null; readonly totpEnrolled: boolean };
  /**
   * Issue 26: the operator role, set only on users of the provider organisation. On its own it
   * grants nothing: the operator guard (src/auth/guards.ts) also checks the organisation's kind.
   */
  readonly operator_role: OperatorRole | null;
}

export function toPublicUser(r: UserRow): PublicUser {
  return {
    id: r.id, organisation_id: r.organisation_id, login_id: r.login_id, email: r.email, name: r.name, phone: r.phone,
    role: r.role, lang: r.lang, second_factor: r.second_factor, disabled_at: r.disabled_at, last_login_at: r.last_login_at,
    created_at: r.created_at, updated_at: r.updated_at,
    first_login_done: r.password_hash !== null,
    two_step: { method: r.second_factor, totpEnrolled: r.totp_enrolled_at !== null },
    operator_role: r.operator_role ?? null,
  };
}

/** Users by id, as projections, ordered by login ID (group member lists). Unknown ids are left out. */
export async function publicUsersByIds(db: Db, ids: readonly string[]): Promise<PublicUser[]> {
  if (!ids.length) return [];
  const rows = await db.selectFrom('app_user').selectAll('app_user').select(TOTP_COLUMNS).where('id', 'in', [...ids]).orderBy('login_id').orderBy('id').execute();
  return rows.map(toPublicUser);
}

/** Users of one organisation ordered by login ID, at most `limit` (the "add member" choice). */
export async function publicUsersOfOrganisation(db: Db, orgId: string, limit: number): Promise<PublicUser[]> {
  const rows = await db.selectFrom('app_user').selectAll('app_user').select(TOTP_COLUMNS).where('organisation_id', '=', orgId).orderBy('login_id').orderBy('id').limit(limit).execute();
  return rows.map(toPublicUser);
}
