// S3.2–S3.7: the second step of a login flow. Each function loads the flow for the states it
// serves, so no later step works before the earlier one is done (SECURITY.md items 8, 9, 11).
import type { AppContext } from '../../context.ts';
import type { SecondFactor } from '../../db/schema.ts';
import { DomainError } from '../../errors.ts';
import { audit, type AuditEvent } from '../../audit/log.ts';
import { queueMail } from '../../mail/service.ts';
import { findOrganisation, type Organisation } from '../../portal/organisations.ts';
import { randomToken } from '../crypto/tokens.ts';
import { open, seal } from '../crypto/secret-box.ts';
import { generateBackupCodes, hashBackupCode, normalizeBackupCode } from '../factors/backup-codes.ts';
import { generateTotpSecret, matchTotp } from '../factors/totp.ts';
import { advanceFlow, loadFlow, StaleFlowError, updateFlowContext, type Flow } from '../flows/flow.ts';
import type { FlowContext, LoginState } from '../flows/states.ts';
import { profileFor, type PortalProfile } from '../profiles.ts';
import { OTP_POLICY, countSourceFailure, lockMsFor, sourceLockedUntil } from '../throttle/db-throttle.ts';
import { refundOnInfrastructureFailure } from '../throttle/refund.ts';
import { bumpSecurityEpoch } from '../users/security-epoch.ts';
import { findUserById, setSecondFactor, type UserRow } from '../users/store.ts';
import {
  acceptTotpStep, insertTrustedDevice, replaceBackupCodes, saveTotpEnrolment, useBackupCode,
} from './factor-store.ts';
import { resendMailOtp, sendMailOtpFor, verifyMailOtp } from './mail-otp.ts';
import { finishLogin, lockedError, refusedByLock, type ClientInfo, type LoginNext } from './service.ts';

export const TRUSTED_BROWSER_DAYS = 30;
/** Per-account OTP failure counter (item 21); admins clear it to unlock (S13). */
export const otpKey = (userId: string) => `otp:${userId}`;

export interface StepCtx { flow: Flow<LoginState>; user: UserRow; org: Organisation; profile: PortalProfile }

export async function loadLoginStep(ctx: AppContext, flowId: string, flowCookie: string | undefined, allowed: readonly LoginState[] | null): Promise<StepCtx> {
  // The re-enrolment flow shares the enrolment steps; each step's state list keeps it out of the rest.
  const flow = await loadFlow(ctx.db, flowId, flowCookie, ['login', 'totp_reenrol'], allowed, ctx.now()).catch(async (err: unknown) => {
    // A flow ended by a 2-step lock says "locked" while the lock lasts, then "start again" (item 38).
    if (err instanceof StaleFlowError) await refuseWhileOtpLocked(ctx, err.userId, ctx.now());
    throw err;
  });
  const user = await findUserById(ctx.db, flow.userId!);
  if (!user || user.disabled_at !== null) throw new DomainError('auth.flow_expired');
  const org = (await findOrganisation(ctx.db, user.organisation_id))!;
  return { flow, user, org, profile: profileFor(org.profile) };
}

/** S3.3: what the selection screen may offer this user. Only admins may take MailOTP. */
export function allowedMethods(user: UserRow, org: Organisation, profile: PortalProfile): SecondFactor[] {
  return profile.secondFactors.filter((m) => m === 'totp' || (user.role === 'admin' && org.mail_otp_disabled_at === null));
}

