// Issue 26 (the provider's console): operators are users of the provider's own organisation with an
// operator role, and the tickets inbox needs a severity and an assignee.
// - organisation.kind may be 'provider' (kind is plain text since 001, no CHECK constraint on either
//   database; the value set lives in schema.ts's OrgKind). At most one provider organisation: a
//   partial unique index, so two nodes bootstrapping at once cannot create two.
// - app_user.operator_role: null for everyone but operators (agent | service_manager | operator_admin).
// - ticket.severity (low | normal | high | critical; existing tickets are normal) and
//   ticket.assignee_user_id (an operator, or null), with an index for the inbox's default order.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('organisation_one_provider_idx').unique().on('organisation').column('kind')
    .where(sql<boolean>`kind = 'provider'`).execute();
  await db.schema.alterTable('app_user').addColumn('operator_role', 'text').execute();
  await db.schema.alterTable('ticket').addColumn('severity', 'text', (c) => c.notNull().defaultTo('normal')).execute();
  await db.schema.alterTable('ticket').addColumn('assignee_user_id', 'text', (c) => c.references('app_user.id')).execute();
  await db.schema.createIndex('ticket_status_updated_idx').on('ticket').columns(['status', 'updated_at']).execute();
  await db.schema.createIndex('ticket_assignee_idx').on('ticket').column('assignee_user_id').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('ticket_assignee_idx').execute();
  await db.schema.dropIndex('ticket_status_updated_idx').execute();
  await db.schema.alterTable('ticket').dropColumn('assignee_user_id').execute();
  await db.schema.alterTable('ticket').dropColumn('severity').execute();
  await db.schema.alterTable('app_user').dropColumn('operator_role').execute();
  await db.schema.dropIndex('organisation_one_provider_idx').execute();
}
