// Issue 19 (the signed-in page in fewer statements):
// - app_user.previous_login_at: the login before last_login_at, written with it by recordLogin, so
//   the dashboard's «前回ログイン» (S3.8) comes with the session's own statement instead of a query
//   over the user's sessions. Back-filled from the sessions kept: the newest one older than
//   last_login_at (what the dashboard showed in the newest session before this migration).
// - user_group_member (user_id): the session statement reads a user's groups by user; the primary
//   key (group_id, user_id) cannot serve that, so each page scanned the table.
// - organisation (parent_id): a partner's child organisations, read with the session likewise.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('app_user').addColumn('previous_login_at', 'bigint').execute();
  await sql`update app_user set previous_login_at = (select max(s.created_at) from session s
    where s.user_id = app_user.id and s.created_at < app_user.last_login_at)
    where last_login_at is not null`.execute(db);
  await db.schema.createIndex('user_group_member_user_idx').on('user_group_member').columns(['user_id', 'group_id']).execute();
  await db.schema.createIndex('organisation_parent_idx').on('organisation').column('parent_id').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('organisation_parent_idx').execute();
  await db.schema.dropIndex('user_group_member_user_idx').execute();
  await db.schema.alterTable('app_user').dropColumn('previous_login_at').execute();
}
