// S4 password reset, the request step: identity fields → maybe a mailed reset link. Nothing here
// tells the caller whether anything matched: the route renders one neutral page (items 22, 24).
// The rest of the reset (open link → new password → done) is the shared link flow of
// src/auth/first-login/service.ts (openLink, setPasswordFromLink with kind 'reset').
import type { AppContext } from '../../context.ts';
import { DomainError, type FieldErrors } from '../../errors.ts';
import { audit } from '../../audit/log.ts';
import { mailBrandOf, queueMail } from '../../mail/service.ts';
import { renderMail } from '../../mail/templates.ts';
import { findOrganisation } from '../tenancy/organisations.ts';
import { randomToken } from '../crypto/tokens.ts';
import { matchIdentity, type StoredIdentity } from '../identity/match.ts';
import { issueLink } from '../links/store.ts';
import { profileFor, type PortalProfile } from '../tenancy/presets.ts';
import { RESET_IP_POLICY, RESET_POLICY } from '../throttle/db-throttle.ts';
import { findUserByLoginId, type UserRow } from '../users/store.ts';
import { RESET_MAIL_QUOTA, resetQuotaKey, takeMailQuota } from '../../mail/quota.ts';
import { DECOY_ID, decoyResetWrites } from './store.ts';
import { throttleKeys } from '../throttle/keys.ts';

/** Per login ID (canonical form, item 41), so unknown and existing IDs are throttled alike (item 22). */
export const resetKey = throttleKeys.reset;
export const resetIpKey = throttleKeys.resetSource;

/** Matched against when the login ID is unknown: random per process, so it never matches. */
const DECOY_IDENTITY: StoredIdentity = {
  loginId: randomToken(), email: `${randomToken()}@decoy.invalid`, name: randomToken(), phone: randomToken(),
};

/** What the anonymous form asks: the business profile's reset fields, the widest set (S4). */
export interface ResetRequest { loginId: string; email: string; name?: string | undefined; phone?: string | undefined }

/** Empty required fields: an answer about the input alone, given before anything is looked up. */
function requireFields(r: ResetRequest): void {
  const fields: FieldErrors = {};
  if (!r.loginId.trim()) fields.loginId = [{ key: 'common.field_required' }];
  if (!r.email.trim()) fields.email = [{ key: 'common.field_required' }];
  if (Object.keys(fields).length) throw new DomainError('common.field_errors', {}, fields);
}

/**
 * Handles a reset request. Equalised between "mail sent" and every other outcome (unknown login
 * ID, wrong answer, disabled user, throttled) so neither the answer nor its timing tells them
 * apart (S4, item 24): both throttle counters are written; one user SELECT and one organisation
 * SELECT (by a decoy id when the user is unknown); matchIdentity over the profile's fields against
 * the real or a decoy record (constant time, no early exit); the mail template is rendered; one
 * transaction of four statements with one row write (decoyResetWrites on the quiet path). What
 * remains different is an INSERT where the quiet path updates zero rows: microseconds.
 * Requesting changes nothing on the account (item 27): the password keeps working.
 */
export async function requestReset(ctx: AppContext, r: ResetRequest, ip: string): Promise<void> {
  requireFields(r);
  const now = ctx.now();
  const loginId = r.loginId.trim();
  const key = resetKey(loginId);
  // Counted up front and never cleared by a match (RESET_POLICY says why); a refused request
  // still gets the neutral answer, it only sends nothing (S5, item 22).
  const ipOk = (await ctx.throttle.begin(resetIpKey(ip), RESET_IP_POLICY, now)).ok;
  const idOk = (await ctx.throttle.begin(key, RESET_POLICY, now)).ok;
  const user = await findUserByLoginId(ctx.db, loginId);
  const org = await findOrganisation(ctx.db, user?.organisation_id ?? DECOY_ID);
  // The user's own profile decides the fields: partner-child compares login ID + e-mail only and
  // ignores a typed name and phone (S4); an unknown user is compared as business against the decoy.
  const profile = profileFor(org?.profile ?? 'business');
  const stored = user ? { loginId: user.login_id, email: user.email, name: user.name, phone: user.phone } : DECOY_IDENTITY;
  const given = { loginId, email: r.email, name: r.name ?? '', phone: r.phone ?? '' };
  const matched = matchIdentity(profile.identity.reset, stored, given);
  const target = matched && user && user.disabled_at === null && ipOk && idOk ? user : null;
  await ctx.db.transaction().execute(async (trx) => {
    // Item 44: reset mails to one user have the starting guide's cooldown and daily cap. The quota
    // write is made on every path (a decoy key otherwise), so it costs the same; a refused one is quiet.
    const quota = await takeMailQuota(trx, target ? resetQuotaKey(target.id) : resetQuotaKey(DECOY_ID), RESET_MAIL_QUOTA, now);
    if (target && quota.ok) return sendResetLink({ ...ctx, db: trx }, target, profile, ip, now);
    renderMail('password_reset', 'ja', { profileName: profile.displayName.ja, userName: stored.name, resetUrl: resetUrl(ctx, DECOY_ID), expiresAt: now });
    await mailBrandOf(trx, null, 'ja'); // the brand lookup a real reset mail makes (issue 20), same statements
    return decoyResetWrites(trx, key, now);
  });
}

/** The mailed URL is built from configuration only, never from Host / X-Forwarded-Host (item 25). */
function resetUrl(ctx: AppContext, token: string): string {
  return `${ctx.config.publicUrl}/password/reset/${token}`;
}

/** A new reset link (older ones stop working, item 6), its mail, and the audit entry (no token). */
async function sendResetLink(ctx: AppContext, user: UserRow, profile: PortalProfile, ip: string, now: number): Promise<void> {
  const { token, row } = await issueLink(ctx.db, user.id, 'reset', ctx.config.resetLinkMs, now);
  await queueMail(ctx.db, { to: user.email, userId: user.id, lang: user.lang }, 'password_reset', {
    profileName: profile.displayName[user.lang], userName: user.name, resetUrl: resetUrl(ctx, token), expiresAt: row.expires_at,
  }, now);
  await audit(ctx.db, { event: 'password.reset_requested', subjectUserId: user.id, organisationId: user.organisation_id, ip }, now);
}
