// Issue 26 item 3 from the shell: `contract import` (dry run, refusal, real run), `contract set`,
// `contract list` across organisations, `service set`, `service category-set`, `org show`; every
// refusal is one stderr line, exit 1 or 2, and writes nothing.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { testDialects } from '../../../test/helpers/db.ts';
import { cli, inspect, operatorEnv, type Result } from './harness.ts';

function ok(r: Result): string {
  assert.equal(r.code, 0, r.err.join('\n'));
  return r.out.join('\n');
}

for (const dialect of testDialects()) {
  describe(`${dialect}: customers and contracts CLI (issue 26)`, () => {
    it('imports contracts with a dry run, refuses a bad file whole, edits and moves a contract', async (t) => {
      const env = await operatorEnv(dialect, t);
      const dir = mkdtempSync(join(tmpdir(), 'bizportal-import-'));
      t.after(() => rmSync(dir, { recursive: true, force: true }));
      ok(await cli(env, 'init'));
      const org = ok(await cli(env, 'org', 'create', '--name', 'Acme', '--kind', 'direct'));
      ok(await cli(env, 'service', 'category-create', '--code', 'voice', '--name-ja', '音声', '--name-en', 'Voice'));
      ok(await cli(env, 'service', 'create', '--code', 'pbx', '--category', 'voice', '--name-ja', 'PBX', '--name-en', 'PBX'));
      ok(await cli(env, 'service', 'create', '--code', 'fax', '--category', 'voice', '--name-ja', 'ファクス', '--name-en', 'Fax'));
      const contracts = () => inspect(env, async (db) => (await db.selectFrom('contract').select('number').orderBy('number').execute()).map((r) => r.number));

      const bad = join(dir, 'bad.csv');
      writeFileSync(bad, `organisation,number,service,site\n${org},N100000001,pbx,東京\nnope,N12345,zzz,\n${org},N100000001,pbx,\n`);
      for (const dry of [['--dry-run'], []]) {
        const r = await cli(env, 'contract', 'import', '--file', bad, ...dry);
        assert.equal(r.code, 1);
        assert.deepEqual(r.out, [
          `line 2: N100000001: ${dry.length ? 'would create' : 'created'} (pbx, organisation ${org})`,
          'line 3: N12345: organisation: There is no organisation with id "nope". number: Must be «N» followed by 9 digits, e.g. N123456789 (got "N12345"). service: There is no service with code "zzz".',
          'line 4: N100000001: number: Contract N100000001 appears again in this file (first on line 2).',
        ]);
        assert.deepEqual(r.err, ['error: Nothing was imported: 2 line(s) have problems. Fix them and try again.']);
      }
      assert.deepEqual(await contracts(), []);

      const good = join(dir, 'good.csv');
      writeFileSync(good, `\uFEFForganisation,number,service,site,status\r\n${org},N100000001,pbx,東京,\r\n${org},N100000002,fax,大阪,failure\r\n`);
      assert.match(ok(await cli(env, 'contract', 'import', '--file', good, '--dry-run')), /line 3: N100000002: would create[\s\S]*dry run: would create 2, would change 0, unchanged 0; nothing written$/);
      assert.deepEqual(await contracts(), []);
      assert.match(ok(await cli(env, 'contract', 'import', '--file', good)), /created 2, changed 0, unchanged 0$/);
      assert.deepEqual(await contracts(), ['N100000001', 'N100000002']);

      assert.equal(ok(await cli(env, 'contract', 'set', '--number', 'N100000001', '--status', 'maintenance', '--service', 'fax', '--memo', '夜間')), 'N100000001: changed memo, status, service');
      assert.equal(ok(await cli(env, 'contract', 'set', '--number', 'N100000001', '--status', 'maintenance')), 'N100000001: nothing changed');
      assert.match(ok(await cli(env, 'contract', 'list', '--q', 'ファクス 夜間')), /N100000001\s+maintenance\s+fax[\s\S]*1 contract/);
      assert.match(ok(await cli(env, 'contract', 'list', '--status', 'failure')), /N100000002[\s\S]*1 contract/);

      const refused = async (code: number, re: RegExp, ...argv: string[]) => {
        const r = await cli(env, ...argv);
        assert.equal(r.code, code, r.err.join('\n'));
        assert.equal(r.err.length, 1);
        assert.match(r.err[0]!, re);
      };
      await refused(1, /^error: --status: Must be one of normal, failure, maintenance, suspended \(got "gone"\)\.$/, 'contract', 'set', '--number', 'N100000001', '--status', 'gone');
      await refused(1, /^error: There is no contract N100000009\.$/, 'contract', 'set', '--number', 'N100000009', '--memo', 'x');
      await refused(2, /nothing to change/, 'contract', 'set', '--number', 'N100000001');
      await refused(1, /^error: --file: cannot read/, 'contract', 'import', '--file', join(dir, 'missing.csv'));
      writeFileSync(join(dir, 'latin1.csv'), Buffer.from([0x6f, 0x72, 0x67, 0xe9, 0x0a]));
      await refused(1, /^error: --file: cannot read .* as UTF-8 text/, 'contract', 'import', '--file', join(dir, 'latin1.csv'));
      writeFileSync(join(dir, 'nohead.csv'), `${org},N100000003,pbx\n${org},N100000004,pbx\n`);
      await refused(1, /^error: --file: The first line must name the columns: organisation,number,service,group_number,site,memo,status \(missing: organisation, number, service\)\.$/, 'contract', 'import', '--file', join(dir, 'nohead.csv'));
      assert.deepEqual(await contracts(), ['N100000001', 'N100000002']);

      assert.match(ok(await cli(env, 'service', 'set', '--code', 'fax', '--name-en', 'Fax 2', '--settings-site-url', 'https://fax.example.net/')), /service fax: ファクス \/ Fax 2, settings site https:\/\/fax\.example\.net\//);
      assert.match(ok(await cli(env, 'service', 'set', '--code', 'fax', '--no-settings-site')), /settings site -$/);
      await refused(1, /^error: --settings-site-url: Must be an https/, 'service', 'set', '--code', 'fax', '--settings-site-url', 'ftp://x');
      await refused(1, /^error: There is no service with code "zzz"\.$/, 'service', 'set', '--code', 'zzz', '--name-ja', 'x');
      assert.match(ok(await cli(env, 'service', 'category-set', '--code', 'voice', '--position', '3')), /category voice: 音声 \/ Voice, position 3/);
      assert.match(ok(await cli(env, 'org', 'show', '--id', org)), /name:\s+Acme[\s\S]*kind:\s+direct[\s\S]*users:\s+0 \(portal admins: 0\)/);
      const events = await inspect(env, async (db) => (await db.selectFrom('audit_log').select('event').where('ip', '=', 'cli').execute()).map((r) => r.event));
      for (const e of ['org.created', 'service.created', 'contracts.imported', 'contract.updated', 'service.updated', 'category.updated']) assert.ok(events.includes(e as never), e);
    });
  });
}
