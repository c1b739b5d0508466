// The operator commands for orders, notices, maintenance windows and provider replies, end to end
// through runCli on both databases: the good paths write what they say, and every bad input is one
// line on stderr with a non-zero exit and leaves the database exactly as it was.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { testDialects } from '../../../test/helpers/db.ts';
import { openDb } from '../../db/index.ts';
import type { CliEnv } from '../main.ts';
import { cli, operatorEnv, type Result } from './harness.ts';

const TABLES = ['service_order', 'service_order_step', 'notice', 'maintenance_window', 'ticket', 'ticket_message', 'mail_outbox'] as const;
/** A fingerprint of every row of the tables these commands write. */
async function fingerprint(env: CliEnv): Promise<string> {
  const h = openDb(env.DATABASE_URL!, env.DATABASE_SCHEMA ? { schema: env.DATABASE_SCHEMA } : {});
  try {
    const parts = [];
    for (const table of TABLES) parts.push(await h.db.selectFrom(table).selectAll().orderBy('id').execute());
    return createHash('sha256').update(JSON.stringify(parts)).digest('hex');
  } finally { await h.close(); }
}

function refused(r: Result, message: RegExp): void {
  assert.notEqual(r.code, 0, `should be refused: ${r.out.join(' ')}`);
  assert.deepEqual(r.out, []);
  assert.equal(r.err.length, 1, r.err.join('\n'));
  assert.match(r.err[0]!, message);
  assert.doesNotMatch(r.err[0]!, /\bat \S+\.(ts|js|mjs):\d+:\d+/, "no stack trace");
}

