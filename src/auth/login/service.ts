// S3 login, first verification: login ID + password → a login flow whose next state depends on the
// user (S3.2). A session exists only once the flow reaches `done` (SECURITY.md items 9, 10, 12).
import type { AppContext } from '../../context.ts';
import type { SessionTable } from '../../db/schema.ts';
import { DomainError } from '../../errors.ts';
import { audit, auditAggregated } from '../../audit/log.ts';
import type { Organisation } from '../tenancy/organisations.ts';
import { ipInCidrs, trustedSetAcceptable } from '../crypto/cidr.ts';
import { createFlow, type Flow } from '../flows/flow.ts';
import { returnTarget } from '../flows/return-to.ts';
import type { ClientInfo, NextAction } from '../flows/step.ts';
import type { FlowContext, LoginState } from '../flows/states.ts';
import { dummyVerify, hashPassword, needsRehash, verifyPassword } from '../password/hash.ts';
import { profileFor } from '../tenancy/presets.ts';
import { passkeysAllowed } from '../factors/methods.ts';
import { createSession } from '../sessions/store.ts';
import { PASSWORD_POLICY, countSourceFailure, sourceLockedUntil, type ThrottleVerdict } from '../throttle/db-throttle.ts';
import { refundOnInfrastructureFailure } from '../throttle/refund.ts';
import { adoptLegacyPassword, findUserByLoginId, findUserForLogin, recordLogin, upgradePasswordHash, type UserRow } from '../users/store.ts';
import { verifyLegacyHash } from '../password/legacy.ts';
import { legacyCredentialSource, legacyLoginOpen, type LegacyCredential } from './legacy-credentials.ts';
import { findLiveTrustedDevice, touchTrustedDevice, trustedNetworks } from './factor-store.ts';
import { refuseWhileOtpLocked } from './second-factor.ts';
import { throttleKeys } from '../throttle/keys.ts';
import { amrFor } from '../sessions/amr.ts';
import { storedChallenge } from '../passkeys/ceremony.ts';

export type { ClientInfo };
/** What a login step answers: the engine's typed next action (src/auth/flows/step.ts). */
export type LoginNext = NextAction;

/**
 * Per-account key by the login ID's canonical form (item 41), whether or not it exists: unknown and
 * existing IDs throttle alike (item 22), and `TARO@…` or full-width spellings share the counter.
 */
export const passwordKey = throttleKeys.password;
const ipKey = throttleKeys.passwordSource;

/** What the login page asked for, kept on the flow (issue 13 item 1; Kratos: return_to, aal, refresh). */
export interface LoginRequest {
  returnTo?: string | undefined; requestedAal?: 'aal1' | 'aal2' | undefined; refresh?: boolean | undefined;
  /** Issue 23: the page offers the passkey sign-in; the flow opens with its WebAuthn challenge. */
  passkey?: boolean | undefined;
}

/**
 * GET /login: the login is a flow row from its first request, anonymous until the credentials step,
 * with its own cookie and the validated return target (a bad one is "/": no open redirect).
 */
export async function openLoginFlow(ctx: AppContext, r: LoginRequest = {}): Promise<{ flowId: string; flowCookie: string; flow: Flow }> {
  const context: FlowContext = { returnTo: returnTarget(r.returnTo) };
  if (r.requestedAal) context.requestedAal = r.requestedAal;
  if (r.refresh) context.refresh = true;
  if (r.passkey) context.passkeyChallenge = storedChallenge(ctx.now());
  const { flow, cookie } = await createFlow(ctx.db, { kind: 'login', userId: null, state: 'awaiting_password', context, securityEpoch: 0, ttlMs: ctx.config.flowMs }, ctx.now());
  return { flowId: flow.id, flowCookie: cookie, flow };
}

/** A verified login ID + password, and what the credentials step needs next. */
export interface Verified {
  user: UserRow; org: Organisation; skip: Skip | null;
  /** The password attempt `begin` counted: cleared with the step's writes, given back if they fail (item 45). */
  counted: { key: string; verdict: ThrottleVerdict; at: number };
}

/**
 * S3.1, the first verification: throttles (per source address and per login ID, before the hash),
 * the argon2id check (a dummy hash for unknown IDs), the failure's audit row and counters. Every
 * count and record here is committed as it is made, so a refused attempt stays counted.
 */
