// Issue 23 (SPEC S3.9): what the passkey pages and steps share — the relying party, the flow's one
// live challenge, the options each page hands to the browser, and the security settings' changes
// (register after a fresh second step, remove). The ceremonies themselves are ceremony.ts.
import type { AppContext } from '../../context.ts';
import { DomainError } from '../../errors.ts';
import { audit } from '../../audit/log.ts';
import { passkeySigninAllowed, passkeysAllowed } from '../factors/methods.ts';
import { createFlow, type Flow } from '../flows/flow.ts';
import type { FlowContext } from '../flows/states.ts';
import type { SessionRow } from '../sessions/store.ts';
import { findOrganisation, type Organisation } from '../tenancy/organisations.ts';
import { profileFor } from '../tenancy/presets.ts';
import type { UserRow } from '../users/store.ts';
import { reauthenticateWithTotp } from '../profile/service.ts';
import { aaguidList, authenticationOptions, registrationOptions, rpFrom, storedChallenge, type RelyingParty, type StoredChallenge } from './ceremony.ts';
import { deletePasskey, listPasskeys, MAX_PASSKEYS, writeFlowContext, type Passkey } from './store.ts';

/** The relying party: PUBLIC_URL's hostname and origin (issue 23 item 4), never a request header. */
export function relyingParty(ctx: AppContext): RelyingParty {
  return rpFrom(ctx.config.publicUrl, 'bizportal');
}

/** A challenge still answerable. */
export function liveChallenge(flow: Flow, now: number): StoredChallenge | null {
  const c = flow.context.passkeyChallenge;
  return c && typeof c.c === 'string' && c.e > now ? c : null;
}

/**
 * The flow's live challenge for a page; an expired or missing one is replaced first (a
 * version-checked write: a page opened while an answer is consumed gets the newer flow's).
 */
export async function ensureChallenge(ctx: AppContext, flow: Flow): Promise<{ flow: Flow; challenge: StoredChallenge }> {
  const now = ctx.now();
  const live = liveChallenge(flow, now);
  if (live) return { flow, challenge: live };
  const challenge = storedChallenge(now);
  const written = await writeFlowContext(ctx.db, flow, { ...flow.context, passkeyChallenge: challenge }, now);
  if (!written) throw new DomainError('auth.wrong_step', { state: flow.state });
  return { flow: written, challenge };
}

/** The context of a flow whose challenge was answered (right or wrong): a fresh one, or none. */
export function withFreshChallenge(context: FlowContext, now: number): FlowContext {
  return { ...context, passkeyChallenge: storedChallenge(now) };
}

/** Whether the passkey sign-in is offered at all: some organisation turned it on (no user is named by the page). */
export async function passwordlessOffered(ctx: AppContext): Promise<boolean> {
  const r = await ctx.db.selectFrom('organisation').select('id').where('passkey_signin_enabled_at', 'is not', null).limit(1).executeTakeFirst();
  return r !== undefined;
}

/** The passwordless sign-in's options: discoverable credentials (no allowCredentials: the page names nobody). */
export async function signinOptions(ctx: AppContext, flow: Flow): Promise<string> {
  const { challenge } = await ensureChallenge(ctx, flow);
  return JSON.stringify(await authenticationOptions(relyingParty(ctx), [], challenge.c));
}

/** The second step's options: the user's own passkeys. */
export async function secondStepOptions(ctx: AppContext, flow: Flow, user: UserRow): Promise<string> {
  const { challenge } = await ensureChallenge(ctx, flow);
  const held = await listPasskeys(ctx.db, user.id);
  return JSON.stringify(await authenticationOptions(relyingParty(ctx), held.map((p) => ({ credentialId: p.credentialId, transports: p.transports })), challenge.c));
}

/** The registration page's options: the user, their passkeys excluded, attestation if the organisation lists AAGUIDs. */
export async function registrationOptionsFor(ctx: AppContext, flow: Flow, user: UserRow, org: Organisation): Promise<string> {
  const { challenge } = await ensureChallenge(ctx, flow);
  const held = await listPasskeys(ctx.db, user.id);
  return JSON.stringify(await registrationOptions(relyingParty(ctx), { id: user.id, loginId: user.login_id, name: user.name },
    held.map((p) => ({ credentialId: p.credentialId, transports: p.transports })), challenge.c, aaguidList(org.passkey_aaguids) !== null));
}