for (const dialect of testDialects()) {
  describe(`${dialect}: operator CLI for orders, notices, maintenance and tickets`, () => {
    it('good input writes; bad input is one line, exit non-zero, nothing written', { timeout: 120_000 }, async (t) => {
      const env = await operatorEnv(dialect, t);
      assert.equal((await cli(env, 'init')).code, 0);
      const org = (await cli(env, 'org', 'create', '--name', 'Ops KK', '--kind', 'direct')).out[0]!;
      assert.equal((await cli(env, 'service', 'category-create', '--code', 'dc', '--name-ja', 'データセンター', '--name-en', 'Data centre')).code, 0);
      assert.equal((await cli(env, 'service', 'create', '--code', 'colo', '--category', 'dc', '--name-ja', 'コロケーション', '--name-en', 'Colocation')).code, 0);
      assert.equal((await cli(env, 'contract', 'create', '--org', org, '--number', 'N000000001', '--service', 'colo')).code, 0);

      // Orders.
      const created = await cli(env, 'order', 'create', '--org', org, '--service', 'colo', '--contract', 'N000000001', '--number', 'O-1', '--planned', '2027-04-01', '--steps', 'received,reviewing,opened');
      assert.equal(created.code, 0, created.err.join('\n'));
      assert.deepEqual(created.out, ['O-1']);
      assert.match((await cli(env, 'order', 'list', '--org', org)).out.join('\n'), /O-1\s+\S+\s+colo\s+N000000001\s+in_progress/);
      let before = await fingerprint(env);
      for (const [args, msg] of [
        [['order', 'create', '--org', org, '--service', 'colo', '--planned', '2027-02-30'], /--planned must be a date YYYY-MM-DD/],
        [['order', 'create', '--org', org, '--service', 'colo', '--steps', 'received,teleport'], /unknown step "teleport"/],
        [['order', 'create', '--org', org, '--service', 'nope'], /no service with code "nope"/],
        [['order', 'create', '--org', 'nope', '--service', 'colo'], /no organisation with id "nope"/],
        [['order', 'create', '--org', org, '--service', 'colo', '--number', 'O-1'], /O-1 is already used/],
        [['order', 'create', '--org', org, '--service', 'colo', '--contract', 'N999999999'], /not a contract of this organisation and service/],
        [['order', 'create', '--org', org, '--service', 'colo', '--opening-notice-ja', 'x'], /go together/],
        [['order', 'step', '--order', 'O-1', '--step', 'opened', '--done'], /already done, or an earlier step is not done/],
        [['order', 'step', '--order', 'O-1', '--step', 'received', '--done'], /already done/],
        [['order', 'step', '--order', 'O-1', '--step', 'constructing', '--done'], /has no step "constructing"/],
        [['order', 'step', '--order', 'O-9', '--step', 'reviewing', '--done'], /no order with number O-9/],
        [['order', 'step', '--order', 'O-1', '--step', 'reviewing'], /exactly one of --done and --planned/],
        [['order', 'step', '--order', 'O-1', '--step', 'reviewing', '--done', '--at', '2026-01-01 10:00'], /ISO 8601 time with an offset/],
      ] as [string[], RegExp][]) refused(await cli(env, ...args), msg);
      assert.equal(await fingerprint(env), before, 'refused order commands wrote nothing');
      assert.match((await cli(env, 'order', 'step', '--order', 'O-1', '--step', 'reviewing', '--done', '--at', '2026-01-02T10:00+09:00')).out[0]!, /reviewing done$/);
      assert.match((await cli(env, 'order', 'step', '--order', 'O-1', '--step', 'opened', '--done', '--opening-notice-ja', '開通しました', '--opening-notice-en', 'Opened')).out[0]!, /the order is open/);
      refused(await cli(env, 'order', 'step', '--order', 'O-1', '--step', 'opened', '--planned', '2027-05-01'), /no longer in progress/);

      // Notices.
      const notice = await cli(env, 'notice', 'create', '--kind', 'outage', '--service', 'colo', '--title-ja', '故障', '--title-en', 'Outage', '--body-ja', '復旧作業中', '--body-en', 'Restoring', '--start', '2026-03-03T15:00:00Z');
      assert.equal(notice.code, 0, notice.err.join('\n'));
      before = await fingerprint(env);
      for (const [args, msg] of [
        [['notice', 'create', '--kind', 'outage', '--title-ja', 'a', '--title-en', 'b', '--body-ja', 'c', '--body-en', 'd', '--start', '2026-03-03T15:00:00Z', '--end', '2026-03-03T14:00:00Z'], /--end must be after --start/],
        [['notice', 'create', '--kind', 'outage', '--title-ja', 'a', '--title-en', 'b', '--body-ja', 'c', '--body-en', 'd', '--start', '2026-03-03T15:00:00Z', '--end', '2026-03-03T15:00:00Z'], /--end must be after --start/],
        [['notice', 'create', '--kind', 'rumour', '--title-ja', 'a', '--title-en', 'b', '--body-ja', 'c', '--body-en', 'd', '--start', '2026-03-03T15:00:00Z'], /--kind must be one of/],
        [['notice', 'create', '--kind', 'outage', '--title-ja', 'a', '--title-en', 'b', '--body-ja', 'c', '--body-en', 'd', '--start', '2026-03-03'], /ISO 8601/],
        [['notice', 'create', '--kind', 'outage', '--title-ja', ' ', '--title-en', 'b', '--body-ja', 'c', '--body-en', 'd', '--start', '2026-03-03T15:00:00Z'], /must not be empty/],
        [['notice', 'create', '--kind', 'outage', '--service', 'nope', '--title-ja', 'a', '--title-en', 'b', '--body-ja', 'c', '--body-en', 'd', '--start', '2026-03-03T15:00:00Z'], /no service with code "nope"/],
        [['notice', 'withdraw', '--id', 'nope'], /does not exist/],
      ] as [string[], RegExp][]) refused(await cli(env, ...args), msg);
      assert.equal(await fingerprint(env), before, 'refused notice commands wrote nothing');
      // Tables show the operator's time zone (issue 20 item 9); --json stays UTC.
      const tz = process.env.TZ;
      process.env.TZ = 'Asia/Tokyo';
      try {
        assert.match((await cli(env, 'notice', 'list')).out.join('\n'), /outage\s+colo\s+2026-03-04 00:00 \+09:00/);
        assert.match((await cli(env, 'notice', 'list', '--json')).out.join('\n'), /"startsAt": "2026-03-03T15:00:00Z"/);
      } finally {
        if (tz === undefined) delete process.env.TZ; else process.env.TZ = tz;
      }
      assert.equal((await cli(env, 'notice', 'withdraw', '--id', notice.out[0]!)).code, 0);
      refused(await cli(env, 'notice', 'withdraw', '--id', notice.out[0]!), /already withdrawn/);

      // Maintenance windows: times with an offset only; end after start.
      const later = new Date(Date.now() + 86_400_000).toISOString();
      const laterEnd = new Date(Date.now() + 86_400_000 + 5 * 3_600_000).toISOString();
      before = await fingerprint(env);
      for (const [args, msg] of [
        [['maintenance', 'schedule', '--start', laterEnd, '--end', later, '--message-ja', 'a', '--message-en', 'b'], /--end must be after --start/],
        [['maintenance', 'schedule', '--start', '2030-03-03T15:00', '--end', '2030-03-03T20:00Z', '--message-ja', 'a', '--message-en', 'b'], /--start must be an ISO 8601 time with an offset/],
        [['maintenance', 'schedule', '--start', later, '--end', laterEnd, '--message-ja', 'a'], /missing --message-en/],
        [['maintenance', 'schedule', '--start', later, '--end', laterEnd, '--announce-from', laterEnd, '--message-ja', 'a', '--message-en', 'b'], /--announce-from must not be after --start/],
        [['maintenance', 'schedule', '--start', '2001-01-01T00:00Z', '--end', '2001-01-01T01:00Z', '--message-ja', 'a', '--message-en', 'b'], /already be over/],
        [['maintenance', 'cancel', '--id', 'nope'], /does not exist/],
      ] as [string[], RegExp][]) refused(await cli(env, ...args), msg);
      assert.equal(await fingerprint(env), before, 'refused maintenance commands wrote nothing');
      const w = await cli(env, 'maintenance', 'schedule', '--start', later, '--end', laterEnd, '--message-ja', '作業', '--message-en', 'Work');
      assert.equal(w.code, 0, w.err.join('\n'));
      assert.match((await cli(env, 'maintenance', 'list')).out.join('\n'), new RegExp(w.out[0]!));
      assert.equal((await cli(env, 'maintenance', 'cancel', '--id', w.out[0]!)).code, 0);
      refused(await cli(env, 'maintenance', 'cancel', '--id', w.out[0]!), /already cancelled or over/);
      assert.match((await cli(env, 'maintenance', 'list')).out.join('\n'), /no maintenance windows/);

      // Provider replies.
      before = await fingerprint(env);
      refused(await cli(env, 'ticket', 'reply', '--ticket', 'T1', '--name', 'Desk', '--body', 'x'), /add --provider/);
      refused(await cli(env, 'ticket', 'reply', '--provider', '--ticket', 'T1', '--name', 'Desk', '--body', 'x'), /no ticket with number T1/);
      refused(await cli(env, 'ticket', 'reply', '--provider', '--ticket', 'T1', '--name', 'Desk'), /exactly one of --body and --body-file/);
      refused(await cli(env, 'ticket', 'reply', '--provider', '--ticket', 'T1', '--name', 'Desk', '--body-file', '/nonexistent/x'), /cannot read --body-file/);
      refused(await cli(env, 'ticket', 'list', '--status', 'lost'), /--status must be one of/);
      assert.equal(await fingerprint(env), before, 'refused ticket commands wrote nothing');
      assert.match((await cli(env, 'ticket', 'list')).out.join('\n'), /no tickets/);
    });
  });
}
