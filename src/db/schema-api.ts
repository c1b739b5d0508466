// Row types of the API's tables (migration 039, issue 24 item 6; docs/api.md). Kept apart from
// schema.ts like schema-oidc.ts; Database (schema.ts) names them.

/** An organisation-scoped API token: SHA-256 of the secret only (shown once when issued). */
export interface ApiTokenTable {
  id: string;
  organisation_id: string;
  name: string;
  token_hash: string;
  /** Space-separated scopes, e.g. "contracts:read tickets:write". */
  scopes: string;
  created_by: string;
  created_at: number;
  last_used_at: number | null;
  revoked_at: number | null;
  /** Start of the current one-minute rate window and the requests counted in it. */
  rate_window_at?: number;
  rate_count?: number;
}

/** A hub registration: where to POST which events; the HMAC key sealed (secret box, AAD "webhook:" + id). */
export interface WebhookSubscriptionTable {
  id: string;
  organisation_id: string;
  token_id: string;
  callback: string;
  query: string;
  /** Space-separated event types this subscriber asked for. */
  event_types: string;
  secret_enc: string;
  created_at: number;
  removed_at: number | null;
}

/** One event for one subscriber: the webhook outbox (claimed under a lease like mail_outbox). */
export interface WebhookDeliveryTable {
  id: string;
  subscription_id: string;
  event_id: string;
  event_type: string;
  payload: string;
  state: 'pending' | 'delivered' | 'dead';
  attempts: number;
  next_attempt_at: number;
  lease_owner: string | null;
  lease_until: number | null;
  last_error: string | null;
  created_at: number;
  delivered_at: number | null;
}
