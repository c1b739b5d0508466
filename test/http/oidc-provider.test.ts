// Issue 18: bizportal as an OpenID Connect provider for the settings sites, over real HTTP with a
// certified relying-party library (openid-client), on both databases.
import { describe, it, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRemoteJWKSet, decodeProtectedHeader, exportJWK, generateKeyPair, jwtVerify } from 'jose';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { Browser, text } from '../helpers/client.ts';
import { testDialects } from '../helpers/db.ts';
import { givenWorld, sessionFor } from '../helpers/portal-world.ts';
import { REDIRECT, registerClient, Rp, walk } from '../helpers/oidc.ts';
import { addClient } from '../../src/oidc/clients.ts';
import { createSession } from '../../src/auth/sessions/store.ts';
import { rotateSigningKeys } from '../../src/oidc/keys.ts';

async function world(t: TestContext, dialect: 'sqlite' | 'postgres', client: Parameters<typeof registerClient>[1] = {}) {
  const app = await startTestApp(dialect, t);
  await givenWorld(app.ctx.db);
  const { id, secret } = await registerClient(app.ctx, { serviceCode: 'colo', ...client });
  const rp = await Rp.discover(app.url, id, secret);
  return { app, rp, clientId: id };
}

async function auditOf(app: TestApp, event: string): Promise<Record<string, unknown>[]> {
  return (await app.ctx.db.selectFrom('audit_log').select(['subject_user_id', 'detail']).where('event', '=', event).execute())
    .map((r) => ({ user: r.subject_user_id, ...JSON.parse(r.detail) as Record<string, unknown> }));
}

/** A browser whose portal session skipped the second step (trusted network, S3.7). */
async function skippedSessionFor(app: TestApp, userId: string, orgId: string): Promise<Browser> {
  const b = await sessionFor(app, userId, orgId); // accepts the terms
  const token = await createSession(app.ctx.db, { userId, aal: 'aal1_skipped', skipReason: 'trusted_network', ip: '127.0.0.1', userAgent: 'test' },
    { idleMs: app.config.sessionIdleMs, absoluteMs: app.config.sessionAbsoluteMs }, app.ctx.now());
  b.jar.set('bp_session', token);
  return b;
}

