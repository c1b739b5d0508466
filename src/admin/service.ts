// Portal-admin operations used by issue 3 (S3.3 method rules, S3.7 trusted networks/browsers, TOTP
// reset). Every target is checked against the admin's organisation on the server (SECURITY.md 34).
import type { AppContext } from '../context.ts';
import type { SecondFactor } from '../db/schema.ts';
import { DomainError } from '../errors.ts';
import { audit } from '../audit/log.ts';
import { findOrganisation, type Organisation } from '../portal/organisations.ts';
import { newId } from '../auth/crypto/tokens.ts';
import { parseCidr } from '../auth/crypto/cidr.ts';
import { findUserById, type UserRow } from '../auth/users/store.ts';
import { clearTotp, revokeTrustedDevice } from '../auth/login/factor-store.ts';
import { revokeAllSessions } from '../auth/sessions/store.ts';

export interface AdminActor { user: UserRow; ip: string }

/** Organisations an admin may manage: their own, and a partner's child organisations (S0, S13). */
export async function manageableOrgIds(ctx: AppContext, admin: UserRow): Promise<string[]> {
  const org = await findOrganisation(ctx.db, admin.organisation_id);
  if (!org) return [];
  if (org.kind !== 'partner') return [org.id];
  const children = await ctx.db.selectFrom('organisation').select('id').where('parent_id', '=', org.id).execute();
  return [org.id, ...children.map((c) => c.id)];
}

/** The target user if this admin may manage them; otherwise one answer for "not yours" and "no such user". */
export async function manageableUser(ctx: AppContext, admin: UserRow, userId: string): Promise<UserRow> {
  const target = userId.length <= 64 ? await findUserById(ctx.db, userId) : undefined;
  if (!target || admin.role !== 'admin' || !(await manageableOrgIds(ctx, admin)).includes(target.organisation_id)) {
    throw new DomainError('common.forbidden');
  }
  return target;
}

export async function listManageableUsers(ctx: AppContext, admin: UserRow): Promise<(UserRow & { organisation_name: string })[]> {
  const ids = await manageableOrgIds(ctx, admin);
  return ctx.db.selectFrom('app_user').innerJoin('organisation', 'organisation.id', 'app_user.organisation_id')
    .selectAll('app_user').select('organisation.name as organisation_name')
    .where('app_user.organisation_id', 'in', ids).orderBy('app_user.login_id').limit(500).execute();
}

/**
 * S3.3: «Only a Portal Admin can change the setting of the second verification to MailOTP.»
 * A change invalidates trusted browsers (new security epoch) and, for TOTP → MailOTP, the enrolment.
 */
export async function assignSecondFactor(ctx: AppContext, actor: AdminActor, userId: string, method: string): Promise<void> {
  const now = ctx.now();
  const target = await manageableUser(ctx, actor.user, userId);
  if (method !== 'totp' && method !== 'mail_otp') throw new DomainError('auth.method_not_allowed');
  const org = (await findOrganisation(ctx.db, target.organisation_id))!;
  if (method === 'mail_otp' && org.mail_otp_disabled_at !== null) throw new DomainError('auth.method_not_allowed');
  await ctx.db.transaction().execute(async (trx) => {
    await trx.updateTable('app_user')
      .set((eb) => ({ second_factor: method as SecondFactor, updated_at: now, security_epoch: eb('security_epoch', '+', 1) }))
      .where('id', '=', target.id).execute();
    await audit(trx, { event: 'mfa.method_assigned', actorUserId: actor.user.id, subjectUserId: target.id, organisationId: target.organisation_id, factor: method, ip: actor.ip }, now);
  });
}

/** The user sets up TOTP again at next login; their sessions end so the change takes effect now. */
export async function resetUserTotp(ctx: AppContext, actor: AdminActor, userId: string): Promise<void> {
  const now = ctx.now();
  const target = await manageableUser(ctx, actor.user, userId);
  await ctx.db.transaction().execute(async (trx) => {
    await clearTotp(trx, target.id, now);
    await trx.deleteFrom('backup_code').where('user_id', '=', target.id).execute();
    await revokeAllSessions(trx, target.id, now);
    await audit(trx, { event: 'mfa.totp_reset', actorUserId: actor.user.id, subjectUserId: target.id, organisationId: target.organisation_id, factor: 'totp', ip: actor.ip }, now);
  });
}

export async function revokeUserTrustedBrowsers(ctx: AppContext, actor: AdminActor, userId: string): Promise<void> {
  const now = ctx.now();
  const target = await manageableUser(ctx, actor.user, userId);
  const n = await revokeTrustedDevice(ctx.db, target.id, null, now);
  await audit(ctx.db, { event: 'device.revoked', actorUserId: actor.user.id, subjectUserId: target.id, organisationId: target.organisation_id, ip: actor.ip, detail: { count: n } }, now);
}

// --- organisation settings (the admin's own organisation) -----------------------------------

export async function orgSettings(ctx: AppContext, admin: UserRow): Promise<{ org: Organisation; networks: { id: string; cidr: string; label: string }[] }> {
  const org = (await findOrganisation(ctx.db, admin.organisation_id))!;
  const networks = await ctx.db.selectFrom('trusted_network').select(['id', 'cidr', 'label']).where('organisation_id', '=', org.id).orderBy('created_at').execute();
  return { org, networks };
}

export async function addTrustedNetwork(ctx: AppContext, actor: AdminActor, cidrText: string, label: string): Promise<void> {
  const now = ctx.now();
  const parsed = parseCidr(cidrText.trim());
  // A whole-internet range would switch 2-step verification off for everyone: refused.
  if (!parsed.ok || /\/0$/.test(parsed.cidr)) throw new DomainError('admin.cidr_invalid', {}, { cidr: [{ key: 'admin.cidr_invalid' }] });
  await ctx.db.insertInto('trusted_network').values({ id: newId(), organisation_id: actor.user.organisation_id, cidr: parsed.cidr, label: label.trim().slice(0, 100), created_at: now }).execute();
  await audit(ctx.db, { event: 'network.added', actorUserId: actor.user.id, organisationId: actor.user.organisation_id, ip: actor.ip, detail: { cidr: parsed.cidr } }, now);
}

export async function removeTrustedNetwork(ctx: AppContext, actor: AdminActor, networkId: string): Promise<void> {
  const now = ctx.now();
  const r = await ctx.db.deleteFrom('trusted_network').where('id', '=', networkId).where('organisation_id', '=', actor.user.organisation_id).executeTakeFirst();
  if (Number(r.numDeletedRows)) await audit(ctx.db, { event: 'network.removed', actorUserId: actor.user.id, organisationId: actor.user.organisation_id, ip: actor.ip }, now);
}

export async function setTrustedBrowsers(ctx: AppContext, actor: AdminActor, enabled: boolean): Promise<void> {
  const now = ctx.now();
  await ctx.db.updateTable('organisation').set({ trusted_browsers_enabled_at: enabled ? now : null }).where('id', '=', actor.user.organisation_id).execute();
  await audit(ctx.db, { event: 'org.settings_changed', actorUserId: actor.user.id, organisationId: actor.user.organisation_id, ip: actor.ip, detail: { trustedBrowsers: enabled } }, now);
}
