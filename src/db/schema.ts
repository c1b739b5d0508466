// Row types of every table, the one contract between stores and the database.
// Portable by rule (STYLE.md d): times are epoch-ms integers, no booleans (a nullable *_at says
// when), app-generated text ids, JSON kept as text.

import type { ColumnType } from 'kysely';
import type { OidcTables } from './schema-oidc.ts';
import type { ApiTokenTable, WebhookDeliveryTable, WebhookSubscriptionTable } from './schema-api.ts';
export type Role = 'admin' | 'general';
/** 'provider': the provider's own organisation, exactly one (migration 030), whose users may be operators. */
export type OrgKind = 'direct' | 'partner' | 'child' | 'provider';
/** Issue 26: an operator's role, ordered agent < service_manager < operator_admin (src/auth/operators/roles.ts). */
export type OperatorRole = 'agent' | 'service_manager' | 'operator_admin';
export type TicketSeverity = 'low' | 'normal' | 'high' | 'critical';
export type SecondFactor = 'totp' | 'mail_otp';
export type Lang = 'ja' | 'en';

export interface OrganisationTable {
  id: string;
  name: string;
  kind: OrgKind;
  parent_id: string | null;
  /** Portal profile name (S0): business | partner-child. */
  profile: string;
  /** A password policy preset chosen for this organisation (issue 16); null: the profile's. */
  password_policy: string | null;
  /** S3.7: trusted browsers are off unless the organisation turns them on (SECURITY.md stance 3). */
  trusted_browsers_enabled_at: number | null;
  /** Stance 2: an organisation may refuse MailOTP. */
  mail_otp_disabled_at: number | null;
  created_at: number;
  /** Issue 22: 'matrix' = the matrix password (S12) instead of a typed one; null = password. Optional on insert (migration 035). */
  first_factor?: 'matrix' | null;
  /** Issue 23: passkeys as a 2-step method: 'on' | 'off'; null = the profile's default (on for `business`). Optional on insert (migration 036). */
  passkey_policy?: 'on' | 'off' | null;
  /** Issue 23: passwordless sign-in with a passkey; off (null) by default. */
  passkey_signin_enabled_at?: number | null;
  /** Issue 23: the AAGUIDs a passkey must have (comma-separated, lower-case, dashed); null = any, attestation 'none'. */
  passkey_aaguids?: string | null;
}

export interface UserTable {
  id: string;
  organisation_id: string;
  login_id: string;
  /** canonicalLoginId(login_id), unique (SECURITY.md item 41; migration 020, decision 020). */
  login_id_canonical: string | null;
  email: string;
  name: string;
  phone: string;
  role: Role;
  lang: Lang;
  password_hash: string | null;
  password_set_at: number | null;
  /** The assigned or chosen second factor; null = not chosen yet (an admin sees the selection). */
  second_factor: SecondFactor | null;
  /**
   * Bumped in one statement by every password change or reset, 2-step lock, disable and 2-step
   * change (src/auth/users/security-epoch.ts): flows, sessions and trusted browsers of an older
   * epoch die (SECURITY.md item 38).
   */
  security_epoch: number;
  disabled_at: number | null;
  last_login_at: number | null;
  /**
   * The login before last_login_at (migration 032), written with it by recordLogin: the dashboard's
   * previous login (S3.8) comes with the session. Optional on insert (nullable; null until a second login).
   */
  previous_login_at?: number | null;
  origin: 'portal' | 'legacy';
  created_at: number;
  updated_at: number;
  /**
   * Issue 26 (migration 030): an operator's role; only a user of the provider organisation has one.
   * Optional on insert (the column is nullable; rows written before it read as null).
   */
  operator_role?: OperatorRole | null;
}

/**
 * A second factor the user holds (migration 022, decision 042): today an authenticator app (TOTP,
 * at most one per user), next passkeys. Pending enrolment is not a row: it lives in the flow.
 */
