// Authorisation matrix for every admin route (SECURITY.md item 34; S0, S13): an attacker who is
// anonymous, a general user, an admin of another organisation (also a sibling child of the same
// partner), or an admin whose second step was skipped must be refused by every route, as page and
// as JSON; the organisation's own admin and its partner's admin are served. The routes come from
// src/admin/route-list.ts, which the admin plugin enforces, and are checked against Fastify's table.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { testDialects } from '../helpers/db.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import type { Browser } from '../helpers/client.ts';
import { givenTerms, givenUser } from '../helpers/scenario.ts';
import { anonymous, csrfOf, givenOrg, loggedIn, registeredRoutes, skippedSession } from '../helpers/admin.ts';
import Fastify from 'fastify';
import { ADMIN_ROUTES, enforceRouteList } from '../../src/admin/route-list.ts';
import { newId } from '../../src/lib/index.ts';
import { createCategory, createService, findServiceByCode } from '../../src/portal/catalogue/service.ts';
import { createContract, grantContract } from '../../src/portal/contracts/service.ts';

/** Targets in the child organisation, fresh for each served POST, so one request cannot spoil the next. */
interface Fx { orgId: string; userId: string; memberId: string; groupId: string; networkId: string; contractId: string; contractNumber: string; tokenId: string; passkeyId: string; contactId: string }

type Sample = { query?: true; body?: (fx: Fx) => Record<string, string>; ok: { page: number; json: number } };
let n = 0;
const ok200 = { page: 200, json: 200 };
/** A destructive action's confirmation page; a JSON client is told to post confirm=yes instead. */
const confirmPage = { page: 200, json: 409 };
/** How to call each route, and what success looks like. A listed route without a sample fails the test. */
const SAMPLES: Record<string, Sample> = {
  'GET /admin': { query: true, ok: ok200 },
  'GET /admin/users': { query: true, ok: ok200 },
  'GET /admin/users/new': { query: true, ok: ok200 },
  'POST /admin/users': { body: (fx) => ({ org: fx.orgId, email: `new${++n}@example.co.jp`, name: '新規 花子', phone: '0311112222', role: 'general' }), ok: { page: 303, json: 201 } },
  'GET /admin/users/:userId': { ok: ok200 },
  'POST /admin/users/:userId/contact': { body: () => ({ email: `changed${++n}@example.co.jp`, name: '変更 後', phone: '0399998888' }), ok: ok200 },
  'POST /admin/users/:userId/role': { body: () => ({ role: 'admin' }), ok: ok200 },
  'POST /admin/users/:userId/starting-guide': { body: () => ({}), ok: ok200 },
  'POST /admin/users/:userId/second-factor': { body: () => ({ method: 'mail_otp' }), ok: ok200 },
  'GET /admin/users/:userId/totp-reset': { ok: confirmPage },
  'POST /admin/users/:userId/totp-reset': { body: () => ({ confirm: 'yes' }), ok: ok200 },
  'GET /admin/users/:userId/trusted-browsers/revoke': { ok: confirmPage },
  'POST /admin/users/:userId/trusted-browsers/revoke': { body: () => ({ confirm: 'yes' }), ok: ok200 },
  'GET /admin/users/:userId/passkeys/:passkeyId/revoke': { ok: confirmPage },
  'POST /admin/users/:userId/passkeys/:passkeyId/revoke': { body: () => ({ confirm: 'yes' }), ok: ok200 },
  'GET /admin/users/:userId/sessions/revoke': { ok: confirmPage },
  'POST /admin/users/:userId/sessions/revoke': { body: () => ({ confirm: 'yes' }), ok: ok200 },
  'GET /admin/users/:userId/disable': { ok: confirmPage },
  'POST /admin/users/:userId/disable': { body: () => ({ confirm: 'yes' }), ok: ok200 },
  'POST /admin/users/:userId/enable': { body: () => ({}), ok: ok200 },
  'POST /admin/users/:userId/unlock': { body: () => ({}), ok: ok200 },
  'GET /admin/groups': { query: true, ok: ok200 },
  'POST /admin/groups': { body: (fx) => ({ org: fx.orgId, name: `group ${++n}` }), ok: { page: 303, json: 201 } },
  'GET /admin/groups/:groupId': { ok: ok200 },
  'POST /admin/groups/:groupId/rename': { body: () => ({ name: `renamed ${++n}` }), ok: ok200 },
  'GET /admin/groups/:groupId/delete': { ok: confirmPage },
  'POST /admin/groups/:groupId/delete': { body: () => ({ confirm: 'yes' }), ok: { page: 303, json: 200 } },
  'POST /admin/groups/:groupId/members': { body: (fx) => ({ userId: fx.userId }), ok: ok200 },
  'GET /admin/groups/:groupId/members/:userId/remove': { ok: confirmPage },
  'POST /admin/groups/:groupId/members/:userId/remove': { body: () => ({ confirm: 'yes' }), ok: ok200 },
  'POST /admin/groups/:groupId/contracts': { body: (fx) => ({ numbers: fx.contractNumber }), ok: ok200 },
  'POST /admin/groups/:groupId/contracts/:contractId/revoke': { body: () => ({}), ok: ok200 },
  'GET /admin/audit': { query: true, ok: ok200 },
  'GET /admin/audit.csv': { query: true, ok: ok200 },
  'GET /admin/settings': { query: true, ok: ok200 },
  'POST /admin/settings/networks': { body: (fx) => ({ org: fx.orgId, cidr: '198.51.100.0/24', label: 'office' }), ok: ok200 },
  'POST /admin/settings/networks/:networkId/remove': { body: () => ({}), ok: ok200 },
  'POST /admin/settings/trusted-browsers': { body: (fx) => ({ org: fx.orgId, enabled: '1' }), ok: ok200 },
  // Issue 24 item 6: API tokens (docs/api.md).
  'GET /admin/api-tokens': { query: true, ok: ok200 },
  'POST /admin/api-tokens': { body: (fx) => ({ org: fx.orgId, name: `client ${++n}`, scopes: 'contracts:read' }), ok: { page: 200, json: 201 } },
  'POST /admin/api-tokens/:tokenId/revoke': { body: () => ({}), ok: ok200 },
  // Issue 24 item 2: technical contacts per contract.
  'GET /admin/contacts': { query: true, ok: ok200 },
  'POST /admin/contacts': { body: (fx) => ({ org: fx.orgId, number: fx.contractNumber, name: 'NOC', email: `noc${++n}@example.com` }), ok: { page: 200, json: 201 } },
  'POST /admin/contacts/:contactId/remove': { body: () => ({}), ok: ok200 },
};

