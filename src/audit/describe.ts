// An audit row told in words (issue 20 item 3): the event's sentence in the reader's language, the
// factor in brackets where it says something («ログイン成功(認証アプリ)»), and the details through a
// small renderer per event family that knows that family's fields. Fields a renderer does not know
// are dropped, never dumped as JSON. Returns plain text: the page escapes it (JSX), the CSV quotes it.
import type { Lang } from '../db/schema.ts';
import { fillParams, formatDateTime } from '../i18n/index.ts';
import { AUDIT_EVENTS, type AuditEvent } from './log.ts';
import { sentencesEn } from './sentences-en.ts';
import { sentencesJa } from './sentences-ja.ts';
import { wordsEn, wordsJa, type WordKey } from './words.ts';

const SENTENCES: Record<Lang, Record<AuditEvent, string>> = { en: sentencesEn, ja: sentencesJa };
const WORDS: Record<Lang, Record<WordKey, string>> = { en: wordsEn, ja: wordsJa };

export type AuditDetail = Record<string, unknown>;
/** Names the page knows and the row does not carry (a group's name for its id). */
export interface AuditNames { group?: (id: string) => string | undefined }
export interface AuditRowInput { event: string; factor?: string | null; detail?: string | AuditDetail | null; repeatCount?: number | null; lastAt?: number | null }
export interface AuditDescription { sentence: string; details: string[] }

interface Ctx { lang: Lang; w: (key: WordKey, p?: Record<string, string | number>) => string; names: AuditNames }
type Renderer = (d: AuditDetail, x: Ctx) => (string | null | undefined | false)[];

export function isAuditEvent(e: string): e is AuditEvent {
  return (AUDIT_EVENTS as readonly string[]).includes(e);
}

/** The event's sentence alone (the filter select, the CSV's sentence column); an unknown code stays as it is. */
export function eventSentence(event: string, lang: Lang): string {
  return isAuditEvent(event) ? SENTENCES[lang][event] : event;
}

// ---- reading detail values: only strings and finite numbers are shown; anything else is dropped ----
const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : typeof v === 'number' && Number.isFinite(v) ? String(v) : null);
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
/** A known code in words (role, language, reason…); an unknown one as it is, so nothing is lost. */
function word(x: Ctx, prefix: string, v: unknown): string | null {
  const s = str(v);
  if (s === null) return null;
  const key = `${prefix}.${s}`;
  return key in wordsEn ? x.w(key as WordKey) : s;
}
const time = (x: Ctx, v: unknown) => { const n = num(v); return n === null ? null : formatDateTime(n, x.lang); };
const fill = (x: Ctx, key: WordKey, v: unknown) => { const s = str(v); return s === null ? null : x.w(key, { v: s }); };
const count = (x: Ctx, key: WordKey, v: unknown) => { const n = num(v); return n === null || n <= 0 ? null : x.w(key, { n }); };
/** "label: from → to", with each side through `prefix` words; null when neither side is there. */
function change(x: Ctx, label: WordKey, d: AuditDetail, prefix?: string): string | null {
  const side = (v: unknown) => (v === null || v === undefined || v === '' ? x.w('none') : prefix ? word(x, prefix, v) : str(v)) ?? x.w('none');
  if (d.from === undefined && d.to === undefined) return null;
  return x.w('d.change', { label: x.w(label), from: side(d.from), to: side(d.to) });
}
function group(x: Ctx, d: AuditDetail): string | null {
  const id = str(d.group);
  const name = str(d.name) ?? (id ? x.names.group?.(id) : undefined);
  return name ? x.w('d.group', { v: name }) : null;
}
const via = (d: AuditDetail, x: Ctx) => (str(d.via) ? x.w('d.via', { v: word(x, 'via', d.via)! }) : null);

