// Authorisation matrix of the TM Forum API (issue 24 item 6): every route of src/api/route-list.ts
// (checked against Fastify's table) × no token, a token lacking the route's scope, a revoked token,
// a token of another organisation on this organisation's ids, and the right token. A route added
// to the list without a sample here fails the test.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { testDialects } from '../helpers/db.ts';
import { startTestApp } from '../helpers/app.ts';
import { registeredRoutes } from '../helpers/admin.ts';
import { givenWorld, sessionFor, T0 } from '../helpers/portal-world.ts';
import { csrfOf } from '../helpers/admin.ts';
import { call, issuedToken } from '../helpers/api.ts';
import { API_ROUTES } from '../../src/api/route-list.ts';

/** Org A's ids per route, a body that succeeds, and the success status. */
const SAMPLES: Record<string, { id?: string; body?: () => unknown; ok: number }> = {
  'GET /tmf-api/productInventory/v5/product': { ok: 200 },
  'GET /tmf-api/productInventory/v5/product/:id': { id: 'cA1', ok: 200 },
  'GET /tmf-api/productOrdering/v5/productOrder': { ok: 200 },
  'GET /tmf-api/productOrdering/v5/productOrder/:id': { id: 'oA1', ok: 200 },
  'GET /tmf-api/troubleTicket/v5/troubleTicket': { ok: 200 },
  'GET /tmf-api/troubleTicket/v5/troubleTicket/:id': { id: 'tA', ok: 200 },
  'POST /tmf-api/troubleTicket/v5/troubleTicket': { body: () => ({ name: 'n', description: 'd', ticketType: 'portal' }), ok: 201 },
  'PATCH /tmf-api/troubleTicket/v5/troubleTicket/:id': { id: 'tA', body: () => ({ note: [{ text: 'more' }] }), ok: 200 },
  'GET /tmf-api/incidentManagement/v5/incident': { ok: 200 },
  'GET /tmf-api/incidentManagement/v5/incident/:id': { id: 'nS2', ok: 200 },
  'POST /tmf-api/productOrdering/v5/hub': { body: () => ({ callback: 'https://93.184.215.14/hook' }), ok: 201 },
  'DELETE /tmf-api/productOrdering/v5/hub/:id': { id: 'HUB', ok: 204 },
  'POST /tmf-api/troubleTicket/v5/hub': { body: () => ({ callback: 'https://93.184.215.14/hook' }), ok: 201 },
  'DELETE /tmf-api/troubleTicket/v5/hub/:id': { id: 'HUB', ok: 204 },
  'POST /tmf-api/incidentManagement/v5/hub': { body: () => ({ callback: 'https://93.184.215.14/hook' }), ok: 201 },
  'DELETE /tmf-api/incidentManagement/v5/hub/:id': { id: 'HUB', ok: 204 },
};
const ALL = ['contracts:read', 'orders:read', 'tickets:read', 'tickets:write', 'notices:read', 'hub:write'];

for (const dialect of testDialects()) {
  describe(`${dialect}: API authorisation matrix`, () => {
    it('every API route × every kind of caller', async (t) => {
      const app = await startTestApp(dialect, t);
      app.clock.now = T0;
      await givenWorld(app.ctx.db);
      const registered = registeredRoutes(app.app).filter((r) => r.url.startsWith('/tmf-api')).map((r) => `${r.method} ${r.url}`).sort();
      const listed = API_ROUTES.map((r) => `${r.method} ${r.url}`).sort();
      assert.deepEqual(registered, listed, 'src/api/route-list.ts and the registered routes differ');
      for (const key of listed) assert.ok(SAMPLES[key], `no sample for ${key}`);

      const own = await issuedToken(app, 'aAdmin', 'A', ALL, 'own');
      const foreign = await issuedToken(app, 'bAdmin', 'B', ALL, 'foreign');
      const revoked = await issuedToken(app, 'aAdmin', 'A', ALL, 'revoked');
      const admin = await sessionFor(app, 'aAdmin', 'A');
      await admin.post(`/admin/api-tokens/${revoked.id}/revoke`, {}, { csrf: csrfOf(app, admin) });
      const failures: string[] = [];
      for (const route of API_ROUTES) {
        const key = `${route.method} ${route.url}`;
        const s = SAMPLES[key]!;
        const narrow = await issuedToken(app, 'aAdmin', 'A', ALL.filter((x) => !(route.scopes as readonly string[]).includes(x)), `narrow ${key}`);
        const hubOf = async (token: string) => (await call(app, token, 'POST', route.url.replace('/:id', ''), { callback: 'https://93.184.215.14/hook' })).body.id as string;
        const path = async (token: string) => (s.id === 'HUB' ? route.url.replace(':id', await hubOf(token)) : route.url.replace(':id', s.id ?? ''));
        const expect = async (name: string, token: string | null, want: number, at?: string) => {
          const r = await call(app, token, route.method, at ?? await path(own.token), s.body?.());
          if (r.status !== want) failures.push(`${key} as ${name}: ${r.status}, expected ${want}`);
          else if (want >= 400 && (r.body?.status !== String(want) || typeof r.body?.code !== 'string')) failures.push(`${key} as ${name}: not the TMF error shape`);
        };
        await expect('no token', null, 401);
        await expect('revoked token', revoked.token, 401);
        await expect('token without the scope', narrow.token, 403);
        // Another organisation's token on A's ids: 404, like an id that does not exist.
        if (s.id) await expect("another organisation's token", foreign.token, 404);
        await expect('the organisation\'s token', own.token, s.ok);
      }
      assert.deepEqual(failures, []);
    });
  });
}
