// Authorisation matrix of the provider's console (issue 26; SECURITY.md item 34 and the operator
// line of docs/security.md): every route of src/operator/route-list.ts — pages under /operator,
// JSON under /api/operator, helpers B's and C's included as they list theirs — × anonymous, a
// customer admin, a customer general user, a provider-organisation user without an operator role,
// an operator_admin whose second step was skipped, and agent / service_manager / operator_admin,
// who are refused below the route's minimum role and served at or above it. A route without a
// sample request fails the test (add it to SAMPLES, and its targets to fixtures() under its areaOf()).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import Fastify from 'fastify';
import type { OperatorRole } from '../../src/db/schema.ts';
import { testDialects } from '../helpers/db.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import type { Browser } from '../helpers/client.ts';
import { givenTerms } from '../helpers/scenario.ts';
import { anonymous, csrfOf, givenOrg, loggedIn, registeredRoutes, skippedSession } from '../helpers/admin.ts';
import { givenProvider, loggedInOperator } from '../helpers/operator.ts';
import { OPERATOR_ROUTES, enforceOperatorRouteList, type OperatorRoute } from '../../src/operator/route-list.ts';
import { OPERATOR_ROLES, addOperator, roleAtLeast, setOperatorRole } from '../../src/auth/service.ts';
import { openTicket } from '../../src/portal/tickets/service.ts';
import type { ContractScope } from '../../src/portal/access.ts';
import { PUBLISH_SAMPLES, publishFixtures, publishPath, type PublishFx } from '../helpers/operator-publish.ts';
import { customerFixtures, type CustomerFx } from '../helpers/operator-customers.ts';

/** Targets, made fresh for each served POST, so one request cannot spoil the next (a closed ticket …). */
interface Fx extends PublishFx, CustomerFx { orgId: string; customerId: string; ticketId: string; operatorId: string; closedTicketId: string; targetOperatorId: string; attachmentId: string }

