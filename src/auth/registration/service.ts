// S1: registering a user and sending the starting guide e-mail («開通案内»).
import type { AppContext } from '../../context.ts';
import type { Lang, OperatorRole, Role } from '../../db/schema.ts';
import { DomainError, type FieldErrors } from '../../errors.ts';
import { audit } from '../../audit/log.ts';
import { queueMail } from '../../mail/service.ts';
import { GUIDE_QUOTA, guideQuotaKey, quotaRefusal, takeMailQuota } from '../../mail/quota.ts';
import { findOrganisation } from '../tenancy/organisations.ts';
import { issueLink } from '../links/store.ts';
import { helpUrlFor, portalQuery, profileFor } from '../tenancy/presets.ts';
import { insertUser, loginIdTaken, type UserRow } from '../users/store.ts';
import { normalizePhone } from '../identity/match.ts';
import { checkEmail, checkLoginId } from '../identity/canonical.ts';

export interface RegisterInput {
  organisationId: string; loginId?: string | undefined; email: string; name: string; phone: string; role: Role; lang?: Lang | undefined;
  /** Issue 26: an operator of the provider organisation (refused for any other organisation). */
  operatorRole?: OperatorRole | undefined;
}
export interface Actor { userId: string | null; ip: string }

/**
 * E-mail, name and phone as registration stores them, with per-field problems (also used by admin
 * edits, page and JSON, and the CLI). The e-mail is a plain local@domain in its stored form
 * (SECURITY.md item 40, src/auth/identity/canonical.ts); a refused one is returned as typed.
 */
export function normalizeContact(input: { email: string; name: string; phone: string }): { email: string; name: string; phone: string; fields: FieldErrors } {
  const fields: FieldErrors = {};
  const checked = checkEmail(input.email);
  const email = checked.ok ? checked.email : input.email.trim();
  const name = input.name.replace(/^[ \t\r\n]+|[ \t\r\n]+$/g, '');
  const phone = normalizePhone(input.phone);
  if (!checked.ok) fields.email = [{ key: 'register.email_invalid' }];
  if (!name || name.length > 100) fields.name = [{ key: 'register.name_invalid' }];
  if (!/^\d{4,32}$/.test(phone)) fields.phone = [{ key: 'register.phone_invalid' }];
  return { email, name, phone, fields };
}

/** Validates registration fields; every problem is reported at once, per field. */
export async function validateRegistration(ctx: AppContext, input: RegisterInput): Promise<{ loginId: string; email: string; name: string; phone: string }> {
  const { email, name, phone, fields } = normalizeContact(input);
  // S1: the login ID defaults to the e-mail address, in its stored form (when the e-mail is refused,
  // its field says why and the empty login ID is not reported twice).
  const typed = input.loginId?.trim() || (fields.email ? '' : email);
  let loginId = '';
  if (typed || !fields.email) {
    const id = checkLoginId(typed);
    if (!id.ok) fields.loginId = [{ key: id.problem === 'script' ? 'register.login_id_script' : 'register.login_id_invalid' }];
    // Item 41: unique by the canonical form in every organisation, and one neutral answer for any
    // clash, so an admin never learns in which organisation (or whether in their own) it exists.
    else if (await loginIdTaken(ctx.db, id.loginId)) fields.loginId = [{ key: 'register.login_id_unavailable' }];
    else loginId = id.loginId;
  }
  if (Object.keys(fields).length) throw new DomainError('common.field_errors', {}, fields);
  return { loginId, email, name, phone };
}

/** A unique index refused the row: two look-alike login IDs registered at the same moment. */
function isUniqueViolation(err: unknown): boolean {
  const e = err as { code?: unknown } | null;
  return e?.code === '23505' || e?.code === 'SQLITE_CONSTRAINT_UNIQUE' || e?.code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}

