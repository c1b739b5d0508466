// The API's tables (migration 039), Kysely only: tokens, hub subscriptions and the webhook outbox.
// Every function takes (db, …, now); security state is written by guarded single statements.
import { sql } from 'kysely';
import type { Db, Dialect } from '../db/index.ts';
import type { ApiTokenTable, WebhookDeliveryTable, WebhookSubscriptionTable } from '../db/schema-api.ts';

export type TokenRow = ApiTokenTable;
export type SubscriptionRow = WebhookSubscriptionTable;
export type DeliveryRow = WebhookDeliveryTable;

const TOKEN_COLUMNS = ['id', 'organisation_id', 'name', 'token_hash', 'scopes', 'created_by', 'created_at', 'last_used_at', 'revoked_at'] as const;

export async function insertToken(db: Db, row: TokenRow): Promise<void> {
  await db.insertInto('api_token').values({ ...row, rate_window_at: 0, rate_count: 0 }).execute();
}

export async function tokensOf(db: Db, organisationId: string): Promise<TokenRow[]> {
  return db.selectFrom('api_token').select(TOKEN_COLUMNS).where('organisation_id', '=', organisationId)
    .orderBy('created_at', 'desc').orderBy('id').execute();
}

export async function findToken(db: Db, id: string): Promise<TokenRow | undefined> {
  if (id.length > 64) return undefined;
  return db.selectFrom('api_token').select(TOKEN_COLUMNS).where('id', '=', id).executeTakeFirst();
}

export async function findTokenByHash(db: Db, hash: string): Promise<TokenRow | undefined> {
  return db.selectFrom('api_token').select(TOKEN_COLUMNS).where('token_hash', '=', hash).executeTakeFirst();
}

/** Revokes once: false when it was revoked already (or is not this organisation's). */
export async function revokeTokenRow(db: Db, id: string, organisationId: string, now: number): Promise<boolean> {
  const r = await db.updateTable('api_token').set({ revoked_at: now })
    .where('id', '=', id).where('organisation_id', '=', organisationId).where('revoked_at', 'is', null)
    .returning('id').executeTakeFirst();
  return r !== undefined;
}

/**
 * Counts one request in the token's one-minute window and moves last_used_at when it is older than
 * a minute, in one guarded UPDATE (nothing read first): the count after this request, or null when
 * the token is revoked meanwhile. Both nodes of a pair count into the same row.
 */
export async function countRequest(db: Db, id: string, now: number): Promise<number | null> {
  const window = now - (now % 60_000);
  const r = await db.updateTable('api_token')
    .set({
      rate_count: sql<number>`case when rate_window_at = ${window} then rate_count + 1 else 1 end`,
      rate_window_at: window,
      last_used_at: sql<number>`case when last_used_at is null or last_used_at <= ${now - 60_000} then ${now} else last_used_at end`,
    })
    .where('id', '=', id).where('revoked_at', 'is', null)
    .returning('rate_count').executeTakeFirst();
  return r ? Number(r.rate_count) : null;
}

// ---- hub subscriptions ----

export async function insertSubscription(db: Db, row: SubscriptionRow): Promise<void> {
  await db.insertInto('webhook_subscription').values(row).execute();
}

export async function removeSubscriptionRow(db: Db, id: string, organisationId: string, now: number): Promise<boolean> {
  if (id.length > 64) return false;
  const r = await db.updateTable('webhook_subscription').set({ removed_at: now })
    .where('id', '=', id).where('organisation_id', '=', organisationId).where('removed_at', 'is', null)
    .returning('id').executeTakeFirst();
  return r !== undefined;
}

/** Live subscriptions (not removed, their token not revoked): of one organisation, or of all. */
export async function liveSubscriptions(db: Db, organisationId?: string): Promise<SubscriptionRow[]> {
  let q = db.selectFrom('webhook_subscription as s').innerJoin('api_token as k', 'k.id', 's.token_id')
    .selectAll('s').where('s.removed_at', 'is', null).where('k.revoked_at', 'is', null);
  if (organisationId !== undefined) q = q.where('s.organisation_id', '=', organisationId);
  return q.orderBy('s.created_at').orderBy('s.id').execute();
}

export async function findSubscription(db: Db, id: string): Promise<SubscriptionRow | undefined> {
  return db.selectFrom('webhook_subscription').selectAll().where('id', '=', id).executeTakeFirst();
}

// ---- the webhook outbox ----