export async function verifyCredentials(ctx: AppContext, loginIdRaw: string, password: string, client: ClientInfo, opts: { allowSkip: boolean }): Promise<Verified> {
  const now = ctx.now();
  const loginId = loginIdRaw.trim();
  // A login the server is too busy to hash is refused before it counts as an attempt (503, not a lockout).
  ctx.hashPool.assertRoom();
  // Throttling is checked before the hash (PERFORMANCE.md): a locked key costs no argon2 time.
  const ipLock = await sourceLockedUntil(ctx.throttle, ipKey(client.ip), now);
  if (ipLock > now) {
    throw await refusedByLock(ctx, 'source', ipKey(client.ip), ipLock, { factor: 'password', ip: client.ip, detail: { loginId: loginId.slice(0, 100) } }, now);
  }
  const verdict = await ctx.throttle.begin(passwordKey(loginId), PASSWORD_POLICY, now);
  if (!verdict.ok) {
    // The locked account (if the ID names one) so its organisation's admins see the attack's size.
    const target = loginId ? await findUserByLoginId(ctx.db, loginId) : undefined;
    ctx.metrics?.login('locked');
    throw await refusedByLock(ctx, 'account', passwordKey(loginId), verdict.retryAt, {
      subjectUserId: target?.id ?? null, organisationId: target?.organisation_id ?? null, factor: 'password', ip: client.ip, detail: { loginId: loginId.slice(0, 100) },
    }, now);
  }
  // The check proper; a database or hashing failure in it gives the attempt back (item 45).
  const { found, user, ok, legacy } = await refundOnInfrastructureFailure(ctx.throttle, passwordKey(loginId), PASSWORD_POLICY, verdict, now, async () => {
    const found = loginId ? await findUserForLogin(ctx.db, loginId) : undefined;
    const user = found?.user;
    // Issue 21: an imported user without a password yet may have a legacy hash (docs/migration.md).
    const legacy = user && !user.password_hash && user.origin === 'legacy' ? await legacyCredentialSource()?.find(ctx.db, user.id) ?? null : null;
    // Unknown IDs verify against a dummy hash: the same work, the same answer (no enumeration by timing).
    const ok = user?.password_hash
      ? await ctx.hashPool.run(() => verifyPassword(user.password_hash!, password))
      : legacy
        ? await ctx.hashPool.run(() => verifyLegacyHash(legacy.hash, password))
        : await ctx.hashPool.run(() => dummyVerify(password, ctx.config.argon2)).then(() => false);
    return { found, user, ok, legacy };
  }, ctx.log);
  // Issue 22: an organisation that uses the matrix password takes no typed password, also not one
  // set before it switched (the same refusal: the answer tells nothing about the account).
  const matrixOnly = found?.org.first_factor === 'matrix';
  if (!ok || !user || !found || user.disabled_at !== null || matrixOnly) {
    await countSourceFailure(ctx.throttle, ipKey(client.ip), now);
    const reason = !user ? 'unknown_login_id' : !ok ? 'bad_password' : user.disabled_at !== null ? 'disabled' : 'matrix_only';
    await audit(ctx.db, { event: 'login.failed', subjectUserId: user?.id ?? null, organisationId: user?.organisation_id ?? null, factor: 'password', ip: client.ip, detail: { reason } }, now);
    ctx.metrics?.login('failed');
    throw new DomainError('auth.invalid_credentials');
  }
  if (legacy) await adoptLegacyCredential(ctx, user, legacy, password, client, now);
  if (needsRehash(user.password_hash!, ctx.config.argon2)) {
    const fresh = await ctx.hashPool.run(() => hashPassword(password, ctx.config.argon2));
    await upgradePasswordHash(ctx.db, user.id, user.password_hash!, fresh, now);
  }
  const org = found.org;
  const verified: Verified = { user, org, skip: null, counted: { key: passwordKey(loginId), verdict, at: now } };
  verified.skip = opts.allowSkip ? await secondStepSkip(ctx, user, org, found.hasTrustedNetworks, client, now) : null;
  // While the 2-step is locked no flow goes on and no code is mailed (issue 14 item 13); the
  // verified password is a fact all the same.
  if (!verified.skip) await refuseWhileOtpLocked(ctx, user.id, now).catch(async (err: unknown) => {
    await passwordVerified(ctx, verified, client, now);
    throw err;
  });
  return verified;
}

