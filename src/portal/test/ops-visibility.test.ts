// Who sees which orders, notices and tickets (S8 rule through access.ts), on both databases, at
// the service level over a fresh database: the matrix, and no leak of another organisation's or an
// ungranted contract's data through lists, counts, ticket service names or attachment lookups.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { freshDb, testDialects } from '../../../test/helpers/db.ts';
import { givenWorld, T0, viewers } from '../../../test/helpers/portal-world.ts';
import { contractScope } from '../access.ts';
import { listOrdersFor, orderFor } from '../orders/service.ts';
import { dashboardNotices, listNoticesFor, noticeFor } from '../notices/service.ts';
import { attachmentFor, listTicketsFor, ticketFor } from '../tickets/service.ts';
import type { Db } from '../../db/index.ts';

const scopeOf = (db: Db, who: keyof typeof viewers) => contractScope(db, viewers[who]);
const codeOf = async (p: Promise<unknown>) => p.then(() => 'ok', (e: { code?: string }) => e.code ?? String(e));

for (const dialect of testDialects()) {
  describe(`${dialect}: orders, notices and tickets follow the contract rule`, () => {
    it('orders: with a contract when the contract is visible; without one, to the organisation\'s admins only', async (t) => {
      const db = (await freshDb(dialect, t)).db;
      await givenWorld(db);
      const expected: Record<keyof typeof viewers, string[]> = { aAdmin: ['oA1', 'oA2', 'oA3'], aGen: ['oA1'], aNone: [], bAdmin: ['oB1'] };
      for (const [who, ids] of Object.entries(expected) as [keyof typeof viewers, string[]][]) {
        const scope = await scopeOf(db, who);
        const { orders, total } = await listOrdersFor(db, scope, { page: 1 });
        assert.deepEqual(orders.map((o) => o.id).sort(), ids, who);
        assert.equal(total, ids.length, `${who}: the count says no more than the list`);
        for (const id of ['oA1', 'oA2', 'oA3', 'oB1', 'nope']) {
          assert.equal(await codeOf(orderFor(db, scope, id)), ids.includes(id) ? 'ok' : 'common.not_found', `${who} → ${id}`);
        }
      }
      // aGen's group was also (wrongly) granted org B's contract: its order still does not show.
      assert.equal(await codeOf(orderFor(db, await scopeOf(db, 'aGen'), 'oB1')), 'common.not_found');
    });

    it('orders: the timeline marks done steps with dates and exactly one current step', async (t) => {
      const db = (await freshDb(dialect, t)).db;
      await givenWorld(db);
      const o = await orderFor(db, await scopeOf(db, 'aGen'), 'oA1');
      assert.deepEqual(o.steps.map((s) => s.state), ['done', 'done', 'current', 'pending']);
      assert.ok(o.steps[0]!.doneAt! < o.steps[1]!.doneAt!);
      assert.equal(o.steps[3]!.plannedDate, '2027-02-01');
      assert.equal(o.openingNoticeEn, 'Your service opens soon');
    });

    it('notices: all-service ones plus those of services the user sees contracts of; withdrawn never; current and past apart', async (t) => {
      const db = (await freshDb(dialect, t)).db;
      await givenWorld(db);
      const cases: [keyof typeof viewers, string[], string[]][] = [
        ['aAdmin', ['nAll', 'nS1', 'nS1soon', 'nS2'], ['nS1past']],
        ['aGen', ['nAll', 'nS1', 'nS1soon'], ['nS1past']],
        ['aNone', ['nAll'], []],
      ];
      for (const [who, current, past] of cases) {
        const scope = await scopeOf(db, who);
        const cur = await listNoticesFor(db, scope, { now: T0, when: 'current', page: 1 });
        assert.deepEqual(cur.notices.map((n) => n.id).sort(), current, `${who} current`);
        assert.equal(cur.total, current.length);
        const old = await listNoticesFor(db, scope, { now: T0, when: 'past', page: 1 });
        assert.deepEqual(old.notices.map((n) => n.id), past, `${who} past`);
        assert.equal(await codeOf(noticeFor(db, scope, 'nS1gone', T0)), 'common.not_found', 'withdrawn');
        assert.equal(await codeOf(noticeFor(db, scope, 'nS2', T0)), current.includes('nS2') ? 'ok' : 'common.not_found');
      }
      const gen = await scopeOf(db, 'aGen');
      // A per-service page of a service the user sees no contract of answers like an unknown one.
      assert.equal(await codeOf(listNoticesFor(db, gen, { now: T0, when: 'current', page: 1, serviceId: 'S2' })), 'common.not_found');
      assert.deepEqual((await listNoticesFor(db, gen, { now: T0, when: 'current', page: 1, serviceId: 'S1' })).notices.map((n) => n.id), ['nS1', 'nS1soon']);
      // The dashboard: running ones only (not the upcoming one), newest first, as rows.
      assert.deepEqual((await dashboardNotices(db, gen, T0)).map((n) => n.id).sort(), ['nAll', 'nS1']);
      // The boundary: a notice is over at its end.
      assert.ok((await listNoticesFor(db, gen, { now: T0 + 86_400_000 - 1, when: 'current', page: 1 })).notices.some((n) => n.id === 'nAll'));
      assert.ok(!(await listNoticesFor(db, gen, { now: T0 + 86_400_000, when: 'current', page: 1 })).notices.some((n) => n.id === 'nAll'));
    });

    it('tickets: the whole organisation, never another; a service or contract the viewer may not see is not named', async (t) => {
      const db = (await freshDb(dialect, t)).db;
      await givenWorld(db);
      const admin = await scopeOf(db, 'aAdmin');
      const gen = await scopeOf(db, 'aGen');
      const b = await scopeOf(db, 'bAdmin');
      const asAdmin = await ticketFor(db, admin, 'tA');
      assert.equal(asAdmin.service?.nameEn, 'Secret Voice');
      assert.equal(asAdmin.contractNumber, 'N000000002');
      const asGen = await ticketFor(db, gen, 'tA');
      assert.equal(asGen.service, null);
      assert.equal(asGen.contractNumber, null);
      assert.equal(asGen.restricted, true);
      assert.doesNotMatch(JSON.stringify(asGen), /Secret Voice|秘密|N000000002|S2|cA2/);
      assert.doesNotMatch(JSON.stringify(asGen), /INTERNAL NOTE|fInt/, 'a provider\'s internal note and its file stay hidden');
      const listGen = await listTicketsFor(db, gen, {}, 1);
      assert.deepEqual(listGen.tickets.map((k) => k.id), ['tA']);
      assert.equal(listGen.total, 1);
      assert.doesNotMatch(JSON.stringify(listGen), /Secret Voice|秘密|N000000002/);
      // Filtering by a service the viewer cannot see would tell whether such tickets exist.
      assert.equal(await codeOf(listTicketsFor(db, gen, { serviceId: 'S2' }, 1)), 'common.not_found');
      assert.equal((await listTicketsFor(db, admin, { serviceId: 'S2' }, 1)).total, 1);
      // Org B sees only its own; ids of org A answer like unknown ones.
      assert.deepEqual((await listTicketsFor(db, b, {}, 1)).tickets.map((k) => k.id), ['tB']);
      assert.equal(await codeOf(ticketFor(db, b, 'tA')), 'common.not_found');
      assert.equal(await codeOf(ticketFor(db, gen, 'tB')), 'common.not_found');
      // Attachments: only through a ticket of the viewer's organisation and a visible message.
      assert.equal((await attachmentFor(db, gen, 'tA', 'fA')).filename, 'fA.txt');
      assert.equal(await codeOf(attachmentFor(db, gen, 'tA', 'fB')), 'common.not_found', 'another ticket\'s file through this ticket');
      assert.equal(await codeOf(attachmentFor(db, gen, 'tB', 'fB')), 'common.not_found', 'another organisation\'s file');
      assert.equal(await codeOf(attachmentFor(db, b, 'tA', 'fA')), 'common.not_found');
      assert.equal(await codeOf(attachmentFor(db, admin, 'tA', 'fInt')), 'common.not_found', 'a file of an internal note');
    });
  });
}
