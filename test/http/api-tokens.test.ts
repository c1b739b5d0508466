// Issue 24 item 6: the TM Forum API seen by machine clients. The attack first: a token of
// organisation A asks for B's contracts, orders, tickets and notices, by list and by id; a token
// without the scope, a revoked token, no token. Then the honest path: a ticket opened, answered and
// closed through the API shows in the portal. Both databases.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { testDialects } from '../helpers/db.ts';
import { startTestApp } from '../helpers/app.ts';
import { givenWorld, sessionFor, T0 } from '../helpers/portal-world.ts';
import { csrfOf } from '../helpers/admin.ts';
import { call, issuedToken } from '../helpers/api.ts';
import { sha256Hex } from '../../src/lib/index.ts';

const P = '/tmf-api/productInventory/v5/product';
const O = '/tmf-api/productOrdering/v5/productOrder';
const TT = '/tmf-api/troubleTicket/v5/troubleTicket';
const I = '/tmf-api/incidentManagement/v5/incident';
const ALL = ['contracts:read', 'orders:read', 'tickets:read', 'tickets:write', 'notices:read', 'hub:write'];

/** Every relatedParty of every item names only `org`. */
function partiesOnly(items: any[], org: string): void {
  for (const it of items) for (const p of it.relatedParty ?? []) assert.equal(p.partyOrPartyRole.id, org, JSON.stringify(p));
}

