// SECURITY.md item 38: every flow and every session records the user's security epoch it was
// opened at; a step or request with an older epoch than the user's is refused. Existing rows take
// their user's current epoch, so the upgrade itself ends nothing.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  for (const table of ['flow', 'session']) {
    await db.schema.alterTable(table).addColumn('security_epoch', 'integer', (c) => c.notNull().defaultTo(0)).execute();
    await sql`update ${sql.table(table)} set security_epoch = coalesce((select u.security_epoch from app_user u where u.id = ${sql.ref(`${table}.user_id`)}), 0)`.execute(db);
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['flow', 'session']) await db.schema.alterTable(table).dropColumn('security_epoch').execute();
}