for (const dialect of testDialects()) {
  describe(`OpenID Connect provider (${dialect})`, () => {
    it('a signed-in user with a full 2-step gets an ID token with the contract, no new password', async (t) => {
      const { app, rp, clientId } = await world(t, dialect);
      const b = await sessionFor(app, 'aGen', 'A');
      const begun = await rp.begin({ contract: 'N000000001' });
      const { callback, res } = await walk(b, begun.url.href);
      assert.ok(callback, `stopped at ${res.status} ${text(res.body).slice(0, 300)}`);
      assert.equal(new URL(callback).searchParams.get('state'), begun.state, 'state comes back');
      const tokens = await rp.finish(callback, begun);
      const claims = tokens.claims()!;
      assert.equal(claims.sub, 'aGen');
      assert.equal(claims.iss, app.url);
      assert.equal(claims.nonce, begun.nonce, 'nonce comes back');
      assert.equal(claims.acr, 'aal2');
      assert.deepEqual(claims.amr, ['pwd', 'otp', 'mfa']);
      assert.deepEqual(claims.contract, { number: 'N000000001', service: 'colo' });
      assert.deepEqual(claims.organisation, { id: 'A', name: 'Org A' });
      assert.equal(claims.email, 'aGen@example.com');
      assert.equal(tokens.refresh_token, undefined, 'no refresh tokens');
      const info = await rp.userinfo(tokens.access_token, 'aGen');
      assert.deepEqual(info.contract, { number: 'N000000001', service: 'colo' });
      assert.deepEqual((await auditOf(app, 'oidc.authorized')).map((a) => [a.user, a.client, a.contract, a.acr]), [['aGen', clientId, 'N000000001', 'aal2']]);
      assert.deepEqual((await auditOf(app, 'oidc.token_issued')).map((a) => [a.user, a.client, a.contract]), [['aGen', clientId, 'N000000001']]);
      // Stored ids are hashes: the code and the access token appear nowhere in the table.
      const stored = JSON.stringify(await app.ctx.db.selectFrom('oidc_payload').selectAll().execute());
      assert.ok(!stored.includes(tokens.access_token), 'access token stored in clear');
      assert.ok(!stored.includes(new URL(callback).searchParams.get('code')!), 'code stored in clear');
    });

    it('without a session the request goes through the portal login and comes back', async (t) => {
      const { app, rp } = await world(t, dialect);
      const b = new Browser(app.url);
      const begun = await rp.begin({ contract: 'N000000001' });
      const { callback, res } = await walk(b, begun.url.href);
      assert.equal(callback, null);
      assert.match(res.body, /name="loginId"/, 'the login page');
      // The login page remembers where to go back to: the interaction.
      const flow = await app.ctx.db.selectFrom('flow').select('context').where('kind', '=', 'login').orderBy('created_at', 'desc').executeTakeFirstOrThrow();
      assert.match(String(flow.context), /"returnTo":"\/oidc\/interaction\/[A-Za-z0-9_-]+"/);
    });

    it('a tampered contract number gets an error page and no code: another organisation, not granted, another service, malformed', async (t) => {
      const { app, rp, clientId } = await world(t, dialect);
      const b = await sessionFor(app, 'aGen', 'A');
      for (const [number, status] of [['N000000003', 403], ['N000000002', 403], ['N00000000X', 400]] as const) {
        const begun = await rp.begin({ contract: number });
        const { callback, res } = await walk(b, begun.url.href);
        assert.equal(callback, null, `${number}: sent to the site`);
        assert.equal(res.status, status, number);
        assert.match(text(res.body), number === 'N00000000X' ? /not valid|正しくありません/ : /not one you may view|参照できる契約ではない/);
      }
      // The admin may view N000000002, but it is a contract of another service (voice).
      const admin = await sessionFor(app, 'aAdmin', 'A');
      const other = await walk(admin, (await rp.begin({ contract: 'N000000002' })).url.href);
      assert.equal(other.callback, null);
      assert.equal(other.res.status, 403);
      const refused = await auditOf(app, 'oidc.refused');
      assert.deepEqual(refused.map((r) => [r.user, r.client, r.contract, r.reason]), [
        ['aGen', clientId, 'N000000003', 'unknown_or_hidden'], ['aGen', clientId, 'N000000002', 'unknown_or_hidden'],
        ['aGen', clientId, null, 'malformed'], ['aAdmin', clientId, 'N000000002', 'other_service'],
      ]);
    });

    it('refuses an unregistered redirect URI, a missing PKCE challenge and a wrong verifier', async (t) => {
      const { app, rp } = await world(t, dialect);
      const b = await sessionFor(app, 'aGen', 'A');
      const bad = await rp.begin();
      bad.url.searchParams.set('redirect_uri', 'https://evil.example/callback');
      const r1 = await walk(b, bad.url.href);
      assert.equal(r1.callback, null);
      assert.equal(r1.res.status, 400);
      assert.ok(!r1.res.location, 'never redirected to an unregistered URI');
      assert.match(text(r1.res.body), /redirect_uri/);

      const noPkce = await rp.begin({ pkce: false });
      const r2 = await walk(b, noPkce.url.href);
      assert.ok(r2.callback);
      assert.equal(new URL(r2.callback).searchParams.get('error'), 'invalid_request');
      assert.equal(new URL(r2.callback).searchParams.get('code'), null);

      const begun = await rp.begin();
      const r3 = await walk(b, begun.url.href);
      await assert.rejects(rp.finish(r3.callback!, begun, 'x'.repeat(43)), (e: Error & { error?: string }) => e.error === 'invalid_grant');
      const refused = await auditOf(app, 'oidc.token_refused');
      assert.equal(refused.at(-1)?.error, 'invalid_grant');
    });

    it('a code used twice: the second use fails and revokes what the first issued', async (t) => {
      const { app, rp } = await world(t, dialect);
      const b = await sessionFor(app, 'aGen', 'A');
      const begun = await rp.begin();
      const { callback } = await walk(b, begun.url.href);
      const tokens = await rp.finish(callback!, begun);
      await rp.userinfo(tokens.access_token, 'aGen');
      await assert.rejects(rp.finish(callback!, begun), (e: Error & { error?: string }) => e.error === 'invalid_grant');
      await assert.rejects(rp.userinfo(tokens.access_token, 'aGen'), /challenge|invalid_token/);
    });

    it('an expired code is refused', async (t) => {
      const { app, rp } = await world(t, dialect);
      const b = await sessionFor(app, 'aGen', 'A');
      const begun = await rp.begin();
      const { callback } = await walk(b, begun.url.href);
      app.clock.advance(61_000);
      await assert.rejects(rp.finish(callback!, begun), (e: Error & { error?: string }) => e.error === 'invalid_grant');
    });

    it('a session whose second step was skipped is reported as aal1, and a client asking for aal2 sends the user through the 2-step', async (t) => {
      const { app, rp } = await world(t, dialect);
      const b = await skippedSessionFor(app, 'aGen', 'A');
      const plain = await rp.begin();
      const tokens = await rp.finish((await walk(b, plain.url.href)).callback!, plain);
      assert.equal(tokens.claims()!.acr, 'aal1');
      assert.deepEqual(tokens.claims()!.amr, ['pwd']);
      // Asking for aal1 lowers nothing, asking for aal2 needs a new full login.
      const strict = await rp.begin({ acr: 'aal2' });
      const { callback, res } = await walk(b, strict.url.href);
      assert.equal(callback, null);
      assert.match(res.body, /name="loginId"/);
      const flow = await app.ctx.db.selectFrom('flow').select('context').where('kind', '=', 'login').where('context', 'like', '%/oidc/interaction/%').executeTakeFirstOrThrow();
      assert.match(String(flow.context), /"requestedAal":"aal2"/);
      assert.match(String(flow.context), /"refresh":true/);
    });

    it('a client registered with --require-aal2 never gets an aal1 session', async (t) => {
      const { app, rp } = await world(t, dialect, { requireAal2: true });
      const b = await skippedSessionFor(app, 'aGen', 'A');
      const begun = await rp.begin();
      const { callback, res } = await walk(b, begun.url.href);
      assert.equal(callback, null);
      assert.match(res.body, /name="loginId"/);
    });

    it('keys rotated while a client holds an old ID token: the old key stays published, new tokens use the new key', async (t) => {
      const { app, rp } = await world(t, dialect);
      const b = await sessionFor(app, 'aGen', 'A');
      const first = await rp.begin();
      const old = (await rp.finish((await walk(b, first.url.href)).callback!, first)).id_token!;
      const oldKid = decodeProtectedHeader(old).kid;
      const { kid } = await rotateSigningKeys(app.ctx);
      const second = await rp.begin();
      const fresh = (await rp.finish((await walk(b, second.url.href)).callback!, second)).id_token!;
      assert.equal(decodeProtectedHeader(fresh).kid, kid);
      assert.notEqual(kid, oldKid);
      const jwks = createRemoteJWKSet(new URL('/oidc/jwks', app.url));
      await jwtVerify(old, jwks, { issuer: app.url, audience: rp.clientId, currentDate: new Date(app.clock.now) });
      await jwtVerify(fresh, jwks, { issuer: app.url, audience: rp.clientId, currentDate: new Date(app.clock.now) });
      const published = (await (await fetch(new URL('/oidc/jwks', app.url))).json()) as { keys: Array<{ kid: string; d?: string }> };
      assert.deepEqual(published.keys.map((k) => k.kid).sort(), [kid, oldKid].sort());
      assert.ok(published.keys.every((k) => k.d === undefined), 'no private key material published');
      const stored = await app.ctx.db.selectFrom('oidc_key').select(['private_enc']).execute();
      assert.ok(stored.every((k) => k.private_enc.startsWith('v1.')), 'private keys sealed at rest');
    });

    it('signing out of the portal ends the provider session and notifies the client by back-channel logout', async (t) => {
      const received: string[] = [];
      const rpServer = createServer((req, res) => {
        let body = '';
        req.on('data', (c: Buffer) => { body += c.toString(); });
        req.on('end', () => { received.push(new URLSearchParams(body).get('logout_token') ?? ''); res.writeHead(200).end(); });
      });
      await new Promise<void>((r) => rpServer.listen(0, '127.0.0.1', r));
      t.after(() => new Promise<void>((r) => rpServer.close(() => r())));
      const port = (rpServer.address() as AddressInfo).port;
      const { app, rp, clientId } = await world(t, dialect, { backchannelLogoutUri: `http://127.0.0.1:${port}/backchannel` });
      const b = await sessionFor(app, 'aGen', 'A');
      const begun = await rp.begin();
      const tokens = await rp.finish((await walk(b, begun.url.href)).callback!, begun);
      const sid = tokens.claims()!.sid;
      assert.ok(sid, 'the ID token names the provider session');
      await b.get('/');
      await b.post('/logout', {});
      assert.equal(received.length, 1, 'one logout token');
      const { payload } = await jwtVerify(received[0]!, createRemoteJWKSet(new URL('/oidc/jwks', app.url)), { issuer: app.url, audience: clientId, currentDate: new Date(app.clock.now) });
      assert.equal(payload.sub, 'aGen');
      assert.equal(payload.sid, sid);
      assert.ok((payload.events as Record<string, unknown>)['http://schemas.openid.net/event/backchannel-logout']);
      // What the session's grant issued is revoked, and the next authorization asks the portal again.
      await assert.rejects(rp.userinfo(tokens.access_token, 'aGen'), /challenge|invalid_token/);
      const again = await walk(b, (await rp.begin()).url.href);
      assert.equal(again.callback, null);
      assert.match(again.res.body, /name="loginId"/);
    });

    it('RP-initiated logout: the user confirms, and "also the portal" ends the portal session', async (t) => {
      const { app, rp } = await world(t, dialect);
      const b = await sessionFor(app, 'aGen', 'A');
      const begun = await rp.begin();
      const tokens = await rp.finish((await walk(b, begun.url.href)).callback!, begun);
      const end = new URL('/oidc/session/end', app.url);
      end.searchParams.set('id_token_hint', tokens.id_token!);
      end.searchParams.set('post_logout_redirect_uri', 'https://settings.example.net/');
      end.searchParams.set('state', 'bye');
      const page = await b.get(end.href);
      assert.equal(page.status, 200);
      assert.match(text(page.body), /Sign out of the business portal too|ビジネスポータルからもログアウトする/);
      const action = page.body.match(/<form id="op.logoutForm"[^>]*action="([^"]+)"|<form[^>]*action="([^"]+)"[^>]*id="op.logoutForm"/)!.slice(1).find(Boolean)!.replace(/&amp;/g, '&');
      const xsrf = page.body.match(/name="xsrf" value="([^"]+)"/)![1]!;
      const done = await b.request('POST', action, new URLSearchParams({ xsrf, logout: 'yes' }).toString(), { 'content-type': 'application/x-www-form-urlencoded' });
      // A page that goes on to the site, not a redirect (a form's redirect is held to form-action 'self').
      assert.equal(done.status, 200);
      assert.equal(done.body.match(/http-equiv="refresh" content="0;url=([^"]+)"/)?.[1]?.replace(/&amp;/g, '&'), 'https://settings.example.net/?state=bye');
      const home = await b.get('/');
      assert.equal(home.status, 303, 'the portal session ended too');
      assert.match(home.location ?? '', /^\/login/);
      assert.deepEqual((await auditOf(app, 'oidc.logout')).map((a) => [a.user, a.portal]), [['aGen', true]]);
    });

    it('a client that is not first-party shows a consent screen; deny returns access_denied, allow returns a code', async (t) => {
      const { app, rp } = await world(t, dialect, { firstParty: false });
      const b = await sessionFor(app, 'aGen', 'A');
      const denied = await walk(b, (await rp.begin({ contract: 'N000000001' })).url.href);
      assert.equal(denied.callback, null);
      assert.match(text(denied.res.body), /asks to sign you in|ログインを求めています/);
      assert.match(text(denied.res.body), /N000000001/);
      const action = denied.res.body.match(/action="(\/oidc\/interaction\/[^"]+\/consent)"/)![1]!;
      const no = await b.post(action, { decision: 'deny' });
      const back = await walk(b, no.body.match(/http-equiv="refresh" content="0;url=([^"]+)"/)![1]!.replace(/&amp;/g, '&'));
      assert.equal(new URL(back.callback!).searchParams.get('error'), 'access_denied');

      const begun = await rp.begin({ contract: 'N000000001' });
      const asked = await walk(b, begun.url.href);
      const yes = await b.post(asked.res.body.match(/action="(\/oidc\/interaction\/[^"]+\/consent)"/)![1]!, { decision: 'allow' });
      const ok = await walk(b, yes.body.match(/http-equiv="refresh" content="0;url=([^"]+)"/)![1]!.replace(/&amp;/g, '&'));
      const tokens = await rp.finish(ok.callback!, begun);
      assert.deepEqual(tokens.claims()!.contract, { number: 'N000000001', service: 'colo' });
    });

    it('a client registered with private_key_jwt signs in with its key, and a key of its own making is refused', async (t) => {
      const app = await startTestApp(dialect, t);
      await givenWorld(app.ctx.db);
      const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
      const jwk = { ...await exportJWK(publicKey), kid: 'site-1', alg: 'RS256', use: 'sig' };
      const r = await addClient(app.ctx, {
        id: 'jwt-site', name: 'JWT site', serviceCode: 'colo', redirectUris: [REDIRECT], postLogoutUris: [],
        authMethod: 'private_key_jwt', jwks: JSON.stringify({ keys: [jwk] }), firstParty: true, requireAal2: false,
      });
      assert.equal(r.secret, null, 'no secret for a private_key_jwt client');
      const rp = await Rp.discoverWithKey(app.url, 'jwt-site', privateKey, 'site-1');
      const b = await sessionFor(app, 'aGen', 'A');
      const begun = await rp.begin({ contract: 'N000000001' });
      const tokens = await rp.finish((await walk(b, begun.url.href)).callback!, begun);
      assert.deepEqual(tokens.claims()!.contract, { number: 'N000000001', service: 'colo' });

      const other = await generateKeyPair('RS256', { extractable: true });
      const impostor = await Rp.discoverWithKey(app.url, 'jwt-site', other.privateKey, 'site-1');
      const again = await impostor.begin();
      await assert.rejects(impostor.finish((await walk(b, again.url.href)).callback!, again), (e: Error & { error?: string }) => e.error === 'invalid_client');
    });

    it('«設定を変更する» hands the contract to the service\'s settings site (third-party initiated login)', async (t) => {
      const { app } = await world(t, dialect, { initiateLoginUri: 'https://settings.example.net/login' });
      const b = await sessionFor(app, 'aGen', 'A');
      const r = await b.get('/portal/contracts/cA1/settings-site');
      assert.equal(r.status, 303);
      const to = new URL(r.location!);
      assert.equal(to.origin + to.pathname, 'https://settings.example.net/login');
      assert.equal(to.searchParams.get('iss'), app.url);
      assert.equal(to.searchParams.get('contract'), 'N000000001');
      // A contract the user may not see is not found, whatever its service.
      assert.equal((await b.get('/portal/contracts/cB1/settings-site')).status, 404);
      assert.equal((await b.get('/portal/contracts/cA2/settings-site')).status, 404);
    });
  });
}

