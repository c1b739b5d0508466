// The one place that knows which database we run on (STYLE.md d: dialect switches only in src/db/).
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { Kysely, PostgresDialect, SqliteDialect, sql, type LogEvent, type Migration } from 'kysely';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import type { Database } from './schema.ts';
import { NamedStatementPool, SqliteStatementCache } from './statements.ts';
import * as m001 from './migrations/001_identity.ts';
import * as m002 from './migrations/002_security_epoch.ts';
import * as m010 from './migrations/010_portal.ts';
import * as m011 from './migrations/011_org_password_policy.ts';
import * as m012 from './migrations/012_grant_list_columns.ts';
import * as m014 from './migrations/014_notice_services.ts';
import * as m020 from './migrations/020_canonical_login_id.ts';
import * as m021 from './migrations/021_aggregates_and_mail_quota.ts';
import * as m022 from './migrations/022_factor.ts';
import * as m030 from './migrations/030_operator.ts';
import * as m031 from './migrations/031_oidc.ts';
import * as m032 from './migrations/032_previous_login.ts';
import * as m033 from './migrations/033_branding.ts';
import * as m034 from './migrations/034_legacy_migration.ts';
import * as m035 from './migrations/035_matrix_password.ts';
import * as m036 from './migrations/036_passkeys.ts';
import * as m037 from './migrations/037_matrix_email_lookup.ts';
import * as m040 from './migrations/040_ticket_essentials.ts';
import * as m039 from './migrations/039_api.ts';
import * as m038 from './migrations/038_notice_contracts_calendar.ts';
import * as m041 from './migrations/041_notice_subscriptions.ts';
import * as m042 from './migrations/042_mail_list_unsubscribe.ts';

export type Db = Kysely<Database>;
export type Dialect = 'sqlite' | 'postgres';
export interface DbHandle {
  db: Db; dialect: Dialect; close(): Promise<void>;
  /** Calls `fn` with the text of every statement run through this handle (metrics: statements and commits). */
  observeStatements(fn: (sql: string) => void): void;
}

/** Kysely's log hook, fanned out to the handle's observers (none: a loop over an empty list). */
function statementLog(observers: Array<(sql: string) => void>) {
  return (event: LogEvent) => { if (event.level === 'query') for (const fn of observers) fn(event.query.sql); };
}

// pg returns int8 (our epoch-ms columns) as strings; every value we keep fits in a double.
pg.types.setTypeParser(20, (v) => Number(v));

const migrations: Record<string, Migration> = {
  '001_identity': m001,
  '002_security_epoch': m002,
  '010_portal': m010,
  '011_org_password_policy': m011,
  '012_grant_list_columns': m012,
  '014_notice_services': m014,
  '020_canonical_login_id': m020,
  '021_aggregates_and_mail_quota': m021,
  '022_factor': m022,
  '030_operator': m030,
  '031_oidc': m031,
  '032_previous_login': m032,
  '033_branding': m033,
  '034_legacy_migration': m034,
  '035_matrix_password': m035,
  '036_passkeys': m036,
  '037_matrix_email_lookup': m037,
  '040_ticket_essentials': m040,
  '039_api': m039,
  '038_notice_contracts_calendar': m038,
  '041_notice_subscriptions': m041,
  '042_mail_list_unsubscribe': m042,
};
export const LATEST_MIGRATION = Object.keys(migrations).sort().at(-1)!;

export interface OpenOptions {
  /** PostgreSQL schema to use (tests: one throw-away schema per run). */ schema?: string; poolSize?: number;
  /** Keep prepared statements (SQLite cache, PostgreSQL named statements; src/db/statements.ts). Default on; DB_PREPARED_STATEMENTS=false turns it off. */
  preparedStatements?: boolean;
}

