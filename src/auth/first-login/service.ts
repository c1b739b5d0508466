// S2 first login: starting-guide link → identity verification → set password → completion.
// The same link-then-password path serves password reset (S4); the steps themselves are the
// registered handlers of ./steps.ts.
import type { AppContext } from '../../context.ts';
import { DomainError, type FieldErrors } from '../../errors.ts';
import { findOrganisation } from '../tenancy/organisations.ts';
import { createFlow, loadFlow } from '../flows/flow.ts';
import type { FlowKind } from '../flows/states.ts';
import { findLinkById, findLinkByToken, linkUsable, type LinkRow } from '../links/store.ts';
import { contextWords, policies, ruleHints, type PasswordPolicy, type PasswordRuleId } from '../password/policy.ts';
import { profileFor, type IdentityField, type PortalProfile } from '../tenancy/presets.ts';
import { findUserById, type UserRow } from '../users/store.ts';
import { currentTerms, termsAccepted } from '../terms/service.ts';
import { guideSteps, inFirstLogin, type GuideStep } from './guide.ts';

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
  // Issue 22: a reset for a matrix organisation's user chooses new positions, not a typed password.
  const resetState = (await findOrganisation(ctx.db, user.organisation_id))?.first_factor === 'matrix' ? 'awaiting_matrix' : 'awaiting_password';
  const { flow, cookie } = await createFlow(ctx.db, {
    kind, userId: user.id, state: kind === 'first_login' ? 'awaiting_identity' : resetState,
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

export async function liveLink(ctx: AppContext, linkId: string | undefined, now: number): Promise<LinkRow> {
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

/** S2.1 «名前は全角/半角スペースを区別します»: the kind of space in a typed name, as a field note. */
export function nameSpaceHint(typed: string): FieldErrors {
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

export function ruleParams(policy: { minLength: number; maxLength: number; allowedSymbols: string | null }) {
  return { min: policy.minLength, max: policy.maxLength, symbols: policy.allowedSymbols ?? '' };
}

/** One rule of the password page's checklist: its id, its text, and whether a browser can tick it as the user types. */
export interface RuleItem { id: PasswordRuleId; key: `password.rule.${PasswordRuleId}`; params: ReturnType<typeof ruleParams>; live: boolean }

/**
 * What the password page's live checklist checks (src/web/static/password-rules.js), from the same
 * policy and the same context words as checkPassword: the server still decides on save. The common
 * password list stays on the server (a browser would need the whole list), so that rule is not live.
 */
export interface LiveRules {
  min: number; max: number; digit: boolean; upper: boolean; lower: boolean;
  /** Symbols allowed besides ASCII letters and digits; null: any printable character. */
  symbols: string | null;
  words: ReturnType<typeof contextWords>;
}

export function passwordPageRules(policy: PasswordPolicy, user: UserRow, profile: PortalProfile): { rules: RuleItem[]; live: LiveRules } {
  const params = ruleParams(policy);
  const rules = ruleHints(policy).map((id) => ({ id, key: `password.rule.${id}` as const, params, live: id !== 'common' }));
  const words = policy.rejectContext
    ? contextWords({ loginId: user.login_id, email: user.email, name: user.name, productWords: Object.values(profile.displayName) })
    : { contains_login_id: [], contains_email: [], contains_name: [], contains_product: [] };
  return {
    rules,
    live: {
      min: policy.minLength, max: policy.maxLength, digit: policy.requireDigit, upper: policy.requireUpper, lower: policy.requireLower,
      symbols: policy.allowedSymbols, words,
    },
  };
}

/**
 * The indicator on a first-login flow's pages (identity, password, its completion): the terms step
 * is «not needed» when no terms are published (the gate will not ask). Not for reset flows.
 */
export async function linkFlowGuide(ctx: AppContext, kind: FlowKind, current: 'identity' | 'password'): Promise<GuideStep[] | null> {
  if (kind !== 'first_login') return null;
  return guideSteps(current, (await currentTerms(ctx.db)) ? [] : ['terms']);
}

/**
 * The indicator on a login flow's second-step pages while the user has never had a session (their
 * first login); null on every later login, at no extra query. Terms already accepted or none
 * published: the terms step is «not needed».
 */
export async function loginFlowGuide(ctx: AppContext, kind: FlowKind, user: UserRow): Promise<GuideStep[] | null> {
  if (kind !== 'login' || !inFirstLogin(user)) return null;
  return guideSteps('second_factor', (await termsAccepted(ctx.db, user.id)) ? ['terms'] : []);
}

/**
 * The indicator on the terms page when it ends the first login (the session is the user's first):
 * the second step is «not needed» when the session skipped it (a trusted network, S3.7).
 */
export function termsGuide(auth: { previousLoginAt: number | null; session: { aal: string } }): GuideStep[] | null {
  if (auth.previousLoginAt !== null) return null;
  return guideSteps('terms', auth.session.aal === 'aal2' ? [] : ['second_factor']);
}