/**
 * Issue 21 (SPEC S11): a right legacy password. During the migration period it is rehashed to
 * argon2id and becomes the user's password, the legacy hash is used up, and the login goes on to
 * the 2-step setup like any first login (the flow never skips it: the user has no second factor
 * yet). Outside the period it is refused with the way in that remains: the password reset (S4).
 */
async function adoptLegacyCredential(ctx: AppContext, user: UserRow, legacy: LegacyCredential, password: string, client: ClientInfo, now: number): Promise<void> {
  if (!legacyLoginOpen(legacy, now)) {
    await audit(ctx.db, { event: 'login.failed', subjectUserId: user.id, organisationId: user.organisation_id, factor: 'password', ip: client.ip, detail: { reason: 'legacy_period_over' } }, now);
    ctx.metrics?.login('failed');
    throw new DomainError('auth.legacy_login_ended');
  }
  const fresh = await ctx.hashPool.run(() => hashPassword(password, ctx.config.argon2));
  if (await adoptLegacyPassword(ctx.db, user.id, fresh, now)) {
    user.password_hash = fresh;
    user.password_set_at = now;
  }
  await legacyCredentialSource()?.consumed(ctx.db, user.id, now);
}

/**
 * The verified password's writes — its counter cleared, its audit row — made in the credentials
 * step's transaction with the flow's advance (one commit, issue 19), or on their own when a 2-step
 * lock refuses the login after the password was right.
 */
export async function passwordVerified(ctx: AppContext, v: Verified, client: ClientInfo, now: number): Promise<void> {
  await ctx.throttle.succeed(v.counted.key);
  await audit(ctx.db, { event: 'login.password_ok', subjectUserId: v.user.id, organisationId: v.user.organisation_id, factor: 'password', ip: client.ip }, now);
  ctx.metrics?.login('password_ok');
}

/** S3.7: the second step skipped — audited, an aal1_skipped session (the caller moved the flow to done). */
export async function skippedLogin(tx: AppContext, v: Verified & { skip: Skip }, client: ClientInfo, now: number, returnTo: string): Promise<NextAction> {
  if (v.skip.deviceId) await touchTrustedDevice(tx.db, v.skip.deviceId, now);
  await audit(tx.db, { event: 'login.second_step_skipped', subjectUserId: v.user.id, organisationId: v.org.id, factor: v.user.second_factor, ip: client.ip, detail: { reason: v.skip.reason } }, now);
  tx.metrics?.login('skipped');
  return { action: 'session_issued', userId: v.user.id, sessionToken: await issueSession(tx, v.user, v.user.security_epoch, 'aal1_skipped', v.skip.reason, null, client, now, amrFor({ first: 'pwd', factor: null })), returnTo };
}

/** S3.2: where the second step starts for this user. */
export function firstSecondStepState(user: Pick<UserRow, 'second_factor' | 'role' | 'totp_enrolled_at'> & { passkeys_held?: number | string }, org?: Organisation): LoginState {
  // Issue 23: a user holding a passkey is asked for it first (where the organisation allows them;
  // a caller without the organisation leaves that to the passkey step, which refuses and offers the
  // other method). The other method stays one click away («別の方法を使う»).
  if (Number(user.passkeys_held ?? 0) > 0 && (!org || passkeysAllowed(profileFor(org.profile), org)) && otherMethodState(user) !== null) return 'awaiting_passkey';
  if (user.second_factor === 'mail_otp') return 'awaiting_mail_otp';
  if (user.second_factor === 'totp') return user.totp_enrolled_at ? 'awaiting_totp' : 'awaiting_totp_enrolment';
  // No method yet: admins choose (S3.3); a general user is TOTP automatically.
  return user.role === 'admin' ? 'awaiting_method_choice' : 'awaiting_totp_enrolment';
}

/** The user's TOTP or MailOTP step; null when neither is set up yet (setup comes first). */
export function otherMethodState(user: Pick<UserRow, 'second_factor' | 'role' | 'totp_enrolled_at'>): LoginState | null {
  if (user.second_factor === 'mail_otp') return 'awaiting_mail_otp';
  if (user.second_factor === 'totp' && user.totp_enrolled_at) return 'awaiting_totp';
  return null;
}

/** Why the second step is skipped, and the trusted browser to touch (written with the step). */
export interface Skip { reason: 'trusted_network' | 'trusted_browser'; deviceId?: string }

/**
 * S3.7 skip "while keeping security": only for a user who already has a working second factor,
 * from a trusted network of the organisation, or a trusted browser where the organisation allows it.
 */
