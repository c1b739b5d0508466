// The permission matrix of orders, notices and tickets over HTTP (JSON and pages), on both
// databases: each viewer gets exactly their rows; another organisation's ids, ungranted contracts'
// orders and unseen services answer exactly like unknown ids; nothing leaks through the JSON.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { testDialects } from '../helpers/db.ts';
import { startTestApp } from '../helpers/app.ts';
import { text } from '../helpers/client.ts';
import { givenWorld, sessionFor, T0 } from '../helpers/portal-world.ts';
import { registeredRoutes } from '../helpers/admin.ts';
import { PORTAL_OPS_ROUTES } from '../../src/portal/route-list.ts';

for (const dialect of testDialects()) {
  describe(`${dialect}: orders, notices, tickets — who sees what over HTTP`, () => {
    it('JSON and pages follow the contract rule; foreign ids answer like unknown ones', async (t) => {
      const app = await startTestApp(dialect, t);
      app.clock.now = T0;
      await givenWorld(app.ctx.db);
      // The list is the table: every listed route is registered and every registered one listed.
      const mine = registeredRoutes(app.app).filter((r) => /^\/portal\/(orders|notices|tickets)/.test(r.url)).map((r) => `${r.method} ${r.url}`).sort();
      assert.deepEqual(mine, PORTAL_OPS_ROUTES.map((r) => `${r.method} ${r.url}`).sort());
      const json = { accept: 'application/json' };
      const people = {
        aAdmin: { b: await sessionFor(app, 'aAdmin', 'A'), orders: ['oA1', 'oA2', 'oA3'], notices: ['nAll', 'nS1', 'nS1soon', 'nS2'], tickets: ['tA'] },
        aGen: { b: await sessionFor(app, 'aGen', 'A'), orders: ['oA1'], notices: ['nAll', 'nS1', 'nS1soon'], tickets: ['tA'] },
        aNone: { b: await sessionFor(app, "aNone", "A"), orders: [] as string[], notices: ['nAll'], tickets: ['tA'] },
        bAdmin: { b: await sessionFor(app, 'bAdmin', 'B'), orders: ['oB1'], notices: ['nAll', 'nS1', 'nS1soon'], tickets: ['tB'] },
      };
      for (const [who, p] of Object.entries(people)) {
        const orders = JSON.parse((await p.b.get('/portal/orders', json)).body);
        assert.deepEqual(orders.orders.map((o: { id: string }) => o.id).sort(), p.orders, `${who} orders`);
        assert.equal(orders.total, p.orders.length);
        const notices = JSON.parse((await p.b.get('/portal/notices', json)).body);
        assert.deepEqual(notices.notices.map((n: { id: string }) => n.id).sort(), p.notices, `${who} notices`);
        const tickets = JSON.parse((await p.b.get('/portal/tickets', json)).body);
        assert.deepEqual(tickets.tickets.map((k: { id: string }) => k.id), p.tickets, `${who} tickets`);
        const unknown = await p.b.get('/portal/orders/nope', json);
        assert.equal(unknown.status, 404);
        for (const id of ['oA1', 'oA2', 'oA3', 'oB1']) {
          const r = await p.b.get(`/portal/orders/${id}`, json);
          if (p.orders.includes(id)) assert.equal(r.status, 200, `${who} ${id}`);
          else assert.deepEqual([r.status, r.body], [unknown.status, unknown.body], `${who} ${id}: like an unknown id`);
        }
        for (const id of ['tA', 'tB']) {
          const r = await p.b.get(`/portal/tickets/${id}`, json);
          assert.equal(r.status, p.tickets.includes(id) ? 200 : 404, `${who} ${id}`);
        }
      }
      const gen = people.aGen.b;
      // No name, number or id of the unseen service or contract anywhere aGen can ask.
      for (const path of ['/portal/tickets', '/portal/tickets/tA', '/portal/orders', '/portal/notices', '/portal/notices?when=past', '/portal/tickets/new']) {
        for (const h of [json, {}]) {
          const r = await gen.get(path, h);
          assert.equal(r.status, 200, path);
          assert.doesNotMatch(r.body, /Secret Voice|秘密の音声|N000000002|N000000003|"S2"|cA2|value="S2"|B secret/, `${path} ${JSON.stringify(h)}`);
        }
      }
      assert.equal((await gen.get('/portal/notices?service=S2', json)).status, 404);
      assert.equal((await gen.get('/portal/tickets?service=S2', json)).status, 404);
      assert.equal((await gen.get('/portal/notices/nS2', json)).status, 404);
      assert.equal((await gen.get('/portal/tickets/tA/attachments/fB')).status, 404);

      // The order page: an ordered list, the current step in words and aria-current="step".
      const page = await gen.get('/portal/orders/oA1?lang=en');
      assert.equal(page.status, 200);
      assert.match(page.body, /<ol class="timeline">/);
      assert.equal((page.body.match(/aria-current="step"/g) ?? []).length, 1);
      assert.match(text(page.body), /Current step: Construction/);
      assert.match(text(page.body), /Application received Done completed \d{2}\/\d{2}\/\d{4}/);
      assert.match(text(page.body), /Service start Not started planned for 2027-02-01/);
      assert.match(text(page.body), /Opening notice Your service opens soon/);
      // The ticket page of aGen: the service is named only as "a service you cannot view".
      assert.match(text((await gen.get('/portal/tickets/tA?lang=en')).body), /A service you cannot view/);
      // Anonymous: pages redirect to the login, JSON answers 401.
      gen.jar.delete('bp_session');
      assert.equal((await gen.get('/portal/orders')).status, 303);
      assert.equal((await gen.get('/portal/tickets', json)).status, 401);
    });
  });
}
