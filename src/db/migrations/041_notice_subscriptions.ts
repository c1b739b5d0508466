// Issue 24 item 2: subscriptions to the maintenance mail, reminders, per-contract technical contacts.
// - notice_subscription: one row per user who changed the default (no row: every contract they may
//   see, every impact, every event: the behaviour before this migration).
// - notice_subscription_target: the services or contracts a user chose (kind 'service' | 'contract').
// - contract_contact: names and addresses the customer's admin keeps per contract; not users.
// - notice_reminder: one row per reminder sent (notice, moment, the time it was due): the unique key
//   that lets exactly one node send it, and re-arms it when the period moves (a new due time).
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createTable('notice_subscription')
    .addColumn('user_id', 'text', (c) => c.primaryKey().references('app_user.id').onDelete('cascade'))
    .addColumn('scope', 'text', (c) => c.notNull())
    .addColumn('min_impact', 'text', (c) => c.notNull())
    // Space-separated words: published, changes, reminders (as api_token.scopes).
    .addColumn('events', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createTable('notice_subscription_target')
    .addColumn('user_id', 'text', (c) => c.notNull().references('app_user.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('target_id', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('notice_subscription_target_pk', ['user_id', 'kind', 'target_id'])
    .execute();
  await db.schema.createTable('contract_contact')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('contract_id', 'text', (c) => c.notNull().references('contract.id').onDelete('cascade'))
    // The organisation the contract belonged to when the admin added it: a contract moved elsewhere mails nobody.
    .addColumn('organisation_id', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('contract_contact_contract_idx').on('contract_contact').columns(['contract_id', 'email']).execute();
  await db.schema.createIndex('contract_contact_org_idx').on('contract_contact').columns(['organisation_id', 'email']).execute();
  await db.schema.createTable('notice_reminder')
    .addColumn('notice_id', 'text', (c) => c.notNull().references('notice.id').onDelete('cascade'))
    .addColumn('moment', 'text', (c) => c.notNull())
    .addColumn('due_at', 'bigint', (c) => c.notNull())
    .addColumn('sent_at', 'bigint', (c) => c.notNull())
    .addColumn('mails', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('notice_reminder_pk', ['notice_id', 'moment', 'due_at'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['notice_reminder', 'contract_contact', 'notice_subscription_target', 'notice_subscription']) await db.schema.dropTable(t).execute();
}
