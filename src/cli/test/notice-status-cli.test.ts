// CLI parity for issue 24: `notice create --contracts-file F --status S` and `notice status` call the
// same service functions as the console; an unknown contract number or status is refused, nothing written.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { testDialects } from '../../../test/helpers/db.ts';
import { cli, inspect, operatorEnv } from './harness.ts';

for (const dialect of testDialects()) {
  describe(`${dialect}: CLI notice status and affected contracts`, () => {
    it('publishes with a status, refuses unknown contracts, moves the status with its history', { timeout: 120_000 }, async (t) => {
      const env = await operatorEnv(dialect, t);
      assert.equal((await cli(env, 'init')).code, 0);
      const start = new Date(Date.now() + 86_400_000).toISOString();
      const text = ['--title-ja', '工事', '--title-en', 'Work', '--body-ja', '本文', '--body-en', 'Body', '--start', start];
      const file = join(tmpdir(), `contracts-${process.pid}-${Date.now()}.txt`);
      writeFileSync(file, 'N999999999 outage\n');
      const count = () => inspect(env, async (db) => (await db.selectFrom('notice').select('id').execute()).length);
      const before = await count();
      const refused = await cli(env, 'notice', 'create', '--kind', 'construction', '--contracts-file', file, ...text);
      assert.notEqual(refused.code, 0);
      assert.match(refused.err.join('\n'), /N999999999/);
      writeFileSync(file, 'N1 sideways\n');
      const badLine = await cli(env, 'notice', 'create', '--kind', 'construction', '--contracts-file', file, ...text);
      assert.notEqual(badLine.code, 0);
      assert.equal(await count(), before, 'nothing written');

      const created = await cli(env, 'notice', 'create', '--kind', 'construction', '--status', 'tentative', ...text);
      assert.equal(created.code, 0, created.err.join('\n'));
      const id = created.out[0]!;
      const moved = await cli(env, 'notice', 'status', '--id', id, '--status', 'in_progress');
      assert.equal(moved.code, 0, moved.err.join('\n'));
      assert.match(moved.out.join('\n'), /tentative → in_progress/);
      assert.notEqual((await cli(env, 'notice', 'status', '--id', id, '--status', 'in_progress')).code, 0, 'the same status again');
      assert.notEqual((await cli(env, 'notice', 'status', '--id', id, '--status', 'later')).code, 0);
      const history = await inspect(env, async (db) => (await db.selectFrom('notice_status_event').select('status').where('notice_id', '=', id).orderBy('at').execute()).map((r) => r.status));
      assert.deepEqual(history, ['tentative', 'in_progress']);
    });
  });
}
