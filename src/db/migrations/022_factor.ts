// Issue 13 §3 (docs/decisions/042-factors-as-rows-and-sweeper.md): second factors become rows, so a
// user can hold a TOTP authenticator and, next, passkeys. The TOTP columns of app_user move into
// `factor` (the sealed secret as it is: its AAD is the user id, which the row keeps) and are dropped.
// Only an enrolled secret moves: a secret without totp_enrolled_at was never active (schema.ts said so).
// The replay guard (last_step, SECURITY.md item 16) moves with it, so no used step becomes usable again.
// SQLite has had ALTER TABLE … DROP COLUMN since 3.35 (better-sqlite3 bundles a newer one); the
// three columns are in no index, which is what it requires.
import { sql, type Kysely } from 'kysely';

const TOTP_STEP_MS = 30_000;

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createTable('factor')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('app_user.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull())
    /** AES-256-GCM box (src/auth/crypto/secret-box.ts), AAD = user_id. */
    .addColumn('secret_enc', 'text', (c) => c.notNull())
    .addColumn('label', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('last_used_at', 'bigint')
    /** TOTP: last accepted RFC 6238 time step; a step ≤ this is a replay (RFC 6238 §5.2). */
    .addColumn('last_step', 'bigint', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema.createIndex('factor_user_idx').on('factor').column('user_id').execute();
  // One authenticator app per user (re-enrolment replaces it); passkeys, next, may be several.
  await db.schema.createIndex('factor_one_totp_idx').unique().on('factor').column('user_id').where(sql<boolean>`kind = 'totp'`).execute();

  await sql`
    insert into factor (id, user_id, kind, secret_enc, label, created_at, last_used_at, last_step)
    select 'm022-' || id, id, 'totp', totp_secret_enc, null, totp_enrolled_at,
           case when totp_last_step > 0 then totp_last_step * ${TOTP_STEP_MS} else null end, totp_last_step
    from app_user where totp_secret_enc is not null and totp_enrolled_at is not null`.execute(db);

  for (const column of ['totp_secret_enc', 'totp_enrolled_at', 'totp_last_step']) {
    await db.schema.alterTable('app_user').dropColumn(column).execute();
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('app_user').addColumn('totp_secret_enc', 'text').execute();
  await db.schema.alterTable('app_user').addColumn('totp_enrolled_at', 'bigint').execute();
  await db.schema.alterTable('app_user').addColumn('totp_last_step', 'bigint', (c) => c.notNull().defaultTo(0)).execute();
  await sql`
    update app_user set
      totp_secret_enc = (select f.secret_enc from factor f where f.user_id = app_user.id and f.kind = 'totp'),
      totp_enrolled_at = (select f.created_at from factor f where f.user_id = app_user.id and f.kind = 'totp'),
      totp_last_step = coalesce((select f.last_step from factor f where f.user_id = app_user.id and f.kind = 'totp'), 0)`.execute(db);
  await db.schema.dropTable('factor').execute();
}
