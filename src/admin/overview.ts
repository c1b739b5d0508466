// What the admin user page and its JSON twin show. Never the password hash or the TOTP secret
// (SECURITY.md item 34): JSON is built field by field, not by spreading a row.
import type { AppContext } from '../context.ts';
import { findOrganisation, listPasskeys, liveSessionCount, liveTrustedBrowserCount, lockoutsOf, manageableUser, type AdminRef, type Lockouts, type Passkey, type PublicUser } from '../auth/service.ts';
import type { GroupRow } from '../portal/groups/service.ts';
import { groupsOfOrganisation, groupsOfUser } from '../portal/groups/service.ts';
import { GUIDE_QUOTA, guideQuotaKey, quotaState, type QuotaState } from '../mail/quota.ts';

export interface UserOverview {
  user: PublicUser; organisationName: string; groups: GroupRow[]; orgGroups: GroupRow[];
  lockouts: Lockouts; liveSessions: number;
  /** Trusted browsers not revoked or expired (the «revoke» action is shown only when there are some). */
  trustedBrowsers: number;
  /** SECURITY.md item 44: starting-guide mails in the last 24 h, the cap, and when the next may go. */
  guideQuota: QuotaState;
  /** Issue 23: the user's passkeys (name, created, last used, AAGUID, backed up); never the key. */
  passkeys: Passkey[];
}

export async function userOverview(ctx: AppContext, admin: AdminRef, userId: string): Promise<UserOverview> {
  const user = await manageableUser(ctx, admin, userId);
  const org = await findOrganisation(ctx.db, user.organisation_id);
  return {
    user, organisationName: org?.name ?? '', groups: await groupsOfUser(ctx, user.id), orgGroups: await groupsOfOrganisation(ctx, user.organisation_id),
    lockouts: await lockoutsOf(ctx, user), liveSessions: await liveSessionCount(ctx, user.id), trustedBrowsers: await liveTrustedBrowserCount(ctx, user.id),
    guideQuota: await quotaState(ctx.db, guideQuotaKey(user.id), GUIDE_QUOTA, ctx.now()),
    passkeys: await listPasskeys(ctx.db, user.id),
  };
}

export function userJson(u: PublicUser & { organisation_name?: string }) {
  return {
    id: u.id, loginId: u.login_id, name: u.name, email: u.email, phone: u.phone, role: u.role, lang: u.lang,
    organisationId: u.organisation_id, ...(u.organisation_name !== undefined ? { organisation: u.organisation_name } : {}),
    secondFactor: u.second_factor, totpEnrolled: u.two_step.totpEnrolled, firstLoginDone: u.first_login_done,
    disabled: u.disabled_at !== null, lastLoginAt: u.last_login_at, createdAt: u.created_at,
  };
}

export function overviewJson(o: UserOverview) {
  return {
    user: { ...userJson(o.user), organisation: o.organisationName },
    groups: o.groups.map((g) => ({ id: g.id, name: g.name })),
    lockouts: { passwordLockedUntil: o.lockouts.passwordUntil || null, otpLockedUntil: o.lockouts.otpUntil || null },
    liveSessions: o.liveSessions, trustedBrowsers: o.trustedBrowsers,
    passkeys: o.passkeys.map((p) => ({ id: p.id, label: p.label, createdAt: p.createdAt, lastUsedAt: p.lastUsedAt, aaguid: p.aaguid, backupEligible: p.backupEligible, backedUp: p.backedUp })),
    startingGuide: { sentLast24h: o.guideQuota.count, dailyCap: o.guideQuota.cap, cooldownSeconds: o.guideQuota.cooldownMs / 1000, nextAllowedAt: o.guideQuota.nextAt },
  };
}
