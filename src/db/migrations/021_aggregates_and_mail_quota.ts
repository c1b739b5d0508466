// SECURITY.md item 43: an aggregated audit row counts its repeats instead of writing one row each
// (refused attempts during a lock, refused cross-organisation requests). Existing rows count once.
// SECURITY.md item 44: mail_quota, the cooldown and daily cap of mails an admin can trigger.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('audit_log').addColumn('repeat_count', 'integer', (c) => c.notNull().defaultTo(1)).execute();
  await db.schema.alterTable('audit_log').addColumn('last_at', 'bigint').execute();
  await db.schema.createTable('mail_quota')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('window_started_at', 'bigint', (c) => c.notNull())
    .addColumn('count', 'integer', (c) => c.notNull())
    .addColumn('last_sent_at', 'bigint', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('mail_quota').ifExists().execute();
  await db.schema.alterTable('audit_log').dropColumn('last_at').execute();
  await db.schema.alterTable('audit_log').dropColumn('repeat_count').execute();
}
