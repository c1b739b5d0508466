// Admin operations on users (S1, S5, S13; issue 4 §3). Every target goes through manageableUserRow or
// orgScope (SECURITY.md item 34); every change is audited with the admin and address (S13). Admins
// never see or set a password: they can only send the starting guide, whose link the user redeems.
// Identity's writes, so they live in auth (decision 041); what leaves is a PublicUser, never a row.
import type { AppContext } from '../../context.ts';
import type { Lang, Role } from '../../db/schema.ts';
import { DomainError } from '../../errors.ts';
import { audit } from '../../audit/log.ts';
import { normalizeContact, registerUser, resendStartingGuide, type Actor } from '../registration/service.ts';
import { passwordKey } from '../login/service.ts';
import { otpKey } from '../login/second-factor.ts';
import { revokeAllSessions } from '../sessions/store.ts';
import { revokeTrustedDevice } from '../login/factor-store.ts';
import { bumpSecurityEpoch } from '../users/security-epoch.ts';
import type { UserRow } from '../users/store.ts';
import { supersedeAllLinks } from '../links/store.ts';
import { toPublicUser, type PublicUser } from '../public-user.ts';
import { manageableUserRow, targetOrg, type AdminActor } from '../tenancy/admin-scope.ts';

export const PAGE_SIZE = 50;

/** LIKE with '!' as the escape character, the same on SQLite and PostgreSQL. */
export function likeContains(q: string): string {
  return `%${q.replace(/[!%_]/g, (c) => `!${c}`)}%`;
}

export interface CreateUserInput {
  orgId?: string | undefined; loginId?: string | undefined; email: string; name: string; phone: string;
  role: Role; lang: Lang;
}

/**
 * S1: registers a user in a manageable organisation and queues the starting guide. `beforeCreate`
 * runs once the organisation is known and before anything is written (admin checks the chosen
 * groups there: groups are the portal's, and auth does not import the portal).
 */
export async function createUser(ctx: AppContext, actor: AdminActor, input: CreateUserInput, beforeCreate?: (orgId: string) => Promise<void>): Promise<PublicUser> {
  const orgId = await targetOrg(ctx, actor.user, input.orgId);
  await beforeCreate?.(orgId);
  // The setup URL registerUser returns is a credential for the new user: it is never shown to the admin.
  const { user } = await registerUser(ctx, {
    organisationId: orgId, loginId: input.loginId, email: input.email, name: input.name, phone: input.phone, role: input.role, lang: input.lang,
  }, { userId: actor.user.id, ip: actor.ip });
  return toPublicUser(user);
}

const CONTACT_FIELDS = ['email', 'name', 'phone'] as const;

/**
 * Changes e-mail, name and phone (the identity-verification answers, S2.1). The audit row names the
 * changed fields with old → new values: none of them is a secret (SECURITY.md item 35), and an e-mail
 * change is what an account takeover looks like. Links already mailed to the old address die.
 */
export async function updateContact(ctx: AppContext, actor: AdminActor, userId: string, input: { email: string; name: string; phone: string }): Promise<string[]> {
  const now = ctx.now();
  const target = await manageableUserRow(ctx, actor.user, userId);
  const v = normalizeContact(input);
  if (Object.keys(v.fields).length) throw new DomainError('common.field_errors', {}, v.fields);
  const changed = CONTACT_FIELDS.filter((f) => target[f] !== v[f]);
  if (!changed.length) return [];
  await ctx.db.transaction().execute(async (trx) => {
    await trx.updateTable('app_user').set({ email: v.email, name: v.name, phone: v.phone, updated_at: now }).where('id', '=', target.id).execute();
    // The links' own rule (links/store.ts), not a copy of it: every live link stops working.
    if (changed.includes('email')) await supersedeAllLinks(trx, target.id, now);
    const detail: Record<string, string> = { fields: changed.join(',') };
    for (const f of changed) { detail[`${f}.old`] = target[f]; detail[`${f}.new`] = v[f]; }
    await audit(trx, { event: 'user.updated', actorUserId: actor.user.id, subjectUserId: target.id, organisationId: target.organisation_id, ip: actor.ip, detail }, now);
  });
  return changed;
}

/** S1: «A portal admin can also re-send it» — only while the user has not set a password yet. */
export async function resendGuide(ctx: AppContext, actor: AdminActor, userId: string): Promise<void> {
  const target = await manageableUserRow(ctx, actor.user, userId);
  if (target.disabled_at !== null) throw new DomainError('admin.user_disabled');
  // After first login the user resets their own password (S4); a guide would be a reset by admin mail.
  if (target.password_hash !== null) throw new DomainError('admin.guide_not_needed');
  await resendStartingGuide(ctx, target, { userId: actor.user.id, ip: actor.ip });
}