describe('OpenID Connect provider on two nodes (postgres)', () => {
  it('an authorization started on one node is finished on the other', async (t) => {
    const { app, rp } = await world(t, 'postgres');
    // A second node: its own app (its own oidc-provider instance, caches and all) on the same database.
    const { buildApp } = await import('../../src/app.ts');
    const node2 = await buildApp(app.config, { handle: { ...app.handle, close: async () => {} }, now: () => app.clock.now });
    await node2.app.listen({ port: 0, host: '127.0.0.1' });
    t.after(() => node2.app.close());
    const url2 = `http://127.0.0.1:${(node2.app.server.address() as AddressInfo).port}`;
    const b = await sessionFor(app, 'aGen', 'A');
    const begun = await rp.begin({ contract: 'N000000001' });
    const first = await b.get(begun.url.href); // node 1: the authorization request
    assert.equal(first.status, 303);
    const onNode2 = (u: string) => url2 + new URL(u, app.url).pathname + new URL(u, app.url).search;
    let r = await b.get(onNode2(first.location!)); // node 2: the interaction
    const resume = r.body.match(/http-equiv="refresh" content="0;url=([^"]+)"/)![1]!.replace(/&amp;/g, '&');
    r = await b.get(onNode2(resume)); // node 2: the resumed authorization
    assert.equal(r.status, 303);
    assert.ok(r.location!.startsWith(REDIRECT), r.location!);
    const tokens = await rp.finish(r.location!, begun); // node 1: the token
    assert.deepEqual(tokens.claims()!.contract, { number: 'N000000001', service: 'colo' });
  });
});
