// Issue 22 (SPEC S12, seed 001): the matrix password, a first factor an organisation may use
// instead of a typed password (docs/matrix-password.md).
// - organisation.first_factor: 'matrix', or null for the typed password (every existing organisation).
// - matrix_password: one row per user who registered positions; the positions are sealed with the
//   TOTP key (AES-256-GCM, src/auth/crypto/secret-box.ts), not hashed: a login reads the digits at
//   those positions in a fresh grid, so the server must know them.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('organisation').addColumn('first_factor', 'text').execute();
  await db.schema.createTable('matrix_password')
    .addColumn('user_id', 'text', (c) => c.primaryKey().references('app_user.id').onDelete('cascade'))
    .addColumn('positions_enc', 'text', (c) => c.notNull())
    .addColumn('set_at', 'bigint', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('matrix_password').ifExists().execute();
  await db.schema.alterTable('organisation').dropColumn('first_factor').execute();
}
