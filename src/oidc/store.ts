// Kysely only: the provider's clients, signing keys and persisted artefacts (migration 031).
import { sql } from 'kysely';
import type { Db } from '../db/index.ts';
import type { OidcClientTable, OidcKeyTable } from '../db/schema-oidc.ts';

export type ClientRow = OidcClientTable;
export type KeyRow = OidcKeyTable;

export async function insertClient(db: Db, row: ClientRow): Promise<void> {
  await db.insertInto('oidc_client').values(row).execute();
}
export async function findClientRow(db: Db, id: string): Promise<ClientRow | undefined> {
  return db.selectFrom('oidc_client').selectAll().where('id', '=', id).executeTakeFirst();
}
export async function clientRowOfService(db: Db, serviceId: string): Promise<ClientRow | undefined> {
  return db.selectFrom('oidc_client').selectAll().where('service_id', '=', serviceId).executeTakeFirst();
}
export async function listClientRows(db: Db): Promise<ClientRow[]> {
  return db.selectFrom('oidc_client').selectAll().orderBy('id').execute();
}
export async function updateClientSecret(db: Db, id: string, secretEnc: string, now: number): Promise<boolean> {
  const r = await db.updateTable('oidc_client').set({ secret_enc: secretEnc, secret_rotated_at: now }).where('id', '=', id).executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}
export async function deleteClientRow(db: Db, id: string): Promise<boolean> {
  const r = await db.deleteFrom('oidc_client').where('id', '=', id).executeTakeFirst();
  return Number(r.numDeletedRows) === 1;
}

export async function insertKey(db: Db, row: KeyRow): Promise<void> {
  await db.insertInto('oidc_key').values(row).execute();
}
/** Every key still published: the signing key (retired_at null) and retired ones younger than `keepMs`. */
export async function publishedKeys(db: Db, now: number, keepMs: number): Promise<KeyRow[]> {
  return db.selectFrom('oidc_key').selectAll()
    .where((eb) => eb.or([eb('retired_at', 'is', null), eb('retired_at', '>', now - keepMs)]))
    .orderBy('created_at', 'desc').orderBy('kid').execute();
}
/** Retires every signing key but `kid`; returns how many. */
export async function retireOtherKeys(db: Db, kid: string, now: number): Promise<number> {
  const r = await db.updateTable('oidc_key').set({ retired_at: now }).where('kid', '!=', kid).where('retired_at', 'is', null).executeTakeFirst();
  return Number(r.numUpdatedRows);
}
/** Removes retired keys that no token can need any more. */
export async function pruneKeys(db: Db, now: number, keepMs: number): Promise<number> {
  const r = await db.deleteFrom('oidc_key').where('retired_at', 'is not', null).where('retired_at', '<=', now - keepMs).executeTakeFirst();
  return Number(r.numDeletedRows);
}
/** A fingerprint of the published key set: a node rebuilds its provider when it changes. */
export async function keySetVersion(db: Db, now: number, keepMs: number): Promise<string> {
  const r = await db.selectFrom('oidc_key')
    .select([sql<string>`count(*)`.as('n'), sql<string>`max(created_at)`.as('c'), sql<string>`max(coalesce(retired_at, 0))`.as('r'),
      sql<string>`sum(case when retired_at is null or retired_at > ${now - keepMs} then 1 else 0 end)`.as('p')])
    .executeTakeFirstOrThrow();
  return `${r.n}:${r.c}:${r.r}:${r.p}`;
}

// --- oidc-provider's artefacts -----------------------------------------------------------------

export interface PayloadRow { id_hash: string; payload: string; expires_at: number | null; consumed_at: number | null }

export async function upsertPayload(db: Db, row: { kind: string; id_hash: string; payload: string; grant_hash: string | null; uid_hash: string | null; expires_at: number | null }): Promise<void> {
  await db.insertInto('oidc_payload').values({ ...row, consumed_at: null })
    .onConflict((oc) => oc.columns(['kind', 'id_hash']).doUpdateSet({
      payload: row.payload, grant_hash: row.grant_hash, uid_hash: row.uid_hash, expires_at: row.expires_at,
    })).execute();
}
export async function findPayload(db: Db, kind: string, idHash: string): Promise<PayloadRow | undefined> {
  return db.selectFrom('oidc_payload').select(['id_hash', 'payload', 'expires_at', 'consumed_at'])
    .where('kind', '=', kind).where('id_hash', '=', idHash).executeTakeFirst();
}
export async function findPayloadByUid(db: Db, kind: string, uidHash: string): Promise<PayloadRow | undefined> {
  return db.selectFrom('oidc_payload').select(['id_hash', 'payload', 'expires_at', 'consumed_at'])
    .where('kind', '=', kind).where('uid_hash', '=', uidHash).executeTakeFirst();
}
/** Marks an artefact used; a guarded write, so of two nodes racing for one code only one wins. */
export async function consumePayload(db: Db, kind: string, idHash: string, now: number): Promise<boolean> {
  const r = await db.updateTable('oidc_payload').set({ consumed_at: now })
    .where('kind', '=', kind).where('id_hash', '=', idHash).where('consumed_at', 'is', null).executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}
export async function destroyPayload(db: Db, kind: string, idHash: string): Promise<void> {
  await db.deleteFrom('oidc_payload').where('kind', '=', kind).where('id_hash', '=', idHash).execute();
}
export async function destroyGrant(db: Db, grantHash: string): Promise<void> {
  await db.deleteFrom('oidc_payload').where('grant_hash', '=', grantHash).execute();
}
/** Housekeeping (the sweeper's round, `bizportal sweep`): artefacts that expired before `cutoff`. */
export async function sweepPayloads(db: Db, cutoff: number): Promise<number> {
  const r = await db.deleteFrom('oidc_payload').where('expires_at', '<=', cutoff).executeTakeFirst();
  return Number(r.numDeletedRows);
}
