// Kept prepared statements (src/db/statements.ts, issue 19 §1): the SQLite cache is bounded and
// emptied by a migration; a PostgreSQL named statement prepared before a table changed shape does
// not break the query after it (another node migrated), and a migration gives new names.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import SQLite from 'better-sqlite3';
import { sql, type Kysely } from 'kysely';
import pg from 'pg';
import { migrateToLatest, openDb } from '../index.ts';
import { SqliteStatementCache } from '../statements.ts';
import { createPgSchema, PG_URL, testDialects } from '../../../test/helpers/db.ts';

describe('SQLite statement cache', () => {
  it('keeps statements by text, drops the least recently used beyond its bound', () => {
    const cache = new SqliteStatementCache(new SQLite(':memory:'), 3);
    const a = cache.prepare('select 1 as a');
    assert.equal(cache.prepare('select 1 as a'), a, 'the same text: the same statement');
    cache.prepare('select 2 as b');
    cache.prepare('select 3 as c');
    cache.prepare('select 1 as a'); // a is now the most recently used
    cache.prepare('select 4 as d'); // over the bound: b (least recently used) goes
    assert.equal(cache.size, 3);
    assert.equal(cache.prepare('select 1 as a'), a, 'a survived: it was used recently');
    for (let i = 0; i < 50; i++) cache.prepare(`select ${i} as n`);
    assert.equal(cache.size, 3, 'never more than the bound');
    assert.notEqual(cache.prepare('select 1 as a'), a, 'a was dropped by then and is prepared anew');
    assert.deepEqual(cache.prepare('select 7 as n').all([]), [{ n: 7 }]);
    cache.close();
  });

  it('a migration empties it, and a kept statement sees the new shape of its table', async () => {
    const h = openDb('sqlite::memory:');
    try {
      const db = h.db as unknown as Kysely<any>;
      await migrateToLatest(h.db);
      await sql`create table kept (a integer)`.execute(db);
      await db.insertInto('kept').values({ a: 1 }).execute();
      assert.deepEqual(await db.selectFrom('kept').selectAll().execute(), [{ a: 1 }]);
      await sql`alter table kept add column b text default 'x'`.execute(db);
      assert.deepEqual(await db.selectFrom('kept').selectAll().execute(), [{ a: 1, b: 'x' }], 'select * after the change: the new column');
      await migrateToLatest(h.db); // nothing left to run; still empties the cache
      assert.deepEqual(await db.selectFrom('kept').selectAll().where('a', '=', 1).execute(), [{ a: 1, b: 'x' }]);
    } finally {
      await h.close();
    }
  });
});

describe('PostgreSQL named statements', { skip: !testDialects().includes('postgres') }, () => {
  it('a statement prepared before its table changed shape still answers after the change', async (t) => {
    const { schema, drop } = await createPgSchema();
    const h = openDb(PG_URL, { schema, poolSize: 1 }); // one connection: the statement is really reused
    t.after(async () => { await h.close(); await drop(); });
    const db = h.db as unknown as Kysely<any>;
    await sql`create table kept (a int)`.execute(db);
    await db.insertInto('kept').values({ a: 1 }).execute();
    const read = (q: Kysely<any> = db) => q.selectFrom('kept').selectAll().where('a', '=', 1).execute();
    assert.deepEqual(await read(), [{ a: 1 }]);
    assert.deepEqual(await read(), [{ a: 1 }]);
    const prepared = async () => (await sql<{ n: number }>`select count(*)::int as n from pg_prepared_statements where name like 'bp\\_%'`.execute(db)).rows[0]!.n;
    assert.ok(await prepared() >= 1, 'the reads ran as named statements');

    // Another node migrates: the table changes shape under the kept statement.
    const other = new pg.Client({ connectionString: PG_URL, options: `-c search_path=${schema}` });
    await other.connect();
    await other.query(`alter table kept add column b text default 'x'`);
    await other.end();
    // Unnamed, PostgreSQL would plan anew; named, it refuses ("cached plan must not change result
    // type") unless the wrapper moves on to new names and asks again.
    assert.deepEqual(await read(), [{ a: 1, b: 'x' }]);
    assert.deepEqual(await read(), [{ a: 1, b: 'x' }], 'and the next time, under a new name');

    // Inside a transaction the refusal cannot be retried (the transaction is already aborted): the
    // error reaches the caller like any other, and later statements run under new names.
    const alter = async (ddl: string) => {
      const c = new pg.Client({ connectionString: PG_URL, options: `-c search_path=${schema}` });
      await c.connect();
      try { await c.query(ddl); } finally { await c.end(); }
    };
    await alter('alter table kept add column c int default 3');
    await assert.rejects(db.transaction().execute((trx) => read(trx)), (e: unknown) => (e as { code?: string }).code === '0A000');
    assert.deepEqual(await db.transaction().execute((trx) => read(trx)), [{ a: 1, b: 'x', c: 3 }]);

    // A migration moves the names on by itself: the first read after it, even in a transaction, is
    // prepared anew.
    await alter('alter table kept add column d int default 4');
    await migrateToLatest(h.db);
    assert.deepEqual(await db.transaction().execute((trx) => read(trx)), [{ a: 1, b: 'x', c: 3, d: 4 }]);
  });

  it('the plain pool answers the same (DB_PREPARED_STATEMENTS=false)', async (t) => {
    const { schema, drop } = await createPgSchema();
    const h = openDb(PG_URL, { schema, poolSize: 1, preparedStatements: false });
    t.after(async () => { await h.close(); await drop(); });
    const db = h.db as unknown as Kysely<any>;
    await sql`create table kept (a int)`.execute(db);
    await db.insertInto('kept').values({ a: 2 }).execute();
    assert.deepEqual(await db.selectFrom('kept').selectAll().execute(), [{ a: 2 }]);
    assert.equal((await sql<{ n: number }>`select count(*)::int as n from pg_prepared_statements`.execute(db)).rows[0]!.n, 0);
  });
});
