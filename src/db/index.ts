// The one place that knows which database we run on (STYLE.md d: dialect switches only in src/db/).
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { Kysely, PostgresDialect, SqliteDialect, sql, type Migration } from 'kysely';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import type { Database } from './schema.ts';
import * as m001 from './migrations/001_identity.ts';
import * as m002 from './migrations/002_security_epoch.ts';
import * as m020 from './migrations/020_canonical_login_id.ts';
import * as m021 from './migrations/021_aggregates_and_mail_quota.ts';

export type Db = Kysely<Database>;
export type Dialect = 'sqlite' | 'postgres';
export interface DbHandle { db: Db; dialect: Dialect; close(): Promise<void> }

// pg returns int8 (our epoch-ms columns) as strings; every value we keep fits in a double.
pg.types.setTypeParser(20, (v) => Number(v));

const migrations: Record<string, Migration> = {
  '001_identity': m001,
  '002_security_epoch': m002,
  '020_canonical_login_id': m020,
  '021_aggregates_and_mail_quota': m021,
};
export const LATEST_MIGRATION = Object.keys(migrations).sort().at(-1)!;

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
    // A silently dropped network must fail a request, not hang it.
    connectionTimeoutMillis: 5_000,
    ...(opts.schema ? { options: `-c search_path=${opts.schema}` } : {}),
  });
  // An idle client losing its server must not crash the process; the next query reports it.
  pool.on('error', () => {});
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  dialectOf.set(db, 'postgres');
  return { db, dialect: 'postgres', close: () => db.destroy() };
}

/**
 * Runs pending migrations in order, each in its own transaction, recorded in bizportal_migration.
 * Several nodes may start at once: on PostgreSQL a transaction-scoped advisory lock serialises them
 * (the loser then sees the migrations done); SQLite serialises writers itself. Our own small runner
 * instead of Kysely's Migrator, which introspects every schema of the server and so trips over
 * other schemas' bookkeeping tables and concurrent schema drops.
 */
export async function migrateToLatest(db: Db): Promise<void> {
  const any = db as unknown as Kysely<any>;
  await any.schema.createTable('bizportal_migration').ifNotExists()
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('executed_at', 'bigint', (c) => c.notNull())
    .execute();
  for (const name of Object.keys(migrations).sort()) {
    try {
      await any.transaction().execute(async (trx) => {
        if (isPostgres(db)) await sql`select pg_advisory_xact_lock(${MIGRATION_LOCK})`.execute(trx);
        const done = await trx.selectFrom('bizportal_migration').select('name').where('name', '=', name).executeTakeFirst();
        if (done) return;
        await migrations[name]!.up(trx);
        await trx.insertInto('bizportal_migration').values({ name, executed_at: Date.now() }).execute();
      });
    } catch (err) {
      throw new Error(`migration ${name} failed: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
    }
  }
}

/** True when every known migration has run (readiness check). */
export async function migrationsCurrent(db: Db): Promise<boolean> {
  try {
    const rows = await (db as unknown as Kysely<any>).selectFrom('bizportal_migration').select('name').execute();
    const done = new Set(rows.map((r) => r.name as string));
    return Object.keys(migrations).every((m) => done.has(m));
  } catch {
    return false;
  }
}

const MIGRATION_LOCK = 7_331_001;
const dialectOf = new WeakMap<object, Dialect>();
function isPostgres(db: Db): boolean {
  return dialectOf.get(db) === 'postgres';
}