// ---- renderers, one per family ----
const none: Renderer = () => [];
const login: Renderer = (d, x) => [
  word(x, 'reason', d.reason), str(d.purpose) && word(x, 'purpose', d.purpose), word(x, 'scope', d.scope),
  time(x, d.lockedUntil) && x.w('d.until', { time: time(x, d.lockedUntil)! }), fill(x, 'd.login_id', d.loginId),
];
const sessions: Renderer = (d, x) => [count(x, 'd.sessions_ended', d.sessions ?? d.count), count(x, 'd.browsers_removed', d.trustedBrowsers)];
const browsers: Renderer = (d, x) => [count(x, 'd.browsers_removed', d.count)];
const passwordSet: Renderer = (d, x) => [d.change === true && x.w('d.by_user')];
const totpEnrolled: Renderer = (d, x) => [d.reenrol === true && x.w('d.reenrol')];
const terms: Renderer = (d, x) => [fill(x, 'd.version', d.version)];
const network: Renderer = (d, x) => [fill(x, 'd.network', d.cidr)];
const orgCreated: Renderer = (d, x) => [fill(x, 'd.kind', d.kind), fill(x, 'd.portal', d.profile), via(d, x)];
const orgSettings: Renderer = (d, x) => [
  fill(x, 'd.org_name', d.name), fill(x, 'd.portal', d.profile),
  d.passwordPolicy === null ? x.w('d.policy_default') : fill(x, 'd.password_policy', d.passwordPolicy),
  d.trustedBrowsers === true ? x.w('d.trusted_browsers_on') : d.trustedBrowsers === false ? x.w('d.trusted_browsers_off') : null,
  d.mailOtp === true ? x.w('d.mail_otp_on') : d.mailOtp === false ? x.w('d.mail_otp_off') : null, via(d, x),
];
const CONTACT_FIELDS = ['email', 'name', 'phone'] as const;
const userUpdated: Renderer = (d, x) => {
  const fields = (str(d.fields) ?? '').split(',');
  return CONTACT_FIELDS.filter((f) => fields.includes(f)).map((f) =>
    x.w('d.change', { label: x.w(`field.${f}`), from: str(d[`${f}.old`]) ?? x.w('none'), to: str(d[`${f}.new`]) ?? x.w('none') }));
};
const roleChanged: Renderer = (d, x) => [change(x, 'd.role', d, 'role')];
const operatorRole: Renderer = (d, x) => [change(x, 'd.operator_role', d)];
const unlocked: Renderer = (d, x) => [d.passwordLocked === true && x.w('d.password_lock'), d.otpLocked === true && x.w('d.otp_lock')];
const groupPlain: Renderer = (d, x) => [group(x, d)];
const groupRenamed: Renderer = (d, x) => [change(x, 'd.group_name', d)];
const groupDeleted: Renderer = (d, x) => [group(x, d), count(x, 'd.members_removed', d.members)];
const contractsGranted: Renderer = (d, x) => [group(x, d), fill(x, 'd.contracts', d.contracts)];
const contractRevoked: Renderer = (d, x) => [group(x, d), fill(x, 'd.contract', d.contract)];
const exported: Renderer = (d, x) => [
  fill(x, 'd.filter_user', d.user), str(d.event) && x.w('d.filter_event', { v: eventSentence(str(d.event)!, x.lang) }),
  (num(d.from) !== null || num(d.to) !== null) && x.w('d.filter_range', { from: time(x, d.from) ?? '', to: time(x, d.to) ?? '' }),
];
const clash: Renderer = (d, x) => [fill(x, 'd.login_id', d.loginId)];
const crossOrg: Renderer = (d, x) => [fill(x, 'd.route', d.route), fill(x, 'd.target', d.target)];
const notice: Renderer = (d, x) => [count(x, 'd.services', d.services), via(d, x)];
const maintenance: Renderer = (d, x) => [
  num(d.startsAt) !== null && num(d.endsAt) !== null && x.w('d.window', { from: time(x, d.startsAt)!, to: time(x, d.endsAt)! }), via(d, x),
];
const ticket: Renderer = (d, x) => [fill(x, 'd.ticket', d.ticket), via(d, x)];
const ticketAssigned: Renderer = (d, x) => [fill(x, 'd.ticket', d.ticket), x.w('d.assignee'), via(d, x)];
const ticketSeverity: Renderer = (d, x) => [fill(x, 'd.ticket', d.ticket), change(x, 'd.severity', d), via(d, x)];
const catalogue: Renderer = (d, x) => [fill(x, 'd.code', d.code), d.renamed === true && x.w('d.renamed'), d.settings_site === true && x.w('d.settings_site'), via(d, x)];
const contract: Renderer = (d, x) => [fill(x, 'd.number', d.number), fill(x, 'd.service', d.service), fill(x, 'd.changed_fields', d.changed), fill(x, 'd.status', d.status), via(d, x)];
const imported: Renderer = (d, x) => [num(d.created) !== null && x.w('d.created_changed', { created: num(d.created)!, changed: num(d.changed) ?? 0 }), via(d, x)];
const order: Renderer = (d, x) => [
  fill(x, 'd.number', d.number), fill(x, 'd.service', d.service), fill(x, 'd.step', d.step), d.done === true && x.w('d.step_done'),
  fill(x, 'd.planned', d.planned), d.opened === true && x.w('d.opened'), via(d, x),
];
const oidc: Renderer = (d, x) => [fill(x, 'd.client', d.client), fill(x, 'd.contract', d.contract), fill(x, 'd.error', d.error)];
const oidcLogout: Renderer = (d, x) => [fill(x, 'd.client', d.client), d.portal === true && x.w('d.everywhere')];
const oidcClient: Renderer = (d, x) => [fill(x, 'd.client', d.client), fill(x, 'd.service', d.service), d.first_party === true && x.w('d.first_party')];
/** Issue 23: the passkey's name (never its key or credential id). */
const passkey: Renderer = (d, x) => [fill(x, 'd.passkey', d.label)];
const oidcKeys: Renderer = (d, x) => [fill(x, 'd.kid', d.kid)];
const language: Renderer = (d, x) => [change(x, 'd.language', d, 'lang')];
const migrationImported: Renderer = (d, x) => [
  num(d.created) !== null && x.w('d.imported', { created: num(d.created)!, existing: num(d.existing) ?? 0, errors: num(d.errors) ?? 0, orgs: num(d.organisations) ?? 0 }),
  fill(x, 'd.file', d.file), via(d, x),
];
const migrationPeriod: Renderer = (d, x) => [
  num(d.startsAt) !== null && num(d.endsAt) !== null && x.w('d.window', { from: time(x, d.startsAt)!, to: time(x, d.endsAt)! }), via(d, x),
];
const guidesSent: Renderer = (d, x) => [count(x, 'd.mails_queued', d.queued), via(d, x)];

