// S3.2–S3.7: the second step of a login flow — what its step handlers (./steps.ts) and its pages
// share: the flow's user, the OTP counters, the pending enrolment. runStep loads the flow for the
// states each step serves, so no later step works before the earlier one is done (items 8, 9, 11).
import type { AppContext } from '../../context.ts';
import type { SecondFactor } from '../../db/schema.ts';
import { DomainError } from '../../errors.ts';
import { audit, type AuditEvent } from '../../audit/log.ts';
import { findOrganisation, type Organisation } from '../tenancy/organisations.ts';
import { randomToken } from '../crypto/tokens.ts';
import { open, seal } from '../crypto/secret-box.ts';
import { generateTotpSecret } from '../factors/totp.ts';
import { loadFlow, StaleFlowError, updateFlowContext, type Flow } from '../flows/flow.ts';
import type { LoginState } from '../flows/states.ts';
import type { ClientInfo, NextAction } from '../flows/step.ts';
import { profileFor, type PortalProfile } from '../tenancy/presets.ts';
import { OTP_POLICY, countSourceFailure, lockMsFor, sourceLockedUntil } from '../throttle/db-throttle.ts';
import { refundOnInfrastructureFailure } from '../throttle/refund.ts';
import { bumpSecurityEpoch } from '../users/security-epoch.ts';
import { findUserById, type UserRow } from '../users/store.ts';
import { insertTrustedDevice } from './factor-store.ts';
import { lockedError, refusedByLock } from './service.ts';
import { throttleKeys } from '../throttle/keys.ts';
import { allowedMethods as allowedMethodsFor, methodPreset } from '../factors/methods.ts';

export const TRUSTED_BROWSER_DAYS = 30;
/** Per-account OTP failure counter (item 21); admins clear it to unlock (S13). */
export const otpKey = throttleKeys.otp;

export interface StepCtx { flow: Flow<LoginState>; user: UserRow; org: Organisation; profile: PortalProfile }

export async function loadLoginStep(ctx: AppContext, flowId: string, flowCookie: string | undefined, allowed: readonly LoginState[] | null): Promise<StepCtx> {
  // The re-enrolment flow shares the enrolment steps; each step's state list keeps it out of the rest.
  const flow = await loadFlow(ctx.db, flowId, flowCookie, ['login', 'totp_reenrol'], allowed, ctx.now()).catch(async (err: unknown) => {
    // A flow ended by a 2-step lock says "locked" while the lock lasts, then "start again" (item 38).
    if (err instanceof StaleFlowError) await refuseWhileOtpLocked(ctx, err.userId, ctx.now());
    throw err;
  });
  return loginSubject(ctx, flow);
}

/** The user, organisation and preset of a loaded login (or re-enrolment) flow; a disabled user's flow is over. */
export async function loginSubject(ctx: AppContext, flow: Flow): Promise<StepCtx> {
  // Read with the flow in this request (loadAnyFlow) when it was; otherwise now.
  const user = flow.subject?.user ?? await findUserById(ctx.db, flow.userId!);
  if (!user || user.disabled_at !== null || user.id !== flow.userId) throw new DomainError('auth.flow_expired');
  const org = flow.subject?.org ?? (await findOrganisation(ctx.db, user.organisation_id))!;
  return { flow: flow as Flow<LoginState>, user, org, profile: profileFor(org.profile) };
}

/** S3.3: what the selection screen may offer this user, decided by the preset's one rule (factors/methods.ts). */
export function allowedMethods(user: UserRow, org: Organisation, profile: PortalProfile): SecondFactor[] {
  return allowedMethodsFor(methodPreset(profile, org), user.role);
}

/** The secret being enrolled: made once per flow, kept sealed on the flow until confirmed (item 14). */
export async function pendingTotpSecret(ctx: AppContext, s: StepCtx): Promise<string> {
  if (s.flow.context.pendingTotp) return open(ctx.config.totpKeyRing, s.flow.context.pendingTotp, s.user.id);
  const secret = generateTotpSecret();
  await updateFlowContext(ctx.db, s.flow, { ...s.flow.context, pendingTotp: seal(ctx.config.totpKey, secret, s.user.id) }, ctx.now());
  return secret;
}

