// Issue 22 (seed 001 step 5): the matrix login asks for the e-mail address, as the legacy portal
// did. Finding a matrix user by address must not scan app_user (a migrated legacy portal brings a
// million of them), so an index on the address as the lookup compares it: lower-cased. An
// expression index, the same statement on SQLite (≥ 3.9) and PostgreSQL.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`create index app_user_email_lower on app_user (lower(email))`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index if exists app_user_email_lower`.execute(db);
}
