// The steps of a login flow (S3.2–S3.7) and of a TOTP re-enrolment as registered handlers
// (src/auth/flows/step.ts). Counted OTP attempts and single-use guards (the TOTP step, a backup code,
// a mailed code) are written in `check`, before the step's transaction, so a failure stays counted;
// the rest of a step's writes, the flow's advance and the session are one transaction in `apply`.
import { Type } from '@sinclair/typebox';
import type { SecondFactor } from '../../db/schema.ts';
import { DomainError } from '../../errors.ts';
import { audit } from '../../audit/log.ts';
import { queueMail } from '../../mail/service.ts';
import { open, seal } from '../crypto/secret-box.ts';
import { generateBackupCodes, hashBackupCode, normalizeBackupCode } from '../factors/backup-codes.ts';
import { matchTotp } from '../factors/totp.ts';
import { returnTarget } from '../flows/return-to.ts';
import { storedChallenge } from '../passkeys/ceremony.ts';
import type { FlowContext } from '../flows/states.ts';
import { defineStep, Refusal, type ApplyCall, type NextAction } from '../flows/step.ts';
import { requireStartingSession } from '../flows/starting-session.ts';
import { bumpSecurityEpoch } from '../users/security-epoch.ts';
import { setSecondFactor } from '../users/store.ts';
import { acceptTotpStep, replaceBackupCodes, saveTotpEnrolment, useBackupCode } from './factor-store.ts';
import { resendMailOtp, sendMailOtpFor, verifyMailOtp } from './mail-otp.ts';
import {
  allowedMethods, beginOtp, failOtp, loginSubject, otpCheck, otpFailure, otpKey, refuseWhileOtpLocked, withTrust, type StepCtx,
} from './second-factor.ts';
import { firstSecondStepState, loginSucceeded, passwordVerified, skippedLogin, verifyCredentials, type Verified } from './service.ts';
import { OTP_POLICY, PASSWORD_POLICY } from '../throttle/db-throttle.ts';
import { refundIfInfrastructure } from '../throttle/refund.ts';

const Str = (max: number) => Type.String({ maxLength: max });
const csrf = { _csrf: Type.Optional(Str(128)) };
export const MethodBody = Type.Object({ method: Type.Optional(Str(20)), ...csrf });
export const CodeBody = Type.Object({ code: Str(40), trust: Type.Optional(Str(5)), ...csrf });
export const BackupCodeBody = Type.Object({ backupCode: Str(40), ...csrf });
export const EmptyBody = Type.Object({ ...csrf });
export const CredentialsBody = Type.Object({ loginId: Str(1024), password: Str(1024), ...csrf });

/** A flow ended by a 2-step lock says "locked" while the lock lasts, then "start again" (item 38). */
const onStale = (ctx: Parameters<typeof refuseWhileOtpLocked>[0], userId: string) => refuseWhileOtpLocked(ctx, userId, ctx.now());

/** Ends a login with its session and the flow's return target. */
function sessionFor<B>(c: ApplyCall<B>, s: StepCtx, factor: string, securityEpoch = c.flow.securityEpoch): Promise<NextAction> {
  return loginSucceeded(c.tx, s.user, factor, securityEpoch, c.client, c.now, returnTarget(c.flow.context.returnTo));
}

/**
 * The end of an enrolment (the flow is at `done` already): a login gets its session; a re-enrolment
 * from the security settings (issue 13 item 1) goes back there — the user is signed in, so a second
 * session and a second login.succeeded would be wrong.
 */
function endEnrolment<B>(c: ApplyCall<B>, s: StepCtx, securityEpoch: number): Promise<NextAction> | NextAction {
  if (c.flow.kind === 'totp_reenrol') return { action: 'redirect', to: '/profile' };
  return sessionFor(c, s, 'totp', securityEpoch);
}

/**
 * S3.1 the login ID + password, as a step of the flow GET /login opened. The checks (throttles,
 * argon2, the lock) are counted and committed as they happen; the flow learns its user and moves to
 * its first second-step state — or to done when the second step is legitimately skipped — in one
 * transaction with the session, if any.
 */
const credentials = defineStep({
  kinds: ['login'], step: 'credentials', body: CredentialsBody,
  // An assurance of aal2 asked for (acr_values) is never met by a skipped second step.
  check: ({ ctx, flow, body, client }) => verifyCredentials(ctx, body.loginId, body.password, client, { allowSkip: flow.context.requestedAal !== 'aal2' }),
  async apply(c, v: Verified) {
    const returnTo = returnTarget(c.flow.context.returnTo);
    await passwordVerified(c.tx, v, c.client, c.now);
    if (v.skip) {
      await c.bindUser({ userId: v.user.id, securityEpoch: v.user.security_epoch, to: 'done' });
      return skippedLogin(c.tx, { ...v, skip: v.skip }, c.client, c.now, returnTo);
    }
    const state = firstSecondStepState(v.user, v.org);
    const context: FlowContext = state === 'awaiting_passkey' ? { ...c.flow.context, passkeyChallenge: storedChallenge(c.now) } : { ...c.flow.context, passkeyChallenge: undefined };
    const cookie = await c.bindUser({ userId: v.user.id, securityEpoch: v.user.security_epoch, to: state, context });
    return { action: 'show_step', flowId: c.flow.id, state, flowCookie: cookie };
  },
  // The step's writes did not happen: an infrastructure failure gives the counted attempt back (item 45).
  failed: ({ ctx }, v: Verified, err) => refundIfInfrastructure(ctx.throttle, PASSWORD_POLICY, v.counted, err, ctx.log),
  // The code is mailed once the flow is the user's (sendMailOtpFor writes in a transaction of its own).
  async after({ ctx, flow, client, now }, v: Verified) {
    if (!v.skip && flow.state === 'awaiting_mail_otp') await sendMailOtpFor(ctx, flow, v.user, client.ip, now);
  },
});