export function orgAllowsPasskeys(org: Organisation): boolean {
  return passkeysAllowed(profileFor(org.profile), org);
}

export function orgAllowsSignin(org: Organisation): boolean {
  return passkeySigninAllowed(profileFor(org.profile), org);
}

/** Within this long after signing in, the sign-in itself is the fresh second step (issue 23 item 6). */
export const FRESH_LOGIN_MS = 10 * 60_000;

/**
 * Re-authentication for passkey changes: a sign-in (with its second step) at most FRESH_LOGIN_MS
 * ago, or else a current TOTP code, taken once and throttled like at login (SECURITY.md 17, 31).
 */
export async function requireFreshSecondStep(ctx: AppContext, user: UserRow, session: Pick<SessionRow, 'created_at' | 'aal'>, code: string | undefined, ip: string): Promise<void> {
  const now = ctx.now();
  if (session.aal === 'aal2' && Number(session.created_at) > now - FRESH_LOGIN_MS) return;
  if (!code || user.second_factor !== 'totp' || !user.totp_secret_enc) throw new DomainError('auth.reauth_fresh', {}, { code: [{ key: 'auth.reauth_fresh' }] });
  // Otherwise the settings' one re-authentication: the TOTP code, throttled, single use, audited.
  await reauthenticateWithTotp(ctx, user, code, ip);
}

/** Security settings «パスキーを追加»: after a fresh second step, a registration flow with a cookie of its own. */
export async function startPasskeyRegistration(ctx: AppContext, user: UserRow, session: SessionRow, code: string | undefined, ip: string): Promise<{ flowId: string; flowCookie: string }> {
  const org = await findOrganisation(ctx.db, user.organisation_id);
  if (!org || !orgAllowsPasskeys(org)) throw new DomainError('auth.passkey_not_allowed');
  if ((await listPasskeys(ctx.db, user.id)).length >= MAX_PASSKEYS) throw new DomainError('auth.passkey_limit');
  await requireFreshSecondStep(ctx, user, session, code, ip);
  const now = ctx.now();
  const { flow, cookie } = await createFlow(ctx.db, {
    kind: 'passkey_register', userId: user.id, state: 'awaiting_passkey_registration',
    context: { sessionId: session.id, passkeyChallenge: storedChallenge(now) }, securityEpoch: user.security_epoch, ttlMs: ctx.config.flowMs,
  }, now);
  return { flowId: flow.id, flowCookie: cookie };
}

/** Security settings «削除»: after a fresh second step; audited. */
export async function removeOwnPasskey(ctx: AppContext, user: UserRow, session: SessionRow, id: string, code: string | undefined, ip: string): Promise<void> {
  await requireFreshSecondStep(ctx, user, session, code, ip);
  const now = ctx.now();
  const gone = await deletePasskey(ctx.db, user.id, id);
  if (!gone) throw new DomainError('common.not_found');
  await audit(ctx.db, { event: 'mfa.passkey_removed', actorUserId: user.id, subjectUserId: user.id, organisationId: user.organisation_id, factor: 'passkey', ip, detail: { label: gone.label } }, now);
}

/** An admin revokes a user's passkey (S13: audited). The caller checked the admin may manage the user. */
export async function revokePasskeyByAdmin(ctx: AppContext, admin: { id: string }, user: { id: string; organisation_id: string }, id: string, ip: string): Promise<Passkey> {
  const now = ctx.now();
  const gone = await deletePasskey(ctx.db, user.id, id);
  if (!gone) throw new DomainError('common.not_found');
  await audit(ctx.db, { event: 'admin.passkey_revoked', actorUserId: admin.id, subjectUserId: user.id, organisationId: user.organisation_id, factor: 'passkey', ip, detail: { label: gone.label } }, now);
  return gone;
}

export { listPasskeys, type Passkey };