for (const dialect of testDialects()) {
  describe(`${dialect}: API tokens and the TM Forum API`, () => {
    it("an API token of organisation A never sees B's contracts, orders, tickets or notices", async (t) => {
      const app = await startTestApp(dialect, t);
      app.clock.now = T0;
      await givenWorld(app.ctx.db);
      const a = await issuedToken(app, 'aAdmin', 'A', ALL);
      const b = await issuedToken(app, 'bAdmin', 'B', ALL);

      const products = await call(app, a.token, 'GET', P);
      assert.equal(products.status, 200, products.text);
      assert.deepEqual(products.body.map((p: any) => p.productSerialNumber).sort(), ['N000000001', 'N000000002']);
      assert.equal(products.headers.get('x-total-count'), '2');
      assert.equal(products.headers.get('x-result-count'), '2');
      partiesOnly(products.body, 'A');
      assert.equal(products.headers.get('set-cookie'), null, 'no cookies on the API');
      const foreign = await call(app, a.token, 'GET', `${P}/cB1`);
      assert.equal(foreign.status, 404);
      assert.deepEqual(Object.keys(foreign.body).sort(), ['@type', 'code', 'message', 'reason', 'status']);
      assert.equal(foreign.body.status, '404');
      assert.equal((await call(app, a.token, 'GET', `${P}/cA1`)).body.productSerialNumber, 'N000000001');

      const orders = await call(app, a.token, 'GET', O);
      assert.deepEqual(orders.body.map((o: any) => o.id).sort(), ['oA1', 'oA2', 'oA3']);
      partiesOnly(orders.body, 'A');
      assert.equal((await call(app, a.token, 'GET', `${O}/oB1`)).status, 404);
      const oA1 = (await call(app, a.token, 'GET', `${O}/oA1`)).body;
      assert.deepEqual(oA1.milestone.map((m: any) => `${m.id}:${m.status}`), ['received:completed', 'reviewing:completed', 'constructing:inProgress', 'opened:pending']);

      const tickets = await call(app, a.token, 'GET', TT);
      assert.deepEqual(tickets.body.map((x: any) => x.id), ['tA']);
      assert.equal((await call(app, a.token, 'GET', `${TT}/tB`)).status, 404);
      const tA = (await call(app, a.token, 'GET', `${TT}/tA`)).body;
      assert.ok(!JSON.stringify(tA).includes('INTERNAL NOTE'), "a provider's internal note never leaves");

      // B sees notices of S1 (its contract cB1) and all-service ones, never nS2 (S2: only A has it).
      const bNotices = await call(app, b.token, 'GET', I);
      assert.ok(!bNotices.body.some((n: any) => n.id === 'nS2'));
      assert.equal((await call(app, b.token, 'GET', `${I}/nS2`)).status, 404);
      const nS1 = (await call(app, b.token, 'GET', `${I}/nS1`)).body;
      assert.deepEqual(nS1.relatedEntity.map((e: any) => e.entity.id), ['S1']);
      const aNotices = await call(app, a.token, 'GET', I);
      assert.ok(aNotices.body.some((n: any) => n.id === 'nS2'));
      // fields= keeps the named attributes and id, href, @type.
      const slim = await call(app, a.token, 'GET', `${P}?fields=status&limit=1&offset=1`);
      assert.deepEqual(Object.keys(slim.body[0]).sort(), ['@type', 'href', 'id', 'status']);
      assert.equal(slim.headers.get('x-result-count'), '1');
    });

    it('scopes are enforced (403), a revoked or missing token is 401, tokens are hashed at rest and audited', async (t) => {
      const app = await startTestApp(dialect, t);
      app.clock.now = T0;
      await givenWorld(app.ctx.db);
      const reader = await issuedToken(app, 'aAdmin', 'A', ['contracts:read']);
      assert.match(reader.token, /^bzp_[A-Za-z0-9_-]{43}$/);
      assert.equal((await call(app, reader.token, 'GET', P)).status, 200);
      for (const [method, path] of [['GET', TT], ['GET', O], ['GET', I], ['POST', TT], ['POST', '/tmf-api/troubleTicket/v5/hub']] as const) {
        const r = await call(app, reader.token, method, path, method === 'POST' ? {} : undefined);
        assert.equal(r.status, 403, `${method} ${path}`);
      }
      const none = await call(app, null, 'GET', P);
      assert.equal(none.status, 401);
      assert.match(none.headers.get('www-authenticate') ?? '', /^Bearer/);
      assert.equal((await call(app, `${reader.token}x`, 'GET', P)).status, 401);

      // Hashed at rest: the row holds SHA-256 of the token and nothing holds the token itself.
      const row = await app.ctx.db.selectFrom('api_token').selectAll().where('id', '=', reader.id).executeTakeFirstOrThrow();
      assert.equal(row.token_hash, sha256Hex(reader.token));
      assert.ok(!JSON.stringify(row).includes(reader.token.slice(4)));
      assert.ok(row.last_used_at !== null, 'last used is recorded');

      // Revoked by the admin page (form post): 401 at once.
      const admin = await sessionFor(app, 'aAdmin', 'A');
      const page = await admin.post(`/admin/api-tokens/${reader.id}/revoke`, {}, { csrf: csrfOf(app, admin) });
      assert.equal(page.status, 200);
      assert.equal((await call(app, reader.token, 'GET', P)).status, 401);
      // B's admin cannot revoke A's token (403, audited as a cross-organisation refusal).
      const bAdmin = await sessionFor(app, 'bAdmin', 'B');
      const other = await issuedToken(app, 'aAdmin', 'A', ['contracts:read'], 'second');
      const refused = await bAdmin.request('POST', `/admin/api-tokens/${other.id}/revoke`, '{}', { accept: 'application/json', 'content-type': 'application/json', 'x-csrf-token': csrfOf(app, bAdmin) });
      assert.equal(refused.status, 403);
      assert.ok(await app.ctx.db.selectFrom('audit_log').select('id').where('event', '=', 'admin.cross_org_refused').where('actor_user_id', '=', 'bAdmin').executeTakeFirst());
      assert.equal((await call(app, other.token, 'GET', P)).status, 200);

      const events = await app.ctx.db.selectFrom('audit_log').select(['event', 'detail']).where('event', 'in', ['api_token.issued', 'api_token.revoked']).execute();
      assert.deepEqual(events.map((e) => e.event).sort(), ['api_token.issued', 'api_token.issued', 'api_token.revoked']);
      for (const e of events) assert.ok(!e.detail.includes(reader.token.slice(4)) && !e.detail.includes(other.token.slice(4)), 'tokens are never audited');

      // The form shows a new token once, with no-store.
      const form = await admin.post('/admin/api-tokens', { name: 'from the form', scopes: 'tickets:read' }, { csrf: csrfOf(app, admin) });
      assert.equal(form.status, 200);
      assert.equal(form.headers.get('cache-control'), 'no-store');
      const shown = /bzp_[A-Za-z0-9_-]{43}/.exec(form.body)![0];
      assert.equal((await call(app, shown, 'GET', TT)).status, 200);
      assert.ok(!(await admin.get('/admin/api-tokens')).body.includes(shown), 'shown once');
    });

    it('a token is rate limited per minute (429 with Retry-After), on every node alike', async (t) => {
      const app = await startTestApp(dialect, t, { API_RATE_PER_MINUTE: '3' });
      app.clock.now = T0;
      await givenWorld(app.ctx.db);
      const a = await issuedToken(app, 'aAdmin', 'A', ['contracts:read']);
      for (let i = 0; i < 3; i++) assert.equal((await call(app, a.token, 'GET', P)).status, 200);
      const limited = await call(app, a.token, 'GET', P);
      assert.equal(limited.status, 429);
      assert.ok(Number(limited.headers.get('retry-after')) > 0);
      app.clock.advance(60_000);
      assert.equal((await call(app, a.token, 'GET', P)).status, 200, 'the next minute starts again');
    });

    it('a ticket created, noted and closed through the API shows in the portal', async (t) => {
      const app = await startTestApp(dialect, t);
      app.clock.now = T0;
      await givenWorld(app.ctx.db);
      const a = await issuedToken(app, 'aAdmin', 'A', ['tickets:read', 'tickets:write'], 'monitoring');
      const bad = await call(app, a.token, 'POST', TT, { name: 'x', description: 'y', ticketType: 'service', relatedEntity: [{ role: 'affectedProduct', entity: { id: 'cB1' } }] });
      assert.equal(bad.status, 400, "another organisation's contract is refused like an unknown one");
      const created = await call(app, a.token, 'POST', TT, { name: 'Link down', description: 'Port 3 is down', ticketType: 'outage', relatedEntity: [{ role: 'affectedProduct', entity: { id: 'cA1' } }] });
      assert.equal(created.status, 201, created.text);
      assert.equal(created.body.status, 'acknowledged');
      assert.equal(created.body.relatedEntity.find((e: any) => e.role === 'affectedProduct').entity.name, 'N000000001');
      const id = created.body.id;
      const noted = await call(app, a.token, 'PATCH', `${TT}/${id}`, { note: [{ text: 'Still down after reboot' }] });
      assert.equal(noted.status, 200, noted.text);
      assert.deepEqual(noted.body.note.map((n: any) => n.text), ['Port 3 is down', 'Still down after reboot']);
      assert.equal(noted.body.status, 'inProgress');

      const portal = await sessionFor(app, 'aGen', 'A');
      const seen = JSON.parse((await portal.get(`/portal/tickets/${id}`, { accept: 'application/json' })).body);
      assert.equal(JSON.stringify(seen).includes('Still down after reboot'), true);
      assert.equal(JSON.stringify(seen).includes('monitoring (API)'), true, 'the author is the token');

      const closed = await call(app, a.token, 'PATCH', `${TT}/${id}`, { status: 'closed' });
      assert.equal(closed.body.status, 'closed');
      const again = JSON.parse((await portal.get(`/portal/tickets/${id}`, { accept: 'application/json' })).body);
      assert.equal(JSON.stringify(again).includes('"closed"'), true);
      assert.equal((await call(app, a.token, 'PATCH', `${TT}/${id}`, { status: 'closed' })).status, 409);
      assert.equal((await call(app, a.token, 'PATCH', `${TT}/tB`, { status: 'closed' })).status, 404);
    });
  });
}
