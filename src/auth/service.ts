// Identity's front door for code (issue 13 §4; decision 041): the only auth file that admin, portal,
// web, help and the CLI import (test/architecture/imports.test.ts fails on any other edge into
// src/auth/). Its routes and guards are the other door, src/auth/index.ts. What leaves is a
// PublicUser, never a user row: no password hash, sealed secret or security epoch crosses this line.
// Every change an admin makes goes through these functions; no module outside auth names an
// identity table (test/architecture/identity-tables.test.ts).
import type { AppContext } from '../context.ts';
import type { Db } from '../db/index.ts';
import type { SecondFactor } from '../db/schema.ts';
import { findUserById, findUserByLoginId, countUsers } from './users/store.ts';
import { disableUserRow, enableUserRow, lockoutsOf as lockoutsOfUser } from './administration/users.ts';
import { userState, type ListedUserState, type StatedUser } from './administration/user-list.ts';
export {
  listUsers, adminOverviewCounts, searchUsersOfOrganisation, liveTrustedBrowserCount, USER_SORTS, USER_STATES, USER_METHODS, GUIDE_EXPIRY_WINDOW_MS,
  type UserListFilter, type UserListPage, type StatedUser, type AdminOverviewCounts,
} from './administration/user-list.ts';
import { TOTP_COLUMNS } from './factors/rows.ts';
import { assignMethod } from './users/service.ts';
import { registerUser as register, resendStartingGuide, type Actor, type RegisterInput } from './registration/service.ts';
import { listLiveSessions, revokeSessionByToken } from './sessions/store.ts';
import { backupCodesLeft as codesLeft } from './login/factor-store.ts';
import { toPublicUser, type PublicUser } from './public-user.ts';
import { registerFirstPortalAdmin as registerFirstAdmin, type FirstAdminInput } from './tenancy/operator.ts';

export type { PublicUser } from './public-user.ts';
export { publicUsersByIds, publicUsersOfOrganisation } from './public-user.ts';
export type { Actor, RegisterInput } from './registration/service.ts';
/** A session's user agent as «Chrome / Windows» (issue 20 item 3), for pages outside auth that list devices. */
export { describeDevice } from './sessions/device.ts';
/** Issue 23: the RFC 8176 `amr` a session was made with (the OpenID Connect provider reports it). */
export { amrOfSession } from './sessions/amr.ts';
/** Issue 23: a user's passkeys for the admin pages (no key material shown), and the admin's revoke (audited). */
export { listPasskeys, revokePasskeyByAdmin, type Passkey } from './passkeys/service.ts';

// --- tenancy: organisations, presets, the admins' organisation scope ------------------------------
export {
  createOrganisation, findOrganisation, listOrganisations, countOrganisations, updateOrganisationSettings,
  organisationNames, type Organisation, type OrganisationChanges,
} from './tenancy/organisations.ts';
export {
  PROFILES, DEFAULT_PROFILE, profileFor, presetPages, knownProfileId, profileTexts, portalQuery, helpUrlFor,
  type PortalProfile, type IdentityField,
} from './tenancy/presets.ts';
export {
  manageableOrgIds, manageableOrgs, orgScope, targetOrg, manageableUser, organisationFamily,
  type AdminActor, type AdminRef,
} from './tenancy/admin-scope.ts';

// --- the provider's operators on organisations (issue 26 item 3) --------------------------------
export {
  CUSTOMER_KINDS, ORG_PAGE_SIZE, isCustomerKind, createCustomerOrganisation, searchOrganisations, organisationDetail,
  type NewOrganisation, type OrganisationPage, type OrganisationDetail, type FirstAdminInput,
} from './tenancy/operator.ts';

/** The first portal admin of a customer organisation; the starting guide is queued (no link shown). */
export async function registerFirstPortalAdmin(ctx: AppContext, organisationId: string, input: FirstAdminInput, actor: Actor): Promise<PublicUser> {
  return toPublicUser(await registerFirstAdmin(ctx, organisationId, input, actor));
}

// --- admin operations (every target checked against the admin's organisations) -------------------
export {
  createUser, updateContact, resendGuide, changeRole, disableUser, enableUser,
  revokeUserSessions, lockoutsOf, unlockUser, likeContains, PAGE_SIZE,
  type CreateUserInput, type Lockouts,
} from './administration/users.ts';
export {
  assignSecondFactor, resetUserTotp, revokeUserTrustedBrowsers, orgSettings, addTrustedNetwork,
  removeTrustedNetwork, setTrustedBrowsers,
} from './administration/settings.ts';
export {
  AUDIT_PAGE_SIZE, parseAuditFilter, auditPage, startAuditExport, jstDayStart, jstIso,
  type AuditFilter, type AuditFilterInput, type AuditListRow,
} from './administration/audit-log.ts';

// --- operators: users of the provider organisation (issue 26) ------------------------------------
export {
  OPERATOR_ROLES, isOperatorRole, roleAtLeast, providerOrganisation, isProviderOrganisation, ensureProviderOrganisation,
  addOperator, listOperators, findOperator, setOperatorRole, type NewOperator,
} from './operators/service.ts';

