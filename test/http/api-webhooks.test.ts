// Issue 24 item 6: webhooks. A real receiver on loopback (WEBHOOK_ALLOW_LOOPBACK=true, the test
// setting) fails twice and then answers 200: the event is delivered exactly once, signed as
// docs/api.md says; a receiver that always fails ends dead; a callback to a private address is
// refused at registration and, when the address turns private later, at delivery; two workers on
// one database never both deliver one event; a subscriber never receives another organisation's.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { testDialects } from '../helpers/db.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { givenWorld, sessionFor, T0 } from '../helpers/portal-world.ts';
import { call, issuedToken } from '../helpers/api.ts';
import { WebhookWorker } from '../../src/api/worker.ts';
import { publishNotice } from '../../src/portal/notices/service.ts';
import { advanceOrder, setOpeningNotice } from '../../src/portal/orders/service.ts';

interface Hit { status: number; body: string; headers: IncomingMessage['headers'] }

/** A receiver answering with the next status of `plan` (then the last one for ever). */
async function receiver(t: { after(fn: () => Promise<void>): void }, plan: number[]) {
  const hits: Hit[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const status = plan[Math.min(hits.length, plan.length - 1)]!;
      hits.push({ status, body: Buffer.concat(chunks).toString('utf8'), headers: req.headers });
      res.writeHead(status, { 'content-type': 'text/plain' }).end('x'.repeat(100_000)); // more than the worker reads
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  t.after(() => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); }));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, hits, delivered: () => hits.filter((h) => h.status >= 200 && h.status < 300) };
}

/** How a receiver verifies a delivery (docs/api.md "Verifying a webhook"). */
function verify(secret: string, body: string, header: string | undefined, nowSeconds: number): boolean {
  const m = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(header ?? '');
  if (!m || Math.abs(nowSeconds - Number(m[1])) > 300) return false;
  const expected = createHmac('sha256', secret).update(`${m[1]}.${body}`).digest();
  return timingSafeEqual(expected, Buffer.from(m[2]!, 'hex'));
}

function worker(app: TestApp, o: { allowLoopback?: boolean; maxAttempts?: number; owner?: string } = {}) {
  return new WebhookWorker({
    db: app.ctx.db, dialect: app.ctx.dialect, keyRing: app.config.totpKeyRing, allowLoopback: o.allowLoopback ?? true,
    retryBaseMs: 1000, ...(o.maxAttempts ? { maxAttempts: o.maxAttempts } : {}), ...(o.owner ? { owner: o.owner } : {}), timeoutMs: 2000,
  });
}

const HUB = '/tmf-api/troubleTicket/v5/hub';
const TT = '/tmf-api/troubleTicket/v5/troubleTicket';
const SCOPES = ['tickets:read', 'tickets:write', 'hub:write'];

