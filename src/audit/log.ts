// Audit log (S13, SECURITY.md item 35): who, what, when, from where, with which factor.
// Callers pass no secrets; detail is small JSON (e.g. {"reason":"bad_password"}).
import { sql } from 'kysely';
import type { Db } from '../db/index.ts';
import { newId, sha256Hex } from '../lib/index.ts';

/** Every event name, as data: the admin audit page offers them as a filter (S13). */
export const AUDIT_EVENTS = [
  'user.registered', 'user.setup_link_sent', 'identity.verified', 'identity.failed', 'identity.link_locked',
  'password.set', 'password.reset_requested', 'password.reset', 'login.password_ok', 'login.failed',
  'login.locked', 'login.succeeded', 'login.second_step_skipped', 'logout', 'session.revoked',
  'session.revoked_all', 'terms.accepted', 'terms.published', 'mfa.method_chosen', 'mfa.method_assigned',
  'mfa.totp_enrolled', 'mfa.totp_failed', 'mfa.totp_ok', 'mfa.totp_replay', 'mfa.totp_reset', 'mfa.mail_otp_sent',
  'mfa.mail_otp_ok', 'mfa.mail_otp_failed', 'mfa.backup_used', 'mfa.backup_failed', 'mfa.backup_regenerated',
  'mfa.locked', 'device.trusted', 'device.revoked', 'network.added', 'network.removed', 'org.created',
  'org.settings_changed',
  // Admin actions on users and groups (S13: everything an admin does is audited).
  'user.updated', 'user.role_changed', 'user.disabled', 'user.enabled', 'user.unlocked',
  'group.created', 'group.renamed', 'group.deleted', 'group.member_added', 'group.member_removed', 'audit.exported',
  // Issue 14 (SECURITY.md items 41, 43): look-alike login IDs found by migration 020, refused cross-organisation requests.
  'user.login_id_clash', 'admin.cross_org_refused',
  // S13: which groups may view which contracts (issue 17).
  'group.contracts_granted', 'group.contract_revoked',
  // Issue 26, the provider's console: notices and maintenance windows (S10), by an operator or the CLI.
  'notice.published', 'notice.changed', 'notice.withdrawn', 'maintenance.scheduled', 'maintenance.changed', 'maintenance.cancelled',
  // Issue 26: operators and what they do in the provider's console (recorded by auditOperator below).
  'operator.role_changed', 'ticket.assigned', 'ticket.severity_changed', 'ticket.note_added', 'ticket.replied',
  'ticket.info_requested', 'ticket.resolved', 'ticket.closed', 'ticket.reopened',
  // Issue 26 item 3: the provider's operators on the catalogue, contracts and orders.
  'category.created', 'category.updated', 'service.created', 'service.updated',
  'contract.created', 'contract.updated', 'contracts.imported', 'order.created', 'order.step_changed',
  // Issue 18: the OpenID Connect provider (which client, which contract), its clients and keys.
  'oidc.authorized', 'oidc.refused', 'oidc.consent_given', 'oidc.consent_denied', 'oidc.token_issued', 'oidc.token_refused',
  'oidc.logout', 'oidc.backchannel_failed', 'oidc.client_added', 'oidc.client_secret_rotated', 'oidc.client_removed', 'oidc.keys_rotated',
  // Issue 20 item 7: the user changes their own display (and mail) language.
  'profile.language_changed',
  // Issue 20: branding of a preset or an organisation, by an operator or the CLI.
  'brand.changed', 'brand.cleared',
  // Issue 21: the legacy-user importer, its migration period and its first-login mails (CLI).
  'migration.imported', 'migration.period_set', 'migration.guides_sent', 'migration.users_exported',
  // Issue 23: passkeys — registered, used, refused, a signature counter going back, removed, revoked by an admin.
  'mfa.passkey_registered', 'mfa.passkey_ok', 'mfa.passkey_failed', 'mfa.passkey_counter_regression', 'mfa.passkey_removed',
  'admin.passkey_revoked',
  // Issue 24 item 4: replies by mail to tickets, taken or refused.
  'ticket.replied_by_mail', 'ticket.mail_reply_refused',
  // Issue 24 item 6: API tokens a portal admin issues and revokes, webhooks registered through the API.
  'api_token.issued', 'api_token.revoked', 'webhook.subscribed', 'webhook.removed',
  // Issue 24: a notice's status and post-incident report (operators); a user's calendar feed URL.
  'notice.status_changed', 'notice.report_attached', 'calendar.token_created', 'calendar.token_revoked',
  // Issue 24 item 2: a user's maintenance-mail subscription; the technical contacts an admin keeps per contract.
  'notice.subscription_changed', 'contact.added', 'contact.removed', 'contact.unsubscribed',
] as const;
export type AuditEvent = (typeof AUDIT_EVENTS)[number];