/** While the user's 2-step counter is locked: the lock's answer (no flow opened, no code mailed). */
export async function refuseWhileOtpLocked(ctx: AppContext, userId: string, now: number): Promise<void> {
  const until = await ctx.throttle.lockedUntil(otpKey(userId), now);
  if (until > now) throw lockedError(until, now);
}

/**
 * Item 38 / issue 14 item 8: the failure that earns a 2-step lock ends the user's pending flows and
 * sessions (a new security epoch), so no flow opened before the lock can be finished after it.
 * Only the 2-step counter does this: it needs the password, while the password counter is keyed by
 * the login ID (its canonical form, item 41) alone, so anyone could use it to sign a user out.
 */
export async function endFlowsOnOtpLock(ctx: AppContext, userId: string, failures: number, now: number): Promise<void> {
  if (lockMsFor(OTP_POLICY, failures) > 0) await bumpSecurityEpoch(ctx.db, userId, now);
}

/** Counts an OTP attempt up front on the shared per-account counter (item 21); a locked source is refused. Returns the failures counted. */
export async function beginOtp(ctx: AppContext, userId: string, now: number, ip?: string, orgId?: string): Promise<number> {
  if (ip) {
    const ipLock = await sourceLockedUntil(ctx.throttle, throttleKeys.otpSource(ip), now);
    if (ipLock > now) throw await refusedByLock(ctx, 'source', throttleKeys.otpSource(ip), ipLock, { factor: 'otp', ip }, now);
  }
  const v = await ctx.throttle.begin(otpKey(userId), OTP_POLICY, now);
  if (!v.ok) throw await refusedByLock(ctx, 'account', otpKey(userId), v.retryAt, { subjectUserId: userId, organisationId: orgId ?? null, factor: 'otp', ip: ip ?? '' }, now);
  return v.failures;
}

/** The check of a counted OTP attempt: a database failure in it gives the attempt back (item 45). */
export function otpCheck<T>(ctx: AppContext, userId: string, failures: number, now: number, check: () => Promise<T>): Promise<T> {
  return refundOnInfrastructureFailure(ctx.throttle, otpKey(userId), OTP_POLICY, { ok: true, failures }, now, check, ctx.log);
}

export async function failOtp(ctx: AppContext, s: StepCtx, failures: number, event: AuditEvent, factor: string, ip: string, now: number, code: 'auth.invalid_code' | 'auth.code_used' = 'auth.invalid_code'): Promise<never> {
  throw await otpFailure(ctx, s, failures, event, factor, ip, now, code);
}

/** failOtp's writes (through `ctx.db`, which may be a step's transaction), returning the refusal. */
export async function otpFailure(ctx: AppContext, s: StepCtx, failures: number, event: AuditEvent, factor: string, ip: string, now: number, code: 'auth.invalid_code' | 'auth.code_used' = 'auth.invalid_code'): Promise<DomainError> {
  await endFlowsOnOtpLock(ctx, s.user.id, failures, now);
  await countSourceFailure(ctx.throttle, throttleKeys.otpSource(ip), now);
  await audit(ctx.db, { event, subjectUserId: s.user.id, organisationId: s.org.id, factor, ip }, now);
  ctx.metrics?.secondFactor(factor, code === 'auth.code_used' ? 'replay' : 'failed');
  return new DomainError(code);
}

/** The backup codes to show, while the flow waits for the user to acknowledge them. */
export function pendingBackupCodes(ctx: AppContext, s: StepCtx): string[] {
  const box = s.flow.context.pendingBackupCodes;
  return box ? open(ctx.config.totpKeyRing, box, s.user.id).split('\n') : [];
}

/** S3.7: "trust this browser" only where the organisation turned it on; a random token, stored hashed. */
export async function withTrust(ctx: AppContext, s: StepCtx, trust: boolean, client: ClientInfo, now: number, next: NextAction): Promise<NextAction> {
  if (!trust || s.org.trusted_browsers_enabled_at === null || next.action !== 'session_issued') return next;
  const token = randomToken();
  await insertTrustedDevice(ctx.db, s.user.id, token, s.user.security_epoch, client.userAgent, TRUSTED_BROWSER_DAYS * 86_400_000, now);
  await audit(ctx.db, { event: 'device.trusted', subjectUserId: s.user.id, organisationId: s.org.id, ip: client.ip }, now);
  return { ...next, deviceToken: token };
}
