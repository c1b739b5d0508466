// `--json` on the list commands (issue 20 item 9), on both databases: stdout is exactly one JSON
// array (nothing else, `[]` when empty), the rows the table shows, instants in ISO 8601 UTC; a
// value given to the flag is a usage error.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { testDialects } from '../../../test/helpers/db.ts';
import type { CliEnv } from '../main.ts';
import { cli, operatorEnv } from './harness.ts';

/** Runs a list with --json: exit 0, no stderr, and stdout parses as one array. */
async function jsonList(env: CliEnv, ...argv: string[]): Promise<Record<string, unknown>[]> {
  const r = await cli(env, ...argv, '--json');
  assert.equal(r.code, 0, r.err.join('\n'));
  assert.deepEqual(r.err, []);
  const parsed: unknown = JSON.parse(r.out.join('\n'));
  assert.ok(Array.isArray(parsed), `${argv.join(' ')}: an array`);
  return parsed as Record<string, unknown>[];
}

async function ok(env: CliEnv, ...argv: string[]): Promise<string> {
  const r = await cli(env, ...argv);
  assert.equal(r.code, 0, r.err.join('\n'));
  return r.out.join('\n');
}

const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;

for (const dialect of testDialects()) {
  describe(`${dialect}: --json on list commands`, () => {
    it('org, contract, maintenance, notice, oidc client and oidc keys lists print one JSON array', { timeout: 120_000 }, async (t) => {
      const env = await operatorEnv(dialect, t);
      await ok(env, 'init');
      for (const list of [['contract', 'list'], ['maintenance', 'list'], ['notice', 'list'], ['oidc', 'client', 'list'], ['oidc', 'keys', 'list']]) {
        assert.deepEqual(await jsonList(env, ...list), [], `${list.join(' ')}: [] when empty, not a sentence`);
      }

      const org = await ok(env, 'org', 'create', '--name', 'Json KK', '--kind', 'direct');
      await ok(env, 'service', 'category-create', '--code', 'dc', '--name-ja', 'データセンター', '--name-en', 'Data centre');
      await ok(env, 'service', 'create', '--code', 'colo', '--category', 'dc', '--name-ja', 'コロケーション', '--name-en', 'Colocation');
      await ok(env, 'contract', 'create', '--org', org, '--number', 'N000000001', '--service', 'colo', '--site', '東京');
      const start = new Date(Date.now() + 86_400_000).toISOString().replace(/\.\d+Z$/, 'Z');
      const end = new Date(Date.now() + 90_000_000).toISOString().replace(/\.\d+Z$/, 'Z');
      const windowId = await ok(env, 'maintenance', 'schedule', '--start', start, '--end', end, '--message-ja', '作業', '--message-en', 'Work "quoted"');
      await ok(env, 'notice', 'create', '--kind', 'outage', '--service', 'colo', '--title-ja', '故障', '--title-en', 'Outage', '--body-ja', '復旧作業中', '--body-en', 'Restoring', '--start', start);
      await ok(env, 'oidc', 'client', 'add', '--id', 'colo-settings', '--name', 'Colo settings', '--service', 'colo', '--redirect-uri', 'https://colo.example.net/callback');
      await ok(env, 'oidc', 'keys', 'rotate');

      const orgs = await jsonList(env, 'org', 'list');
      assert.deepEqual(orgs.find((o) => o.id === org), { id: org, kind: 'direct', profile: 'business', passwordPolicy: null, parentId: null, name: 'Json KK' });
      const contracts = await jsonList(env, 'contract', 'list', '--org', org);
      assert.deepEqual(contracts.map((c) => [c.number, c.status, c.service, c.site, c.organisationId]), [['N000000001', 'normal', 'colo', '東京', org]]);
      const windows = await jsonList(env, 'maintenance', 'list');
      assert.deepEqual(windows.map((w) => [w.id, w.startsAt, w.endsAt, w.cancelledAt, w.messageEn]), [[windowId, start, end, null, 'Work "quoted"']]);
      const notices = await jsonList(env, 'notice', 'list');
      assert.deepEqual(notices.map((n) => [n.kind, n.services, n.startsAt, n.titleEn]), [['outage', ['colo'], start, 'Outage']]);
      const clients = await jsonList(env, 'oidc', 'client', 'list');
      assert.deepEqual(clients.map((c) => [c.id, c.service, c.redirectUris]), [['colo-settings', 'colo', ['https://colo.example.net/callback']]]);
      assert.match(String(clients[0]!.createdAt), ISO_UTC);
      assert.ok(Object.keys(clients[0]!).every((k) => !/secret|hash/i.test(k)), 'no secret in the list');
      const keys = await jsonList(env, 'oidc', 'keys', 'list');
      assert.deepEqual(keys.map((k) => [k.alg, k.state, k.retiredAt]), [['RS256', 'signing', null]]);

      const bad = await cli(env, 'org', 'list', '--json=1');
      assert.equal(bad.code, 2);
      assert.deepEqual(bad.out, []);
      assert.match(bad.err.join('\n'), /--json takes no value/);
      assert.match(await ok(env, 'org', 'list', '--help'), /--json\s+one JSON array/);
    });
  });
}