/** S0 roles. An admin cannot demote themselves (an organisation could lose its last admin by mistake). */
export async function changeRole(ctx: AppContext, actor: AdminActor, userId: string, role: Role): Promise<void> {
  const now = ctx.now();
  const target = await manageableUserRow(ctx, actor.user, userId);
  if (target.id === actor.user.id) throw new DomainError('admin.self_forbidden');
  if (target.role === role) return;
  // S3.3: a general user is set to TOTP automatically; an assigned MailOTP stays (an admin chose it).
  const secondFactor = role === 'general' && target.second_factor === null ? 'totp' : target.second_factor;
  await ctx.db.transaction().execute(async (trx) => {
    await trx.updateTable('app_user').set({ role, second_factor: secondFactor, updated_at: now })
      .where('id', '=', target.id).execute();
    await audit(trx, { event: 'user.role_changed', actorUserId: actor.user.id, subjectUserId: target.id, organisationId: target.organisation_id, ip: actor.ip, detail: { from: target.role, to: role } }, now);
  });
}

/**
 * SECURITY.md item 31: disabling ends the user's sessions at once. The session plugin refuses a
 * disabled user on every request on every node; the rows are revoked too, with trusted browsers,
 * and a new security epoch (item 38) ends pending flows and mailed links, so enabling the user
 * later brings back no old session, flow, link or skipped second step.
 */
export async function disableUser(ctx: AppContext, actor: AdminActor, userId: string): Promise<void> {
  const target = await manageableUserRow(ctx, actor.user, userId);
  if (target.id === actor.user.id) throw new DomainError('admin.self_forbidden');
  await disableUserRow(ctx, target, { userId: actor.user.id, ip: actor.ip });
}

export async function enableUser(ctx: AppContext, actor: AdminActor, userId: string): Promise<void> {
  await enableUserRow(ctx, await manageableUserRow(ctx, actor.user, userId), { userId: actor.user.id, ip: actor.ip });
}

/**
 * The change and its audit row, once the target is known to be the actor's to change: the admin
 * screens check the organisation above; the operator CLI (issue 20 item 9) has no organisation.
 * A user already disabled (or enabled) is left as is, without a second audit row.
 */
export async function disableUserRow(ctx: AppContext, target: UserRow, by: Actor): Promise<void> {
  const now = ctx.now();
  await ctx.db.transaction().execute(async (trx) => {
    const r = await trx.updateTable('app_user').set({ disabled_at: now, updated_at: now })
      .where('id', '=', target.id).where('disabled_at', 'is', null).executeTakeFirst();
    const sessions = await revokeAllSessions(trx, target.id, now);
    await bumpSecurityEpoch(trx, target.id, now);
    const browsers = await revokeTrustedDevice(trx, target.id, null, now);
    if (Number(r.numUpdatedRows)) {
      await audit(trx, { event: 'user.disabled', actorUserId: by.userId, subjectUserId: target.id, organisationId: target.organisation_id, ip: by.ip, detail: { sessions, trustedBrowsers: browsers } }, now);
    }
  });
}

export async function enableUserRow(ctx: AppContext, target: UserRow, by: Actor): Promise<void> {
  const now = ctx.now();
  const r = await ctx.db.updateTable('app_user').set({ disabled_at: null, updated_at: now })
    .where('id', '=', target.id).where('disabled_at', 'is not', null).executeTakeFirst();
  if (Number(r.numUpdatedRows)) {
    await audit(ctx.db, { event: 'user.enabled', actorUserId: by.userId, subjectUserId: target.id, organisationId: target.organisation_id, ip: by.ip }, now);
  }
}

/** Ends every session of the user; an admin acting on themselves keeps the session they act from. */
export async function revokeUserSessions(ctx: AppContext, actor: AdminActor, userId: string): Promise<number> {
  const now = ctx.now();
  const target = await manageableUserRow(ctx, actor.user, userId);
  const keep = target.id === actor.user.id ? actor.sessionId : undefined;
  const count = await revokeAllSessions(ctx.db, target.id, now, keep);
  await audit(ctx.db, { event: 'session.revoked_all', actorUserId: actor.user.id, subjectUserId: target.id, organisationId: target.organisation_id, ip: actor.ip, detail: { count } }, now);
  return count;
}

export interface Lockouts { passwordUntil: number; otpUntil: number }

/** S5: «the user and admins see why»: current lock ends of the per-account counters (0 = none). */
export async function lockoutsOf(ctx: AppContext, user: Pick<UserRow, 'id' | 'login_id'>): Promise<Lockouts> {
  const now = ctx.now();
  return {
    passwordUntil: await ctx.throttle.lockedUntil(passwordKey(user.login_id), now),
    otpUntil: await ctx.throttle.lockedUntil(otpKey(user.id), now),
  };
}

/** Clears the user's password and OTP failure counters (S13 «unlock»). */
export async function unlockUser(ctx: AppContext, actor: AdminActor, userId: string): Promise<void> {
  const now = ctx.now();
  const target = await manageableUserRow(ctx, actor.user, userId);
  const before = await lockoutsOf(ctx, target);
  await ctx.throttle.clear(passwordKey(target.login_id));
  await ctx.throttle.clear(otpKey(target.id));
  await audit(ctx.db, { event: 'user.unlocked', actorUserId: actor.user.id, subjectUserId: target.id, organisationId: target.organisation_id, ip: actor.ip, detail: { passwordLocked: before.passwordUntil > 0, otpLocked: before.otpUntil > 0 } }, now);
}
