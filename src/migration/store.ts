// The importer's own tables (migration 034): Kysely only, every function takes (db, …).
import type { Db } from '../db/index.ts';
import type { LegacyContractTable, LegacyMigrationTable, LegacyUserTable } from '../db/schema.ts';
import { newId } from '../lib/index.ts';

export type MigrationRow = LegacyMigrationTable;

export async function findMigrationByDigest(db: Db, sha256: string): Promise<MigrationRow | undefined> {
  return db.selectFrom('legacy_migration').selectAll().where('file_sha256', '=', sha256).executeTakeFirst();
}

export async function listMigrations(db: Db): Promise<MigrationRow[]> {
  return db.selectFrom('legacy_migration').selectAll().orderBy('started_at').execute();
}

/** The migration of this file, made on its first real run (a re-run of the same bytes continues it). */
export async function openMigration(db: Db, sha256: string, fileName: string, now: number): Promise<MigrationRow> {
  const found = await findMigrationByDigest(db, sha256);
  if (found) return found;
  const row: MigrationRow = { id: newId(), file_sha256: sha256, file_name: fileName, started_at: now, finished_at: null, period_starts_at: null, period_ends_at: null, last_line: 0, imported: 0 };
  await db.insertInto('legacy_migration').values(row).execute();
  return row;
}

/** Progress of a committed batch, in the batch's own transaction. */
export async function recordProgress(db: Db, id: string, lastLine: number, created: number): Promise<void> {
  await db.updateTable('legacy_migration')
    .set((eb) => ({ last_line: lastLine, imported: eb('imported', '+', created) }))
    .where('id', '=', id).execute();
}

export async function finishMigration(db: Db, id: string, now: number): Promise<void> {
  await db.updateTable('legacy_migration').set({ finished_at: now }).where('id', '=', id).execute();
}

export interface KnownUser { ecid: string; migration_id: string; source_line: number }

/** Which of these legacy keys are imported already (by any migration). */
export async function knownUsers(db: Db, ecids: readonly string[]): Promise<Map<string, KnownUser>> {
  if (!ecids.length) return new Map();
  const rows = await db.selectFrom('legacy_user').select(['ecid', 'migration_id', 'source_line']).where('ecid', 'in', [...ecids]).execute();
  return new Map(rows.map((r) => [r.ecid, r]));
}

export type ContractRow = LegacyContractTable;

export async function knownContracts(db: Db, keys: readonly string[]): Promise<Map<string, ContractRow>> {
  if (!keys.length) return new Map();
  const rows = await db.selectFrom('legacy_contract').selectAll().where('contract_key', 'in', [...keys]).execute();
  return new Map(rows.map((r) => [r.contract_key, r]));
}

export async function allContracts(db: Db): Promise<ContractRow[]> {
  return db.selectFrom('legacy_contract').selectAll().orderBy('contract_key').execute();
}

export async function insertContract(db: Db, row: ContractRow): Promise<void> {
  await db.insertInto('legacy_contract').values(row).execute();
}

export async function insertLegacyUsers(db: Db, rows: readonly LegacyUserTable[]): Promise<void> {
  if (rows.length) await db.insertInto('legacy_user').values([...rows]).execute();
}

export async function findMigration(db: Db, id: string): Promise<MigrationRow | undefined> {
  return db.selectFrom('legacy_migration').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function setPeriod(db: Db, id: string, startsAt: number, endsAt: number): Promise<boolean> {
  const r = await db.updateTable('legacy_migration').set({ period_starts_at: startsAt, period_ends_at: endsAt }).where('id', '=', id).executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

/** Users of a migration whose first-login mail is not queued yet, in ecid order after `afterEcid`. */
export async function pendingGuides(db: Db, migrationId: string, afterEcid: string, limit: number): Promise<{ ecid: string; user_id: string }[]> {
  return db.selectFrom('legacy_user').select(['ecid', 'user_id'])
    .where('migration_id', '=', migrationId).where('guide_sent_at', 'is', null).where('ecid', '>', afterEcid)
    .orderBy('ecid').limit(limit).execute();
}

export async function guideCounts(db: Db, migrationId: string): Promise<{ users: number; sent: number }> {
  const r = await db.selectFrom('legacy_user')
    .select((eb) => [eb.fn.countAll<number>().as('users'), eb.fn.count<number>('guide_sent_at').as('sent')])
    .where('migration_id', '=', migrationId).executeTakeFirstOrThrow();
  return { users: Number(r.users), sent: Number(r.sent) };
}

export async function markGuideSent(db: Db, ecid: string, now: number): Promise<void> {
  await db.updateTable('legacy_user').set({ guide_sent_at: now }).where('ecid', '=', ecid).execute();
}

/** An imported user's legacy hash with their migration's period (one indexed read at login). */
export async function legacyCredentialOf(db: Db, userId: string): Promise<{ legacy_password_hash: string | null; period_starts_at: number | null; period_ends_at: number | null } | undefined> {
  return db.selectFrom('legacy_user').innerJoin('legacy_migration as m', 'm.id', 'legacy_user.migration_id')
    .select(['legacy_user.legacy_password_hash', 'm.period_starts_at', 'm.period_ends_at'])
    .where('legacy_user.user_id', '=', userId).executeTakeFirst();
}

/** Verified once and replaced by argon2id: the legacy hash is not kept. */
export async function clearLegacyHash(db: Db, userId: string): Promise<void> {
  await db.updateTable('legacy_user').set({ legacy_password_hash: null }).where('user_id', '=', userId).execute();
}

/**
 * Housekeeping (the sweeper's round, `bizportal sweep`): legacy hashes whose migration period ended
 * before `cutoff` (a day ago) can never be used again, so they are not kept (SECURITY.md: no
 * credential material stored longer than it serves). Returns how many were cleared.
 */
export async function sweepEndedLegacyHashes(db: Db, cutoff: number): Promise<number> {
  const ended = db.selectFrom('legacy_migration').select('id').where('period_ends_at', 'is not', null).where('period_ends_at', '<', cutoff);
  const r = await db.updateTable('legacy_user').set({ legacy_password_hash: null })
    .where('legacy_password_hash', 'is not', null).where('migration_id', 'in', ended).executeTakeFirst();
  return Number(r.numUpdatedRows);
}