export async function chooseMethod(ctx: AppContext, flowId: string, bt: string | undefined, method: string, client: ClientInfo): Promise<LoginState> {
  const now = ctx.now();
  const s = await loadLoginStep(ctx, flowId, bt, ['awaiting_method_choice']);
  const allowed = allowedMethods(s.user, s.org, s.profile);
  if (!allowed.includes(method as SecondFactor)) throw new DomainError('auth.method_not_allowed');
  await setSecondFactor(ctx.db, s.user.id, method as SecondFactor, now);
  await audit(ctx.db, { event: 'mfa.method_chosen', subjectUserId: s.user.id, organisationId: s.org.id, factor: method, ip: client.ip }, now);
  const next: LoginState = method === 'mail_otp' ? 'awaiting_mail_otp' : 'awaiting_totp_enrolment';
  const flow = await advanceFlow(ctx.db, s.flow, next, now);
  if (next === 'awaiting_mail_otp') await sendMailOtpFor(ctx, flow, s.user, client.ip, now);
  return next;
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
async function beginOtp(ctx: AppContext, userId: string, now: number, ip?: string, orgId?: string): Promise<number> {
  if (ip) {
    const ipLock = await sourceLockedUntil(ctx.throttle, `otpip:${ip}`, now);
    if (ipLock > now) throw await refusedByLock(ctx, 'source', `otpip:${ip}`, ipLock, { factor: 'otp', ip }, now);
  }
  const v = await ctx.throttle.begin(otpKey(userId), OTP_POLICY, now);
  if (!v.ok) throw await refusedByLock(ctx, 'account', otpKey(userId), v.retryAt, { subjectUserId: userId, organisationId: orgId ?? null, factor: 'otp', ip: ip ?? '' }, now);
  return v.failures;
}

/** The check of a counted OTP attempt: a database failure in it gives the attempt back (item 45). */
function otpCheck<T>(ctx: AppContext, userId: string, failures: number, now: number, check: () => Promise<T>): Promise<T> {
  return refundOnInfrastructureFailure(ctx.throttle, otpKey(userId), OTP_POLICY, { ok: true, failures }, now, check, ctx.log);
}

async function failOtp(ctx: AppContext, s: StepCtx, failures: number, event: AuditEvent, factor: string, ip: string, now: number, code: 'auth.invalid_code' | 'auth.code_used' = 'auth.invalid_code'): Promise<never> {
  await endFlowsOnOtpLock(ctx, s.user.id, failures, now);
  await countSourceFailure(ctx.throttle, `otpip:${ip}`, now);
  await audit(ctx.db, { event, subjectUserId: s.user.id, organisationId: s.org.id, factor, ip }, now);
  ctx.metrics?.secondFactor(factor, code === 'auth.code_used' ? 'replay' : 'failed');
  throw new DomainError(code);
}

export async function confirmTotpEnrolment(ctx: AppContext, flowId: string, bt: string | undefined, code: string, client: ClientInfo): Promise<LoginNext> {
  const now = ctx.now();
  const s = await loadLoginStep(ctx, flowId, bt, ['awaiting_totp_enrolment']);
  if (!s.flow.context.pendingTotp) throw new DomainError('auth.wrong_step');
  const failures = await beginOtp(ctx, s.user.id, now, client.ip, s.org.id);
  const secret = open(ctx.config.totpKeyRing, s.flow.context.pendingTotp, s.user.id);
  const step = matchTotp(secret, code, now);
  if (step === null) return failOtp(ctx, s, failures, 'mfa.totp_failed', 'totp', client.ip, now);
  await ctx.throttle.succeed(otpKey(s.user.id));
  const reenrol = s.user.totp_enrolled_at !== null;
  const codes = s.profile.backupCodes ? generateBackupCodes() : [];
  const context: FlowContext = { ...s.flow.context, pendingTotp: undefined };
  if (codes.length) context.pendingBackupCodes = seal(ctx.config.totpKey, codes.join('\n'), s.user.id);
  const securityEpoch = await ctx.db.transaction().execute(async (trx) => {
    await saveTotpEnrolment(trx, s.user.id, seal(ctx.config.totpKey, secret, s.user.id), step, now);
    await replaceBackupCodes(trx, s.user.id, codes.map((c) => hashBackupCode(c, s.user.id)), now);
    if (codes.length) await advanceFlow(trx, s.flow, 'showing_backup_codes', now, context);
    // Item 38 / issue 14 item 4: a new secret ends every session and every other flow; this flow
    // goes on. A login ends with a new session; a re-enrolment keeps the session it started from.
    const epoch = await bumpSecurityEpoch(trx, s.user.id, now, { flowId: s.flow.id, sessionId: s.flow.kind === 'totp_reenrol' ? s.flow.context.sessionId : undefined });
    await audit(trx, { event: 'mfa.totp_enrolled', subjectUserId: s.user.id, organisationId: s.org.id, factor: 'totp', ip: client.ip, detail: { reenrol } }, now);
    if (reenrol) {
      await queueMail(trx, { to: s.user.email, userId: s.user.id, lang: s.user.lang }, 'totp_enrolled', { profileName: s.profile.displayName[s.user.lang], userName: s.user.name, at: now }, now);
    }
    return epoch;
  });
  if (!codes.length) return finishEnrolment(ctx, { ...s.flow, securityEpoch }, s.user, client, now);
  return { action: 'show_step', flowId, state: 'showing_backup_codes' };
}

/** The backup codes to show, while the flow waits for the user to acknowledge them. */
export function pendingBackupCodes(ctx: AppContext, s: StepCtx): string[] {
  const box = s.flow.context.pendingBackupCodes;
  return box ? open(ctx.config.totpKeyRing, box, s.user.id).split('\n') : [];
}

export async function acknowledgeBackupCodes(ctx: AppContext, flowId: string, bt: string | undefined, client: ClientInfo): Promise<LoginNext> {
  const now = ctx.now();
  const s = await loadLoginStep(ctx, flowId, bt, ['showing_backup_codes']);
  // The plaintext codes leave the flow record as the flow ends: shown no more (item 20).
  const flow = { ...s.flow, context: { ...s.flow.context, pendingBackupCodes: undefined } };
  return finishEnrolment(ctx, flow, s.user, client, now);
}

/**
 * The end of an enrolment: a login gets its session; a re-enrolment from the security settings
 * (issue 13 item 1) only ends its flow and goes back there — the user is signed in already, so a
 * second session and a second login.succeeded would be wrong.
 */
async function finishEnrolment(ctx: AppContext, flow: Flow<LoginState>, user: UserRow, client: ClientInfo, now: number): Promise<LoginNext> {
  if (flow.kind !== 'totp_reenrol') return finishLogin(ctx, flow, user, 'totp', client, now);
  await advanceFlow(ctx.db, flow, 'done', now);
  return { action: 'redirect', to: '/profile' };
}

export async function submitTotpCode(ctx: AppContext, flowId: string, bt: string | undefined, code: string, trust: boolean, client: ClientInfo): Promise<LoginNext> {
  const now = ctx.now();
  const s = await loadLoginStep(ctx, flowId, bt, ['awaiting_totp']);
  const failures = await beginOtp(ctx, s.user.id, now, client.ip, s.org.id);
  const secret = open(ctx.config.totpKeyRing, s.user.totp_secret_enc!, s.user.id);
  const step = matchTotp(secret, code, now);
  if (step === null) return failOtp(ctx, s, failures, 'mfa.totp_failed', 'totp', client.ip, now);
  // RFC 6238 §5.2 / item 16: the step is taken by an atomic conditional write, once, on any node.
  const fresh = await otpCheck(ctx, s.user.id, failures, now, async () => {
    const taken = await acceptTotpStep(ctx.db, s.user.id, step);
    if (taken) await ctx.throttle.succeed(otpKey(s.user.id));
    return taken;
  });
  if (!fresh) return failOtp(ctx, s, failures, 'mfa.totp_replay', 'totp', client.ip, now, 'auth.code_used');
  return withTrust(ctx, s, trust, client, now, await finishLogin(ctx, s.flow, s.user, 'totp', client, now));
}

export async function submitBackupCode(ctx: AppContext, flowId: string, bt: string | undefined, code: string, client: ClientInfo): Promise<LoginNext> {
  const now = ctx.now();
  const s = await loadLoginStep(ctx, flowId, bt, ['awaiting_totp']);
  const failures = await beginOtp(ctx, s.user.id, now, client.ip, s.org.id);
  const canonical = normalizeBackupCode(code);
  const used = canonical !== null && canonical !== '' && await otpCheck(ctx, s.user.id, failures, now, async () => {
    const hit = await useBackupCode(ctx.db, s.user.id, hashBackupCode(canonical, s.user.id), now);
    if (hit) await ctx.throttle.succeed(otpKey(s.user.id));
    return hit;
  });
  if (!used) return failOtp(ctx, s, failures, 'mfa.backup_failed', 'backup_code', client.ip, now);
  await audit(ctx.db, { event: 'mfa.backup_used', subjectUserId: s.user.id, organisationId: s.org.id, factor: 'backup_code', ip: client.ip }, now);
  await queueMail(ctx.db, { to: s.user.email, userId: s.user.id, lang: s.user.lang }, 'backup_code_used', { profileName: s.profile.displayName[s.user.lang], userName: s.user.name, at: now }, now);
  return finishLogin(ctx, s.flow, s.user, 'backup_code', client, now);
}

export async function submitMailOtpCode(ctx: AppContext, flowId: string, bt: string | undefined, code: string, trust: boolean, client: ClientInfo): Promise<LoginNext> {
  const now = ctx.now();
  const s = await loadLoginStep(ctx, flowId, bt, ['awaiting_mail_otp']);
  const failures = await beginOtp(ctx, s.user.id, now, client.ip, s.org.id);
  const right = await otpCheck(ctx, s.user.id, failures, now, async () => {
    const hit = await verifyMailOtp(ctx, s.flow, code, now);
    if (hit) await ctx.throttle.succeed(otpKey(s.user.id));
    return hit;
  });
  if (!right) return failOtp(ctx, s, failures, 'mfa.mail_otp_failed', 'mail_otp', client.ip, now);
  await audit(ctx.db, { event: 'mfa.mail_otp_ok', subjectUserId: s.user.id, organisationId: s.org.id, factor: 'mail_otp', ip: client.ip }, now);
  return withTrust(ctx, s, trust, client, now, await finishLogin(ctx, s.flow, s.user, 'mail_otp', client, now));
}

export async function resendMailOtpCode(ctx: AppContext, flowId: string, bt: string | undefined, client: ClientInfo): Promise<void> {
  const s = await loadLoginStep(ctx, flowId, bt, ['awaiting_mail_otp']);
  await resendMailOtp(ctx, s.flow, s.user, client.ip, ctx.now());
}

/** S3.7: "trust this browser" only where the organisation turned it on; a random token, stored hashed. */
async function withTrust(ctx: AppContext, s: StepCtx, trust: boolean, client: ClientInfo, now: number, next: LoginNext): Promise<LoginNext> {
  if (!trust || s.org.trusted_browsers_enabled_at === null || next.action !== 'session_issued') return next;
  const token = randomToken();
  await insertTrustedDevice(ctx.db, s.user.id, token, s.user.security_epoch, client.userAgent, TRUSTED_BROWSER_DAYS * 86_400_000, now);
  await audit(ctx.db, { event: 'device.trusted', subjectUserId: s.user.id, organisationId: s.org.id, ip: client.ip }, now);
  return { ...next, deviceToken: token };
}
