// Issue 23 (SPEC S3.9): the passkey steps as registered flow handlers (src/auth/flows/step.ts).
// - `passkey` (login, awaiting_passkey): the second step; counted on the 2-step counter like a code.
// - `passkey/other` (login, awaiting_passkey): «別の方法を使う», to the user's TOTP or MailOTP step.
// - `passkey/signin` (login, awaiting_password): the passwordless sign-in; the credential names the user.
// - `passkey/register` (passkey_register): a new passkey from the security settings.
// Every answer, right or wrong, consumes the flow's challenge in the step's version-checked write: a
// replayed or raced answer finds a newer flow (wrong_step) or a newer challenge (refused). The
// counter moves by one guarded UPDATE in the same transaction as the flow (store.ts).
import { Type } from '@sinclair/typebox';
import type { AuthenticationResponseJSON, RegistrationResponseJSON } from '@simplewebauthn/server';
import type { AppContext } from '../../context.ts';
import { DomainError } from '../../errors.ts';
import { audit } from '../../audit/log.ts';
import { returnTarget } from '../flows/return-to.ts';
import type { Flow } from '../flows/flow.ts';
import type { FlowContext } from '../flows/states.ts';
import { defineStep, Refusal, type ApplyCall, type NextAction } from '../flows/step.ts';
import { sendMailOtpFor } from '../login/mail-otp.ts';
import { beginOtp, loginSubject, otpFailure, otpKey, refuseWhileOtpLocked, type StepCtx } from '../login/second-factor.ts';
import { loginSucceeded, otherMethodState, refusedByLock } from '../login/service.ts';
import { amrFor } from '../sessions/amr.ts';
import { findOrganisation, type Organisation } from '../tenancy/organisations.ts';
import { countSourceFailure, sourceLockedUntil } from '../throttle/db-throttle.ts';
import { throttleKeys } from '../throttle/keys.ts';
import { findUserById, type UserRow } from '../users/store.ts';
import { aaguidList, counterAcceptable, parseCredential, verifyAssertion, verifyRegistration, type NewPasskey, type VerifiedAssertion } from './ceremony.ts';
import { liveChallenge, orgAllowsPasskeys, orgAllowsSignin, relyingParty, withFreshChallenge } from './service.ts';
import { requireStartingSession } from '../flows/starting-session.ts';
import { findPasskeyByCredentialId, insertPasskey, listPasskeys, MAX_LABEL, MAX_PASSKEYS, recordPasskeyUse, writeFlowContext, type Passkey } from './store.ts';

const csrf = { _csrf: Type.Optional(Type.String({ maxLength: 128 })) };
/** `credential`: the JSON the browser package's startAuthentication() / startRegistration() returned. */
export const PasskeyBody = Type.Object({ credential: Type.String({ maxLength: 16_384 }), ...csrf });
export const PasskeyRegisterBody = Type.Object({ credential: Type.String({ maxLength: 16_384 }), label: Type.Optional(Type.String({ maxLength: 200 })), ...csrf });
export const PasskeyOtherBody = Type.Object({ ...csrf });

/** Why an answer was refused: audited; the browser sees one message (no enumeration of users or passkeys). */
type Reason = 'malformed' | 'challenge_expired' | 'unknown_passkey' | 'passkey_not_allowed' | 'disabled' | 'bad_response' | 'aaguid_not_allowed';

/** A refused answer's writes: a fresh challenge in place of the one answered (version-checked), then the refusal. */
async function burnChallenge<B>(c: ApplyCall<B>): Promise<void> {
  const written = await writeFlowContext(c.db, c.flow, withFreshChallenge(c.flow.context, c.now), c.now);
  if (!written) throw new DomainError('auth.wrong_step', { state: c.flow.state });
}

