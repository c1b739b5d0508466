// S2 first login: starting-guide link → identity verification → set password → completion.
// The same link-then-password path serves password reset (S4), so both share setPasswordFromLink.
import type { AppContext } from '../../context.ts';
import { DomainError, type FieldErrors } from '../../errors.ts';
import { audit } from '../../audit/log.ts';
import { queueMail } from '../../mail/service.ts';
import { findOrganisation } from '../tenancy/organisations.ts';
import { createFlow, loadFlow, advanceFlow } from '../flows/flow.ts';
import type { FlowKind } from '../flows/states.ts';
import {
  consumeLink, findLinkById, findLinkByToken, linkUsable, releaseIdentityAttempt, reserveIdentityAttempt, type LinkRow,
} from '../links/store.ts';
import { matchIdentity } from '../identity/match.ts';
import { checkPassword, policies } from '../password/policy.ts';
import { hashPassword } from '../password/hash.ts';
import { profileFor, type IdentityField } from '../tenancy/presets.ts';
import { bumpSecurityEpoch } from '../users/security-epoch.ts';
import { findUserById, setPasswordHash, type UserRow } from '../users/store.ts';
import { countSourceFailure, sourceLockedUntil } from '../throttle/db-throttle.ts';

/** S2.1: wrong identity answers allowed per link before it locks. */
export const MAX_IDENTITY_FAILURES = 5;

/**
 * Opens a mailed link: a flow with a cookie of its own (item 39) for the route to set; the token
 * leaves the URL (item 26).
 */
export async function openLink(ctx: AppContext, token: string): Promise<{ flowId: string; kind: FlowKind; flowCookie: string }> {
  const now = ctx.now();
  const link = await findLinkByToken(ctx.db, token);
  if (!link || !linkUsable(link, now, MAX_IDENTITY_FAILURES)) throw new DomainError('auth.link_invalid');
  const user = await findUserById(ctx.db, link.user_id);
  if (!user) throw new DomainError('auth.link_invalid');
  const kind: FlowKind = link.purpose === 'setup' ? 'first_login' : 'reset';
  const { flow, cookie } = await createFlow(ctx.db, {
    kind, userId: user.id, state: kind === 'first_login' ? 'awaiting_identity' : 'awaiting_password',
    context: { linkId: link.id }, securityEpoch: user.security_epoch, ttlMs: Math.min(ctx.config.flowMs, link.expires_at - now),
  }, now);
  return { flowId: flow.id, kind, flowCookie: cookie };
}

/**
 * A first-login or reset flow to render: until the password is set its link must still be live,
 * so a browser that lost a link race (or holds a superseded link) is shown the dead-link page, not
 * a form whose POST would answer 410 (issue 14 item 13).
 */
export async function loadLinkFlow(ctx: AppContext, flowId: string, flowCookie: string | undefined, kind: FlowKind) {
  const now = ctx.now();
  const flow = await loadFlow(ctx.db, flowId, flowCookie, kind, null, now);
  if (flow.state === 'password_set') return flow;
  // Used, superseded or expired: dead. A link locked by wrong identity answers still shows the form
  // with the answer's error; the next POST says it is locked.
  const link = flow.context.linkId ? await findLinkById(ctx.db, flow.context.linkId) : undefined;
  if (!link || !linkUsable(link, now, Number.POSITIVE_INFINITY)) throw new DomainError('auth.link_invalid');
  return flow;
}

async function liveLink(ctx: AppContext, linkId: string | undefined, now: number): Promise<LinkRow> {
  const link = linkId ? await findLinkById(ctx.db, linkId) : undefined;
  if (!link) throw new DomainError('auth.link_invalid');
  if (link.identity_failures >= MAX_IDENTITY_FAILURES) throw new DomainError('auth.link_locked');
  if (!linkUsable(link, now, MAX_IDENTITY_FAILURES)) throw new DomainError('auth.link_invalid');
  return link;
}

export async function identityFieldsFor(ctx: AppContext, user: UserRow): Promise<IdentityField[]> {
  const org = await findOrganisation(ctx.db, user.organisation_id);
  return profileFor(org?.profile ?? 'business').identity.firstLogin;
}

