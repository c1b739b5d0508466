// Issue 24 items 1 and 3: notices aimed at contracts, the maintenance calendar and feeds.
// - notice_contract: the contracts a notice affects, each with an impact (BCOP MAINTNOTE's four).
// - notice.status (tentative … cancelled; existing notices were published as facts: confirmed) and
//   notice_status_event, the history of its status (who, when).
// - notice_report: the post-incident report, one document per notice, stored like ticket
//   attachments (decision 031: bytes in the database as base64, with size and SHA-256).
// - calendar_token: a user's secret feed URL, stored as SHA-256 of the secret (tokens.ts), revocable.
// - mail_outbox.attachment_*: one optional attachment per mail (the maintenance mail's .ics).
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('notice').addColumn('status', 'text', (c) => c.notNull().defaultTo('confirmed')).execute();
  await db.schema.createTable('notice_contract')
    .addColumn('notice_id', 'text', (c) => c.notNull().references('notice.id').onDelete('cascade'))
    .addColumn('contract_id', 'text', (c) => c.notNull().references('contract.id').onDelete('cascade'))
    .addColumn('impact', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('notice_contract_pk', ['notice_id', 'contract_id'])
    .execute();
  // The contract page asks "which notices affect this contract".
  await db.schema.createIndex('notice_contract_contract_idx').on('notice_contract').columns(['contract_id', 'notice_id']).execute();
  await db.schema.createTable('notice_status_event')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('notice_id', 'text', (c) => c.notNull().references('notice.id').onDelete('cascade'))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('at', 'bigint', (c) => c.notNull())
    // The operator's user id; null for the CLI.
    .addColumn('by_user_id', 'text')
    .execute();
  await db.schema.createIndex('notice_status_event_notice_idx').on('notice_status_event').columns(['notice_id', 'at']).execute();
  // Every existing notice starts its history as confirmed when it was published.
  await sql`insert into notice_status_event (id, notice_id, status, at, by_user_id)
    select 'st-' || id, id, 'confirmed', published_at, null from notice`.execute(db);
  await db.schema.createTable('notice_report')
    .addColumn('notice_id', 'text', (c) => c.primaryKey().references('notice.id').onDelete('cascade'))
    .addColumn('filename', 'text', (c) => c.notNull())
    .addColumn('content_type', 'text', (c) => c.notNull())
    .addColumn('size', 'integer', (c) => c.notNull())
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('content_b64', 'text', (c) => c.notNull())
    .addColumn('attached_at', 'bigint', (c) => c.notNull())
    .addColumn('by_user_id', 'text')
    .execute();
  await db.schema.createTable('calendar_token')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('app_user.id').onDelete('cascade'))
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('revoked_at', 'bigint')
    .addColumn('last_used_at', 'bigint')
    .execute();
  await db.schema.createIndex('calendar_token_user_idx').on('calendar_token').column('user_id').execute();
  await db.schema.alterTable('mail_outbox').addColumn('attachment_name', 'text').execute();
  await db.schema.alterTable('mail_outbox').addColumn('attachment_type', 'text').execute();
  await db.schema.alterTable('mail_outbox').addColumn('attachment_b64', 'text').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('mail_outbox').dropColumn('attachment_b64').execute();
  await db.schema.alterTable('mail_outbox').dropColumn('attachment_type').execute();
  await db.schema.alterTable('mail_outbox').dropColumn('attachment_name').execute();
  await db.schema.dropTable('calendar_token').execute();
  await db.schema.dropTable('notice_report').execute();
  await db.schema.dropTable('notice_status_event').execute();
  await db.schema.dropTable('notice_contract').execute();
  await db.schema.alterTable('notice').dropColumn('status').execute();
}
