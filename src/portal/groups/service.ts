// User groups (S0: «a set of users in one organisation»; S13: admins manage them). A group and its
// members always share one organisation: a member from elsewhere is refused like an unknown id. The
// portal owns groups (they decide what a user may see); admin's group pages call this service.
import type { AppContext } from '../../context.ts';
import { DomainError } from '../../errors.ts';
import { audit } from '../../audit/log.ts';
import { newId } from '../../lib/index.ts';
import type { UserGroupTable } from '../../db/schema.ts';
import { revokeAllOfGroup } from '../contracts/service.ts';
import {
  manageableOrgIds, manageableUser, orgScope, targetOrg, organisationNames, publicUsersByIds, searchUsersOfOrganisation,
  type AdminActor, type AdminRef, type PublicUser,
} from '../../auth/service.ts';

export type GroupRow = UserGroupTable;
export type ListedGroup = GroupRow & { organisation_name: string; members: number };

const MAX_NAME = 100;

function groupName(raw: string): string {
  const name = raw.trim();
  if (!name || name.length > MAX_NAME) throw new DomainError('common.field_errors', {}, { name: [{ key: 'admin.group_name_invalid' }] });
  return name;
}

async function nameFree(ctx: AppContext, orgId: string, name: string, exceptId?: string): Promise<void> {
  let q = ctx.db.selectFrom('user_group').select('id').where('organisation_id', '=', orgId).where('name', '=', name);
  if (exceptId) q = q.where('id', '!=', exceptId);
  if (await q.executeTakeFirst()) throw new DomainError('admin.group_name_taken', {}, { name: [{ key: 'admin.group_name_taken' }] });
}

export async function listGroups(ctx: AppContext, admin: AdminRef, orgId?: string): Promise<ListedGroup[]> {
  const ids = await orgScope(ctx, admin, orgId);
  if (!ids.length) return [];
  const rows = await ctx.db.selectFrom('user_group').selectAll('user_group')
    .select((eb) => eb.selectFrom('user_group_member').whereRef('user_group_member.group_id', '=', 'user_group.id')
      .select((e) => e.fn.countAll<number>().as('n')).as('members'))
    .where('user_group.organisation_id', 'in', ids).execute();
  // Organisation names come from identity's tenancy (no join across the wall); the order stays
  // organisation name, group name, id. Binary order, as the databases' default collation compares.
  const names = await organisationNames(ctx.db, ids);
  const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  return rows.map((r) => ({ ...r, organisation_name: names.get(r.organisation_id) ?? '', members: Number(r.members ?? 0) }))
    .sort((a, b) => cmp(a.organisation_name, b.organisation_name) || cmp(a.name, b.name) || cmp(a.id, b.id));
}

/** The group if it belongs to a manageable organisation; one 403 for "not yours" and "no such group". */
export async function manageableGroup(ctx: AppContext, admin: AdminRef, groupId: string): Promise<GroupRow> {
  const g = groupId.length <= 64 ? await ctx.db.selectFrom('user_group').selectAll().where('id', '=', groupId).executeTakeFirst() : undefined;
  if (!g || !(await manageableOrgIds(ctx, admin)).includes(g.organisation_id)) throw new DomainError('common.forbidden');
  return g;
}

export async function groupMembers(ctx: AppContext, groupId: string): Promise<PublicUser[]> {
  const ids = await ctx.db.selectFrom('user_group_member').select('user_id').where('group_id', '=', groupId).execute();
  return publicUsersByIds(ctx.db, ids.map((r) => r.user_id));
}

/** The groups of an organisation by name (the admin's user page offers them). */
export async function groupsOfOrganisation(ctx: AppContext, orgId: string): Promise<GroupRow[]> {
  return ctx.db.selectFrom('user_group').selectAll().where('organisation_id', '=', orgId).orderBy('name').execute();
}

export async function groupsOfUser(ctx: AppContext, userId: string): Promise<GroupRow[]> {
  return ctx.db.selectFrom('user_group').innerJoin('user_group_member', 'user_group_member.group_id', 'user_group.id')
    .selectAll('user_group').where('user_group_member.user_id', '=', userId).orderBy('user_group.name').execute();
}

/** Groups a new user may join: all of the organisation's, checked before the user is created. */
export async function checkGroupsInOrg(ctx: AppContext, orgId: string, groupIds: string[]): Promise<void> {
  if (!groupIds.length) return;
  const found = await ctx.db.selectFrom('user_group').select('id').where('id', 'in', groupIds).where('organisation_id', '=', orgId).execute();
  if (found.length !== groupIds.length) throw new DomainError('common.field_errors', {}, { groups: [{ key: 'admin.group_other_org' }] });
}

