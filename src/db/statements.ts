// Prepared statements kept across queries, behind the src/db/ seam (issue 19 §1): no domain code
// knows about them. Kysely's SQLite driver prepares every statement anew and node-postgres sends
// every statement unnamed, so PostgreSQL parses and plans it again; both cost more than the small
// indexed queries they run (docs/performance.md).
import { createHash } from 'node:crypto';
import type { PostgresPool, PostgresPoolClient, SqliteDatabase, SqliteStatement } from 'kysely';
import type { Database as BetterSqlite } from 'better-sqlite3';

/**
 * SQLite: better-sqlite3 statements kept by SQL text, least recently used dropped beyond `max`
 * (queries built with IN lists of varying length make new texts; the bound keeps memory flat).
 * SQLite re-prepares a kept statement by itself when the schema changed under it; `clear()` after a
 * migration still drops them so nothing prepared against the old shape lingers.
 */
export class SqliteStatementCache implements SqliteDatabase {
  readonly #db: BetterSqlite;
  readonly #kept = new Map<string, SqliteStatement>();
  readonly max: number;

  constructor(db: BetterSqlite, max = 500) {
    this.#db = db;
    this.max = max;
  }

  prepare(sql: string): SqliteStatement {
    const hit = this.#kept.get(sql);
    if (hit) {
      // Map keeps insertion order: re-inserting marks it the most recently used.
      this.#kept.delete(sql);
      this.#kept.set(sql, hit);
      return hit;
    }
    const stmt = this.#db.prepare(sql) as unknown as SqliteStatement;
    this.#kept.set(sql, stmt);
    if (this.#kept.size > this.max) this.#kept.delete(this.#kept.keys().next().value!);
    return stmt;
  }

  get size(): number { return this.#kept.size; }
  clear(): void { this.#kept.clear(); }
  close(): void { this.#kept.clear(); this.#db.close(); }
}

/** Statements worth naming: one parameterised DML/query statement (not BEGIN, DDL or a script). */
const NAMEABLE = /^\s*(select|insert|update|delete|with)\b/i;
const TX_START = /^\s*(begin|start transaction)\b/i;
const TX_END = /^\s*(commit|rollback)\s*$/i;
// "cached plan must not change result type": a named statement whose tables changed shape.
const STALE_PLAN = '0A000';

/**
 * PostgreSQL: every nameable statement runs as a named prepared statement (parsed and planned once
 * per connection), named by its text and a generation. The generation starts from the schema
 * version this code knows (`schemaVersion`) and moves on after a migration or when a statement meets
 * a table whose shape changed under it (another node migrated): later statements get new names, and
 * the failed one is run again unnamed when that is safe (outside a transaction; inside one the
 * transaction is already aborted and the error goes to the caller, as any other). At most
 * `maxPerConnection` names per connection; beyond, statements run unnamed (still correct).
 */
/** Texts whose names are remembered (a few hundred distinct statements in practice); beyond it, start again. */
const NAME_CACHE_MAX = 2000;

export class NamedStatementPool implements PostgresPool {
  readonly #pool: PostgresPool;
  readonly #clients = new WeakMap<object, PostgresPoolClient>();
  readonly maxPerConnection: number;
  #schemaVersion: string;
  #bumps = 0;
  /** SQL text → its name in this generation: a name is hashed once per text, not per query (bounded). */
  readonly #nameCache = new Map<string, string>();

  constructor(pool: PostgresPool, schemaVersion: string, maxPerConnection = 200) {
    this.#pool = pool;
    this.#schemaVersion = schemaVersion;
    this.maxPerConnection = maxPerConnection;
  }

  get #generation(): string { return `${this.#schemaVersion}.${this.#bumps}`; }

  /** New names from now on (after a migration, or a statement met a changed table). */
  schemaChanged(schemaVersion = this.#schemaVersion): void {
    this.#schemaVersion = schemaVersion;
    this.#bumps++;
    this.#nameCache.clear();
  }

  nameOf(sql: string): string {
    let name = this.#nameCache.get(sql);
    if (name === undefined) {
      name = `bp_${createHash('sha256').update(this.#generation).update('\0').update(sql).digest('base64url').slice(0, 24)}`;
      if (this.#nameCache.size >= NAME_CACHE_MAX) this.#nameCache.clear();
      this.#nameCache.set(sql, name);
    }
    return name;
  }

  async connect(): Promise<PostgresPoolClient> {
    const client = await this.#pool.connect();
    // Kysely keys its connection objects by client: the same client gets the same wrapper.
    let wrapped = this.#clients.get(client);
    if (!wrapped) {
      wrapped = this.#wrap(client);
      this.#clients.set(client, wrapped);
    }
    return wrapped;
  }

  end(): Promise<void> { return this.#pool.end(); }

  #wrap(client: PostgresPoolClient): PostgresPoolClient {
    const names = new Set<string>();
    let inTransaction = false;
    const raw = client as unknown as { query(config: unknown, values?: unknown): Promise<unknown> };
    const query = async (sqlText: unknown, parameters?: ReadonlyArray<unknown>): Promise<unknown> => {
      if (typeof sqlText !== 'string') return raw.query(sqlText); // a cursor (streams)
      if (TX_START.test(sqlText)) inTransaction = true;
      else if (TX_END.test(sqlText)) inTransaction = false;
      if (!NAMEABLE.test(sqlText) || sqlText.includes(';')) return raw.query(sqlText, parameters);
      const name = this.nameOf(sqlText);
      if (names.size >= this.maxPerConnection && !names.has(name)) return raw.query(sqlText, parameters);
      try {
        const result = await raw.query({ name, text: sqlText, values: parameters });
        names.add(name);
        return result;
      } catch (err) {
        if ((err as { code?: unknown }).code !== STALE_PLAN || !/cached plan/i.test((err as Error).message)) throw err;
        this.schemaChanged();
        if (inTransaction) throw err;
        return raw.query(sqlText, parameters);
      }
    };
    return {
      query: query as PostgresPoolClient['query'],
      release: (...args: unknown[]) => (client.release as (...a: unknown[]) => void)(...args),
    };
  }
}