export async function secondStepSkip(ctx: AppContext, user: UserRow, org: Organisation, hasTrustedNetworks: boolean, client: ClientInfo, now: number): Promise<Skip | null> {
  const enrolled = user.second_factor === 'mail_otp' || (user.second_factor === 'totp' && user.totp_enrolled_at !== null);
  if (!enrolled) return null;
  // Read only when the organisation has some (the login's user read says so).
  const cidrs = hasTrustedNetworks ? await trustedNetworks(ctx.db, org.id) : [];
  // Item 42: entries stored before the coverage rule are judged again; a set that is too wide trusts no one.
  if (cidrs.length && trustedSetAcceptable(cidrs, ctx.config.trustedNetworksMaxPercent) && ipInCidrs(client.ip, cidrs)) return { reason: 'trusted_network' };
  if (org.trusted_browsers_enabled_at !== null && client.deviceToken) {
    const device = await findLiveTrustedDevice(ctx.db, user.id, client.deviceToken, user.security_epoch, now);
    if (device) return { reason: 'trusted_browser', deviceId: device.id };
  }
  return null;
}

/**
 * A login flow's last step succeeded (the caller advanced it to `done` in the same transaction):
 * the audit row, a fresh session (new id, item 10) at the epoch the login was verified at, the
 * last-login time. `tx` is the step's transaction-bound context.
 */
export async function loginSucceeded(tx: AppContext, user: UserRow, factor: string, securityEpoch: number, client: ClientInfo, now: number, returnTo = '/', amr: readonly string[] = amrFor({ first: 'pwd', factor })): Promise<NextAction> {
  await audit(tx.db, { event: 'login.succeeded', subjectUserId: user.id, organisationId: user.organisation_id, factor, ip: client.ip }, now);
  tx.metrics?.login('succeeded');
  tx.metrics?.secondFactor(factor, 'ok');
  return { action: 'session_issued', userId: user.id, sessionToken: await issueSession(tx, user, securityEpoch, 'aal2', null, factor, client, now, amr), returnTo };
}

/** A session at the epoch the login was verified at: a security change that raced it leaves it dead (item 38). */
async function issueSession(ctx: AppContext, user: UserRow, securityEpoch: number, aal: SessionTable['aal'], skipReason: string | null, factor: string | null, client: ClientInfo, now: number, amr: readonly string[]): Promise<string> {
  const token = await createSession(ctx.db, { userId: user.id, aal, skipReason, factor, amr, ip: client.ip, userAgent: client.userAgent, securityEpoch },
    { idleMs: ctx.config.sessionIdleMs, absoluteMs: ctx.config.sessionAbsoluteMs }, now);
  await recordLogin(ctx.db, user.id, now);
  return token;
}

export function lockedError(retryAt: number, now: number): DomainError {
  return new DomainError('auth.account_locked', { minutes: Math.max(1, Math.ceil((retryAt - now) / 60_000)) });
}

/** The source address (not the account) is paused: the message says so (item 43). */
export function sourceLockedError(retryAt: number, now: number): DomainError {
  return new DomainError('auth.source_locked', { minutes: Math.max(1, Math.ceil((retryAt - now) / 60_000)) });
}

/**
 * An attempt refused because a counter is locked (SECURITY.md item 43): recorded as ONE audit row
 * per lock — the counter's key and the lock's end identify it — whose repeat_count grows with each
 * refused attempt (auditAggregated: one guarded write, safe in parallel on every node), so an admin
 * sees 1 row "×45" instead of nothing or 45 rows. Returns the error naming what is paused.
 */
export async function refusedByLock(ctx: AppContext, scope: 'account' | 'source', key: string, lockedUntil: number,
  e: { subjectUserId?: string | null; organisationId?: string | null; factor: string; ip: string; detail?: Record<string, string> }, now: number): Promise<DomainError> {
  await auditAggregated(ctx.db, {
    event: e.factor === 'password' ? 'login.locked' : 'mfa.locked', subjectUserId: e.subjectUserId ?? null, organisationId: e.organisationId ?? null,
    factor: e.factor, ip: e.ip, detail: { ...e.detail, scope, lockedUntil },
  }, `${key}|${lockedUntil}`, now);
  return scope === 'source' ? sourceLockedError(lockedUntil, now) : lockedError(lockedUntil, now);
}

export function profileOf(org: Organisation | undefined) {
  return profileFor(org?.profile ?? 'business');
}
