// S1: registering a user and sending the starting guide e-mail («開通案内»).
import type { AppContext } from '../../context.ts';
import type { Lang, Role } from '../../db/schema.ts';
import { DomainError, type FieldErrors } from '../../errors.ts';
import { audit } from '../../audit/log.ts';
import { queueMail } from '../../mail/service.ts';
import { findOrganisation } from '../../portal/organisations.ts';
import { issueLink } from '../links/store.ts';
import { profileFor } from '../profiles.ts';
import { insertUser, loginIdTaken, type UserRow } from '../users/store.ts';
import { normalizePhone } from '../identity/match.ts';

export interface RegisterInput {
  organisationId: string; loginId?: string | undefined; email: string; name: string; phone: string; role: Role; lang?: Lang | undefined;
}
export interface Actor { userId: string | null; ip: string }

const EMAIL_RE = /^[^\s@]{1,64}@[^\s@]{1,255}\.[^\s@]{1,63}$/;

/** E-mail, name and phone as registration stores them, with per-field problems (also used by admin edits). */
export function normalizeContact(input: { email: string; name: string; phone: string }): { email: string; name: string; phone: string; fields: FieldErrors } {
  const fields: FieldErrors = {};
  const email = input.email.trim();
  const name = input.name.replace(/^[ \t\r\n]+|[ \t\r\n]+$/g, '');
  const phone = normalizePhone(input.phone);
  if (!EMAIL_RE.test(email)) fields.email = [{ key: 'register.email_invalid' }];
  if (!name || name.length > 100) fields.name = [{ key: 'register.name_invalid' }];
  if (!/^\d{4,32}$/.test(phone)) fields.phone = [{ key: 'register.phone_invalid' }];
  return { email, name, phone, fields };
}

/** Validates registration fields; every problem is reported at once, per field. */
export async function validateRegistration(ctx: AppContext, input: RegisterInput): Promise<{ loginId: string; email: string; name: string; phone: string }> {
  const { email, name, phone, fields } = normalizeContact(input);
  const loginId = (input.loginId?.trim() || email);
  if (!loginId || loginId.length > 254 || /\s/.test(loginId)) fields.loginId = [{ key: 'register.login_id_invalid' }];
  else if (await loginIdTaken(ctx.db, loginId)) fields.loginId = [{ key: 'register.login_id_taken' }];
  if (Object.keys(fields).length) throw new DomainError('common.field_errors', {}, fields);
  return { loginId, email, name, phone };
}

export async function registerUser(ctx: AppContext, input: RegisterInput, actor: Actor): Promise<{ user: UserRow; setupUrl: string }> {
  const now = ctx.now();
  const org = await findOrganisation(ctx.db, input.organisationId);
  if (!org) throw new DomainError('common.not_found');
  const v = await validateRegistration(ctx, input);
  return ctx.db.transaction().execute(async (trx) => {
    const user = await insertUser(trx, { organisationId: org.id, ...v, role: input.role, lang: input.lang ?? 'ja' }, now);
    await audit(trx, { event: 'user.registered', actorUserId: actor.userId, subjectUserId: user.id, organisationId: org.id, ip: actor.ip, detail: { role: user.role } }, now);
    const setupUrl = await sendStartingGuideIn({ ...ctx, db: trx }, user, org.profile, actor, now);
    return { user, setupUrl };
  });
}

/** Re-sends the starting guide: a new link, the old one stops working (S1). */
export async function resendStartingGuide(ctx: AppContext, user: UserRow, actor: Actor): Promise<string> {
  const org = await findOrganisation(ctx.db, user.organisation_id);
  const now = ctx.now();
  return ctx.db.transaction().execute((trx) => sendStartingGuideIn({ ...ctx, db: trx }, user, org?.profile ?? 'business', actor, now));
}

async function sendStartingGuideIn(ctx: AppContext, user: UserRow, profileId: string, actor: Actor, now: number): Promise<string> {
  const profile = profileFor(profileId);
  const { token, row } = await issueLink(ctx.db, user.id, 'setup', ctx.config.setupLinkMs, now);
  const base = ctx.config.publicUrl; // configured, never the request's Host (SECURITY.md item 25)
  const setupUrl = `${base}/setup/${token}`;
  await queueMail(ctx.db, { to: user.email, userId: user.id, lang: user.lang }, 'starting_guide', {
    profileName: profile.displayName[user.lang], userName: user.name, loginId: user.login_id, setupUrl,
    expiresAt: row.expires_at, loginUrl: `${base}/login`, helpUrl: `${base}${profile.helpUrl}`,
  }, now);
  await audit(ctx.db, { event: 'user.setup_link_sent', actorUserId: actor.userId, subjectUserId: user.id, organisationId: user.organisation_id, ip: actor.ip }, now);
  return setupUrl;
}