/** The admin area a route belongs to: the first segment after /admin (audit.csv is audit). */
type Area = 'home' | 'users' | 'groups' | 'settings' | 'audit' | 'api-tokens' | 'contacts';
function areaOf(url: string): Area {
  const first = url.replace(/^\/admin\/?/, '').split('/')[0]!.replace(/\.csv$/, '');
  if (first === '') return 'home';
  if (first === 'users' || first === 'groups' || first === 'settings' || first === 'audit' || first === 'api-tokens' || first === 'contacts') return first;
  throw new Error(`admin route ${url}: no fixtures for its area; add it to areaOf()`);
}

/** Ids of an area that was not built: a served request that uses one is answered 403/404 and fails the matrix. */
const UNBUILT = 'not-built-for-this-area';

/** The targets of the route's area only (a group's routes also add the user of the users area as a member). */
async function fixtures(app: TestApp, orgId: string, area: Area): Promise<Fx> {
  const now = app.ctx.now();
  const fx: Fx = { orgId, userId: UNBUILT, memberId: UNBUILT, groupId: UNBUILT, networkId: UNBUILT, contractId: UNBUILT, contractNumber: UNBUILT, tokenId: UNBUILT, passkeyId: UNBUILT, contactId: UNBUILT };
  if (area === 'users' || area === 'groups') {
    const user = await givenUser(app.ctx, { orgId });
    // Registered "an hour ago" as far as the starting-guide cooldown goes (SECURITY.md item 44), so a re-send is due.
    await app.ctx.db.updateTable('mail_quota').set({ last_sent_at: now - 3_600_000 }).where('key', '=', `guide:${user.id}`).execute();
    fx.userId = user.id;
    // Issue 23: a passkey of the user, so its revoke route has a target.
    const passkeyId = newId();
    await app.ctx.db.insertInto('factor').values({
      id: passkeyId, user_id: user.id, kind: 'passkey', secret_enc: '', label: 'fixture', created_at: now, last_used_at: null, last_step: 0,
      credential_id: `cred-${passkeyId}`, public_key: 'AA', sign_count: 0, aaguid: '00000000-0000-0000-0000-000000000000',
    }).execute();
    fx.passkeyId = passkeyId;
  }
  if (area === 'groups' || area === 'contacts') {
    if (!(await findServiceByCode(app.ctx.db, 'authz'))) {
      await createCategory(app.ctx.db, { code: 'authz', nameJa: '分類', nameEn: 'Category' });
      await createService(app.ctx.db, { code: 'authz', categoryCode: 'authz', nameJa: 'サービス', nameEn: 'Service' }, now);
    }
  }
  if (area === 'contacts') {
    const contract = await createContract(app.ctx.db, { organisationId: orgId, number: `N${String(++n).padStart(9, '0')}`, serviceCode: 'authz' }, now);
    const contactId = newId();
    await app.ctx.db.insertInto('contract_contact').values({ id: contactId, contract_id: contract.id, organisation_id: orgId, name: 'fixture', email: `fixture${++n}@example.com`, created_by: null, created_at: now }).execute();
    Object.assign(fx, { contractId: contract.id, contractNumber: contract.number, contactId });
  }
  if (area === 'groups') {
    const member = await givenUser(app.ctx, { orgId });
    const groupId = newId();
    await app.ctx.db.insertInto('user_group').values({ id: groupId, organisation_id: orgId, name: `fixture ${++n}`, created_at: now }).execute();
    await app.ctx.db.insertInto('user_group_member').values({ group_id: groupId, user_id: member.id }).execute();
    // A contract of the organisation (S8) that the group may view: grant and revoke have a target.
    if (!(await findServiceByCode(app.ctx.db, 'authz'))) {
      await createCategory(app.ctx.db, { code: 'authz', nameJa: '分類', nameEn: 'Category' });
      await createService(app.ctx.db, { code: 'authz', categoryCode: 'authz', nameJa: 'サービス', nameEn: 'Service' }, now);
    }
    const contract = await createContract(app.ctx.db, { organisationId: orgId, number: `N${String(++n).padStart(9, '0')}`, serviceCode: 'authz' }, now);
    await grantContract(app.ctx.db, { id: groupId, organisation_id: orgId }, contract, now);
    Object.assign(fx, { memberId: member.id, groupId, contractId: contract.id, contractNumber: contract.number });
  }
  if (area === 'settings') {
    const networkId = newId();
    await app.ctx.db.insertInto('trusted_network').values({ id: networkId, organisation_id: orgId, cidr: '192.0.2.0/24', label: 'fixture', created_at: now }).execute();
    fx.networkId = networkId;
  }
  if (area === 'api-tokens') {
    const tokenId = newId();
    const creator = await givenUser(app.ctx, { orgId, role: 'admin' });
    await app.ctx.db.insertInto('api_token').values({ id: tokenId, organisation_id: orgId, name: `fixture ${++n}`, token_hash: `fixture-${tokenId}`, scopes: 'contracts:read', created_by: creator.id, created_at: now, last_used_at: null, revoked_at: null }).execute();
    fx.tokenId = tokenId;
  }
  return fx;
}

