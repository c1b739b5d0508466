// One error class over a closed code union (STYLE.md c). Every code is a message key with a status,
// so a missing status or translation fails to compile. Never err.message to a client.
import type { MessageKey, MessageParams, T } from './i18n/index.ts';

export type ErrorCode =
  | 'auth.invalid_credentials' | 'auth.legacy_login_ended' | 'auth.flow_expired' | 'auth.wrong_step' | 'auth.too_many_attempts'
  | 'auth.account_locked' | 'auth.password_policy' | 'auth.password_mismatch' | 'auth.identity_mismatch'
  | 'auth.link_locked' | 'auth.link_invalid' | 'auth.invalid_code' | 'auth.code_used'
  | 'auth.method_not_allowed' | 'auth.resend_cooldown' | 'auth.mail_otp_exhausted' | 'auth.reauth_required'
  | 'auth.unauthenticated' | 'terms.must_accept' | 'common.server_error'
  | 'terms.must_tick' | 'common.csrf' | 'common.forbidden' | 'common.not_found' | 'common.bad_request'
  | 'common.field_errors' | 'common.busy' | 'common.unavailable' | 'admin.cidr_invalid' | 'admin.self_forbidden' | 'admin.guide_not_needed'
  | 'admin.group_name_taken' | 'admin.user_disabled' | 'admin.user_not_found' | 'mfa.select.must_choose'
  | 'auth.source_locked' | 'admin.mail_cooldown' | 'admin.mail_daily_cap' | 'admin.confirm_required'
  | 'common.maintenance' | 'portal.end_before_start' | 'portal.text_invalid' | 'portal.unknown_organisation' | 'portal.unknown_service'
  | 'maintenance.announce_after_start' | 'maintenance.already_over' | 'maintenance.not_cancellable'
  | 'orders.contract_mismatch' | 'orders.number_taken' | 'orders.unknown' | 'orders.not_in_progress' | 'orders.unknown_step' | 'orders.step_not_next'
  | 'notices.already_withdrawn' | 'notices.kind_invalid' | 'notices.too_many_services' | 'maintenance.not_changeable'
  | 'notices.contracts_invalid' | 'notices.too_many_contracts' | 'notices.unknown_contracts' | 'notices.status_invalid' | 'notices.status_unchanged' | 'notices.status_conflict'
  | 'terms.stale' | 'terms.text_invalid'
  | 'orgs.has_admin' | 'orgs.not_customer' | 'contracts.unknown' | 'contracts.import_refused' | 'contracts.import_empty' | 'contracts.import_too_many'
  | 'catalogue.unknown_service' | 'catalogue.unknown_category'
  | 'tickets.unknown' | 'tickets.closed' | 'tickets.already_closed' | 'tickets.not_closed' | 'tickets.legacy_portal_only' | 'tickets.body_too_large'
  | 'tickets.attachment_too_many' | 'tickets.attachment_too_large' | 'tickets.attachment_empty' | 'tickets.attachment_type' | 'tickets.attachment_name'
  | 'operator.no_provider_org' | 'operator.not_provider_user' | 'operator.not_an_operator' | 'console.ops.self'
  | 'matrix.positions_invalid' | 'matrix.invalid_answer' | 'matrix.challenge_expired'
  | 'auth.passkey_refused' | 'auth.passkey_duplicate' | 'auth.passkey_limit' | 'auth.passkey_not_allowed' | 'auth.reauth_fresh';

// Compile-time check: every error code is a message key.
type AssertKeys<T extends MessageKey> = T;
export type _ErrorCodesAreMessages = AssertKeys<ErrorCode>;

