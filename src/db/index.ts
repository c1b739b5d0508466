// The one place that knows which database we run on (STYLE.md d: dialect switches only in src/db/).
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { Kysely, Migrator, PostgresDialect, SqliteDialect, type Migration, type MigrationProvider } from 'kysely';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import type { Database } from './schema.ts';
import * as m001 from './migrations/001_identity.ts';

export type Db = Kysely<Database>;
export type Dialect = 'sqlite' | 'postgres';
export interface DbHandle { db: Db; dialect: Dialect; close(): Promise<void> }

// pg returns int8 (our epoch-ms columns) as strings; every value we keep fits in a double.
pg.types.setTypeParser(20, (v) => Number(v));

const migrations: Record<string, Migration> = { '001_identity': m001 };
const provider: MigrationProvider = { getMigrations: async () => migrations };
export const LATEST_MIGRATION = Object.keys(migrations).sort().at(-1)!;

/** The PostgreSQL schema each instance was opened on, so the migrator uses that schema's tables. */
const schemaOf = new WeakMap<object, string>();

export interface OpenOptions { /** PostgreSQL schema to use (tests: one throw-away schema per run). */ schema?: string; poolSize?: number }

export function openDb(url: string, opts: OpenOptions = {}): DbHandle {
  if (url.startsWith('sqlite:')) {
    const file = url.slice('sqlite:'.length) || ':memory:';
    if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
    const sqlite = new SQLite(file);
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('synchronous = NORMAL');
    sqlite.pragma('foreign_keys = ON');
    sqlite.pragma('busy_timeout = 5000');
    const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
    return { db, dialect: 'sqlite', close: () => db.destroy() };
  }
  const pool = new pg.Pool({
    connectionString: url,
    max: opts.poolSize ?? 10,
    ...(opts.schema ? { options: `-c search_path=${opts.schema}` } : {}),
  });
  // An idle client losing its server must not crash the process; the next query reports it.
  pool.on('error', () => {});
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  if (opts.schema) schemaOf.set(db, opts.schema);
  return { db, dialect: 'postgres', close: () => db.destroy() };
}

export async function migrateToLatest(db: Db): Promise<void> {
  const migrator = newMigrator(db);
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === 'Error');
  if (error || failed) throw new Error(`migration ${failed?.migrationName ?? ''} failed: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
}

/** True when every known migration has run (readiness check). */
export async function migrationsCurrent(db: Db): Promise<boolean> {
  const list = await newMigrator(db).getMigrations();
  return list.every((m) => m.executedAt !== undefined);
}

// Kysely finds its bookkeeping tables by introspecting every schema; naming ours keeps another
// schema's tables (another test run, another tenant) from being mistaken for them.
function newMigrator(db: Db): Migrator {
  const schema = schemaOf.get(db);
  return new Migrator({ db, provider, ...(schema ? { migrationTableSchema: schema } : {}) });
}