export async function submitIdentity(ctx: AppContext, flowId: string, browserToken: string | undefined, answers: Partial<Record<IdentityField, string>>, ip: string): Promise<void> {
  const now = ctx.now();
  const flow = await loadFlow(ctx.db, flowId, browserToken, 'first_login', ['awaiting_identity'], now);
  const link = await liveLink(ctx, flow.context.linkId, now);
  const user = (await findUserById(ctx.db, link.user_id))!;
  const ipLock = await sourceLockedUntil(ctx.throttle, `idip:${ip}`, now);
  if (ipLock > now) throw new DomainError('auth.too_many_attempts', { minutes: Math.max(1, Math.ceil((ipLock - now) / 60_000)) });
  // The attempt is counted before the answer is checked: parallel guesses cannot exceed the limit.
  if (!(await reserveIdentityAttempt(ctx.db, link.id, MAX_IDENTITY_FAILURES))) {
    await audit(ctx.db, { event: 'identity.link_locked', subjectUserId: user.id, organisationId: user.organisation_id, ip }, now);
    throw new DomainError('auth.link_locked');
  }
  const fields = await identityFieldsFor(ctx, user);
  const stored = { loginId: user.login_id, email: user.email, name: user.name, phone: user.phone };
  if (!matchIdentity(fields, stored, answers)) {
    await countSourceFailure(ctx.throttle, `idip:${ip}`, now);
    await audit(ctx.db, { event: 'identity.failed', subjectUserId: user.id, organisationId: user.organisation_id, ip }, now);
    // Issue 16: say what to do next. The tries left, and which kind of space the person typed (read
    // from their own input only, so it tells nothing about the registered name).
    const left = Math.max(0, MAX_IDENTITY_FAILURES - link.identity_failures - 1);
    throw new DomainError('auth.identity_mismatch', { left }, fields.includes('name') ? nameSpaceHint(answers.name ?? '') : {});
  }
  await releaseIdentityAttempt(ctx.db, link.id);
  await advanceFlow(ctx.db, flow, 'awaiting_password', now);
  await audit(ctx.db, { event: 'identity.verified', subjectUserId: user.id, organisationId: user.organisation_id, ip }, now);
}

/** S2.1 «名前は全角/半角スペースを区別します»: the kind of space in a typed name, as a field note. */
function nameSpaceHint(typed: string): FieldErrors {
  if (typed.includes('\u3000')) return { name: [{ key: 'identity.name_has_fullwidth_space' }] };
  if (typed.includes(' ')) return { name: [{ key: 'identity.name_has_halfwidth_space' }] };
  return {};
}

export async function passwordPolicyFor(ctx: AppContext, user: UserRow) {
  const org = await findOrganisation(ctx.db, user.organisation_id);
  const profile = profileFor(org?.profile ?? 'business');
  // The organisation's own choice of preset (issue 16 §5: `org set --password-policy`) wins.
  return { policy: policies[org?.password_policy ?? profile.passwordPolicy] ?? policies.business!, profile };
}

/** The flow's user and policy, for rendering the password page of a first-login or reset flow. */
export async function passwordStep(ctx: AppContext, flowId: string, browserToken: string | undefined, kind: FlowKind) {
  const now = ctx.now();
  const flow = await loadFlow(ctx.db, flowId, browserToken, kind, null, now);
  const user = (await findUserById(ctx.db, flow.userId!))!;
  return { flow, user, ...(await passwordPolicyFor(ctx, user)) };
}

/**
 * Sets the password from a first-login or reset flow. The link is consumed by a guarded UPDATE in
 * the same transaction, so two browsers racing with one link: exactly one succeeds (item 6).
 */
export async function setPasswordFromLink(ctx: AppContext, kind: FlowKind, flowId: string, browserToken: string | undefined, password: string, confirm: string, ip: string): Promise<void> {
  const now = ctx.now();
  const flow = await loadFlow(ctx.db, flowId, browserToken, kind, ['awaiting_password'], now);
  const link = await liveLink(ctx, flow.context.linkId, now);
  const user = (await findUserById(ctx.db, link.user_id))!;
  const { policy, profile } = await passwordPolicyFor(ctx, user);
  const unmet = checkPassword(policy, password, {
    loginId: user.login_id, email: user.email, name: user.name, productWords: Object.values(profile.displayName),
  });
  if (unmet.length) {
    throw new DomainError('auth.password_policy', {}, { password: unmet.map((r) => ({ key: `password.rule.${r}` as const, params: ruleParams(policy) })) });
  }
  if (password !== confirm) throw new DomainError('auth.password_mismatch', {}, { confirm: [{ key: 'auth.password_mismatch' }] });
  const hash = await ctx.hashPool.run(() => hashPassword(password, ctx.config.argon2));
  await ctx.db.transaction().execute(async (trx) => {
    if (!(await consumeLink(trx, link.id, now))) throw new DomainError('auth.link_invalid');
    await advanceFlow(trx, flow, 'password_set', now);
    await setPasswordHash(trx, user.id, hash, now);
    // Item 38 / S4 / item 27: a new password signs the user out everywhere, ends their other flows
    // and supersedes every other link; this flow goes on to its completion page. It never logs in.
    await bumpSecurityEpoch(trx, user.id, now, { flowId: flow.id });
    const reset = kind === 'reset';
    if (reset) {
      await queueMail(trx, { to: user.email, userId: user.id, lang: user.lang }, 'password_changed', {
        profileName: profile.displayName[user.lang], userName: user.name, at: now,
      }, now);
    }
    await audit(trx, { event: reset ? 'password.reset' : 'password.set', subjectUserId: user.id, organisationId: user.organisation_id, factor: 'password', ip }, now);
  });
}

export function ruleParams(policy: { minLength: number; maxLength: number; allowedSymbols: string | null }) {
  return { min: policy.minLength, max: policy.maxLength, symbols: policy.allowedSymbols ?? '' };
}