/** The counter regression (WebAuthn §6.1.1): refused and audited, committed with the fresh challenge. */
async function counterRegression<B>(c: ApplyCall<B>, p: Passkey, a: VerifiedAssertion, orgId: string | null): Promise<Refusal> {
  await burnChallenge(c);
  await audit(c.db, { event: 'mfa.passkey_counter_regression', subjectUserId: p.userId, organisationId: orgId, factor: 'passkey', ip: c.client.ip, detail: { label: p.label, stored: p.signCount, received: a.newCounter } }, c.now);
  c.tx.metrics?.secondFactor('passkey', 'replay');
  return new Refusal(new DomainError('auth.passkey_refused'));
}

type SecondChecked =
  | { ok: true; s: StepCtx; failures: number; passkey: Passkey; assertion: VerifiedAssertion }
  | { ok: false; s: StepCtx; failures: number; reason: Reason };

/** The second step with a passkey: one of the user's own, user verified, this flow's live challenge. */
const passkey = defineStep({
  kinds: ['login'], step: 'passkey', body: PasskeyBody, onStale: (ctx: AppContext, userId: string) => refuseWhileOtpLocked(ctx, userId, ctx.now()),
  async check({ ctx, flow, body, client, now }): Promise<SecondChecked> {
    const s = await loginSubject(ctx, flow);
    // Counted up front on the 2-step counter (item 21), like a code.
    const failures = await beginOtp(ctx, s.user.id, now, client.ip, s.org.id);
    const fail = (reason: Reason): SecondChecked => ({ ok: false, s, failures, reason });
    if (!orgAllowsPasskeys(s.org)) return fail('passkey_not_allowed');
    const challenge = liveChallenge(flow, now);
    if (!challenge) return fail('challenge_expired');
    const response = parseCredential<AuthenticationResponseJSON>(body.credential);
    if (!response) return fail('malformed');
    const found = await findPasskeyByCredentialId(ctx.db, response.id);
    if (!found || found.userId !== s.user.id) return fail('unknown_passkey');
    const assertion = await verifyAssertion(relyingParty(ctx), response, challenge.c, found);
    if (assertion === 'bad_response') return fail('bad_response');
    return { ok: true, s, failures, passkey: found, assertion };
  },
  async apply(c, v: SecondChecked) {
    if (!v.ok) {
      await burnChallenge(c);
      const err = await otpFailure(c.tx, v.s, v.failures, 'mfa.passkey_failed', 'passkey', c.client.ip, c.now);
      await audit(c.db, { event: 'login.failed', subjectUserId: v.s.user.id, organisationId: v.s.org.id, factor: 'passkey', ip: c.client.ip, detail: { reason: v.reason } }, c.now);
      return new Refusal(err.code === 'auth.invalid_code' ? new DomainError('auth.passkey_refused') : err);
    }
    if (!counterAcceptable(v.passkey.signCount, v.assertion.newCounter) || !await recordPasskeyUse(c.db, v.passkey, v.assertion.newCounter, v.assertion.backedUp, c.now)) {
      return counterRegression(c, v.passkey, v.assertion, v.s.org.id);
    }
    await c.tx.throttle.succeed(otpKey(v.s.user.id));
    await c.advance('done', { ...c.flow.context, passkeyChallenge: undefined });
    await audit(c.db, { event: 'mfa.passkey_ok', subjectUserId: v.s.user.id, organisationId: v.s.org.id, factor: 'passkey', ip: c.client.ip, detail: { label: v.passkey.label } }, c.now);
    const amr = amrFor({ first: 'pwd', factor: 'passkey', passkeySynced: v.passkey.backupEligible });
    return loginSucceeded(c.tx, v.s.user, 'passkey', c.flow.securityEpoch, c.client, c.now, returnTarget(c.flow.context.returnTo), amr);
  },
});