function pathFor(url: string, fx: Fx, sample: Sample): string {
  const path = url.replace(':passkeyId', fx.passkeyId).replace(':groupId', fx.groupId).replace(':networkId', fx.networkId).replace(':contractId', fx.contractId).replace(':tokenId', fx.tokenId).replace(':contactId', fx.contactId)
    .replace(/\/members\/:userId/, `/members/${fx.memberId}`).replace(':userId', fx.userId);
  return sample.query ? `${path}?org=${fx.orgId}` : path;
}

type Expect = 'login' | 'forbidden' | 'ok';

for (const dialect of testDialects()) {
  describe(`${dialect}: admin authorisation matrix`, () => {
    it('every admin route × every kind of caller, as page and as JSON', async (t) => {
      const app = await startTestApp(dialect, t);
      await givenTerms(app.ctx);
      const partner = await givenOrg(app, 'partner');
      const child = await givenOrg(app, 'child', partner);
      const sibling = await givenOrg(app, 'child', partner);
      const other = await givenOrg(app, 'direct');

      // The list is the table: every listed route is registered, every registered /admin route listed.
      const registered = registeredRoutes(app.app).filter((r) => r.url.startsWith('/admin')).map((r) => `${r.method} ${r.url}`).sort();
      const listed = ADMIN_ROUTES.map((r) => `${r.method} ${r.url}`).sort();
      assert.deepEqual(registered, listed, 'src/admin/route-list.ts and the registered routes differ');
      for (const key of listed) assert.ok(SAMPLES[key], `no sample request for ${key}: add it to SAMPLES`);

      const own = await loggedIn(app, child, 'admin');
      const partnerAdmin = await loggedIn(app, partner, 'admin');
      // foreign: an admin elsewhere; a user of theirs is "not found" (404, issue 16), like an unknown id.
      const callers: { name: string; b: Browser; expect: Expect; foreign?: true }[] = [
        { name: 'anonymous', b: await anonymous(app), expect: 'login' },
        { name: 'general user of the organisation', b: (await loggedIn(app, child)).b, expect: 'forbidden' },
        { name: 'admin of another organisation', b: (await loggedIn(app, other, 'admin')).b, expect: 'forbidden', foreign: true },
        { name: 'admin of a sibling child organisation', b: (await loggedIn(app, sibling, 'admin')).b, expect: 'forbidden', foreign: true },
        { name: '2-step-skipped admin session', b: await skippedSession(app, own.u.id), expect: 'forbidden' },
        { name: 'partner admin of the parent organisation', b: partnerAdmin.b, expect: 'ok' },
        { name: 'admin of the organisation', b: own.b, expect: 'ok' },
      ];

      const failures: string[] = [];
      for (const route of ADMIN_ROUTES) {
        const key = `${route.method} ${route.url}`;
        const sample = SAMPLES[key]!;
        // A served POST gets fresh targets (a served delete or disable spoils them). Every other call
        // shares one set per route: a GET or a refusal changes nothing (the audit check below says so
        // for refusals), and a refusal that served instead fails at its own status, whatever it did.
        let sharedFx: Fx | undefined;
        const area = areaOf(route.url);
        for (const caller of callers) {
          for (const mode of ['page', 'json'] as const) {
            const fresh = route.method === 'POST' && caller.expect === 'ok';
            const fx = fresh ? await fixtures(app, child, area) : (sharedFx ??= await fixtures(app, child, area));
            const path = pathFor(route.url, fx, sample);
            const headers: Record<string, string> = mode === 'json' ? { accept: 'application/json' } : {};
            let res;
            if (route.method === 'GET') res = await caller.b.get(path, headers);
            else if (mode === 'json') {
              res = await caller.b.request('POST', path, JSON.stringify(sample.body!(fx)), { ...headers, 'content-type': 'application/json', 'x-csrf-token': csrfOf(app, caller.b) });
            } else res = await caller.b.post(path, sample.body!(fx), { csrf: csrfOf(app, caller.b) });
            const refused = caller.foreign && route.url.startsWith('/admin/users/:userId') ? 404 : 403;
            const want = caller.expect === 'login' ? (mode === 'page' ? 303 : 401) : caller.expect === 'forbidden' ? refused : sample.ok[mode];
            const where = caller.expect === 'login' && mode === 'page' ? /^\/login(\?return_to=%2F[^&#]*)?$/.test(res.location ?? '') : true;
            if (res.status !== want || !where) failures.push(`${key} as ${caller.name} (${mode}): ${res.status} ${res.location ?? ''}, expected ${want}`);
          }
        }
      }
      assert.deepEqual(failures, []);

      // Refused callers changed nothing: every recorded admin action is by one of the two allowed admins.
      // The foreign admins' refusals are themselves recorded (SECURITY.md item 43), and nothing else is.
      const byOthers = await app.ctx.db.selectFrom('audit_log').select(['event', 'actor_user_id', 'detail'])
        .where('actor_user_id', 'is not', null).where('actor_user_id', 'not in', [own.u.id, partnerAdmin.u.id]).execute();
      assert.deepEqual(byOthers.filter((r) => r.event !== 'admin.cross_org_refused'), []);
      const routes = new Set(byOthers.map((r) => (JSON.parse(r.detail) as { route: string }).route));
      assert.ok(routes.has('POST /admin/users/:userId/disable') && routes.has('GET /admin/groups/:groupId') && routes.has('GET /admin/users'),
        'cross-organisation refusals are audited on every kind of route');
    });
  });
}

describe('admin route list', () => {
  it('an admin route missing from src/admin/route-list.ts stops the app from starting', async () => {
    const app = Fastify();
    void app.register(async (admin) => {
      enforceRouteList(admin);
      admin.post('/admin/users/:userId/impersonate', async () => 'never');
    });
    await assert.rejects(async () => { await app.ready(); }, /POST \/admin\/users\/:userId\/impersonate is not in src\/admin\/route-list\.ts/);
  });
});