type Sample = { path?: (fx: Fx) => string; body?: (fx: Fx) => Record<string, string>; ok: number };
let n = 0;
/** How to call each route and the status that means "served". Pages answer 200 or 303 (post-redirect-get). */
const SAMPLES: Record<string, Sample> = {
  'GET /operator': { ok: 200 },
  'GET /api/operator': { ok: 200 },
  'GET /operator/operators': { ok: 200 },
  'POST /operator/operators': { body: () => ({ email: `op${++n}@provider.example`, name: '新規 オペ', phone: '0312345678', role: 'agent', lang: 'ja' }), ok: 303 },
  'POST /operator/operators/:userId/role': { body: () => ({ role: 'service_manager' }), ok: 303 },
  'GET /api/operator/operators': { ok: 200 },
  'POST /api/operator/operators': { body: () => ({ email: `op${++n}@provider.example`, name: '新規 オペ', phone: '0312345678', role: 'agent' }), ok: 201 },
  'POST /api/operator/operators/:userId/role': { body: () => ({ role: 'none' }), ok: 200 },
  'GET /operator/tickets': { path: (fx) => `/operator/tickets?status=waiting&org=${fx.orgId}`, ok: 200 },
  'GET /operator/tickets/:ticketId': { ok: 200 },
  'GET /operator/tickets/:ticketId/attachments/:attachmentId': { ok: 200 },
  'POST /operator/tickets/:ticketId/assign': { body: () => ({ assignee: 'me' }), ok: 303 },
  'POST /operator/tickets/:ticketId/severity': { body: () => ({ severity: 'high' }), ok: 303 },
  'POST /operator/tickets/:ticketId/notes': { body: () => ({ body: `note ${++n}` }), ok: 303 },
  'POST /operator/tickets/:ticketId/replies': { body: () => ({ body: `reply ${++n}`, mode: 'reply' }), ok: 303 },
  'POST /operator/tickets/:ticketId/close': { body: () => ({}), ok: 303 },
  'POST /operator/tickets/:ticketId/reopen': { path: (fx) => `/operator/tickets/${fx.closedTicketId}/reopen`, body: () => ({}), ok: 303 },
  'GET /api/operator/tickets': { path: (fx) => `/api/operator/tickets?org=${fx.orgId}`, ok: 200 },
  'GET /api/operator/tickets/:ticketId': { ok: 200 },
  'POST /api/operator/tickets/:ticketId/assign': { body: (fx) => ({ assignee: fx.operatorId }), ok: 200 },
  'POST /api/operator/tickets/:ticketId/severity': { body: () => ({ severity: 'critical' }), ok: 200 },
  'POST /api/operator/tickets/:ticketId/notes': { body: () => ({ body: `note ${++n}` }), ok: 201 },
  'POST /api/operator/tickets/:ticketId/replies': { body: () => ({ body: `ask ${++n}`, mode: 'ask' }), ok: 201 },
  'POST /api/operator/tickets/:ticketId/close': { body: () => ({}), ok: 200 },
  'POST /api/operator/tickets/:ticketId/reopen': { path: (fx) => `/api/operator/tickets/${fx.closedTicketId}/reopen`, body: () => ({}), ok: 200 },
  // Notices, maintenance, terms, migrations (helper C): test/helpers/operator-publish.ts.
  ...PUBLISH_SAMPLES,
  // Customers and contracts (B)
  'GET /operator/organisations': { path: () => '/operator/organisations?q=org&kind=direct', ok: 200 },
  'POST /operator/organisations': { body: () => ({ name: `Made ${++n}`, kind: 'direct' }), ok: 303 },
  'GET /operator/organisations/:orgId': { path: (fx) => `/operator/organisations/${fx.orgId}`, ok: 200 },
  'POST /operator/organisations/:orgId/first-admin': { path: (fx) => `/operator/organisations/${fx.freshOrgId}/first-admin`, body: () => ({ email: `first${++n}@example.com`, name: 'First Admin', phone: '0312345678' }), ok: 303 },
  'GET /operator/services': { ok: 200 },
  'POST /operator/services': { body: () => ({ code: `made-${++n}`, category: 'fx-voice', name_ja: 'X', name_en: 'X' }), ok: 303 },
  'POST /operator/services/categories': { body: () => ({ code: `cat-${++n}`, name_ja: 'X', name_en: 'X' }), ok: 303 },
  'GET /operator/services/:code': { path: (fx) => `/operator/services/${fx.serviceCode}`, ok: 200 },
  'POST /operator/services/:code': { path: (fx) => `/operator/services/${fx.serviceCode}`, body: () => ({ name_en: `Smart PBX ${++n}` }), ok: 303 },
  'GET /operator/services/categories/:code': { path: (fx) => `/operator/services/categories/${fx.categoryCode}`, ok: 200 },
  'POST /operator/services/categories/:code': { path: (fx) => `/operator/services/categories/${fx.categoryCode}`, body: () => ({ position: String(++n) }), ok: 303 },
  'GET /operator/contracts': { path: (fx) => `/operator/contracts?q=N7&org=${fx.orgId}&status=normal`, ok: 200 },
  'POST /operator/contracts': { body: (fx) => ({ org: fx.orgId, number: `N8${String(++n).padStart(8, '0')}`, service: 'fx-pbx' }), ok: 303 },
  'GET /operator/contracts/import': { ok: 200 },
  'POST /operator/contracts/import': { body: (fx) => ({ csv: `organisation,number,service\n${fx.orgId},N9${String(++n).padStart(8, '0')},fx-pbx\n`, mode: 'apply' }), ok: 200 },
  'GET /operator/contracts/:contractId': { path: (fx) => `/operator/contracts/${fx.contractId}`, ok: 200 },
  'POST /operator/contracts/:contractId': { path: (fx) => `/operator/contracts/${fx.contractId}`, body: () => ({ status: 'maintenance', memo: `m ${++n}` }), ok: 303 },
  'GET /operator/orders': { path: (fx) => `/operator/orders?org=${fx.orgId}`, ok: 200 },
  'POST /operator/orders': { body: (fx) => ({ org: fx.orgId, service: 'fx-pbx' }), ok: 303 },
  'GET /operator/orders/:number': { path: (fx) => `/operator/orders/${fx.orderNumber}`, ok: 200 },
  'POST /operator/orders/:number/steps/:step': { path: (fx) => `/operator/orders/${fx.orderNumber}/steps/reviewing`, body: () => ({ action: 'done' }), ok: 303 },
  'POST /operator/orders/:number/notice': { path: (fx) => `/operator/orders/${fx.orderNumber}/notice`, body: () => ({ notice_ja: '開通しました', notice_en: 'Opened' }), ok: 303 },
  'GET /api/operator/organisations': { path: () => '/api/operator/organisations?q=org', ok: 200 },
  'POST /api/operator/organisations': { body: () => ({ name: `Made ${++n}`, kind: 'direct' }), ok: 201 },
  'GET /api/operator/organisations/:orgId': { path: (fx) => `/api/operator/organisations/${fx.orgId}`, ok: 200 },
  'POST /api/operator/organisations/:orgId/first-admin': { path: (fx) => `/api/operator/organisations/${fx.freshOrgId}/first-admin`, body: () => ({ email: `first${++n}@example.com`, name: 'First Admin', phone: '0312345678' }), ok: 201 },
  'GET /api/operator/services': { ok: 200 },
  'POST /api/operator/services': { body: () => ({ code: `made-${++n}`, category: 'fx-voice', name_ja: 'X', name_en: 'X' }), ok: 201 },
  'POST /api/operator/services/:code': { path: (fx) => `/api/operator/services/${fx.serviceCode}`, body: () => ({ name_ja: `PBX ${++n}` }), ok: 200 },
  'POST /api/operator/categories': { body: () => ({ code: `cat-${++n}`, name_ja: 'X', name_en: 'X' }), ok: 201 },
  'POST /api/operator/categories/:code': { path: (fx) => `/api/operator/categories/${fx.categoryCode}`, body: () => ({ name_en: `Voice ${++n}` }), ok: 200 },
  'GET /api/operator/contracts': { path: (fx) => `/api/operator/contracts?org=${fx.orgId}`, ok: 200 },
  'POST /api/operator/contracts': { body: (fx) => ({ org: fx.orgId, number: `N8${String(++n).padStart(8, '0')}`, service: 'fx-pbx' }), ok: 201 },
  'POST /api/operator/contracts/import': { body: (fx) => ({ csv: `organisation,number,service\n${fx.orgId},${fx.contractNumber},fx-fax\n` }), ok: 200 },
  'GET /api/operator/contracts/:contractId': { path: (fx) => `/api/operator/contracts/${fx.contractId}`, ok: 200 },
  'POST /api/operator/contracts/:contractId': { path: (fx) => `/api/operator/contracts/${fx.contractId}`, body: () => ({ site: `s ${++n}` }), ok: 200 },
  'GET /api/operator/orders': { ok: 200 },
  'POST /api/operator/orders': { body: (fx) => ({ org: fx.orgId, service: 'fx-pbx', planned: '2030-04-01' }), ok: 201 },
  'GET /api/operator/orders/:number': { path: (fx) => `/api/operator/orders/${fx.orderNumber}`, ok: 200 },
  'POST /api/operator/orders/:number/steps/:step': { path: (fx) => `/api/operator/orders/${fx.orderNumber}/steps/opened`, body: () => ({ action: 'plan', date: '2030-05-01' }), ok: 200 },
  'POST /api/operator/orders/:number/notice': { path: (fx) => `/api/operator/orders/${fx.orderNumber}/notice`, body: () => ({ notice_ja: '開通', notice_en: 'Opened' }), ok: 200 },
  // Branding (issue 20 item 2): a customer organisation's brand (no fixtures of its own).
  'GET /operator/branding': { ok: 200 },
  'GET /operator/branding/:scope/:id': { path: (fx) => `/operator/branding/org/${fx.orgId}`, ok: 200 },
  'POST /operator/branding/:scope/:id': { path: (fx) => `/operator/branding/org/${fx.orgId}`, body: () => ({ name_en: `Brand ${++n}` }), ok: 303 },
  'POST /operator/branding/:scope/:id/clear': { path: (fx) => `/operator/branding/org/${fx.orgId}/clear`, body: () => ({ confirm: '1' }), ok: 303 },
};