export async function insertDelivery(db: Db, row: Omit<DeliveryRow, 'lease_owner' | 'lease_until' | 'last_error' | 'delivered_at'>): Promise<void> {
  await db.insertInto('webhook_delivery').values({ ...row, lease_owner: null, lease_until: null, last_error: null, delivered_at: null })
    .onConflict((oc) => oc.columns(['subscription_id', 'event_id']).doNothing()).execute();
}

export interface ClaimedDelivery { id: string; subscriptionId: string; eventId: string; payload: string; attempts: number; leaseUntil: number }

/** Leases due deliveries as claimDue does for mails (src/mail/outbox.ts): SKIP LOCKED on PostgreSQL, one worker per row. */
export async function claimDeliveries(db: Db, dialect: Dialect, owner: string, now: number, o: { leaseMs: number; limit: number }): Promise<ClaimedDelivery[]> {
  const leaseUntil = now + o.leaseMs;
  const rows = await db.updateTable('webhook_delivery')
    .set({ lease_owner: owner, lease_until: leaseUntil })
    .where('id', 'in', (eb) => eb.selectFrom('webhook_delivery').select('id')
      .where('state', '=', 'pending').where('next_attempt_at', '<=', now)
      .where((w) => w.or([w('lease_until', 'is', null), w('lease_until', '<=', now)]))
      .orderBy('next_attempt_at').orderBy('id').limit(o.limit)
      .$if(dialect === 'postgres', (q) => q.forUpdate().skipLocked()))
    .where('state', '=', 'pending')
    .where((w) => w.or([w('lease_until', 'is', null), w('lease_until', '<=', now), w('lease_owner', '=', owner)]))
    .returning(['id', 'subscription_id', 'event_id', 'payload', 'attempts', 'next_attempt_at'])
    .execute();
  rows.sort((a, b) => a.next_attempt_at - b.next_attempt_at || (a.id < b.id ? -1 : 1));
  return rows.map((r) => ({ id: r.id, subscriptionId: r.subscription_id, eventId: r.event_id, payload: r.payload, attempts: r.attempts, leaseUntil }));
}

export async function markDelivered(db: Db, id: string, owner: string, now: number): Promise<boolean> {
  const r = await db.updateTable('webhook_delivery')
    .set({ state: 'delivered', delivered_at: now, lease_owner: null, lease_until: null, last_error: null })
    .where('id', '=', id).where('lease_owner', '=', owner).where('state', '=', 'pending')
    .returning('id').executeTakeFirst();
  return r !== undefined;
}

/** A failed attempt: retry after `delayMs`, or dead after `maxAttempts`; guarded by the lease and the attempt count. */
export async function markAttemptFailed(db: Db, id: string, owner: string, attemptsBefore: number, error: string, now: number, o: { maxAttempts: number; delayMs: number }): Promise<DeliveryRow['state'] | null> {
  const attempts = attemptsBefore + 1;
  const state: DeliveryRow['state'] = attempts >= o.maxAttempts ? 'dead' : 'pending';
  const r = await db.updateTable('webhook_delivery')
    .set({ attempts, state, next_attempt_at: now + o.delayMs, last_error: error.slice(0, 500), lease_owner: null, lease_until: null })
    .where('id', '=', id).where('lease_owner', '=', owner).where('attempts', '=', attemptsBefore).where('state', '=', 'pending')
    .returning('id').executeTakeFirst();
  return r ? state : null;
}

/** Gives back `owner`'s leases (all, or only `ids`) so another worker may deliver them at once. */
export async function releaseDeliveries(db: Db, owner: string, ids?: readonly string[]): Promise<number> {
  if (ids && ids.length === 0) return 0;
  const r = await db.updateTable('webhook_delivery').set({ lease_owner: null, lease_until: null })
    .where('lease_owner', '=', owner).where('state', '=', 'pending')
    .$if(ids !== undefined, (q) => q.where('id', 'in', ids!)).executeTakeFirst();
  return Number(r.numUpdatedRows);
}

/** The latest deliveries of an organisation's subscriptions (the admin page: dead ones with their error). */
export async function deliveriesOf(db: Db, organisationId: string, limit: number) {
  return db.selectFrom('webhook_delivery as d').innerJoin('webhook_subscription as s', 's.id', 'd.subscription_id')
    .select(['d.id', 'd.event_id', 'd.event_type', 'd.state', 'd.attempts', 'd.last_error', 'd.created_at', 'd.delivered_at', 's.callback'])
    .where('s.organisation_id', '=', organisationId)
    .orderBy('d.created_at', 'desc').orderBy('d.id').limit(limit).execute();
}
