// The customer portal's tables (SPEC S7–S10, issue 17): services and their categories, contracts
// and which user groups may view them, orders with progress steps, notices, maintenance windows,
// tickets with messages and attachments. Portable types only (text, integer, bigint), as 001.
import { sql, type Kysely } from 'kysely';
import { isPostgresHandle } from '../dialect.ts';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createTable('service_category')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('code', 'text', (c) => c.notNull().unique())
    .addColumn('name_ja', 'text', (c) => c.notNull())
    .addColumn('name_en', 'text', (c) => c.notNull())
    .addColumn('position', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();

  await db.schema.createTable('service')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('code', 'text', (c) => c.notNull().unique())
    .addColumn('category_id', 'text', (c) => c.notNull().references('service_category.id'))
    .addColumn('name_ja', 'text', (c) => c.notNull())
    .addColumn('name_en', 'text', (c) => c.notNull())
    // S8 «Web設定変更サイト»: null = the service has no settings site. The SSO issue signs into it.
    .addColumn('settings_site_url', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema.createTable('contract')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('organisation_id', 'text', (c) => c.notNull().references('organisation.id'))
    // S8: «N» + 9 digits, unique across the provider.
    .addColumn('number', 'text', (c) => c.notNull().unique())
    .addColumn('group_number', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('service_id', 'text', (c) => c.notNull().references('service.id'))
    .addColumn('site', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('memo', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('status', 'text', (c) => c.notNull()) // normal | failure | maintenance | suspended
    // Width- and case-folded copy of the searchable columns (number, group number, site, memo,
    // service names), written by the store on every change; the keyword filter matches this.
    .addColumn('search_text', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('contract_org_number_idx').on('contract').columns(['organisation_id', 'number']).execute();
  await db.schema.createIndex('contract_org_service_idx').on('contract').columns(['organisation_id', 'service_id', 'number']).execute();
  await db.schema.createIndex('contract_org_status_idx').on('contract').columns(['organisation_id', 'status', 'number']).execute();
  // The keyword filter (docs/decisions/030-contract-search.md): on PostgreSQL a trigram GIN index
  // serves `search_text LIKE '%term%'`; SQLite (one node) scans. The extension lives in `public`
  // (tests migrate throw-away schemas that share one database), created once, referenced by name.
  if (isPostgresHandle(db)) {
    await sql`create extension if not exists pg_trgm with schema public`.execute(db);
    await sql`create index contract_search_trgm_idx on contract using gin (search_text public.gin_trgm_ops)`.execute(db);
  }

  // S8: a user sees a contract when one of the user's groups may view it.
  await db.schema.createTable('contract_group_access')
    .addColumn('group_id', 'text', (c) => c.notNull().references('user_group.id'))
    .addColumn('contract_id', 'text', (c) => c.notNull().references('contract.id'))
    .addColumn('granted_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('contract_group_access_pk', ['group_id', 'contract_id'])
    .execute();
  await db.schema.createIndex('contract_group_access_contract_idx').on('contract_group_access').columns(['contract_id', 'group_id']).execute();

  // "order" is a reserved word in SQL: service_order.
  await db.schema.createTable('service_order')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('organisation_id', 'text', (c) => c.notNull().references('organisation.id'))
    .addColumn('number', 'text', (c) => c.notNull().unique())
    .addColumn('service_id', 'text', (c) => c.notNull().references('service.id'))
    .addColumn('contract_id', 'text', (c) => c.references('contract.id'))
    .addColumn('applied_at', 'bigint', (c) => c.notNull())
    // A calendar day (YYYY-MM-DD, the provider's time zone), not an instant.
    .addColumn('planned_opening_date', 'text')
    .addColumn('status', 'text', (c) => c.notNull()) // in_progress | opened | cancelled
    .addColumn('opening_notice_ja', 'text')
    .addColumn('opening_notice_en', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('service_order_org_idx').on('service_order').columns(['organisation_id', 'applied_at']).execute();
  await db.schema.createTable('service_order_step')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('order_id', 'text', (c) => c.notNull().references('service_order.id'))
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('code', 'text', (c) => c.notNull()) // received | reviewing | arranging | constructing | opened …
    .addColumn('planned_date', 'text')
    .addColumn('done_at', 'bigint')
    .execute();
  await db.schema.createIndex('service_order_step_order_idx').on('service_order_step').columns(['order_id', 'position']).unique().execute();

  await db.schema.createTable('notice')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull()) // construction | outage | information
    .addColumn('service_id', 'text', (c) => c.references('service.id')) // null = every service
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
  await db.schema.createIndex('notice_service_idx').on('notice').columns(['service_id', 'starts_at']).execute();

  // S10: scope is the whole portal; announced from announce_from, enforced from starts_at to ends_at.
  await db.schema.createTable('maintenance_window')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('announce_from', 'bigint', (c) => c.notNull())
    .addColumn('starts_at', 'bigint', (c) => c.notNull())
    .addColumn('ends_at', 'bigint', (c) => c.notNull())
    .addColumn('message_ja', 'text', (c) => c.notNull())
    .addColumn('message_en', 'text', (c) => c.notNull())
    .addColumn('cancelled_at', 'bigint')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('maintenance_window_ends_idx').on('maintenance_window').column('ends_at').execute();

  await db.schema.createTable('ticket')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('organisation_id', 'text', (c) => c.notNull().references('organisation.id'))
    .addColumn('number', 'text', (c) => c.notNull().unique())
    .addColumn('category', 'text', (c) => c.notNull()) // portal | service | outage | order | other
    .addColumn('service_id', 'text', (c) => c.references('service.id'))
    .addColumn('contract_id', 'text', (c) => c.references('contract.id'))
    .addColumn('subject', 'text', (c) => c.notNull())
    // open | waiting_provider | waiting_customer | closed; the provider's console answers (issue 26).
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('author_user_id', 'text', (c) => c.notNull().references('app_user.id'))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('closed_at', 'bigint')
    .execute();
  await db.schema.createIndex('ticket_org_idx').on('ticket').columns(['organisation_id', 'updated_at']).execute();
  await db.schema.createTable('ticket_message')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('ticket_id', 'text', (c) => c.notNull().references('ticket.id'))
    .addColumn('side', 'text', (c) => c.notNull()) // customer | provider
    .addColumn('author_user_id', 'text', (c) => c.references('app_user.id'))
    .addColumn('author_name', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    // A provider's internal note (issue 26) is never shown to the customer.
    .addColumn('internal_at', 'bigint')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('ticket_message_ticket_idx').on('ticket_message').columns(['ticket_id', 'created_at']).execute();
  // In the database (base64 text, portable) so every node serves every attachment.
  await db.schema.createTable('ticket_attachment')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('ticket_id', 'text', (c) => c.notNull().references('ticket.id'))
    .addColumn('message_id', 'text', (c) => c.notNull().references('ticket_message.id'))
    .addColumn('filename', 'text', (c) => c.notNull())
    .addColumn('content_type', 'text', (c) => c.notNull())
    .addColumn('size', 'integer', (c) => c.notNull())
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('content_b64', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('ticket_attachment_message_idx').on('ticket_attachment').column('message_id').execute();

  // S7: pinned and recently used services, per user.
  await db.schema.createTable('service_shortcut')
    .addColumn('user_id', 'text', (c) => c.notNull().references('app_user.id'))
    .addColumn('service_id', 'text', (c) => c.notNull().references('service.id'))
    .addColumn('pinned_at', 'bigint')
    .addColumn('last_used_at', 'bigint')
    .addPrimaryKeyConstraint('service_shortcut_pk', ['user_id', 'service_id'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['service_shortcut', 'ticket_attachment', 'ticket_message', 'ticket', 'maintenance_window', 'notice',
    'service_order_step', 'service_order', 'contract_group_access', 'contract', 'service', 'service_category']) {
    await db.schema.dropTable(t).ifExists().execute();
  }
}
