// Issue 23 (SPEC S3.9): passkeys (WebAuthn) as second factor and, where an organisation allows it,
// as a passwordless sign-in (docs/passkeys.md, docs/decisions/060-passkeys.md).
// - factor: a passkey is a row of kind 'passkey' (several per user; decision 042 foresaw columns of
//   its own). `secret_enc` stays '' for it: the public key is not a secret. `credential_id` is
//   unique among all users (a partial index, the same on SQLite and PostgreSQL).
// - organisation: `passkey_policy` ('on' | 'off'; null = the profile's default), the passwordless
//   sign-in (`passkey_signin_enabled_at`, off by default) and a required AAGUID list (null = any).
// - session: `amr` (RFC 8176 values as a JSON array), which methods made the session.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('factor').addColumn('credential_id', 'text').execute();
  await db.schema.alterTable('factor').addColumn('public_key', 'text').execute();
  await db.schema.alterTable('factor').addColumn('sign_count', 'bigint', (c) => c.notNull().defaultTo(0)).execute();
  await db.schema.alterTable('factor').addColumn('transports', 'text').execute();
  await db.schema.alterTable('factor').addColumn('aaguid', 'text').execute();
  await db.schema.alterTable('factor').addColumn('backup_eligible_at', 'bigint').execute();
  await db.schema.alterTable('factor').addColumn('backed_up_at', 'bigint').execute();
  await db.schema.alterTable('factor').addColumn('device_type', 'text').execute();
  await db.schema.createIndex('factor_credential_id').unique().on('factor').column('credential_id')
    .where(sql.ref('credential_id'), 'is not', null).execute();
  await db.schema.alterTable('organisation').addColumn('passkey_policy', 'text').execute();
  await db.schema.alterTable('organisation').addColumn('passkey_signin_enabled_at', 'bigint').execute();
  await db.schema.alterTable('organisation').addColumn('passkey_aaguids', 'text').execute();
  await db.schema.alterTable('session').addColumn('amr', 'text').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('session').dropColumn('amr').execute();
  for (const c of ['passkey_aaguids', 'passkey_signin_enabled_at', 'passkey_policy']) await db.schema.alterTable('organisation').dropColumn(c).execute();
  await db.schema.dropIndex('factor_credential_id').ifExists().execute();
  await db.deleteFrom('factor').where('kind', '=', 'passkey').execute();
  for (const c of ['device_type', 'backed_up_at', 'backup_eligible_at', 'aaguid', 'transports', 'sign_count', 'public_key', 'credential_id']) {
    await db.schema.alterTable('factor').dropColumn(c).execute();
  }
}