export type FactorKind = 'totp' | 'passkey';
export interface FactorTable {
  id: string;
  user_id: string;
  kind: FactorKind;
  /** AES-256-GCM box (src/auth/crypto/secret-box.ts), AAD = user_id; re-sealed by key rotation. */
  secret_enc: string;
  label: string | null;
  created_at: number;
  last_used_at: number | null;
  /** TOTP: last accepted RFC 6238 time step; a step ≤ this is a replay (RFC 6238 §5.2, SECURITY.md 16). */
  last_step: number;
  /** Passkey (migration 036): the WebAuthn credential id, base64url; unique; null for other kinds. Optional on insert. */
  credential_id?: string | null;
  /** Passkey: the COSE public key, base64url (not a secret; `secret_enc` is '' for a passkey). */
  public_key?: string | null;
  /** Passkey: the authenticator's signature counter last seen (0 = the authenticator keeps none). */
  sign_count?: number;
  /** Passkey: the transports the browser reported, comma-separated (usb, nfc, ble, internal, hybrid). */
  transports?: string | null;
  /** Passkey: the authenticator's AAGUID (all zeros with attestation 'none' on most platforms). */
  aaguid?: string | null;
  /** Passkey: when registered as backup eligible (a synced passkey); null = a device-bound one. */
  backup_eligible_at?: number | null;
  /** Passkey: the last time the authenticator said it was backed up; null = not (yet). */
  backed_up_at?: number | null;
  /** Passkey: 'singleDevice' | 'multiDevice' as @simplewebauthn/server reports it. */
  device_type?: string | null;
}

export interface UserGroupTable { id: string; organisation_id: string; name: string; created_at: number }
export interface UserGroupMemberTable { group_id: string; user_id: string }

/** Setup (starting guide) and reset links. Only SHA-256 of the token is stored (SECURITY.md item 6). */
export interface LinkTokenTable {
  id: string;
  user_id: string;
  purpose: 'setup' | 'reset';
  token_hash: string;
  expires_at: number;
  used_at: number | null;
  superseded_at: number | null;
  /** Wrong identity-verification answers given for this link (S2.1: too many lock the link). */
  identity_failures: number;
  created_at: number;
}

export interface FlowTable {
  id: string;
  kind: 'first_login' | 'login' | 'reset' | 'totp_reenrol' | 'passkey_register';
  user_id: string | null;
  state: string;
  attempts: number;
  expires_at: number;
  version: number;
  /**
   * SHA-256 of the flow's own cookie, issued fresh when the flow was opened (item 39): a leaked flow
   * id, a planted cookie or an earlier flow's cookie cannot continue it.
   */
  browser_hash: string;
  /** The user's security epoch when the flow was opened; an older one than the user's is dead (item 38). */
  security_epoch: number;
  /** JSON: step data (link id, pending TOTP secret box, skip reason …). */
  context: string;
  created_at: number;
  updated_at: number;
}

export interface SessionTable {
  /** SHA-256 (hex) of the cookie token; the token itself is never stored (item 28). */
  id: string;
  user_id: string;
  /** aal2 = both steps; aal1_skipped = second step skipped by a trusted network/browser (stance 3). */
  aal: 'aal2' | 'aal1_skipped';
  skip_reason: string | null;
  created_at: number;
  last_seen_at: number;
  idle_expires_at: number;
  expires_at: number;
  ip: string;
  user_agent: string;
  revoked_at: number | null;
  /** The user's security epoch the session was issued at; an older one than the user's is dead (item 38). */
  security_epoch: number;
  /** aal2: the second factor that made it (totp | mail_otp | backup_code | passkey); null when skipped (migration 031). */
  factor: string | null;
  /** RFC 8176 authentication method references as a JSON array, e.g. ["pwd","otp","mfa"] (migration 036). Optional on insert. */
  amr?: string | null;
}

export interface TermsVersionTable {
  id: string;
  version: number;
  title_ja: string;
  title_en: string;
  body_ja: string;
  body_en: string;
  published_at: number;
}
export interface TermsAcceptanceTable { user_id: string; terms_version_id: string; accepted_at: number; ip: string }

export interface AuditLogTable {
  id: string;
  at: number;
  event: string;
  actor_user_id: string | null;
  subject_user_id: string | null;
  organisation_id: string | null;
  factor: string | null;
  ip: string;
  /** JSON details; never a password, OTP, token or secret (item 35). */
  detail: string;
  /** An aggregated row (auditAggregated, item 43): how many times it happened, and the last time. */
  repeat_count: number;
  last_at: number | null;
}

