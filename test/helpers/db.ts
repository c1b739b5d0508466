// Test databases: SQLite in memory and a throw-away PostgreSQL schema per test, both migrated.
// TEST_DB=sqlite,postgres (default both). PostgreSQL down is a failure, never a skip.
import type { TestContext } from 'node:test';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { migrateToLatest, openDb, type DbHandle, type Dialect } from '../../src/db/index.ts';

export const PG_URL = process.env.TEST_PG_URL || 'postgres://postgres@127.0.0.1:5432/postgres';

export function testDialects(): Dialect[] {
  const list = (process.env.TEST_DB || 'sqlite,postgres').split(',').map((s) => s.trim()).filter(Boolean);
  for (const d of list) if (d !== 'sqlite' && d !== 'postgres') throw new Error(`TEST_DB: unknown dialect ${d}`);
  return list as Dialect[];
}

/** A new PostgreSQL schema; returns its name and a function that drops it. */
export async function createPgSchema(): Promise<{ schema: string; drop: () => Promise<void> }> {
  const schema = `t_${randomBytes(6).toString('hex')}`;
  const client = new pg.Client({ connectionString: PG_URL });
  await client.connect();
  await client.query(`create schema ${schema}`);
  await client.end();
  return {
    schema,
    drop: async () => {
      const c = new pg.Client({ connectionString: PG_URL });
      await c.connect();
      await c.query(`drop schema if exists ${schema} cascade`);
      await c.end();
    },
  };
}

/** A migrated database for one test, closed (and its PG schema dropped) when the test ends. */
export async function freshDb(dialect: Dialect, t: TestContext | null, opts: { poolSize?: number } = {}): Promise<DbHandle & { url: string; schema?: string; dispose(): Promise<void> }> {
  // With t = null the caller disposes (e.g. after the server that uses it has closed).
  if (dialect === 'sqlite') {
    const h = openDb('sqlite::memory:');
    await migrateToLatest(h.db);
    const dispose = () => h.close();
    t?.after(dispose);
    return { ...h, url: 'sqlite::memory:', dispose };
  }
  const { schema, drop } = await createPgSchema();
  const h = openDb(PG_URL, { schema, poolSize: opts.poolSize ?? 25 });
  await migrateToLatest(h.db);
  const dispose = async () => { await h.close(); await drop(); };
  t?.after(dispose);
  return { ...h, url: PG_URL, schema, dispose };
}

/** An empty database of the dialect, no migrations run (migration tests), closed when the test ends. */
export async function bareDb(dialect: Dialect, t: { after(fn: () => Promise<void> | void): void }): Promise<DbHandle> {
  if (dialect === 'sqlite') {
    const h = openDb('sqlite::memory:');
    t.after(() => h.close());
    return h;
  }
  const { schema, drop } = await createPgSchema();
  const h = openDb(PG_URL, { schema });
  t.after(async () => { await h.close(); await drop(); });
  return h;
}
