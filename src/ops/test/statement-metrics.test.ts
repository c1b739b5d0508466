// Statements are counted by kind (bizportal_db_statements_total), fed by the database handle's
// observer: what docs/performance.md's "statements per login / per page" figures are read from.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { freshDb, testDialects } from '../../../test/helpers/db.ts';
import { HashPool } from '../../auth/password/hash.ts';
import { Metrics } from '../metrics.ts';

async function byKind(m: Metrics): Promise<Record<string, number>> {
  const data = await m.registry.getSingleMetric('bizportal_db_statements_total')!.get();
  return Object.fromEntries(data.values.map((v) => [String(v.labels.kind), v.value]));
}

for (const dialect of testDialects()) {
  describe(`${dialect}: statement metrics`, () => {
    it('count every statement run through the handle, by its first keyword', async (t) => {
      const h = await freshDb(dialect, t);
      const metrics = new Metrics({ db: h.db, now: () => 0, hashPool: new HashPool({ concurrency: 1, queueLimit: 1 }) });
      h.observeStatements((sql) => metrics.statement(sql));
      await h.db.selectFrom('organisation').selectAll().execute();
      await h.db.transaction().execute(async (trx) => {
        await trx.insertInto('service_category').values({ id: 'c', code: 'c', name_ja: 'c', name_en: 'c', position: 0 }).execute();
        throw new Error('changed my mind');
      }).catch(() => undefined);
      await h.db.transaction().execute(async (trx) => {
        await trx.selectFrom('app_user').select('id').where('id', '=', 'u').execute();
        await trx.updateTable('app_user').set({ name: 'n' }).where('id', '=', 'u').execute();
      });
      const k = await byKind(metrics);
      assert.equal(k.select, 2);
      assert.equal(k.update, 1);
      assert.equal(k.begin, 2);
      assert.equal(k.commit, 1, 'the transaction whose insert failed rolled back');
      assert.equal(k.rollback, 1);
      assert.equal(k.insert, 1);
    });
  });
}