for (const dialect of testDialects()) {
  describe(`${dialect}: webhooks`, () => {
    it('a receiver that fails twice then succeeds gets the event exactly once, signed; B never gets A\'s event', async (t) => {
      const app = await startTestApp(dialect, t, { WEBHOOK_ALLOW_LOOPBACK: 'true' });
      app.clock.now = T0;
      await givenWorld(app.ctx.db);
      const a = await issuedToken(app, 'aAdmin', 'A', SCOPES);
      const b = await issuedToken(app, 'bAdmin', 'B', SCOPES);
      const rA = await receiver(t, [500, 503, 200]);
      const rB = await receiver(t, [200]);
      const subA = await call(app, a.token, 'POST', HUB, { callback: rA.url, query: 'eventType=TroubleTicketCreateEvent' });
      assert.equal(subA.status, 201, subA.text);
      assert.match(subA.body.secret, /^[A-Za-z0-9_-]{43}$/);
      assert.equal((await call(app, b.token, 'POST', HUB, { callback: rB.url })).status, 201);

      const created = await call(app, a.token, 'POST', TT, { name: 'Link down', description: 'Port 3', ticketType: 'outage' });
      assert.equal(created.status, 201);
      const w = worker(app);
      let now = T0;
      assert.deepEqual(await w.runOnce(now), { claimed: 1, delivered: 0, failed: 1 });
      assert.deepEqual(await w.runOnce(now + 500), { claimed: 0, delivered: 0, failed: 0 }, 'backoff: not due yet');
      // Retries wait 1 s, then 2 s (WEBHOOK_RETRY_SECONDS=1 here), from when the attempt ended.
      now += 1500;
      assert.deepEqual(await w.runOnce(now), { claimed: 1, delivered: 0, failed: 1 });
      now += 2500;
      assert.deepEqual(await w.runOnce(now), { claimed: 1, delivered: 1, failed: 0 });
      assert.deepEqual(await w.runOnce(now + 3_600_000), { claimed: 0, delivered: 0, failed: 0 });

      assert.equal(rA.hits.length, 3);
      assert.equal(rA.delivered().length, 1, 'delivered exactly once');
      const hit = rA.delivered()[0]!;
      assert.ok(verify(subA.body.secret, hit.body, hit.headers['x-bizportal-signature'] as string, Math.floor(now / 1000)), 'signature verifies');
      assert.ok(!verify(subA.body.secret, hit.body.replace('Link down', 'Link up'), hit.headers['x-bizportal-signature'] as string, Math.floor(now / 1000)), 'a changed body does not');
      const event = JSON.parse(hit.body);
      assert.equal(event.eventType, 'TroubleTicketCreateEvent');
      assert.equal(hit.headers['x-bizportal-event-id'], event.eventId);
      assert.equal(rA.hits[0]!.headers['x-bizportal-event-id'], event.eventId, 'one event id across retries');
      assert.equal(event.event.troubleTicket.id, created.body.id);
      assert.deepEqual(event.event.troubleTicket.relatedParty.map((p: any) => p.partyOrPartyRole.id), ['A']);
      assert.equal(rB.hits.length, 0, "B's subscriber never hears of A's ticket");
      const row = await app.ctx.db.selectFrom('webhook_delivery').selectAll().executeTakeFirstOrThrow();
      assert.equal(row.state, 'delivered');
      assert.equal(row.attempts, 2);

      // A close made in the portal is an event too (the portal's service tells the hub), for subscribers of it.
      await call(app, a.token, 'POST', HUB, { callback: rA.url, query: 'eventType=TroubleTicketStateChangeEvent' });
      const portal = await sessionFor(app, 'aGen', 'A');
      const closeRes = await portal.request('POST', `/portal/tickets/${created.body.id}/close`, '{}', {
        accept: 'application/json', 'content-type': 'application/json', 'x-csrf-token': (await import('../helpers/admin.ts')).csrfOf(app, portal),
      });
      assert.equal(closeRes.status < 400, true, closeRes.body);
      await w.runOnce(now + 3_600_000);
      assert.equal(JSON.parse(rA.hits.at(-1)!.body).eventType, 'TroubleTicketStateChangeEvent');
      assert.equal(JSON.parse(rA.hits.at(-1)!.body).event.troubleTicket.status, 'closed');
    });

    it('a receiver that always fails ends dead after N attempts, shown to the admin', async (t) => {
      const app = await startTestApp(dialect, t, { WEBHOOK_ALLOW_LOOPBACK: 'true' });
      app.clock.now = T0;
      await givenWorld(app.ctx.db);
      const a = await issuedToken(app, 'aAdmin', 'A', SCOPES);
      const r = await receiver(t, [500]);
      assert.equal((await call(app, a.token, 'POST', HUB, { callback: r.url })).status, 201);
      await call(app, a.token, 'POST', TT, { name: 'x', description: 'y', ticketType: 'portal' });
      const w = worker(app, { maxAttempts: 3 });
      for (let i = 0; i < 5; i++) await w.runOnce(T0 + i * 3_600_000);
      assert.equal(r.hits.length, 3);
      const row = await app.ctx.db.selectFrom('webhook_delivery').selectAll().executeTakeFirstOrThrow();
      assert.equal(row.state, 'dead');
      assert.equal(row.last_error, 'HTTP 500');
      const page = await (await sessionFor(app, 'aAdmin', 'A')).get('/admin/api-tokens');
      assert.match(page.body, /dead \(3\)/);
      assert.match(page.body, /HTTP 500/);
    });

    it('a callback to a private or loopback address is refused at registration and at delivery', async (t) => {
      const app = await startTestApp(dialect, t, { WEBHOOK_ALLOW_LOOPBACK: 'true' });
      app.clock.now = T0;
      await givenWorld(app.ctx.db);
      const a = await issuedToken(app, 'aAdmin', 'A', SCOPES);
      for (const callback of ['https://10.1.2.3/hook', 'https://169.254.169.254/latest', 'https://[fd00::1]/x', 'https://[::ffff:192.168.0.1]/x', 'https://100.64.0.1/x', 'http://example.com/x', 'ftp://example.com/x', 'https://user:pw@example.com/x']) {
        const r = await call(app, a.token, 'POST', HUB, { callback });
        assert.equal(r.status, 400, callback);
        assert.deepEqual(r.body.fields, ['callback']);
      }
      // Loopback not allowed (the production setting): `localhost` resolves to 127.0.0.1 and is refused.
      app.config.webhookAllowLoopback = false;
      assert.equal((await call(app, a.token, 'POST', HUB, { callback: 'https://localhost/hook' })).status, 400);
      assert.equal((await call(app, a.token, 'POST', HUB, { callback: 'https://127.0.0.1/hook' })).status, 400);
      app.config.webhookAllowLoopback = true;

      // Registered while allowed; a worker that does not allow loopback checks again and refuses.
      const r = await receiver(t, [200]);
      assert.equal((await call(app, a.token, 'POST', HUB, { callback: r.url.replace('127.0.0.1', 'localhost') })).status, 201);
      await call(app, a.token, 'POST', TT, { name: 'x', description: 'y', ticketType: 'portal' });
      const strict = worker(app, { allowLoopback: false });
      assert.deepEqual(await strict.runOnce(T0), { claimed: 1, delivered: 0, failed: 1 });
      assert.equal(r.hits.length, 0);
      const row = await app.ctx.db.selectFrom('webhook_delivery').selectAll().executeTakeFirstOrThrow();
      assert.match(row.last_error ?? '', /refused/);
    });

    it('notice and order events reach only subscribers that may see them, shaped as each sees them', async (t) => {
      const app = await startTestApp(dialect, t, { WEBHOOK_ALLOW_LOOPBACK: 'true' });
      app.clock.now = T0;
      await givenWorld(app.ctx.db);
      const scopes = ['notices:read', 'orders:read', 'hub:write'];
      const a = await issuedToken(app, 'aAdmin', 'A', scopes);
      const b = await issuedToken(app, 'bAdmin', 'B', scopes);
      const rA = await receiver(t, [200]);
      const rB = await receiver(t, [200]);
      for (const [tok, r] of [[a.token, rA], [b.token, rB]] as const) {
        assert.equal((await call(app, tok, 'POST', '/tmf-api/incidentManagement/v5/hub', { callback: r.url })).status, 201);
        assert.equal((await call(app, tok, 'POST', '/tmf-api/productOrdering/v5/hub', { callback: r.url, query: 'eventType=ProductOrderMilestoneEvent' })).status, 201);
      }
      const ops = { userId: null, ip: 'test' };
      const texts = { titleJa: '工事', titleEn: 'Works', bodyJa: '本文', bodyEn: 'Body', startsAt: T0 - 1000, endsAt: T0 + 3_600_000 };
      await publishNotice(app.ctx.db, { kind: 'construction', serviceIds: ['S2'], ...texts }, ops, T0); // only A has S2
      await publishNotice(app.ctx.db, { kind: 'outage', serviceIds: ['S1', 'S2'], ...texts }, ops, T0); // B has S1 only
      await advanceOrder(app.ctx.db, { orderNumber: 'O-oA1', step: 'constructing', doneAt: T0 }, T0); // A's order
      await worker(app).runOnce(T0);
      await worker(app).runOnce(T0);
      const events = (r: typeof rA) => r.hits.map((h) => JSON.parse(h.body));
      assert.deepEqual(events(rA).map((e) => e.eventType).sort(), ['IncidentCreateEvent', 'IncidentCreateEvent', 'ProductOrderMilestoneEvent']);
      assert.deepEqual(events(rB).map((e) => e.eventType), ['IncidentCreateEvent']);
      const bIncident = events(rB)[0].event.incident;
      assert.equal(bIncident.incidentType, 'outage');
      assert.deepEqual(bIncident.relatedEntity.map((x: any) => x.entity.id), ['S1'], 'B is not told the notice also concerns S2');
      const aOutage = events(rA).find((e) => e.event.incident?.incidentType === 'outage').event.incident;
      assert.deepEqual(aOutage.relatedEntity.map((x: any) => x.entity.id).sort(), ['S1', 'S2']);
      const order = events(rA).find((e) => e.eventType === 'ProductOrderMilestoneEvent').event.productOrder;
      assert.equal(order.milestone.find((m: any) => m.id === 'constructing').status, 'completed');

      // The console's own opening-notice form (setOpeningNotice) is an event too, to A only.
      await setOpeningNotice(app.ctx.db, 'O-oA1', { ja: '開通のご案内', en: 'Your line is ready' }, T0);
      await worker(app).runOnce(T0);
      assert.equal(events(rA).filter((e) => e.eventType === 'ProductOrderMilestoneEvent').length, 2);
      assert.equal(events(rB).length, 1, 'B hears nothing of A\'s order');
    });

    it('two workers on one database never both deliver one event', async (t) => {
      const app = await startTestApp(dialect, t, { WEBHOOK_ALLOW_LOOPBACK: 'true' });
      app.clock.now = T0;
      await givenWorld(app.ctx.db);
      const a = await issuedToken(app, 'aAdmin', 'A', SCOPES);
      const r = await receiver(t, [200]);
      assert.equal((await call(app, a.token, 'POST', HUB, { callback: r.url })).status, 201);
      for (let i = 0; i < 12; i++) assert.equal((await call(app, a.token, 'POST', TT, { name: `t${i}`, description: 'y', ticketType: 'portal' })).status, 201);
      const w1 = worker(app, { owner: 'node-1' });
      const w2 = worker(app, { owner: 'node-2' });
      const results = await Promise.all([w1.runOnce(T0), w2.runOnce(T0), w1.runOnce(T0), w2.runOnce(T0)]);
      assert.equal(results.reduce((n, x) => n + x.delivered, 0), 12);
      const ids = r.hits.map((h) => JSON.parse(h.body).eventId as string);
      assert.equal(ids.length, 12);
      assert.equal(new Set(ids).size, 12, 'each event once');
    });
  });
}
