// Issue 24 item 4 (ticket essentials for the customer's operations team, docs/tickets.md):
// - ticket.notice_id: the construction/outage notice a ticket was opened from (or null);
// - ticket.rating (1–5), rating_comment, rated_at: the customer's satisfaction when they close it;
// - ticket_cc: colleagues of the ticket's organisation in copy (they get its mails, may reply by mail);
// - mail_outbox.reply_to: the per-participant reply address of a ticket mail (reply by mail).
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('ticket').addColumn('notice_id', 'text', (c) => c.references('notice.id')).execute();
  await db.schema.alterTable('ticket').addColumn('rating', 'integer').execute();
  await db.schema.alterTable('ticket').addColumn('rating_comment', 'text').execute();
  await db.schema.alterTable('ticket').addColumn('rated_at', 'bigint').execute();
  await db.schema.createTable('ticket_cc')
    .addColumn('ticket_id', 'text', (c) => c.notNull().references('ticket.id'))
    .addColumn('user_id', 'text', (c) => c.notNull().references('app_user.id').onDelete('cascade'))
    .addColumn('added_by', 'text')
    .addColumn('added_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('ticket_cc_pk', ['ticket_id', 'user_id'])
    .execute();
  await db.schema.createIndex('ticket_cc_user_idx').on('ticket_cc').column('user_id').execute();
  await db.schema.alterTable('mail_outbox').addColumn('reply_to', 'text').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('mail_outbox').dropColumn('reply_to').execute();
  await db.schema.dropTable('ticket_cc').execute();
  for (const c of ['rated_at', 'rating_comment', 'rating', 'notice_id']) await db.schema.alterTable('ticket').dropColumn(c).execute();
}