// --- operator and first start ---------------------------------------------------------------------
export { bootstrapIfEmpty, providerOrgName } from './bootstrap.ts';
/** Issue 21: the legacy-user importer's batch reads and writes (src/migration/). */
export { takenLoginIds, insertUsers, legacyFirstLoginCounts, legacyUsersPage, type FirstLoginCount, type LegacyUserProgress } from './users/bulk.ts';
export type { NewUser } from './users/store.ts';
export { useLegacyCredentials, inLegacyMigrationPeriod, type LegacyCredential, type LegacyCredentialSource } from './login/legacy-credentials.ts';
export { DEFAULT_TERMS, currentTerms, publishTerms, termsAccepted, checkTerms, termsDiff, diffAgainstCurrent, diffOfVersion, termsVersion, listTermsVersions, publishCheckedTerms, MAX_TERMS_TITLE, MAX_TERMS_BODY } from './terms/service.ts';
export type { TermsDiff, TermsInput, TermsVersion } from './terms/service.ts';
export { policies as passwordPolicies } from './password/policy.ts';
export { rotateTotpSecrets, rotateColumn, FACTOR_SECRETS, type SealedColumn } from './factors/key-rotation.ts';
// The matrix password's sealed positions: their AAD, for the key rotation's list (src/sealed-at-rest.ts).
export { aad as matrixAad } from './matrix/store.ts';
export { keyId, seal as sealSecret, open as openSecret } from './crypto/secret-box.ts';
export { HashPool, HashPoolBusy } from './password/hash.ts';
export { DbThrottle } from './throttle/db-throttle.ts';
export { type SessionRow } from './sessions/store.ts';
export { resolveSession, type ResolvedSession } from './sessions/resolve.ts';

/** Registers a user and queues the starting guide; the setup URL is a credential (operator CLI only). */
export async function registerUser(ctx: AppContext, input: RegisterInput, actor: Actor): Promise<{ user: PublicUser; setupUrl: string }> {
  const { user, setupUrl } = await register(ctx, input, actor);
  return { user: toPublicUser(user), setupUrl };
}

export async function findPublicUser(db: Db, id: string): Promise<PublicUser | undefined> {
  const u = await findUserById(db, id);
  return u && toPublicUser(u);
}

export async function findPublicUserByLoginId(db: Db, loginId: string): Promise<PublicUser | undefined> {
  const u = await findUserByLoginId(db, loginId);
  return u && toPublicUser(u);
}

export { countUsers };

/** Operator: a new starting guide for a user who has not set a password yet; returns the setup URL. */
export async function resendStartingGuideTo(ctx: AppContext, userId: string, actor: Actor, opts: { quota?: boolean } = {}): Promise<string> {
  const u = await findUserById(ctx.db, userId);
  if (!u) throw new Error(`no user ${userId}`);
  return resendStartingGuide(ctx, u, actor, opts);
}

/** Operator: sets a user's second-step method (S3.3), the same change the admin page makes. */
export async function assignMethodTo(ctx: AppContext, userId: string, method: SecondFactor | string, actor: Actor): Promise<void> {
  const u = await findUserById(ctx.db, userId);
  if (!u) throw new Error(`no user ${userId}`);
  await assignMethod(ctx, u, method, actor);
}

/** Operator: disables a user, as the admin screen does (sessions, flows, links and trusted browsers end). */
export async function disableUserByOperator(ctx: AppContext, userId: string, actor: Actor): Promise<void> {
  const u = await findUserById(ctx.db, userId);
  if (!u) throw new Error(`no user ${userId}`);
  await disableUserRow(ctx, u, actor);
}

/** Operator: enables a disabled user again, as the admin screen does. */
export async function enableUserByOperator(ctx: AppContext, userId: string, actor: Actor): Promise<void> {
  const u = await findUserById(ctx.db, userId);
  if (!u) throw new Error(`no user ${userId}`);
  await enableUserRow(ctx, u, actor);
}

/** The filter words of the admin user list (issue 20 item 5), for the operator's `user list`. */
export type UserState = ListedUserState;
export type OperatorListedUser = StatedUser;

/**
 * Operator: every user, or one organisation's, by login ID. «locked» is a live password or OTP
 * lockout (S5), read from the throttle like the admin's user page does, one user at a time.
 */
export async function listUsersForOperator(ctx: AppContext, orgId?: string): Promise<OperatorListedUser[]> {
  let q = ctx.db.selectFrom('app_user').innerJoin('organisation', 'organisation.id', 'app_user.organisation_id')
    .selectAll('app_user').select(TOTP_COLUMNS).select('organisation.name as organisation_name');
  if (orgId !== undefined) q = q.where('app_user.organisation_id', '=', orgId);
  const rows = await q.orderBy('app_user.login_id').orderBy('app_user.id').execute();
  const out: OperatorListedUser[] = [];
  for (const r of rows) {
    const u = toPublicUser(r);
    const l = await lockoutsOfUser(ctx, r);
    const lockedUntil = Math.max(l.passwordUntil, l.otpUntil) || null;
    out.push({ ...u, organisation_name: r.organisation_name, state: userState(u, lockedUntil), locked_until: lockedUntil });
  }
  return out;
}

/** The sessions a user has open now (admin's user page). */
export async function liveSessionCount(ctx: AppContext, userId: string): Promise<number> {
  return (await listLiveSessions(ctx.db, userId, ctx.now())).length;
}

/** Unused backup codes of a user (admin's user page): counted inside auth, whatever stores them. */
export async function backupCodesLeft(ctx: AppContext, userId: string): Promise<number> {
  return codesLeft(ctx.db, userId);
}

// Housekeeping (issue 13 §8): `bizportal sweep` runs one round; the app's timer is sweeperPlugin (index.ts).
export { sweepOnce, type SweepTasks } from './housekeeping/sweeper.ts';
// Throttle keys, for the metrics' lockout counters (one typed module, issue 13 §8).
export { isSourceKey, scopeOf } from './throttle/keys.ts';

/** Ends the portal session a cookie token names (the OpenID Connect provider's "sign out of the portal too"). */
export async function revokeSessionToken(ctx: AppContext, token: string): Promise<void> {
  await revokeSessionByToken(ctx.db, token, ctx.now());
}