export interface AuditEntry {
  event: AuditEvent;
  actorUserId?: string | null;
  subjectUserId?: string | null;
  organisationId?: string | null;
  factor?: string | null;
  ip: string;
  detail?: Record<string, string | number | boolean | null>;
}

/** The row an entry becomes; an aggregated row differs only in its id and last_at. */
function auditRow(e: AuditEntry, now: number, id: string, lastAt: number | null) {
  return {
    id,
    at: now,
    event: e.event,
    actor_user_id: e.actorUserId ?? null,
    subject_user_id: e.subjectUserId ?? null,
    organisation_id: e.organisationId ?? null,
    factor: e.factor ?? null,
    ip: e.ip,
    detail: JSON.stringify(e.detail ?? {}),
    repeat_count: 1,
    last_at: lastAt,
  };
}

export async function audit(db: Db, e: AuditEntry, now: number): Promise<void> {
  await db.insertInto('audit_log').values(auditRow(e, now, newId(), null)).execute();
}

/**
 * One row per `aggregateKey` (e.g. one lock of one counter, or one admin probing one target in one
 * hour) that counts repeats (SECURITY.md item 43): the first occurrence inserts it, every later one
 * adds 1 and moves last_at, in one INSERT … ON CONFLICT DO UPDATE — a single guarded write, so
 * parallel requests on any node neither lose counts nor write a second row (PostgreSQL locks the
 * conflicting row; SQLite serialises writers).
 */
export async function auditAggregated(db: Db, e: AuditEntry, aggregateKey: string, now: number): Promise<void> {
  await db.insertInto('audit_log').values(auditRow(e, now, `agg-${sha256Hex(`${e.event}\n${aggregateKey}`).slice(0, 40)}`, now))
    .onConflict((oc) => oc.column('id').doUpdateSet((eb) => ({
      repeat_count: eb('audit_log.repeat_count', '+', 1),
      last_at: sql<number>`case when audit_log.last_at > ${now} then audit_log.last_at else ${now} end`,
    }))).execute();
}

export async function recentEventsForUser(db: Db, userId: string, limit = 20) {
  return db.selectFrom('audit_log').selectAll()
    .where('subject_user_id', '=', userId)
    .orderBy('at', 'desc').orderBy('id')
    .limit(limit).execute();
}

/** An operator acting in the provider's console, the operator API or (userId null) the CLI (issue 26). */
export interface OperatorActor { userId: string | null; ip: string; sessionId?: string; organisationId?: string | null }

/**
 * Audits an operator's action with the operator as actor. The row belongs to the operator's own
 * (provider) organisation, not the customer's, so a customer's admins never read in their audit log
 * that an internal note was written; the customer organisation the action was about is in `detail.org`.
 */
export async function auditOperator(
  db: Db, actor: OperatorActor, event: AuditEvent,
  target: { organisationId?: string | null; subjectUserId?: string | null; detail?: Record<string, string | number | boolean | null> },
  now: number,
): Promise<void> {
  await audit(db, {
    event, actorUserId: actor.userId, subjectUserId: target.subjectUserId ?? null, organisationId: actor.organisationId ?? null, ip: actor.ip,
    detail: { ...(target.organisationId ? { org: target.organisationId } : {}), ...(actor.sessionId ? { via: 'console' } : { via: actor.userId ? 'api' : 'cli' }), ...target.detail },
  }, now);
}
