// Issue 15 §1: PostgreSQL ending a connection (restart, failover, pg_terminate_backend: 57P01) must
// never crash the process, whether the pool client is idle or checked out (inside a transaction),
// and the error is classified as "database unavailable" (503 + Retry-After, src/web/plugin.ts).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import pg from 'pg';
import { freshDb, PG_URL } from '../../../test/helpers/db.ts';
import { isDatabaseUnavailable, migrationsCurrent } from '../index.ts';

async function terminate(pid: number): Promise<void> {
  const c = new pg.Client({ connectionString: PG_URL });
  await c.connect();
  try { await c.query('select pg_terminate_backend($1)', [pid]); } finally { await c.end(); }
}

describe('postgres: a connection ended by the server', () => {
  it('a checked-out client whose backend is terminated does not crash the process; the error reads as unavailable', async (t) => {
    const db = await freshDb('postgres', t);
    const uncaught: unknown[] = [];
    const onUncaught = (err: unknown) => { uncaught.push(err); };
    process.on('uncaughtException', onUncaught);
    t.after(() => { process.off('uncaughtException', onUncaught); });
    let failure: unknown = null;
    await db.db.transaction().execute(async (trx) => {
      const { rows } = await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(trx);
      await terminate(rows[0]!.pid);
      // The client is checked out and idle while the server says 57P01: it emits 'error'.
      await new Promise((r) => setTimeout(r, 300));
      await sql`select 1`.execute(trx).catch((err: unknown) => { failure = err; });
    }).catch((err: unknown) => { failure ??= err; });
    assert.deepEqual(uncaught, [], 'no uncaught error event');
    assert.ok(failure, 'the query on the dead connection failed');
    assert.ok(isDatabaseUnavailable(failure), `classified as unavailable: ${String(failure)}`);
    // The pool recovers by itself.
    const { rows } = await sql<{ one: number }>`select 1 as one`.execute(db.db);
    assert.equal(rows[0]!.one, 1);
  });

  it('migrationsCurrent reports an unreachable database as an error, not as "not initialised"', async () => {
    const { openDb } = await import('../index.ts');
    const h = openDb('postgres://postgres@127.0.0.1:1/postgres');
    try {
      await assert.rejects(migrationsCurrent(h.db), (err: unknown) => isDatabaseUnavailable(err));
    } finally {
      await h.close();
    }
  });
});

describe('isDatabaseUnavailable', () => {
  it('knows connection failures and nothing else', () => {
    const e = (props: Record<string, unknown>, msg = 'x') => Object.assign(new Error(msg), props);
    for (const err of [e({ code: '57P01' }), e({ code: '57P03' }), e({ code: '08006' }), e({ code: 'ECONNREFUSED' }),
      e({ code: 'ECONNRESET' }), new Error('Connection terminated unexpectedly'), new Error('timeout exceeded when trying to connect'),
      e({ code: 'SQLITE_BUSY' }), new Error('outer', { cause: e({ code: '57P01' }) })]) {
      assert.ok(isDatabaseUnavailable(err), String((err as { code?: string }).code ?? err.message));
    }
    for (const err of [e({ code: '23505' }), e({ code: '42P01' }), new Error('boom'), null, 'x']) assert.ok(!isDatabaseUnavailable(err));
  });
});