export async function registerUser(ctx: AppContext, input: RegisterInput, actor: Actor): Promise<{ user: UserRow; setupUrl: string }> {
  const now = ctx.now();
  const org = await findOrganisation(ctx.db, input.organisationId);
  if (!org) throw new DomainError('common.not_found');
  // Only the provider's own organisation has operators (issue 26): a customer never becomes one.
  if (input.operatorRole && org.kind !== 'provider') throw new DomainError('common.forbidden');
  const v = await validateRegistration(ctx, input);
  try {
    return await ctx.db.transaction().execute(async (trx) => {
      const user = await insertUser(trx, { organisationId: org.id, ...v, role: input.role, lang: input.lang ?? 'ja', operatorRole: input.operatorRole ?? null }, now);
      await audit(trx, {
        event: 'user.registered', actorUserId: actor.userId, subjectUserId: user.id, organisationId: org.id, ip: actor.ip,
        detail: input.operatorRole ? { role: user.role, operatorRole: input.operatorRole } : { role: user.role },
      }, now);
      const setupUrl = await sendStartingGuideIn({ ...ctx, db: trx }, user, org.profile, actor, now);
      return { user, setupUrl };
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw new DomainError('common.field_errors', {}, { loginId: [{ key: 'register.login_id_unavailable' }] });
    throw err;
  }
}

/** Re-sends the starting guide: a new link, the old one stops working (S1). */
/**
 * Re-sends the starting guide: a new link, the old one stops working (S1). An admin's re-send is
 * held by the cooldown and daily cap (SECURITY.md item 44); the operator CLI passes
 * `{ quota: false }`: it prints the link itself and is not an organisation's admin.
 */
export async function resendStartingGuide(ctx: AppContext, user: UserRow, actor: Actor, opts: { quota?: boolean } = {}): Promise<string> {
  const org = await findOrganisation(ctx.db, user.organisation_id);
  const now = ctx.now();
  return ctx.db.transaction().execute((trx) => sendStartingGuideIn({ ...ctx, db: trx }, user, org?.profile ?? 'business', actor, now, opts.quota ?? true));
}

/** A provider's own help URL is absolute already; ours is a path on PUBLIC_URL. */
function absolute(base: string, url: string): string {
  return url.startsWith('/') ? `${base}${url}` : url;
}

/** A time in Japan time for messages in either language: "2025-04-01 15:30 JST". */
export function jstMinute(ms: number): string {
  return `${new Date(ms + 9 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ')} JST`;
}

async function sendStartingGuideIn(ctx: AppContext, user: UserRow, profileId: string, actor: Actor, now: number, enforceQuota = true): Promise<string> {
  // SECURITY.md item 44: registration's mail counts; re-sends wait for the cooldown, within a daily cap.
  const quota = enforceQuota ? await takeMailQuota(ctx.db, guideQuotaKey(user.id), GUIDE_QUOTA, now) : { ok: true as const };
  if (!quota.ok) {
    const why = await quotaRefusal(ctx.db, guideQuotaKey(user.id), GUIDE_QUOTA, now);
    throw why.reason === 'cooldown'
      ? new DomainError('admin.mail_cooldown', { seconds: Math.round(GUIDE_QUOTA.cooldownMs / 1000) })
      : new DomainError('admin.mail_daily_cap', { cap: GUIDE_QUOTA.cap, at: jstMinute(why.retryAt) });
  }
  const profile = profileFor(profileId);
  const { token, row } = await issueLink(ctx.db, user.id, 'setup', ctx.config.setupLinkMs, now);
  const base = ctx.config.publicUrl; // configured, never the request's Host (SECURITY.md item 25)
  const setupUrl = `${base}/setup/${token}`;
  await queueMail(ctx.db, { to: user.email, userId: user.id, lang: user.lang }, 'starting_guide', {
    profileName: profile.displayName[user.lang], userName: user.name, loginId: user.login_id, setupUrl,
    // The login and help links open the user's own profile's pages (issue 16, decision 011).
    expiresAt: row.expires_at, loginUrl: `${base}/login${portalQuery(profile)}`, helpUrl: absolute(base, helpUrlFor(profile, ctx.config.helpUrls)),
  }, now);
  await audit(ctx.db, { event: 'user.setup_link_sent', actorUserId: actor.userId, subjectUserId: user.id, organisationId: user.organisation_id, ip: actor.ip }, now);
  return setupUrl;
}