/** «別の方法を使う»: the user's TOTP step (with its backup codes) or MailOTP step; a code is mailed for MailOTP. */
const other = defineStep({
  kinds: ['login'], step: 'passkey/other', body: PasskeyOtherBody,
  async check({ ctx, flow }) {
    const s = await loginSubject(ctx, flow);
    const to = otherMethodState(s.user);
    if (!to) throw new DomainError('auth.method_not_allowed');
    return { s, to };
  },
  async apply(c, { to }) {
    await c.advance(to, { ...c.flow.context, passkeyChallenge: undefined });
  },
  async after({ ctx, flow, client, now }, { s, to }) {
    if (to === 'awaiting_mail_otp') await sendMailOtpFor(ctx, flow, s.user, client.ip, now);
  },
});

type SigninChecked =
  | { ok: true; user: UserRow; org: Organisation; passkey: Passkey; assertion: VerifiedAssertion }
  | { ok: false; reason: Reason; userId: string | null; orgId: string | null };

/**
 * The passwordless sign-in from the login page (awaiting_password). The credential id names the
 * passkey and so the user; an unknown passkey, a disabled user, an organisation that does not allow
 * it and a wrong answer all get one refusal, counted on the source address like a wrong password.
 */
const signin = defineStep({
  kinds: ['login'], step: 'passkey/signin', body: PasskeyBody,
  async check({ ctx, flow, body, client, now }): Promise<SigninChecked> {
    const ipKey = throttleKeys.passwordSource(client.ip);
    const ipLock = await sourceLockedUntil(ctx.throttle, ipKey, now);
    if (ipLock > now) throw await refusedByLock(ctx, 'source', ipKey, ipLock, { factor: 'passkey', ip: client.ip }, now);
    const fail = (reason: Reason, userId: string | null = null, orgId: string | null = null): SigninChecked => ({ ok: false, reason, userId, orgId });
    const challenge = liveChallenge(flow, now);
    if (!challenge) return fail('challenge_expired');
    const response = parseCredential<AuthenticationResponseJSON>(body.credential);
    if (!response) return fail('malformed');
    const found = await findPasskeyByCredentialId(ctx.db, response.id);
    const user = found ? await findUserById(ctx.db, found.userId) : undefined;
    const org = user ? await findOrganisation(ctx.db, user.organisation_id) : undefined;
    if (!found || !user || !org) return fail('unknown_passkey');
    if (user.disabled_at !== null) return fail('disabled', user.id, org.id);
    if (!orgAllowsSignin(org)) return fail('passkey_not_allowed', user.id, org.id);
    const assertion = await verifyAssertion(relyingParty(ctx), response, challenge.c, found);
    if (assertion === 'bad_response') return fail('bad_response', user.id, org.id);
    // While the user's 2-step counter is locked no sign-in goes on (issue 14 item 13).
    await refuseWhileOtpLocked(ctx, user.id, now);
    return { ok: true, user, org, passkey: found, assertion };
  },
  async apply(c, v: SigninChecked) {
    if (!v.ok) {
      await burnChallenge(c);
      await countSourceFailure(c.tx.throttle, throttleKeys.passwordSource(c.client.ip), c.now);
      await audit(c.db, { event: 'login.failed', subjectUserId: v.userId, organisationId: v.orgId, factor: 'passkey', ip: c.client.ip, detail: { reason: v.reason } }, c.now);
      c.tx.metrics?.login('failed');
      return new Refusal(new DomainError('auth.passkey_refused'));
    }
    if (!counterAcceptable(v.passkey.signCount, v.assertion.newCounter) || !await recordPasskeyUse(c.db, v.passkey, v.assertion.newCounter, v.assertion.backedUp, c.now)) {
      return counterRegression(c, v.passkey, v.assertion, v.org.id);
    }
    const context: FlowContext = { ...c.flow.context, passkeyChallenge: undefined };
    await c.bindUser({ userId: v.user.id, securityEpoch: v.user.security_epoch, to: 'done', context });
    await audit(c.db, { event: 'mfa.passkey_ok', subjectUserId: v.user.id, organisationId: v.org.id, factor: 'passkey', ip: c.client.ip, detail: { label: v.passkey.label, passwordless: true } }, c.now);
    const amr = amrFor({ first: 'passkey', factor: 'passkey', passkeySynced: v.passkey.backupEligible });
    return loginSucceeded(c.tx, v.user, 'passkey', v.user.security_epoch, c.client, c.now, returnTarget(c.flow.context.returnTo), amr);
  },
});

