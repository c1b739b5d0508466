// CLI parity with the console for notices, maintenance windows and terms (issue 26 items 4–6): the
// commands call the same service functions as the console's pages and the operator API. Good input
// writes what it says; bad input is one line naming the flag, exit non-zero, nothing written.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { testDialects } from '../../../test/helpers/db.ts';
import { cli, inspect, operatorEnv, type Result } from './harness.ts';

function refused(r: Result, message: RegExp): void {
  assert.notEqual(r.code, 0, `should be refused: ${r.out.join(' ')}`);
  assert.equal(r.err.length, 1, r.err.join('\n'));
  assert.match(r.err[0]!, message);
}
const rows = (env: Parameters<typeof inspect>[0]) => inspect(env, async (db) => JSON.stringify([
  await db.selectFrom('notice').selectAll().orderBy('id').execute(), await db.selectFrom('notice_service').selectAll().orderBy('notice_id').orderBy('service_id').execute(),
  await db.selectFrom('maintenance_window').selectAll().orderBy('id').execute(), await db.selectFrom('terms_version').selectAll().orderBy('id').execute(),
]));

for (const dialect of testDialects()) {
  describe(`${dialect}: CLI notice change, maintenance change, terms diff|list`, () => {
    it('changes through the shared services; refusals write nothing', { timeout: 120_000 }, async (t) => {
      const env = await operatorEnv(dialect, t);
      assert.equal((await cli(env, 'init')).code, 0);
      assert.equal((await cli(env, 'service', 'category-create', '--code', 'dc', '--name-ja', 'データセンター', '--name-en', 'Data centre')).code, 0);
      for (const code of ['colo', 'voice']) assert.equal((await cli(env, 'service', 'create', '--code', code, '--category', 'dc', '--name-ja', code, '--name-en', code)).code, 0);
      const start = new Date(Date.now() + 86_400_000).toISOString();
      const end = new Date(Date.now() + 2 * 86_400_000).toISOString();
      const text = ['--title-ja', '工事', '--title-en', 'Work', '--body-ja', '本文', '--body-en', 'Body', '--start', start, '--end', end];

      const created = await cli(env, 'notice', 'create', '--kind', 'construction', '--service', 'colo,voice', ...text);
      assert.equal(created.code, 0, created.err.join('\n'));
      const id = created.out[0]!;
      assert.match((await cli(env, 'notice', 'list', '--when', 'scheduled')).out.join('\n'), /construction\s+colo,voice/);
      let before = await rows(env);
      refused(await cli(env, 'notice', 'change', '--id', id, '--service', 'colo,nope', ...text), /--service: There is no service with code "nope"/);
      refused(await cli(env, 'notice', 'change', '--id', 'nope', ...text), /does not exist/);
      refused(await cli(env, 'notice', 'change', '--id', id, '--service', 'colo,', ...text), /--service must not be empty/);
      refused(await cli(env, 'notice', 'list', '--when', 'later'), /--when must be one of/);
      assert.equal(await rows(env), before, 'refused notice commands wrote nothing');
      const changed = await cli(env, 'notice', 'change', '--id', id, '--kind', 'outage', ...text.map((a) => (a === 'Work' ? 'Outage' : a)));
      assert.equal(changed.code, 0, changed.err.join('\n'));
      assert.match(changed.out[0]!, /^changed .*: outage \(all services\)/);
      assert.equal(await inspect(env, async (db) => (await db.selectFrom('notice').select('title_en').where('id', '=', id).executeTakeFirstOrThrow()).title_en), 'Outage');
      assert.equal((await cli(env, 'notice', 'withdraw', '--id', id)).code, 0);
      refused(await cli(env, 'notice', 'change', '--id', id, ...text), /already withdrawn/);
      assert.match((await cli(env, 'notice', 'list', '--when', 'past')).out.join('\n'), new RegExp(id));

      const w = (await cli(env, 'maintenance', 'schedule', '--start', start, '--end', end, '--message-ja', '作業', '--message-en', 'Work')).out[0]!;
      before = await rows(env);
      refused(await cli(env, 'maintenance', 'change', '--id', w, '--start', end, '--end', start, '--message-ja', 'a', '--message-en', 'b'), /--end must be after --start/);
      refused(await cli(env, 'maintenance', 'change', '--id', 'nope', '--start', start, '--end', end, '--message-ja', 'a', '--message-en', 'b'), /does not exist/);
      refused(await cli(env, 'maintenance', 'change', '--id', w, '--start', '2001-01-01T00:00Z', '--end', '2001-01-01T01:00Z', '--message-ja', 'a', '--message-en', 'b'), /--end: The maintenance window would already be over/);
      assert.equal(await rows(env), before, 'refused maintenance changes wrote nothing');
      const later = new Date(Date.parse(end) + 3_600_000).toISOString();
      const ch = await cli(env, 'maintenance', 'change', '--id', w, '--start', start, '--end', later, '--message-ja', '延長', '--message-en', 'Extended');
      assert.equal(ch.code, 0, ch.err.join('\n'));
      assert.match((await cli(env, 'maintenance', 'list')).out.join('\n'), /Extended/);
      assert.equal((await cli(env, 'maintenance', 'cancel', '--id', w)).code, 0);
      refused(await cli(env, 'maintenance', 'change', '--id', w, '--start', start, '--end', end, '--message-ja', 'a', '--message-en', 'b'), /cannot be changed/);

      // Terms: the diff is against the current version (init published the default as version 1).
      const dir = env.DATA_DIR!;
      writeFileSync(join(dir, 'ja.txt'), '第1条 本規約は…\n第2条 新設');
      writeFileSync(join(dir, 'en.txt'), 'Article 1. These terms…');
      const files = ['--title-ja', '利用規約', '--title-en', 'Terms of Use', '--body-ja-file', join(dir, 'ja.txt'), '--body-en-file', join(dir, 'en.txt')];
      before = await rows(env);
      const diff = await cli(env, 'terms', 'diff', ...files);
      assert.equal(diff.code, 0, diff.err.join('\n'));
      assert.match(diff.out[0]!, /^against version 1 /);
      assert.ok(diff.out.includes('+第2条 新設'), diff.out.join('\n'));
      assert.ok(diff.out.includes('--- title (en)') && diff.out.includes('+Terms of Use'));
      assert.match((await cli(env, 'terms', 'diff', '--default')).out.join('\n'), /no changes/);
      assert.equal(await rows(env), before, 'diff writes nothing');
      assert.equal((await cli(env, 'terms', 'publish', ...files)).code, 0);
      assert.match((await cli(env, 'terms', 'list')).out.join('\n'), /^2\s+\S+\s+\d{4}-\d{2}-\d{2} \d{2}:\d{2} [+-]\d{2}:\d{2}\s+0\s+Terms of Use$/m);
    });
  });
}
