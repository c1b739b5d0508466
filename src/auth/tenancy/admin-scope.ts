// Which organisations and users an admin may touch (S0, S13; SECURITY.md item 34). Every admin
// operation resolves its target through these functions, so the organisation check lives in one
// place: here, inside identity's tenancy (decision 041), reached through src/auth/service.ts.
import type { AppContext } from '../../context.ts';
import type { Db } from '../../db/index.ts';
import { DomainError } from '../../errors.ts';
import { findOrganisation } from './organisations.ts';
import { findUserById, type UserRow } from '../users/store.ts';
import { toPublicUser, type PublicUser } from '../public-user.ts';

/** What the scope needs to know about the admin: a PublicUser or, inside auth, the row. */
export type AdminRef = Pick<PublicUser, 'id' | 'role' | 'organisation_id'>;

/** Who did it and from where (S13: «who, what, when, from where»). */
export interface AdminActor { user: AdminRef; ip: string; sessionId?: string }

/** Ids are app-generated and short; anything longer is not an id (and is not looked up). */
const MAX_ID = 64;

/**
 * An organisation and, for a partner, its child organisations (S0): what a partner's admin
 * manages and what its contracts scope covers. Empty for an unknown id.
 */
export async function organisationFamily(db: Db, orgId: string): Promise<string[]> {
  const org = await findOrganisation(db, orgId);
  if (!org) return [];
  if (org.kind !== 'partner') return [org.id];
  const children = await db.selectFrom('organisation').select('id').where('parent_id', '=', org.id).orderBy('name').execute();
  return [org.id, ...children.map((c) => c.id)];
}

/** Organisations an admin may manage: their own, and a partner's child organisations (S0, S13). */
export async function manageableOrgIds(ctx: AppContext, admin: AdminRef): Promise<string[]> {
  if (admin.role !== 'admin') return [];
  return organisationFamily(ctx.db, admin.organisation_id);
}

/** The same organisations with their names, own organisation first (for select lists). */
export async function manageableOrgs(ctx: AppContext, admin: AdminRef): Promise<{ id: string; name: string }[]> {
  const ids = await manageableOrgIds(ctx, admin);
  if (!ids.length) return [];
  const rows = await ctx.db.selectFrom('organisation').select(['id', 'name']).where('id', 'in', ids).execute();
  return ids.map((id) => rows.find((r) => r.id === id)!).filter(Boolean);
}

/**
 * The organisations a request is about: one named organisation (which must be manageable), or all
 * manageable ones. A foreign or unknown id answers 403 either way (no probing of other tenants).
 */
export async function orgScope(ctx: AppContext, admin: AdminRef, orgId?: string): Promise<string[]> {
  const ids = await manageableOrgIds(ctx, admin);
  if (orgId === undefined || orgId === '') return ids;
  if (!ids.includes(orgId)) throw new DomainError('common.forbidden');
  return [orgId];
}

/** One organisation to act on: the named one if manageable, else the admin's own. */
export async function targetOrg(ctx: AppContext, admin: AdminRef, orgId?: string): Promise<string> {
  const [id] = await orgScope(ctx, admin, orgId || admin.organisation_id);
  return id!;
}

/** Inside auth: the target's row if this admin may manage them; one answer for "not yours" and "no such user". */
export async function manageableUserRow(ctx: AppContext, admin: AdminRef, userId: string): Promise<UserRow> {
  const target = userId.length <= MAX_ID ? await findUserById(ctx.db, userId) : undefined;
  if (!target || !(await manageableOrgIds(ctx, admin)).includes(target.organisation_id)) {
    throw new DomainError('admin.user_not_found');
  }
  return target;
}

/** The same check for callers outside auth: they get the projection, never the row. */
export async function manageableUser(ctx: AppContext, admin: AdminRef, userId: string): Promise<PublicUser> {
  return toPublicUser(await manageableUserRow(ctx, admin, userId));
}