function scopeOf(orgId: string, userId: string): ContractScope {
  return { viewer: { userId, organisationId: orgId, role: 'admin' }, wholeOrgIds: [orgId], organisationId: orgId, groupIds: [] };
}

/** The console area a route belongs to: the first segment after /operator or /api/operator. */
type Area = 'home' | 'tickets' | 'operators' | 'publish' | 'customers';
function areaOf(url: string): Area {
  const first = url.replace(/^\/(api\/)?operator\/?/, '').split('/')[0]!;
  if (first === '' || first === 'branding') return 'home';
  if (first === 'tickets' || first === 'operators') return first;
  if (['notices', 'maintenance', 'terms', 'migrations'].includes(first)) return 'publish';
  if (['organisations', 'services', 'categories', 'contracts', 'orders'].includes(first)) return 'customers';
  throw new Error(`operator route ${url}: no fixtures for its area; add it to areaOf()`);
}

/** Ids of an area that was not built: a served request that uses one meets a 404 and fails the matrix. */
const UNBUILT = 'not-built-for-this-area';

/** The targets of the route's area only (fresh ones cost PostgreSQL some twenty statements each). */
async function fixtures(app: TestApp, base: { orgId: string; customerId: string; operatorId: string }, area: Area): Promise<Fx> {
  const fx: Fx = {
    ...base, ticketId: UNBUILT, closedTicketId: UNBUILT, attachmentId: UNBUILT, targetOperatorId: UNBUILT,
    noticeId: UNBUILT, windowId: UNBUILT, versionId: UNBUILT, basedOn: UNBUILT,
    freshOrgId: UNBUILT, contractId: UNBUILT, contractNumber: UNBUILT, orderNumber: UNBUILT, serviceCode: UNBUILT, categoryCode: UNBUILT,
  };
  if (area === 'tickets') {
    const scope = scopeOf(base.orgId, base.customerId);
    const author = { id: base.customerId, name: 'Customer' };
    const open = await openTicket(app.ctx, scope, author, {
      category: 'portal', subject: `subject ${++n}`, body: 'help', files: [{ field: 'attachments', filename: 'trace.log', declaredType: 'text/plain', data: Buffer.from('line 1\n') }],
    });
    const attachment = await app.ctx.db.selectFrom('ticket_attachment').select('id').where('ticket_id', '=', open.id).executeTakeFirstOrThrow();
    const closed = await openTicket(app.ctx, scope, author, { category: 'portal', subject: `subject ${++n}`, body: 'help', files: [] });
    await app.ctx.db.updateTable('ticket').set({ status: 'closed', closed_at: app.ctx.now() }).where('id', '=', closed.id).execute();
    return { ...fx, ticketId: open.id, closedTicketId: closed.id, attachmentId: attachment.id };
  }
  if (area === 'operators') {
    const target = await addOperator(app.ctx, { email: `target${++n}@provider.example`, name: 'Target', role: 'agent' }, { userId: null, ip: 't' });
    return { ...fx, targetOperatorId: target.user.id };
  }
  if (area === 'publish') return { ...fx, ...(await publishFixtures(app)) };
  if (area === 'customers') return { ...fx, ...(await customerFixtures(app, base.orgId)) };
  return fx;
}

