// Issue 24 item 6: the TM Forum-shaped API (docs/api.md).
// - api_token: organisation-scoped tokens a portal admin issues; only SHA-256 of the secret is kept
//   (shown once), with its scopes, who issued it, when it was last used and revoked. The rate
//   window (rate_window_at, rate_count) counts requests per minute in the same row.
// - webhook_subscription: a hub registration (TMF630 §"Hub"): callback URL, the event types asked
//   for, and the HMAC key sealed with the secret box (AAD = "webhook:" + id), so it stays usable.
// - webhook_delivery: the outbox of events to callbacks, claimed under a lease like mail_outbox.
//   event_id + subscription_id is unique: one event goes once to one subscriber.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createTable('api_token')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('organisation_id', 'text', (c) => c.notNull().references('organisation.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('scopes', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull().references('app_user.id'))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('last_used_at', 'bigint')
    .addColumn('revoked_at', 'bigint')
    .addColumn('rate_window_at', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('rate_count', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema.createIndex('api_token_org_idx').on('api_token').columns(['organisation_id', 'created_at']).execute();
  await db.schema.createTable('webhook_subscription')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('organisation_id', 'text', (c) => c.notNull().references('organisation.id'))
    .addColumn('token_id', 'text', (c) => c.notNull().references('api_token.id'))
    .addColumn('callback', 'text', (c) => c.notNull())
    .addColumn('query', 'text', (c) => c.notNull())
    .addColumn('event_types', 'text', (c) => c.notNull())
    .addColumn('secret_enc', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('removed_at', 'bigint')
    .execute();
  await db.schema.createIndex('webhook_subscription_org_idx').on('webhook_subscription').columns(['organisation_id', 'removed_at']).execute();
  await db.schema.createTable('webhook_delivery')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('subscription_id', 'text', (c) => c.notNull().references('webhook_subscription.id'))
    .addColumn('event_id', 'text', (c) => c.notNull())
    .addColumn('event_type', 'text', (c) => c.notNull())
    .addColumn('payload', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_attempt_at', 'bigint', (c) => c.notNull())
    .addColumn('lease_owner', 'text')
    .addColumn('lease_until', 'bigint')
    .addColumn('last_error', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('delivered_at', 'bigint')
    .addUniqueConstraint('webhook_delivery_event_once', ['subscription_id', 'event_id'])
    .execute();
  await db.schema.createIndex('webhook_delivery_due_idx').on('webhook_delivery').columns(['state', 'next_attempt_at']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('webhook_delivery').ifExists().execute();
  await db.schema.dropTable('webhook_subscription').ifExists().execute();
  await db.schema.dropTable('api_token').ifExists().execute();
}