export interface MailOutboxTable {
  id: string;
  to_addr: string;
  subject: string;
  body_text: string;
  kind: string;
  user_id: string | null;
  state: 'queued' | 'sent' | 'dead';
  attempts: number;
  next_attempt_at: number;
  /** A worker's claim: who and until when; an expired lease may be taken by another node. */
  lease_owner: string | null;
  lease_until: number | null;
  last_error: string | null;
  created_at: number;
  sent_at: number | null;
  /** Issue 24 (migration 040): a ticket mail's per-participant reply address. Optional on insert. */
  reply_to?: string | null;
  /** Issue 24 (migration 042): the one-click unsubscribe URL (List-Unsubscribe + List-Unsubscribe-Post). Optional on insert. */
  list_unsubscribe?: string | null;
  /** Issue 24 (038): one optional attachment (the maintenance mail's .ics); all three or none. */
  attachment_name: ColumnType<string | null, string | null | undefined, string | null>;
  attachment_type: ColumnType<string | null, string | null | undefined, string | null>;
  attachment_b64: ColumnType<string | null, string | null | undefined, string | null>;
}

/** Shared failure counters for throttling (S5, item 21): one row per key (e.g. pw:<userId>). */
export interface ThrottleTable {
  key: string;
  failures: number;
  window_started_at: number;
  locked_until: number;
  updated_at: number;
}

export interface BackupCodeTable { id: string; user_id: string; code_hash: string; created_at: number; used_at: number | null }

export interface MailOtpTable {
  id: string;
  flow_id: string;
  user_id: string;
  code_hash: string;
  expires_at: number;
  used_at: number | null;
  superseded_at: number | null;
  failures: number;
  sent_at: number;
}

export interface TrustedNetworkTable { id: string; organisation_id: string; cidr: string; label: string; created_at: number }

export interface TrustedDeviceTable {
  id: string;
  user_id: string;
  token_hash: string;
  security_epoch: number;
  user_agent: string;
  created_at: number;
  expires_at: number;
  last_used_at: number | null;
  revoked_at: number | null;
}

/** Mails an admin can trigger (SECURITY.md item 44): per key, a rolling 24 h window and the last send. */
export interface MailQuotaTable { key: string; window_started_at: number; count: number; last_sent_at: number }
// ---- Customer portal (010_portal; SPEC S7–S10) ----
export type ContractStatus = 'normal' | 'failure' | 'maintenance' | 'suspended';
export type OrderStatus = 'in_progress' | 'opened' | 'cancelled';
export type NoticeKind = 'construction' | 'outage' | 'information';
export type TicketStatus = 'open' | 'waiting_provider' | 'waiting_customer' | 'closed';