export async function createGroup(ctx: AppContext, actor: AdminActor, orgIdParam: string | undefined, rawName: string): Promise<GroupRow> {
  const now = ctx.now();
  const orgId = await targetOrg(ctx, actor.user, orgIdParam);
  const name = groupName(rawName);
  await nameFree(ctx, orgId, name);
  const row: GroupRow = { id: newId(), organisation_id: orgId, name, created_at: now };
  await ctx.db.transaction().execute(async (trx) => {
    await trx.insertInto('user_group').values(row).execute();
    await audit(trx, { event: 'group.created', actorUserId: actor.user.id, organisationId: orgId, ip: actor.ip, detail: { group: row.id, name } }, now);
  });
  return row;
}

export async function renameGroup(ctx: AppContext, actor: AdminActor, groupId: string, rawName: string): Promise<void> {
  const now = ctx.now();
  const g = await manageableGroup(ctx, actor.user, groupId);
  const name = groupName(rawName);
  if (name === g.name) return;
  await nameFree(ctx, g.organisation_id, name, g.id);
  await ctx.db.transaction().execute(async (trx) => {
    await trx.updateTable('user_group').set({ name }).where('id', '=', g.id).execute();
    await audit(trx, { event: 'group.renamed', actorUserId: actor.user.id, organisationId: g.organisation_id, ip: actor.ip, detail: { group: g.id, from: g.name, to: name } }, now);
  });
}

export async function deleteGroup(ctx: AppContext, actor: AdminActor, groupId: string): Promise<void> {
  const now = ctx.now();
  const g = await manageableGroup(ctx, actor.user, groupId);
  await ctx.db.transaction().execute(async (trx) => {
    const r = await trx.deleteFrom('user_group_member').where('group_id', '=', g.id).executeTakeFirst();
    await revokeAllOfGroup(trx, g.id); // its contract permissions (S8) go with it
    await trx.deleteFrom('user_group').where('id', '=', g.id).execute();
    await audit(trx, { event: 'group.deleted', actorUserId: actor.user.id, organisationId: g.organisation_id, ip: actor.ip, detail: { group: g.id, name: g.name, members: Number(r.numDeletedRows) } }, now);
  });
}

/** Adds a user to groups of the user's own organisation (callers checked both sides). */
export async function addMembers(ctx: AppContext, actor: AdminActor, groupIds: string[], user: Pick<PublicUser, 'id' | 'organisation_id'>): Promise<void> {
  const now = ctx.now();
  for (const groupId of groupIds) {
    const r = await ctx.db.insertInto('user_group_member').values({ group_id: groupId, user_id: user.id })
      .onConflict((oc) => oc.columns(['group_id', 'user_id']).doNothing()).executeTakeFirst();
    if (Number(r.numInsertedOrUpdatedRows ?? 0)) {
      await audit(ctx.db, { event: 'group.member_added', actorUserId: actor.user.id, subjectUserId: user.id, organisationId: user.organisation_id, ip: actor.ip, detail: { group: groupId } }, now);
    }
  }
}

export async function addMember(ctx: AppContext, actor: AdminActor, groupId: string, userId: string): Promise<void> {
  const g = await manageableGroup(ctx, actor.user, groupId);
  const user = await manageableUser(ctx, actor.user, userId);
  if (user.organisation_id !== g.organisation_id) throw new DomainError('common.forbidden');
  await addMembers(ctx, actor, [g.id], user);
}

export async function removeMember(ctx: AppContext, actor: AdminActor, groupId: string, userId: string): Promise<void> {
  const now = ctx.now();
  const g = await manageableGroup(ctx, actor.user, groupId);
  const user = await manageableUser(ctx, actor.user, userId);
  const r = await ctx.db.deleteFrom('user_group_member').where('group_id', '=', g.id).where('user_id', '=', user.id).executeTakeFirst();
  if (Number(r.numDeletedRows)) {
    await audit(ctx.db, { event: 'group.member_removed', actorUserId: actor.user.id, subjectUserId: user.id, organisationId: g.organisation_id, ip: actor.ip, detail: { group: g.id } }, now);
  }
}

/** Users of the group's organisation who are not members yet (the "add member" choice). */
/**
 * The member picker (issue 20 item 5): up to CANDIDATES users of the group's organisation matching
 * `q` (login ID, name or e-mail) who are not members yet. Members are skipped after the search, so
 * it asks for that many more rows (the group page lists the members anyway).
 */
export async function memberCandidates(ctx: AppContext, g: GroupRow, q: string): Promise<PublicUser[]> {
  const members = new Set((await ctx.db.selectFrom('user_group_member').select('user_id').where('group_id', '=', g.id).execute()).map((r) => r.user_id));
  const users = await searchUsersOfOrganisation(ctx, g.organisation_id, q, CANDIDATES + members.size);
  return users.filter((u) => !members.has(u.id)).slice(0, CANDIDATES);
}

export const CANDIDATES = 20;