export const httpStatus: Record<ErrorCode, number> = {
  'matrix.positions_invalid': 422,
  'matrix.invalid_answer': 401,
  'matrix.challenge_expired': 409,
  'auth.passkey_refused': 401,
  'auth.passkey_duplicate': 409,
  'auth.passkey_limit': 409,
  'auth.passkey_not_allowed': 403,
  'auth.reauth_fresh': 401,
  'auth.invalid_credentials': 401,
  'auth.legacy_login_ended': 403,
  'auth.flow_expired': 410,
  'auth.wrong_step': 409,
  'auth.too_many_attempts': 429,
  'auth.account_locked': 429,
  'auth.password_policy': 422,
  'auth.password_mismatch': 422,
  'auth.identity_mismatch': 422,
  'auth.link_locked': 410,
  'auth.link_invalid': 410,
  'auth.invalid_code': 400,
  'auth.code_used': 400,
  'auth.method_not_allowed': 403,
  'auth.resend_cooldown': 429,
  'auth.mail_otp_exhausted': 429,
  'auth.reauth_required': 401,
  'auth.unauthenticated': 401,
  'terms.must_accept': 403,
  'common.server_error': 500,
  'terms.must_tick': 422,
  'common.csrf': 403,
  'common.forbidden': 403,
  'common.not_found': 404,
  'common.bad_request': 400,
  'common.field_errors': 400,
  'common.busy': 503,
  'common.unavailable': 503,
  'admin.cidr_invalid': 422,
  'admin.self_forbidden': 409,
  'admin.guide_not_needed': 409,
  'admin.confirm_required': 409,
  'admin.group_name_taken': 409,
  'admin.user_disabled': 409,
  'auth.source_locked': 429,
  'admin.mail_cooldown': 429,
  'admin.mail_daily_cap': 429,
  'common.maintenance': 503,
  'portal.end_before_start': 422,
  'portal.text_invalid': 422,
  'portal.unknown_organisation': 404,
  'portal.unknown_service': 404,
  'maintenance.announce_after_start': 422,
  'maintenance.already_over': 422,
  'maintenance.not_cancellable': 409,
  'orders.contract_mismatch': 422,
  'orders.number_taken': 409,
  'orders.unknown': 404,
  'orders.not_in_progress': 409,
  'orders.unknown_step': 422,
  'orders.step_not_next': 409,
  'notices.already_withdrawn': 409,
  'notices.contracts_invalid': 422,
  'notices.too_many_contracts': 422,
  'notices.unknown_contracts': 422,
  'notices.status_invalid': 422,
  'notices.status_unchanged': 409,
  'notices.status_conflict': 409,
  'notices.kind_invalid': 422,
  'notices.too_many_services': 422,
  'maintenance.not_changeable': 409,
  'terms.stale': 409,
  'terms.text_invalid': 422,
  // Issue 26 item 3: the operator's customers and contracts.
  'orgs.has_admin': 409,
  'orgs.not_customer': 409,
  'contracts.unknown': 404,
  'contracts.import_refused': 422,
  'contracts.import_empty': 422,
  'contracts.import_too_many': 413,
  'catalogue.unknown_service': 404,
  'catalogue.unknown_category': 404,
  'tickets.unknown': 404,
  'tickets.closed': 409,
  'tickets.already_closed': 409,
  'tickets.not_closed': 409,
  'tickets.legacy_portal_only': 403,
  'tickets.body_too_large': 413,
  'tickets.attachment_too_many': 422,
  'tickets.attachment_too_large': 413,
  'tickets.attachment_empty': 422,
  'tickets.attachment_type': 415,
  'tickets.attachment_name': 422,
  // One answer for "no such user" and "not yours" (tenants stay unprobeable).
  'admin.user_not_found': 404,
  'mfa.select.must_choose': 422,
  'operator.no_provider_org': 409,
  'operator.not_provider_user': 409,
  'operator.not_an_operator': 422,
  'console.ops.self': 409,
};

/** Field-level problems: field name → message key (+params), shown next to the field. */
export type FieldErrors = Record<string, { key: MessageKey; params?: MessageParams }[]>;

export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    readonly params: MessageParams = {},
    readonly fields: FieldErrors = {},
    options?: ErrorOptions,
  ) {
    super(code, options);
  }
  get status(): number { return httpStatus[this.code]; }
}

/**
 * The one JSON error shape (issue 13 item 7): the code, its message, and every field's messages in
 * the reader's language — `fields` is always there, empty when the error is about no field. HTML
 * forms show the same `fields` next to each input instead.
 */
export interface ErrorBody { error: ErrorCode; message: string; fields: Record<string, string[]> }

export function errorBody(t: T, err: DomainError): ErrorBody {
  return errorBodyOf(t, err.code, err.params, err.fields);
}

/** The same shape for an answer that is not a thrown DomainError (a 404, a validation failure). */
export function errorBodyOf(t: T, code: ErrorCode, params: MessageParams = {}, fields: FieldErrors = {}): ErrorBody {
  return {
    error: code,
    message: t(code, params),
    fields: Object.fromEntries(Object.entries(fields).map(([name, list]) => [name, list.map((e) => t(e.key, e.params))])),
  };
}

/** Seconds a client should wait before trying again (Retry-After), for a 429 or 503 error. */
export function retryAfterSeconds(err: DomainError): number {
  const s = err.params.seconds;
  if (typeof s === 'number' && s > 0) return Math.ceil(s);
  const m = err.params.minutes;
  if (typeof m === 'number' && m > 0) return m * 60;
  return err.status === 503 ? 5 : 60;
}

/** The database could not be reached: 503 + Retry-After, "briefly unavailable" (issue 15 §3). */
export const UNAVAILABLE_RETRY_SECONDS = 5;
