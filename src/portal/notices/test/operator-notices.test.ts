// The operator's notices (issue 26 item 4), on both databases, through the service functions the
// console, the operator API and the CLI share: bad input names every refused field and writes
// nothing (notice, its services, the audit log); a notice of two services reaches the users of
// either, naming only the services the reader sees; a change replaces texts, period and services;
// a withdrawn notice leaves the dashboard at once; the operator's lists split current, scheduled, past.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { freshDb, testDialects } from '../../../../test/helpers/db.ts';
import { givenWorld, T0, viewers } from '../../../../test/helpers/portal-world.ts';
import type { Db } from '../../../db/index.ts';
import { contractScope } from '../../access.ts';
import { changeNotice, checkNotice, dashboardNotices, listNoticesFor, noticeFor, operatorNotices, publishNotice, withdrawNotice, type NoticeInput } from '../service.ts';

const OPS = { userId: null, ip: '192.0.2.1' };
const HOUR = 3_600_000;
const scopeOf = (db: Db, who: keyof typeof viewers) => contractScope(db, viewers[who]);
const good = (o: Partial<NoticeInput> = {}): NoticeInput => ({
  kind: 'construction', serviceIds: [], titleJa: '工事のお知らせ', titleEn: 'Planned work', bodyJa: '本文', bodyEn: 'Body', startsAt: T0 - HOUR, endsAt: T0 + HOUR, ...o,
});
async function counts(db: Db) {
  const n = async (table: 'notice' | 'notice_service' | 'audit_log') => Number((await db.selectFrom(table).select((e) => e.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
  return { notice: await n('notice'), services: await n('notice_service'), audit: await n('audit_log') };
}

for (const dialect of testDialects()) {
  describe(`${dialect}: operator notices`, () => {
    it('bad input: one error naming every refused field, nothing written', async (t) => {
      const db = (await freshDb(dialect, t)).db;
      await givenWorld(db);
      const before = await counts(db);
      const cases: [Partial<NoticeInput>, string, string[]][] = [
        [{ endsAt: T0 - HOUR }, 'portal.end_before_start', ['endsAt']],
        [{ titleJa: '  ', bodyEn: 'x'.repeat(10_001) }, 'portal.text_invalid', ['titleJa', 'bodyEn']],
        [{ serviceIds: ['S1', 'nope'] }, 'portal.unknown_service', ['services']],
        [{ kind: 'rumour' as never }, 'notices.kind_invalid', ['kind']],
        [{ serviceIds: Array.from({ length: 51 }, (_, i) => `s${i}`) }, 'notices.too_many_services', ['services']],
        [{ titleEn: '', endsAt: T0 - 2 * HOUR }, 'portal.text_invalid', ['titleEn', 'endsAt']],
      ];
      for (const [input, code, fields] of cases) {
        await assert.rejects(publishNotice(db, good(input), OPS, T0), (e: { code: string; fields: Record<string, unknown> }) => {
          assert.equal(e.code, code);
          assert.deepEqual(Object.keys(e.fields).sort(), fields.sort());
          return true;
        });
        await assert.rejects(checkNotice(db, good(input)), { code });
      }
      const n = await publishNotice(db, good(), OPS, T0);
      const afterOne = await counts(db);
      await assert.rejects(changeNotice(db, n.id, good({ endsAt: T0 - 2 * HOUR }), OPS, T0), { code: 'portal.end_before_start' });
      await assert.rejects(changeNotice(db, 'nope', good(), OPS, T0), { code: 'common.not_found' });
      assert.deepEqual(await counts(db), afterOne, 'refused changes wrote nothing');
      assert.deepEqual(afterOne, { notice: before.notice + 1, services: before.services, audit: before.audit + 1 });
    });

    it('two services: the users of either see it, named by the services they see; change and withdraw apply at once', async (t) => {
      const db = (await freshDb(dialect, t)).db;
      await givenWorld(db);
      const [gen, admin, b] = [await scopeOf(db, 'aGen'), await scopeOf(db, 'aAdmin'), await scopeOf(db, 'bAdmin')];
      const n = await publishNotice(db, good({ kind: 'outage', serviceIds: ['S1', 'S2', 'S1'] }), OPS, T0);
      assert.deepEqual(n.services.map((s) => s.code), ['colo', 'voice'], 'duplicates dropped');
      const ids = async (s: typeof gen) => (await dashboardNotices(db, s, T0, 50)).map((x) => x.id);
      assert.ok((await ids(gen)).includes(n.id), 'aGen sees S1');
      assert.ok((await ids(b)).includes(n.id), 'org B sees S1 too');
      // aGen may not see S2 ("Secret Voice"): its name is not shown to them.
      assert.deepEqual((await noticeFor(db, gen, n.id, T0)).services.map((s) => s.code), ['colo']);
      assert.deepEqual((await noticeFor(db, admin, n.id, T0)).services.map((s) => s.code), ['colo', 'voice']);

      // Change: only S2 now, new title and a later start.
      const changed = await changeNotice(db, n.id, good({ kind: 'information', serviceIds: ['S2'], titleEn: 'Voice work', startsAt: T0 + HOUR, endsAt: T0 + 2 * HOUR }), { userId: null, ip: 'cli' }, T0 + 1);
      assert.equal(changed.kind, 'information');
      assert.equal(changed.updatedAt, T0 + 1);
      assert.ok(!(await ids(gen)).includes(n.id), 'no longer for aGen (S2 only)');
      assert.ok(!(await ids(admin)).includes(n.id), 'not running yet: off the dashboard');
      const upcoming = (await listNoticesFor(db, admin, { now: T0, when: 'current', page: 1 })).notices.find((x) => x.id === n.id);
      assert.equal(upcoming?.titleEn, 'Voice work');
      assert.equal(upcoming?.phase, 'upcoming');
      assert.deepEqual((await operatorNotices(db, T0, 'scheduled')).notices.map((x) => x.id), [n.id, 'nS1soon'], 'soonest first');

      await withdrawNotice(db, n.id, OPS, T0 + 2);
      assert.equal((await listNoticesFor(db, admin, { now: T0, when: 'current', page: 1 })).notices.some((x) => x.id === n.id), false, 'withdrawn: gone for customers');
      await assert.rejects(withdrawNotice(db, n.id, OPS, T0 + 3), { code: 'notices.already_withdrawn' });
      await assert.rejects(changeNotice(db, n.id, good(), OPS, T0 + 3), { code: 'notices.already_withdrawn' });
      const past = (await operatorNotices(db, T0, 'past')).notices.find((x) => x.id === n.id);
      assert.equal(past?.withdrawnAt, T0 + 2);
      const audit = await db.selectFrom('audit_log').select(['event', 'ip']).where('event', 'like', 'notice.%').orderBy('at').execute();
      assert.deepEqual(audit.map((a) => a.event), ['notice.published', 'notice.changed', 'notice.withdrawn']);
    });

    it('a running notice withdrawn leaves the dashboard; every-service notices reach everyone', async (t) => {
      const db = (await freshDb(dialect, t)).db;
      await givenWorld(db);
      const none = await scopeOf(db, 'aNone');
      const n = await publishNotice(db, good({ serviceIds: [] }), OPS, T0);
      assert.ok((await dashboardNotices(db, none, T0, 50)).some((x) => x.id === n.id), 'for every service: even a user with no contract');
      assert.equal((await noticeFor(db, none, n.id, T0)).allServices, true);
      const current = (await operatorNotices(db, T0, 'current')).notices.map((x) => x.id);
      assert.ok(current.includes(n.id));
      await withdrawNotice(db, n.id, OPS, T0);
      assert.ok(!(await dashboardNotices(db, none, T0, 50)).some((x) => x.id === n.id));
      assert.ok(!(await operatorNotices(db, T0, 'current')).notices.some((x) => x.id === n.id));
    });
  });
}
