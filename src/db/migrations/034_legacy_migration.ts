// Issue 21: the legacy-user importer (docs/migration.md, src/migration/).
// - legacy_migration: one import of one file, found again by the file's SHA-256 so a re-run of the
//   same file continues it (resumable after a crash); its period (start, end) is set later.
// - legacy_contract: the organisation made for a legacy contract (one per partner contract, a
//   child contract becomes a child organisation); the key is unique, so no contract is made twice.
// - legacy_user: the legacy key (ecid) of every imported user, unique: running an import twice
//   creates nobody twice. It keeps the legacy login ID and phone as they were (what the report
//   told the provider) and the legacy password hash as exported, never verified at import, and
//   when its first-login mail was queued (`migrate send-guides` resumes after the last one).
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createTable('legacy_migration')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('file_sha256', 'text', (c) => c.notNull().unique())
    .addColumn('file_name', 'text', (c) => c.notNull())
    .addColumn('started_at', 'bigint', (c) => c.notNull())
    .addColumn('finished_at', 'bigint')
    .addColumn('period_starts_at', 'bigint')
    .addColumn('period_ends_at', 'bigint')
    .addColumn('last_line', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('imported', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema.createTable('legacy_contract')
    .addColumn('contract_key', 'text', (c) => c.primaryKey())
    .addColumn('organisation_id', 'text', (c) => c.notNull().unique().references('organisation.id'))
    .addColumn('parent_key', 'text')
    .addColumn('migration_id', 'text', (c) => c.notNull().references('legacy_migration.id'))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createTable('legacy_user')
    .addColumn('ecid', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().unique().references('app_user.id'))
    .addColumn('migration_id', 'text', (c) => c.notNull().references('legacy_migration.id'))
    .addColumn('contract_key', 'text', (c) => c.notNull())
    .addColumn('source_line', 'integer', (c) => c.notNull())
    .addColumn('legacy_login_id', 'text', (c) => c.notNull())
    .addColumn('legacy_phone', 'text', (c) => c.notNull())
    .addColumn('legacy_password_hash', 'text')
    .addColumn('guide_sent_at', 'bigint')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('legacy_user_migration_idx').on('legacy_user').columns(['migration_id', 'source_line']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('legacy_user').ifExists().execute();
  await db.schema.dropTable('legacy_contract').ifExists().execute();
  await db.schema.dropTable('legacy_migration').ifExists().execute();
}