export interface ServiceCategoryTable { id: string; code: string; name_ja: string; name_en: string; position: number }
export interface ServiceTable {
  id: string; code: string; category_id: string; name_ja: string; name_en: string;
  /** S8 «Web設定変更サイト»: null = none. */
  settings_site_url: string | null;
  created_at: number;
}
export interface ContractTable {
  id: string; organisation_id: string;
  /** «N» + 9 digits. */
  number: string;
  group_number: string; service_id: string; site: string; memo: string; status: ContractStatus;
  /** NFKC + case-folded copy of the searchable columns; the keyword filter matches this. */
  search_text: string;
  created_at: number; updated_at: number;
}
export interface ContractGroupAccessTable {
  group_id: string; contract_id: string; granted_at: number;
  /** The contract's own columns, copied for the list (migration 012; the database keeps them in step). */
  organisation_id: ColumnType<string | null, string | undefined, string>;
  service_id: ColumnType<string | null, string | undefined, string>;
  status: ColumnType<ContractStatus | null, ContractStatus | undefined, ContractStatus>;
  number: ColumnType<string | null, string | undefined, string>;
}
export interface ServiceOrderTable {
  id: string; organisation_id: string; number: string; service_id: string; contract_id: string | null;
  applied_at: number;
  /** A calendar day, YYYY-MM-DD. */
  planned_opening_date: string | null;
  status: OrderStatus; opening_notice_ja: string | null; opening_notice_en: string | null;
  created_at: number; updated_at: number;
}
export interface ServiceOrderStepTable { id: string; order_id: string; position: number; code: string; planned_date: string | null; done_at: number | null }
export interface NoticeTable {
  id: string; kind: NoticeKind;
  title_ja: string; title_en: string; body_ja: string; body_en: string;
  starts_at: number; ends_at: number | null; published_at: number; withdrawn_at: number | null; created_at: number;
  /** Last changed by an operator (014); null: as published. */
  updated_at: ColumnType<number | null, number | null | undefined, number | null>;
  /** Issue 24 (038): where the work stands; existing notices are confirmed. */
  status: ColumnType<NoticeStatus, NoticeStatus | undefined, NoticeStatus>;
}
/** Issue 24: BCOP MAINTNOTE's statuses (IN-PROCESS is in_progress). */
export type NoticeStatus = 'tentative' | 'confirmed' | 'in_progress' | 'completed' | 'cancelled';
/** Issue 24: BCOP MAINTNOTE's impacts (NO-IMPACT is none). */
export type NoticeImpact = 'outage' | 'degraded' | 'reduced_redundancy' | 'none';
/** The contracts a notice affects, each with its impact (038). */
export interface NoticeContractTable { notice_id: string; contract_id: string; impact: NoticeImpact }
/** A notice's status history (038): by the operator's user id, null for the CLI. */
export interface NoticeStatusEventTable { id: string; notice_id: string; status: NoticeStatus; at: number; by_user_id: string | null }
/** A notice's post-incident report (038), stored as ticket attachments are (decision 031). */
export interface NoticeReportTable {
  notice_id: string; filename: string; content_type: string; size: number; sha256: string; content_b64: string; attached_at: number; by_user_id: string | null;
}
/** A user's calendar / feed URL (038): SHA-256 of the secret only; revoked_at ends it. */
export interface CalendarTokenTable { id: string; user_id: string; token_hash: string; created_at: number; revoked_at: number | null; last_used_at: number | null }
/** Issue 24 item 2 (041): what maintenance mail a user wants; no row: every visible contract, every impact, every event. */
export type SubscriptionScope = 'all' | 'services' | 'contracts' | 'none';
export interface NoticeSubscriptionTable { user_id: string; scope: SubscriptionScope; min_impact: NoticeImpact; events: string; updated_at: number }
export interface NoticeSubscriptionTargetTable { user_id: string; kind: 'service' | 'contract'; target_id: string }
/** A contract's technical contact (041), kept by the customer's admin: not a user, never a login. */
export interface ContractContactTable { id: string; contract_id: string; organisation_id: string; name: string; email: string; created_by: string | null; created_at: number }
/** A reminder sent (041): the key (notice, moment, due time) lets exactly one node send it. */
export type ReminderMoment = 'before' | 'start' | 'end';
export interface NoticeReminderTable { notice_id: string; moment: ReminderMoment; due_at: number; sent_at: number; mails: number }
/** The services a notice concerns (014); a notice without rows concerns every service. */
export interface NoticeServiceTable { notice_id: string; service_id: string }
export interface MaintenanceWindowTable {
  id: string; announce_from: number; starts_at: number; ends_at: number;
  message_ja: string; message_en: string; cancelled_at: number | null; created_at: number;
}
export interface TicketTable {
  id: string; organisation_id: string; number: string; category: string;
  service_id: string | null; contract_id: string | null; subject: string; status: TicketStatus;
  author_user_id: string; created_at: number; updated_at: number; closed_at: number | null;
  /** Issue 26 (migration 030): set by operators; customers' tickets start 'normal'. */
  severity: TicketSeverity;
  /** The operator working on it, or null. */
  assignee_user_id: string | null;
  /** Issue 24 (migration 040): the notice it was opened from. Optional on insert. */
  notice_id?: string | null;
  /** The customer's satisfaction (1–5) and comment when they closed it. Optional on insert. */
  rating?: number | null; rating_comment?: string | null; rated_at?: number | null;
}
/** Issue 24: colleagues of the ticket's organisation in copy (migration 040). */
export interface TicketCcTable { ticket_id: string; user_id: string; added_by: string | null; added_at: number }
export interface TicketMessageTable {
  id: string; ticket_id: string; side: 'customer' | 'provider'; author_user_id: string | null; author_name: string;
  body: string;
  /** A provider's internal note: never shown to the customer. */
  internal_at: number | null;
  created_at: number;
}
export interface TicketAttachmentTable {
  id: string; ticket_id: string; message_id: string; filename: string; content_type: string; size: number;
  sha256: string; content_b64: string; created_at: number;
}
export interface ServiceShortcutTable { user_id: string; service_id: string; pinned_at: number | null; last_used_at: number | null }

