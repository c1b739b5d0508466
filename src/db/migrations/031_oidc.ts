// Issue 18: bizportal as an OpenID Connect provider for the services' settings sites.
// - oidc_client: a registered settings site (client), at most one per service. Its secret is sealed
//   (AES-256-GCM, src/auth/crypto/secret-box.ts): the provider must compare the presented secret
//   with the stored one, so it cannot be a one-way hash.
// - oidc_key: the provider's signing keys; the private key sealed, the public key in clear. A
//   retired key stays published until the tokens it signed have expired.
// - oidc_payload: everything oidc-provider persists (sessions, interactions, codes, tokens, grants),
//   keyed by the SHA-256 of the artefact's id: codes, tokens and the session cookie are their own
//   ids, so a database leak must not hand them out.
// - session.factor: which second factor made an aal2 session (totp | mail_otp | backup_code), null
//   when the second step was skipped; the provider reports it as `amr`.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createTable('oidc_client')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('service_id', 'text', (c) => c.references('service.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    /** Registration metadata (redirect URIs, auth method, …) as JSON, without the secret. */
    .addColumn('metadata', 'text', (c) => c.notNull())
    .addColumn('secret_enc', 'text')
    .addColumn('first_party_at', 'bigint')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('secret_rotated_at', 'bigint')
    .execute();
  await db.schema.createIndex('oidc_client_service_idx').unique().on('oidc_client').column('service_id').execute();

  await db.schema.createTable('oidc_key')
    .addColumn('kid', 'text', (c) => c.primaryKey())
    .addColumn('alg', 'text', (c) => c.notNull())
    .addColumn('private_enc', 'text', (c) => c.notNull())
    .addColumn('public_jwk', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    /** Set by a rotation: no longer signs; published until retired_at + the longest token lifetime. */
    .addColumn('retired_at', 'bigint')
    .execute();

  await db.schema.createTable('oidc_payload')
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('id_hash', 'text', (c) => c.notNull())
    .addColumn('payload', 'text', (c) => c.notNull())
    .addColumn('grant_hash', 'text')
    .addColumn('uid_hash', 'text')
    .addColumn('expires_at', 'bigint')
    .addColumn('consumed_at', 'bigint')
    .addPrimaryKeyConstraint('oidc_payload_pk', ['kind', 'id_hash'])
    .execute();
  await db.schema.createIndex('oidc_payload_grant_idx').on('oidc_payload').column('grant_hash').execute();
  await db.schema.createIndex('oidc_payload_uid_idx').on('oidc_payload').columns(['kind', 'uid_hash']).execute();
  await db.schema.createIndex('oidc_payload_expires_idx').on('oidc_payload').column('expires_at').execute();

  await db.schema.alterTable('session').addColumn('factor', 'text').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('session').dropColumn('factor').execute();
  await db.schema.dropTable('oidc_payload').execute();
  await db.schema.dropTable('oidc_key').execute();
  await db.schema.dropTable('oidc_client').execute();
}
