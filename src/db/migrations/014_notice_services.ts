// Issue 26 (the provider's console, item 4): a notice concerns one or more services, or every
// service. The single `notice.service_id` (null = every service) becomes rows of `notice_service`;
// a notice with no row concerns every service, as a null did. SQLite cannot drop a column that has
// a foreign key, so there the table is rebuilt without it (nothing references `notice` yet).
import { sql, type Kysely } from 'kysely';
import { isPostgresHandle } from '../dialect.ts';

export async function up(db: Kysely<any>): Promise<void> {
  const pairs = await db.selectFrom('notice').select(['id', 'service_id']).where('service_id', 'is not', null).execute();
  if (isPostgresHandle(db)) {
    await db.schema.dropIndex('notice_service_idx').execute();
    await db.schema.alterTable('notice').dropColumn('service_id').execute();
  } else {
    await db.schema.createTable('notice_new')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('title_ja', 'text', (c) => c.notNull())
      .addColumn('title_en', 'text', (c) => c.notNull())
      .addColumn('body_ja', 'text', (c) => c.notNull())
      .addColumn('body_en', 'text', (c) => c.notNull())
      .addColumn('starts_at', 'bigint', (c) => c.notNull())
      .addColumn('ends_at', 'bigint')
      .addColumn('published_at', 'bigint', (c) => c.notNull())
      .addColumn('withdrawn_at', 'bigint')
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .execute();
    await sql`insert into notice_new (id, kind, title_ja, title_en, body_ja, body_en, starts_at, ends_at, published_at, withdrawn_at, created_at)
      select id, kind, title_ja, title_en, body_ja, body_en, starts_at, ends_at, published_at, withdrawn_at, created_at from notice`.execute(db);
    await db.schema.dropTable('notice').execute();
    await db.schema.alterTable('notice_new').renameTo('notice').execute();
  }
  // When a notice was last changed by an operator (null: never since it was published).
  await db.schema.alterTable('notice').addColumn('updated_at', 'bigint').execute();
  await db.schema.createIndex('notice_starts_idx').on('notice').column('starts_at').execute();
  await db.schema.createTable('notice_service')
    .addColumn('notice_id', 'text', (c) => c.notNull().references('notice.id').onDelete('cascade'))
    .addColumn('service_id', 'text', (c) => c.notNull().references('service.id'))
    .addPrimaryKeyConstraint('notice_service_pk', ['notice_id', 'service_id'])
    .execute();
  // The visibility rule probes "is there a service of this notice the viewer has a contract of".
  await db.schema.createIndex('notice_service_service_idx').on('notice_service').columns(['service_id', 'notice_id']).execute();
  if (pairs.length) await db.insertInto('notice_service').values(pairs.map((p) => ({ notice_id: p.id, service_id: p.service_id }))).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('notice_service').ifExists().execute();
  await db.schema.dropIndex('notice_starts_idx').ifExists().execute();
  await db.schema.alterTable('notice').dropColumn('updated_at').execute();
  await db.schema.alterTable('notice').addColumn('service_id', 'text', (c) => c.references('service.id')).execute();
}