/** Which renderer tells which event's details: every event names one (a missing one fails the typecheck). */
const RENDERERS = {
  'user.registered': none, 'user.setup_link_sent': none, 'identity.verified': none, 'identity.failed': none, 'identity.link_locked': none,
  'password.set': passwordSet, 'password.reset_requested': none, 'password.reset': none,
  'login.password_ok': none, 'login.failed': login, 'login.locked': login, 'login.succeeded': none, 'login.second_step_skipped': login,
  'logout': none, 'session.revoked': none, 'session.revoked_all': sessions,
  'terms.accepted': terms, 'terms.published': terms,
  'mfa.method_chosen': none, 'mfa.method_assigned': none, 'mfa.totp_enrolled': totpEnrolled, 'mfa.totp_failed': login,
  'mfa.totp_ok': none, 'mfa.totp_replay': none, 'mfa.totp_reset': none, 'mfa.mail_otp_sent': none, 'mfa.mail_otp_ok': none,
  'mfa.mail_otp_failed': none, 'mfa.backup_used': none, 'mfa.backup_failed': none, 'mfa.backup_regenerated': none, 'mfa.locked': login,
  'device.trusted': none, 'device.revoked': browsers, 'network.added': network, 'network.removed': network,
  'org.created': orgCreated, 'org.settings_changed': orgSettings,
  'user.updated': userUpdated, 'user.role_changed': roleChanged, 'user.disabled': sessions, 'user.enabled': none, 'user.unlocked': unlocked,
  'group.created': groupPlain, 'group.renamed': groupRenamed, 'group.deleted': groupDeleted,
  'group.member_added': groupPlain, 'group.member_removed': groupPlain, 'audit.exported': exported,
  'user.login_id_clash': clash, 'admin.cross_org_refused': crossOrg,
  'group.contracts_granted': contractsGranted, 'group.contract_revoked': contractRevoked,
  'notice.published': notice, 'notice.changed': notice, 'notice.withdrawn': notice,
  'notice.status_changed': notice, 'notice.report_attached': notice, 'calendar.token_created': none, 'calendar.token_revoked': none,
  'maintenance.scheduled': maintenance, 'maintenance.changed': maintenance, 'maintenance.cancelled': maintenance,
  'operator.role_changed': operatorRole, 'ticket.assigned': ticketAssigned, 'ticket.severity_changed': ticketSeverity,
  'ticket.note_added': ticket, 'ticket.replied': ticket, 'ticket.info_requested': ticket, 'ticket.resolved': ticket, 'ticket.closed': ticket, 'ticket.reopened': ticket,
  'category.created': catalogue, 'category.updated': catalogue, 'service.created': catalogue, 'service.updated': catalogue,
  'contract.created': contract, 'contract.updated': contract, 'contracts.imported': imported, 'order.created': order, 'order.step_changed': order,
  'oidc.authorized': oidc, 'oidc.refused': oidc, 'oidc.consent_given': oidc, 'oidc.consent_denied': oidc, 'oidc.token_issued': oidc,
  'oidc.token_refused': oidc, 'oidc.logout': oidcLogout, 'oidc.backchannel_failed': oidc,
  'oidc.client_added': oidcClient, 'oidc.client_secret_rotated': oidcClient, 'oidc.client_removed': oidcClient, 'oidc.keys_rotated': oidcKeys,
  'profile.language_changed': language,
  // Issue 20 item 2 (h2-brand): the scope and fields changed are in detail; only how it was done is told here.
  'brand.changed': (d, x) => [via(d, x)], 'brand.cleared': (d, x) => [via(d, x)],
  'migration.imported': migrationImported, 'migration.period_set': migrationPeriod, 'migration.guides_sent': guidesSent, 'migration.users_exported': (d, x) => [via(d, x)],
  'mfa.passkey_registered': passkey, 'mfa.passkey_ok': passkey, 'mfa.passkey_failed': login, 'mfa.passkey_counter_regression': passkey,
  'mfa.passkey_removed': passkey, 'admin.passkey_revoked': passkey,
  'ticket.replied_by_mail': ticket, 'ticket.mail_reply_refused': (d, x) => [word(x, 'reason', d.reason)],
  // Issue 24 item 6: the token's name (never the token), the webhook's callback host.
  'api_token.issued': (d) => [str(d.name)], 'api_token.revoked': (d) => [str(d.name)], 'webhook.subscribed': (d) => [str(d.host)], 'webhook.removed': (d) => [str(d.host)],
  // Issue 24 item 2: the contract's number and the contact's name (the address stays in the detail).
  'notice.subscription_changed': (d) => [str(d.scope)], 'contact.added': (d) => [str(d.contract), str(d.name)],
  'contact.removed': (d) => [str(d.name)], 'contact.unsubscribed': (d) => [str(d.contracts)],
} as const satisfies Record<AuditEvent, Renderer>;