function pathFor(route: OperatorRoute, fx: Fx, sample: Sample): string {
  return sample.path ? sample.path(fx) : publishPath(route.url.replace(':ticketId', fx.ticketId).replace(':userId', fx.targetOperatorId).replace(':attachmentId', fx.attachmentId), fx);
}

type Expect = 'login' | 'forbidden' | 'ok';

for (const dialect of testDialects()) {
  describe(`${dialect}: operator authorisation matrix`, () => {
    it('every console route × every kind of caller; the minimum role of each route is enforced', async (t) => {
      const app = await startTestApp(dialect, t);
      await givenTerms(app.ctx);
      const providerId = await givenProvider(app);
      const customerOrg = await givenOrg(app, 'direct');

      const registered = registeredRoutes(app.app).filter((r) => /^\/(api\/)?operator(\/|$)/.test(r.url)).map((r) => `${r.method} ${r.url}`).sort();
      const listed = OPERATOR_ROUTES.map((r) => `${r.method} ${r.url}`).sort();
      assert.deepEqual(registered, listed, 'src/operator/route-list.ts and the registered routes differ');
      for (const key of listed) assert.ok(SAMPLES[key], `no sample request for ${key}: add it to SAMPLES in test/http/operator-authz.test.ts`);

      const customerAdmin = await loggedIn(app, customerOrg, 'admin');
      const customerUser = await loggedIn(app, customerOrg);
      // A customer admin whose row says "operator_admin" (a bad import, a tampered row): still a customer.
      const tampered = await loggedIn(app, customerOrg, 'admin');
      await app.ctx.db.updateTable('app_user').set({ operator_role: 'operator_admin' }).where('id', '=', tampered.u.id).execute();
      const providerAdminNoRole = await loggedIn(app, providerId, 'admin');
      const ops = {} as Record<OperatorRole, Awaited<ReturnType<typeof loggedInOperator>>>;
      for (const role of OPERATOR_ROLES) ops[role] = await loggedInOperator(app, role);
      const skippedAdmin = await loggedInOperator(app, 'operator_admin');

      const callers: { name: string; b: Browser; expect: (r: OperatorRoute) => Expect }[] = [
        { name: 'anonymous', b: await anonymous(app), expect: () => 'login' },
        { name: 'customer admin', b: customerAdmin.b, expect: () => 'forbidden' },
        { name: 'customer general user', b: customerUser.b, expect: () => 'forbidden' },
        { name: 'customer admin with an operator role on its row', b: tampered.b, expect: () => 'forbidden' },
        { name: 'provider-organisation admin without an operator role', b: providerAdminNoRole.b, expect: () => 'forbidden' },
        { name: 'operator_admin with a 2-step-skipped session', b: await skippedSession(app, skippedAdmin.u.id), expect: () => 'forbidden' },
        ...OPERATOR_ROLES.map((role) => ({ name: role, b: ops[role].b, expect: (r: OperatorRoute): Expect => (roleAtLeast(role, r.minRole) ? 'ok' : 'forbidden') })),
      ];

      const failures: string[] = [];
      const base = { orgId: customerOrg, customerId: customerAdmin.u.id, operatorId: ops.agent.u.id };
      for (const route of OPERATOR_ROUTES as readonly OperatorRoute[]) {
        const key = `${route.method} ${route.url}`;
        const sample = SAMPLES[key]!;
        const json = route.url.startsWith('/api/');
        // A served POST gets fresh targets (a served close or withdraw spoils them). Every other call
        // shares one set per route: a GET or a refusal changes nothing (the audit check below says so
        // for refusals), and a refusal that served instead fails at its own status, whatever it did.
        let sharedFx: Fx | undefined;
        const area = areaOf(route.url);
        for (const caller of callers) {
          const fresh = route.method === 'POST' && caller.expect(route) === 'ok';
          const fx = fresh ? await fixtures(app, base, area) : (sharedFx ??= await fixtures(app, base, area));
          const path = pathFor(route, fx, sample);
          let res;
          if (route.method === 'GET') res = await caller.b.get(path, json ? { accept: 'application/json' } : {});
          else if (json) {
            res = await caller.b.request('POST', path, JSON.stringify(sample.body!(fx)), { accept: 'application/json', 'content-type': 'application/json', 'x-csrf-token': csrfOf(app, caller.b) });
          } else res = await caller.b.post(path, sample.body!(fx), { csrf: csrfOf(app, caller.b) });
          const expect = caller.expect(route);
          const want = expect === 'login' ? (json ? 401 : 303) : expect === 'forbidden' ? 403 : sample.ok;
          const where = expect === 'login' && !json ? /^\/login(\?return_to=%2F[^&#]*)?$/.test(res.location ?? '') : true;
          if (res.status !== want || !where) failures.push(`${key} as ${caller.name}: ${res.status} ${res.location ?? ''}, expected ${want}`);
        }
      }
      assert.deepEqual(failures, []);

      // Refused callers changed nothing: every operator action recorded is by one of the served operators.
      const allowed = OPERATOR_ROLES.map((r) => ops[r].u.id);
      const byOthers = await app.ctx.db.selectFrom('audit_log').select(['event', 'actor_user_id'])
        .where('actor_user_id', 'is not', null).where('actor_user_id', 'not in', allowed)
        .where((eb) => eb.or([eb('event', 'like', 'ticket.%'), eb('event', 'like', 'operator.%'), eb('event', '=', 'user.registered'), eb('event', 'like', 'notice.%'),
          eb('event', 'like', 'maintenance.%'), eb('event', '=', 'terms.published'), eb('event', 'like', 'contract%'), eb('event', 'like', 'order.%'),
          eb('event', 'like', 'service.%'), eb('event', 'like', 'category.%'), eb('event', '=', 'org.created')])).execute();
      assert.deepEqual(byOthers, []);
    });

    it('a provider-organisation user gets no customer admin powers over customer organisations; operator roles stay in the provider organisation', async (t) => {
      const app = await startTestApp(dialect, t);
      await givenTerms(app.ctx);
      const customerOrg = await givenOrg(app, 'direct');
      const customer = await loggedIn(app, customerOrg);
      const operatorAdmin = await loggedInOperator(app, 'operator_admin');
      const providerId = await givenProvider(app);
      const providerAdmin = await loggedIn(app, providerId, 'admin');
      // An operator (a general user of the provider organisation) is no portal admin at all.
      assert.equal((await operatorAdmin.b.get(`/admin/users?org=${customerOrg}`)).status, 403);
      // The provider organisation's own portal admin manages the provider organisation only.
      assert.equal((await providerAdmin.b.get(`/admin/users?org=${customerOrg}`)).status, 403);
      assert.equal((await providerAdmin.b.get(`/admin/users/${customer.u.id}`)).status, 404);
      assert.equal((await providerAdmin.b.get(`/admin/users?org=${providerId}`)).status, 200);
      // Customers' contracts and tickets are not theirs in the portal either.
      const portal = await operatorAdmin.b.get('/portal/tickets', { accept: 'application/json' });
      assert.equal(portal.status, 200);
      assert.deepEqual(JSON.parse(portal.body).tickets ?? [], []);
      // No operator role for a customer, by any path.
      await assert.rejects(setOperatorRole(app.ctx, customer.u.id, 'agent', { userId: null, ip: 't' }), /operator\.not_provider_user/);
    });
  });
}

describe('operator route list', () => {
  it('a console route missing from src/operator/route-list.ts stops the app from starting', async () => {
    const app = Fastify();
    void app.register(async (op) => {
      enforceOperatorRouteList(op);
      op.post('/operator/impersonate', async () => 'never');
    });
    await assert.rejects(async () => { await app.ready(); }, /POST \/operator\/impersonate is not in src\/operator\/route-list\.ts/);
  });
});