export function openDb(url: string, opts: OpenOptions = {}): DbHandle {
  if (url.startsWith('sqlite:')) {
    const file = url.slice('sqlite:'.length) || ':memory:';
    if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
    const sqlite = new SQLite(file);
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('synchronous = NORMAL');
    sqlite.pragma('foreign_keys = ON');
    sqlite.pragma('busy_timeout = 5000');
    const prepared = opts.preparedStatements ?? true;
    const cache = prepared ? new SqliteStatementCache(sqlite) : null;
    const observers: Array<(sql: string) => void> = [];
    const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: cache ?? sqlite }), log: statementLog(observers) });
    if (cache) statementsOf.set(db, { migrated: () => cache.clear() });
    return { db, dialect: 'sqlite', close: () => db.destroy(), observeStatements: (fn) => { observers.push(fn); } };
  }
  const pool = new pg.Pool({
    connectionString: url,
    max: opts.poolSize ?? 10,
    // A silently dropped network must fail a request, not hang it.
    connectionTimeoutMillis: 5_000,
    ...(opts.schema ? { options: `-c search_path=${opts.schema}` } : {}),
  });
  // A client losing its server (restart: 57P01, failover, network) must not crash the process,
  // idle or checked out: pg-pool listens on idle clients only, so every client gets its own
  // listener when it connects. The query that meets the dead connection reports it (issue 15 §1).
  pool.on('error', () => {});
  pool.on('connect', (client) => { client.on('error', () => {}); });
  const named = (opts.preparedStatements ?? true) ? new NamedStatementPool(pool, LATEST_MIGRATION) : null;
  const observers: Array<(sql: string) => void> = [];
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool: named ?? pool }), log: statementLog(observers) });
  dialectOf.set(db, 'postgres');
  if (named) statementsOf.set(db, { migrated: () => named.schemaChanged() });
  return { db, dialect: 'postgres', close: () => db.destroy(), observeStatements: (fn) => { observers.push(fn); } };
}

/**
 * Runs pending migrations in order, each in its own transaction, recorded in bizportal_migration.
 * Several nodes may start at once: on PostgreSQL a transaction-scoped advisory lock serialises them
 * (the loser then sees the migrations done); SQLite serialises writers itself. Our own small runner
 * instead of Kysely's Migrator, which introspects every schema of the server and so trips over
 * other schemas' bookkeeping tables and concurrent schema drops.
 */
export async function migrateToLatest(db: Db, opts: { upTo?: string } = {}): Promise<void> {
  const any = db as unknown as Kysely<any>;
  await any.schema.createTable('bizportal_migration').ifNotExists()
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('executed_at', 'bigint', (c) => c.notNull())
    .execute();
  // Statements prepared before a migration never serve after it (src/db/statements.ts).
  try { await runMigrations(any, db, opts); } finally { statementsOf.get(db)?.migrated(); }
}