const method = defineStep({
  kinds: ['login'], step: 'method', body: MethodBody, onStale,
  async check({ ctx, flow, body }) {
    // Seed 004 «選択必須»: nothing is pre-selected, so "no choice" is an answer to explain.
    if (!body.method) throw new DomainError('mfa.select.must_choose');
    const s = await loginSubject(ctx, flow);
    if (!allowedMethods(s.user, s.org, s.profile).includes(body.method as SecondFactor)) throw new DomainError('auth.method_not_allowed');
    return { s, method: body.method as SecondFactor };
  },
  async apply({ db, advance, client, now }, { s, method }) {
    await setSecondFactor(db, s.user.id, method, now);
    await audit(db, { event: 'mfa.method_chosen', subjectUserId: s.user.id, organisationId: s.org.id, factor: method, ip: client.ip }, now);
    await advance(method === 'mail_otp' ? 'awaiting_mail_otp' : 'awaiting_totp_enrolment');
  },
  // The code is mailed once the choice is committed (sendMailOtpFor writes in a transaction of its own).
  async after({ ctx, flow, client, now }, { s, method }) {
    if (method === 'mail_otp') await sendMailOtpFor(ctx, flow, s.user, client.ip, now);
  },
});

const totpSetup = defineStep({
  kinds: ['login', 'totp_reenrol'], step: 'totp-setup', body: CodeBody, onStale,
  async check({ ctx, flow, body, client, now }) {
    const s = await loginSubject(ctx, flow);
    await requireStartingSession(ctx, flow, s.user.id, now);
    if (!flow.context.pendingTotp) throw new DomainError('auth.wrong_step');
    const failures = await beginOtp(ctx, s.user.id, now, client.ip, s.org.id);
    const secret = open(ctx.config.totpKeyRing, flow.context.pendingTotp, s.user.id);
    const step = matchTotp(secret, body.code, now);
    if (step === null) return failOtp(ctx, s, failures, 'mfa.totp_failed', 'totp', client.ip, now);
    await ctx.throttle.succeed(otpKey(s.user.id));
    return { s, secret, step };
  },
  async apply(c, { s, secret, step }) {
    const { db, flow, client, now, tx } = c;
    const reenrol = s.user.totp_enrolled_at !== null;
    const codes = s.profile.backupCodes ? generateBackupCodes() : [];
    const context: FlowContext = { ...flow.context, pendingTotp: undefined };
    if (codes.length) context.pendingBackupCodes = seal(tx.config.totpKey, codes.join('\n'), s.user.id);
    // Straight to done when the preset hands out no backup codes.
    const done = codes.length === 0;
    await c.advance(done ? 'done' : 'showing_backup_codes', context);
    await saveTotpEnrolment(db, s.user.id, seal(tx.config.totpKey, secret, s.user.id), step, now);
    await replaceBackupCodes(db, s.user.id, codes.map((x) => hashBackupCode(x, s.user.id)), now);
    // Item 38 / issue 14 item 4: a new secret ends every session and every other flow; this flow
    // goes on. A login ends with a new session; a re-enrolment keeps the session it started from.
    const epoch = await bumpSecurityEpoch(db, s.user.id, now, { flowId: flow.id, sessionId: flow.kind === 'totp_reenrol' ? flow.context.sessionId : undefined });
    await audit(db, { event: 'mfa.totp_enrolled', subjectUserId: s.user.id, organisationId: s.org.id, factor: 'totp', ip: client.ip, detail: { reenrol } }, now);
    if (reenrol) {
      await queueMail(db, { to: s.user.email, userId: s.user.id, lang: s.user.lang }, 'totp_enrolled', { profileName: s.profile.displayName[s.user.lang], userName: s.user.name, at: now }, now);
    }
    if (done) return endEnrolment(c, s, epoch);
  },
});

const backupCodes = defineStep({
  kinds: ['login', 'totp_reenrol'], step: 'backup-codes', body: EmptyBody, onStale,
  async check({ ctx, flow, now }) {
    const s = await loginSubject(ctx, flow);
    await requireStartingSession(ctx, flow, s.user.id, now);
    return { s };
  },
  async apply(c, { s }) {
    // The plaintext codes leave the flow record as the flow ends: shown no more (item 20).
    await c.advance('done', { ...c.flow.context, pendingBackupCodes: undefined });
    return endEnrolment(c, s, c.flow.securityEpoch);
  },
});