export type RegisterChecked = { ok: true; s: StepCtx; created: NewPasskey; label: string } | { ok: false; s: StepCtx; reason: Reason };

/** A registration answer checked against the flow's live challenge and the organisation's AAGUID list. */
export async function checkRegistration(ctx: AppContext, flow: Flow, body: { credential: string; label?: string }, s: StepCtx, now: number): Promise<RegisterChecked> {
  if (!orgAllowsPasskeys(s.org)) throw new DomainError('auth.passkey_not_allowed');
  if ((await listPasskeys(ctx.db, s.user.id)).length >= MAX_PASSKEYS) throw new DomainError('auth.passkey_limit');
  const challenge = liveChallenge(flow, now);
  if (!challenge) return { ok: false, s, reason: 'challenge_expired' };
  const response = parseCredential<RegistrationResponseJSON>(body.credential);
  if (!response) return { ok: false, s, reason: 'malformed' };
  const created = await verifyRegistration(relyingParty(ctx), response, challenge.c, aaguidList(s.org.passkey_aaguids));
  if (typeof created === 'string') return { ok: false, s, reason: created === 'aaguid_not_allowed' ? 'aaguid_not_allowed' : 'bad_response' };
  // No name given: the pages show «パスキー» / "Passkey" with its registration time.
  const label = (body.label ?? '').replace(/[\u0000-\u001f\u007f]/g, '').trim().slice(0, MAX_LABEL);
  return { ok: true, s, created, label };
}

/**
 * A registration answer's writes, in the step's transaction: refused → a fresh challenge and the
 * audit row, and the refusal to return; accepted → the passkey and its audit row (null). `purpose`
 * says where it was made: the security settings or the 2-step setup.
 */
export async function writeRegistration<B>(c: ApplyCall<B>, v: RegisterChecked, purpose: 'register' | 'setup'): Promise<Refusal | null> {
  if (!v.ok) {
    await burnChallenge(c);
    await audit(c.db, { event: 'mfa.passkey_failed', subjectUserId: v.s.user.id, organisationId: v.s.org.id, factor: 'passkey', ip: c.client.ip, detail: { reason: v.reason, purpose } }, c.now);
    return new Refusal(new DomainError('auth.passkey_refused'));
  }
  const id = await insertPasskey(c.db, v.s.user.id, v.label, v.created, c.now);
  if (!id) throw new DomainError('auth.passkey_duplicate');
  await audit(c.db, { event: 'mfa.passkey_registered', actorUserId: v.s.user.id, subjectUserId: v.s.user.id, organisationId: v.s.org.id, factor: 'passkey', ip: c.client.ip,
    detail: { label: v.label, aaguid: v.created.aaguid, synced: v.created.backupEligible, ...(purpose === 'setup' ? { during: 'setup' } : {}) } }, c.now);
  return null;
}

/** A new passkey from the security settings (the flow was opened after a fresh second step). */
const register = defineStep({
  kinds: ['passkey_register'], step: 'passkey/register', body: PasskeyRegisterBody,
  async check({ ctx, flow, body, now }): Promise<RegisterChecked> {
    const s = await loginSubject(ctx, flow);
    await requireStartingSession(ctx, flow, s.user.id, now);
    return checkRegistration(ctx, flow, body, s, now);
  },
  async apply(c, v: RegisterChecked): Promise<NextAction | Refusal> {
    const refused = await writeRegistration(c, v, 'register');
    if (refused) return refused;
    await c.advance('done', { ...c.flow.context, passkeyChallenge: undefined });
    return { action: 'redirect', to: '/profile?passkey=added' };
  },
});

export const passkeySteps = [passkey, other, signin, register] as const;