async function runMigrations(any: Kysely<any>, db: Db, opts: { upTo?: string }): Promise<void> {
  for (const name of Object.keys(migrations).sort()) {
    // A migration test stops at the one before the migration it tests and fills in old-shaped rows.
    if (opts.upTo !== undefined && name > opts.upTo) break;
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

/**
 * True when every known migration has run (readiness check, CLI). A missing bookkeeping table is
 * "not initialised" (false); a database that cannot be reached is an error, thrown as it is.
 */
export async function migrationsCurrent(db: Db): Promise<boolean> {
  try {
    const rows = await (db as unknown as Kysely<any>).selectFrom('bizportal_migration').select('name').execute();
    const done = new Set(rows.map((r) => r.name as string));
    return Object.keys(migrations).every((m) => done.has(m));
  } catch (err) {
    if (isDatabaseUnavailable(err) || isAuthOrSetupError(err)) throw err;
    return false;
  }
}

// PostgreSQL SQLSTATE classes and codes meaning "the server cannot serve now": 08 connection
// exception, 57P01–57P03 admin shutdown / crash shutdown / cannot connect now, 53300 too many
// connections. Node socket errors, pg's own connection messages, SQLite busy/locked.
const UNAVAILABLE_CODES = new Set(['57P01', '57P02', '57P03', '53300', 'ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE',
  'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN', 'SQLITE_BUSY', 'SQLITE_LOCKED']);
const UNAVAILABLE_MESSAGES = /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|Client was closed and is not queryable|Cannot use a pool after calling end|Connection terminated due to connection timeout/i;

/**
 * True when `err` (or an error in its cause chain) says the database cannot be reached or is
 * restarting: an infrastructure failure, answered 503 + Retry-After and never counted as a failed
 * attempt (SECURITY.md item 45), as opposed to a bug or a constraint violation.
 */
export function isDatabaseUnavailable(err: unknown): boolean {
  for (let e = err, depth = 0; e && typeof e === 'object' && depth < 6; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && (UNAVAILABLE_CODES.has(code) || code.startsWith('08'))) return true;
    if (e instanceof AggregateError && e.errors.some((x) => isDatabaseUnavailable(x))) return true;
    if (e instanceof Error && UNAVAILABLE_MESSAGES.test(e.message)) return true;
  }
  return false;
}

/** True when the PostgreSQL schema exists (DATABASE_SCHEMA is checked before migrations). */
export async function schemaExists(db: Db, schema: string): Promise<boolean> {
  return (await db.introspection.getSchemas()).some((s) => s.name === schema);
}

/**
 * A database failure at start (server) or in the CLI as one line for the operator: what failed,
 * the setting to look at, and whether it is a setting to fix (`setting`) or an outage. Null when
 * `err` is no such failure. Never holds the URL (its password).
 */
export function databaseStartupProblem(err: unknown): { line: string; setting: boolean } | null {
  let e: unknown = err;
  // The migration runner wraps the driver's error; the cause says what happened.
  for (let i = 0; i < 4 && e instanceof Error && e.cause !== undefined && !(e as { code?: unknown }).code; i++) e = e.cause;
  const code = (e as { code?: unknown } | null)?.code;
  const msg = e instanceof Error ? (e.message || (e instanceof AggregateError ? e.errors.map((x) => (x as Error).message).join('; ') : '')) : String(e);
  if (typeof code === 'string' && code.startsWith('28')) return { line: `configuration error: DATABASE_URL: the database refused the login (${msg}): check the user and password in DATABASE_URL`, setting: true };
  if (code === '3D000') return { line: `configuration error: DATABASE_URL: ${msg}: create the database or correct its name in DATABASE_URL`, setting: true };
  if (code === '3F000') return { line: `configuration error: DATABASE_SCHEMA: ${msg}: create the schema or correct DATABASE_SCHEMA`, setting: true };
  if (code === 'ENOTFOUND') return { line: `configuration error: DATABASE_URL: database host not found (${msg}): correct the host in DATABASE_URL`, setting: true };
  if (code === 'SQLITE_CANTOPEN' || code === 'SQLITE_READONLY' || code === 'SQLITE_NOTADB') return { line: `configuration error: DATABASE_URL: cannot use the SQLite file (${code}: ${msg}): check the path and its permissions (DATA_DIR, DATABASE_URL)`, setting: true };
  if (isDatabaseUnavailable(err)) return { line: `cannot reach the database (${msg || String(code)}): check that PostgreSQL runs and that DATABASE_URL points at it`, setting: false };
  return null;
}

/** Wrong credentials (28xxx), unknown database (3D000), unknown host: the settings are wrong. */
export function isAuthOrSetupError(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && (code.startsWith('28') || code === '3D000' || code === 'ENOTFOUND');
}

const MIGRATION_LOCK = 7_331_001;
const dialectOf = new WeakMap<object, Dialect>();
const statementsOf = new WeakMap<object, { migrated(): void }>();
function isPostgres(db: Db): boolean {
  return dialectOf.get(db) === 'postgres';
}