const totp = defineStep({
  kinds: ['login'], step: 'totp', body: CodeBody, onStale,
  async check({ ctx, flow, body, client, now }) {
    const s = await loginSubject(ctx, flow);
    const failures = await beginOtp(ctx, s.user.id, now, client.ip, s.org.id);
    const secret = open(ctx.config.totpKeyRing, s.user.totp_secret_enc!, s.user.id);
    const step = matchTotp(secret, body.code, now);
    if (step === null) return failOtp(ctx, s, failures, 'mfa.totp_failed', 'totp', client.ip, now);
    return { s, step, failures };
  },
  // One transaction, one commit (issue 19): the time step taken, the counter cleared, the flow done,
  // the session. A replayed step is refused with its failure's writes committed all the same.
  async apply(c, { s, step, failures }) {
    // RFC 6238 §5.2 / item 16: the step is taken by an atomic conditional write, once, on any node.
    if (!await acceptTotpStep(c.db, s.user.id, step)) {
      return new Refusal(await otpFailure(c.tx, s, failures, 'mfa.totp_replay', 'totp', c.client.ip, c.now, 'auth.code_used'));
    }
    await c.tx.throttle.succeed(otpKey(s.user.id));
    await c.advance('done');
    return withTrust(c.tx, s, c.body.trust === '1', c.client, c.now, await sessionFor(c, s, 'totp'));
  },
  // The writes did not happen: an infrastructure failure gives the counted attempt back (item 45).
  failed: ({ ctx, now }, { s, failures }, err) => refundIfInfrastructure(ctx.throttle, OTP_POLICY, { key: otpKey(s.user.id), verdict: { ok: true, failures }, at: now }, err, ctx.log),
});

const backupCode = defineStep({
  kinds: ['login'], step: 'backup-code', body: BackupCodeBody, onStale,
  async check({ ctx, flow, body, client, now }) {
    const s = await loginSubject(ctx, flow);
    const failures = await beginOtp(ctx, s.user.id, now, client.ip, s.org.id);
    const canonical = normalizeBackupCode(body.backupCode);
    const used = canonical !== null && canonical !== '' && await otpCheck(ctx, s.user.id, failures, now, async () => {
      const hit = await useBackupCode(ctx.db, s.user.id, hashBackupCode(canonical, s.user.id), now);
      if (hit) await ctx.throttle.succeed(otpKey(s.user.id));
      return hit;
    });
    if (!used) return failOtp(ctx, s, failures, 'mfa.backup_failed', 'backup_code', client.ip, now);
    return { s };
  },
  async apply(c, { s }) {
    const { db, client, now } = c;
    await c.advance('done');
    await audit(db, { event: 'mfa.backup_used', subjectUserId: s.user.id, organisationId: s.org.id, factor: 'backup_code', ip: client.ip }, now);
    await queueMail(db, { to: s.user.email, userId: s.user.id, lang: s.user.lang }, 'backup_code_used', { profileName: s.profile.displayName[s.user.lang], userName: s.user.name, at: now }, now);
    return sessionFor(c, s, 'backup_code');
  },
});

const mailOtp = defineStep({
  kinds: ['login'], step: 'mail-otp', body: CodeBody, onStale,
  async check({ ctx, flow, body, client, now }) {
    const s = await loginSubject(ctx, flow);
    const failures = await beginOtp(ctx, s.user.id, now, client.ip, s.org.id);
    const right = await otpCheck(ctx, s.user.id, failures, now, async () => {
      const hit = await verifyMailOtp(ctx, flow, body.code, now);
      if (hit) await ctx.throttle.succeed(otpKey(s.user.id));
      return hit;
    });
    if (!right) return failOtp(ctx, s, failures, 'mfa.mail_otp_failed', 'mail_otp', client.ip, now);
    return { s };
  },
  async apply(c, { s }) {
    await c.advance('done');
    await audit(c.db, { event: 'mfa.mail_otp_ok', subjectUserId: s.user.id, organisationId: s.org.id, factor: 'mail_otp', ip: c.client.ip }, c.now);
    return withTrust(c.tx, s, c.body.trust === '1', c.client, c.now, await sessionFor(c, s, 'mail_otp'));
  },
});

/** A new code for the same flow; no state change. The cooldown (item 19) answers auth.resend_cooldown. */
const mailOtpResend = defineStep({
  kinds: ['login'], step: 'mail-otp/resend', body: EmptyBody, onStale,
  async check({ ctx, flow, client, now }) {
    const s = await loginSubject(ctx, flow);
    // resendMailOtp writes the new code in a transaction of its own.
    await resendMailOtp(ctx, flow, s.user, client.ip, now);
  },
  async apply() {},
});

export const loginSteps = [credentials, method, totpSetup, backupCodes, totp, backupCode, mailOtp, mailOtpResend] as const;