/** Events whose factor is part of the sentence: «ログイン成功(認証アプリ)». Elsewhere the sentence already says it. */
const FACTOR_IN_SENTENCE = new Set<string>(['login.succeeded', 'mfa.method_chosen', 'mfa.method_assigned', 'oidc.authorized', 'login.locked', 'mfa.locked']);

function parseDetail(detail: AuditRowInput['detail']): AuditDetail {
  if (!detail) return {};
  if (typeof detail !== 'string') return detail;
  try {
    const v: unknown = JSON.parse(detail);
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as AuditDetail) : {};
  } catch {
    return {};
  }
}

export function describeAuditRow(row: AuditRowInput, lang: Lang, names: AuditNames = {}): AuditDescription {
  const words = WORDS[lang];
  const x: Ctx = {
    lang, names,
    w: (key, p) => (p ? fillParams(words[key], p) : words[key]),
  };
  let sentence = eventSentence(row.event, lang);
  const factor = row.factor ? word(x, 'factor', row.factor) : null;
  if (factor && FACTOR_IN_SENTENCE.has(row.event)) sentence += lang === 'ja' ? `(${factor})` : ` (${factor})`;
  const d = parseDetail(row.detail);
  const details = isAuditEvent(row.event) ? RENDERERS[row.event](d, x).filter((s): s is string => typeof s === 'string' && s !== '') : [];
  const repeats = num(row.repeatCount);
  if (repeats !== null && repeats > 1) details.push(x.w('d.repeats', { n: repeats, time: time(x, row.lastAt) ?? '' }));
  return { sentence, details };
}

/** Sentence and details on one line (the CSV's sentence column). */
export function auditRowText(row: AuditRowInput, lang: Lang, names: AuditNames = {}): string {
  const { sentence, details } = describeAuditRow(row, lang, names);
  return details.length ? `${sentence}: ${details.join(lang === 'ja' ? '、' : '; ')}` : sentence;
}