/** Issue 20: brand settings of a preset or an organisation (migration 033); null fields fall back. */
export type BrandScope = 'preset' | 'org';
export interface BrandSettingTable {
  scope: BrandScope; scope_id: string;
  name_ja: string | null; name_en: string | null;
  /** #rrggbb, contrast-checked (src/branding/contrast.ts). */
  colour: string | null;
  footer_ja: string | null; footer_en: string | null;
  support_email: string | null; support_phone: string | null; support_url: string | null;
  support_hours_ja: string | null; support_hours_en: string | null;
  logo_type: string | null; logo_hash: string | null; logo_b64: string | null;
  favicon_type: string | null; favicon_hash: string | null; favicon_b64: string | null;
  /** A hash of every field: what a cached brand is compared by. */
  version: string;
  updated_at: number;
}

export interface Database extends OidcTables {
  organisation: OrganisationTable;
  app_user: UserTable;
  user_group: UserGroupTable;
  user_group_member: UserGroupMemberTable;
  link_token: LinkTokenTable;
  flow: FlowTable;
  session: SessionTable;
  terms_version: TermsVersionTable;
  terms_acceptance: TermsAcceptanceTable;
  audit_log: AuditLogTable;
  mail_outbox: MailOutboxTable;
  throttle: ThrottleTable;
  backup_code: BackupCodeTable;
  factor: FactorTable;
  mail_otp: MailOtpTable;
  trusted_network: TrustedNetworkTable;
  trusted_device: TrustedDeviceTable;
  mail_quota: MailQuotaTable;
  service_category: ServiceCategoryTable;
  service: ServiceTable;
  contract: ContractTable;
  contract_group_access: ContractGroupAccessTable;
  service_order: ServiceOrderTable;
  service_order_step: ServiceOrderStepTable;
  notice: NoticeTable;
  notice_service: NoticeServiceTable;
  ticket_cc: TicketCcTable;
  notice_contract: NoticeContractTable;
  notice_status_event: NoticeStatusEventTable;
  notice_report: NoticeReportTable;
  calendar_token: CalendarTokenTable;
  notice_subscription: NoticeSubscriptionTable;
  notice_subscription_target: NoticeSubscriptionTargetTable;
  contract_contact: ContractContactTable;
  notice_reminder: NoticeReminderTable;
  maintenance_window: MaintenanceWindowTable;
  ticket: TicketTable;
  ticket_message: TicketMessageTable;
  ticket_attachment: TicketAttachmentTable;
  service_shortcut: ServiceShortcutTable;
  brand_setting: BrandSettingTable;
  legacy_migration: LegacyMigrationTable;
  legacy_contract: LegacyContractTable;
  legacy_user: LegacyUserTable;
  matrix_password: MatrixPasswordTable;
  api_token: ApiTokenTable;
  webhook_subscription: WebhookSubscriptionTable;
  webhook_delivery: WebhookDeliveryTable;
}

// ---- Issue 21: migration from the legacy login portal (migration 034; docs/migration.md) ----
/** One import of one file (found again by its SHA-256: a re-run continues it). */
export interface LegacyMigrationTable {
  id: string; file_sha256: string; file_name: string; started_at: number; finished_at: number | null;
  /** The migration period (S11); null until set. */
  period_starts_at: number | null; period_ends_at: number | null;
  /** The last file line committed, and how many users were created. */
  last_line: number;
  imported: number;
}
/** The organisation made for a legacy contract (partner, or child with parent_key). */
export interface LegacyContractTable { contract_key: string; organisation_id: string; parent_key: string | null; migration_id: string; created_at: number }
/** An imported user by legacy key (ecid, unique); the legacy values as they were, the legacy hash never verified at import. */
export interface LegacyUserTable {
  ecid: string; user_id: string; migration_id: string; contract_key: string; source_line: number;
  legacy_login_id: string; legacy_phone: string; legacy_password_hash: string | null;
  /** When `migrate send-guides` queued the user's first-login mail; null: not yet. Optional on insert. */
  guide_sent_at?: number | null;
  created_at: number;
}

// ---- Issue 22: the matrix password (migration 035; docs/matrix-password.md) ----
/** A user's registered positions, sealed (src/auth/matrix/store.ts): recoverable, as a login must read them. */
export interface MatrixPasswordTable { user_id: string; positions_enc: string; set_at: number }
