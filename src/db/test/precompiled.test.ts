// Queries compiled once per handle and run with new values (src/db/precompiled.ts, issue 19): the
// rows are those the query built on the spot gives, constants stay in place, a transaction compiles
// its own, and a build that computes with an argument is refused instead of running wrong SQL.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { precompiled } from '../precompiled.ts';
import { freshDb, testDialects } from '../../../test/helpers/db.ts';

for (const dialect of testDialects()) {
  describe(`precompiled queries (${dialect})`, () => {
    it('answers as the query built on the spot does, for any values, with its constants kept', async (t) => {
      const h = await freshDb(dialect, t);
      const now = 1_800_000_000_000;
      await h.db.insertInto('maintenance_window').values([0, 1, 2, 3].map((i) => ({
        id: `w${i}`, announce_from: now + i * 1000, starts_at: now + 5000 + i, ends_at: now + 9000 + i * 1000,
        message_ja: `ja${i}`, message_en: `en${i}`, created_at: now, cancelled_at: i === 2 ? now : null,
      })) as never).execute();
      const seen: string[] = [];
      h.observeStatements((s) => seen.push(s));
      const windows = precompiled(3, (db, [by, after, limit]: readonly [number, number, number]) => db.selectFrom('maintenance_window').select('id')
        .where('cancelled_at', 'is', null).where('message_en', '!=', 'never').where('announce_from', '<=', by).where('ends_at', '>', after)
        .orderBy('id').limit(limit));
      const onTheSpot = (by: number, after: number, limit: number) => h.db.selectFrom('maintenance_window').select('id')
        .where('cancelled_at', 'is', null).where('message_en', '!=', 'never').where('announce_from', '<=', by).where('ends_at', '>', after)
        .orderBy('id').limit(limit).execute();
      for (const [by, after, limit] of [[now, now, 10], [now + 1500, now, 10], [now + 3000, now + 10_000, 10], [now + 3000, now, 1], [now - 1, now, 10]] as const) {
        assert.deepEqual(await windows(h.db, by, after, limit), await onTheSpot(by, after, limit), `by ${by - now}, after ${after - now}, limit ${limit}`);
      }
      assert.deepEqual((await windows(h.db, now + 3000, now, 10)).map((r) => r.id), ['w0', 'w1', 'w3'], 'the cancelled one (a constant of the query) stays out');
      assert.equal(new Set(seen).size, 1, 'one SQL text: the kept statement is reused');
      await h.db.transaction().execute(async (trx) => {
        assert.deepEqual((await windows(trx, now + 1000, now, 10)).map((r) => r.id), ['w0', 'w1'], 'inside a transaction');
      });
    });

    it('refuses a build that computes with an argument (its value would not reach the statement)', async (t) => {
      const h = await freshDb(dialect, t);
      const bad = precompiled(1, (db, [id]: readonly [string]) => db.selectFrom('flow').select('id').where('id', '=', id.toUpperCase()));
      await assert.rejects(bad(h.db, 'x'), /argument 0 does not appear/);
    });
  });
}
