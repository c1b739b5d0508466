// `bizportal brand show|set|clear` (issue 20 item 2): a colour of too little contrast is refused with
// the ratio and nothing is stored; a good brand is stored, shown as JSON, audited as the CLI, cleared.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { testDialects } from '../../../test/helpers/db.ts';
import { cli, inspect, operatorEnv } from './harness.ts';

const PNG_1x1 = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');

for (const dialect of testDialects()) {
  describe(`${dialect}: brand CLI`, () => {
    it('refuses low contrast and bad files, sets, shows, clears, audited', async (t) => {
      const env = await operatorEnv(dialect, t);
      assert.equal((await cli(env, 'init')).code, 0);
      const dir = mkdtempSync(join(tmpdir(), 'brand-'));
      writeFileSync(join(dir, 'logo.png'), PNG_1x1);
      writeFileSync(join(dir, 'logo.gif'), Buffer.from('GIF89a\x01\x00\x01\x00'));

      const low = await cli(env, 'brand', 'set', '--preset', 'business', '--colour', '#777777');
      assert.equal(low.code, 1);
      assert.match(low.err.join('\n'), /colour: The contrast is too low: 4\.47:1 against white text and 4\.13:1 against the page background #f4f6f9; at least 4\.5:1/);
      const gif = await cli(env, 'brand', 'set', '--preset', 'business', '--logo', join(dir, 'logo.gif'));
      assert.equal(gif.code, 1);
      assert.match(gif.err.join('\n'), /logo: This file type is not accepted: PNG, SVG, WebP/);
      assert.equal((await cli(env, 'brand', 'set', '--org', 'x', '--preset', 'business', '--colour', '#0b4f8a')).code, 2, 'one scope only');
      assert.equal(await inspect(env, (db) => db.selectFrom('brand_setting').select('scope').executeTakeFirst()), undefined, 'nothing stored');

      const set = await cli(env, 'brand', 'set', '--preset', 'business', '--colour', '#0b4f8a', '--name-ja', '提供会社ポータル', '--logo', join(dir, 'logo.png'), '--support-url', 'https://help.example');
      assert.equal(set.code, 0, set.err.join('\n'));
      const shown = JSON.parse((await cli(env, 'brand', 'show', '--preset', 'business', '--json')).out.join('\n'));
      assert.equal(shown.colour, '#0b4f8a');
      assert.equal(shown.nameJa, '提供会社ポータル');
      assert.equal(shown.logo.type, 'image/png');
      assert.equal(shown.support.url, 'https://help.example');
      const audited = await inspect(env, (db) => db.selectFrom('audit_log').select('detail').where('event', '=', 'brand.changed').execute());
      assert.equal(JSON.parse(audited[0]!.detail).via, 'cli');
      assert.match((await cli(env, 'brand', 'clear', '--preset', 'business')).out.join('\n'), /cleared/);
      assert.equal((await cli(env, 'brand', 'show', '--preset', 'business', '--json')).out.join('\n'), 'null');
    });
  });
}
