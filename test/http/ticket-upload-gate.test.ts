// Ticket uploads are read whole before any handler runs, so their memory is bounded before the
// body is read (issue 17's upload limit): no session cookie → refused unread; at most
// UPLOAD_CONCURRENCY bodies at once per process → the next gets 503 + Retry-After; a slot comes
// back when the upload ends or its connection drops.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { request, type ClientRequest, type IncomingMessage } from 'node:http';
import { testDialects } from '../helpers/db.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { csrfOf } from '../helpers/admin.ts';
import type { Browser } from '../helpers/client.ts';
import { givenWorld, sessionFor } from '../helpers/portal-world.ts';

const FIELDS = { category: 'service', serviceId: 'S1', subject: '回線が遅い', body: '昨日から遅いです。' };

function multipartBody(fields: Record<string, string>): { body: Buffer; type: string } {
  const boundary = `----gate${Math.random().toString(16).slice(2)}`;
  const parts = Object.entries(fields).map(([k, v]) => `--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`);
  const file = `--${boundary}\r\nContent-Disposition: form-data; name="attachments"; filename="log.txt"\r\nContent-Type: text/plain\r\n\r\n${'x'.repeat(200_000)}\r\n`;
  return { body: Buffer.from(parts.join('') + file + `--${boundary}--\r\n`), type: `multipart/form-data; boundary=${boundary}` };
}

/** Starts a ticket upload; `split` bytes are written and the rest waits for finish(). */
function upload(app: TestApp, b: Browser | null, split?: number) {
  const { body, type } = multipartBody({ _csrf: b ? csrfOf(app, b) : '', ...FIELDS });
  const headers: Record<string, string | number> = {
    'content-type': type, 'content-length': body.length, origin: 'null', 'sec-fetch-site': 'same-origin', accept: 'application/json',
  };
  if (b) headers.cookie = [...b.jar].map(([k, v]) => `${k}=${v}`).join('; ');
  let req!: ClientRequest;
  const answer = new Promise<{ status: number; retryAfter: string | undefined; text: string }>((resolve, reject) => {
    req = request(new URL('/portal/tickets', app.url), { method: 'POST', headers }, (res: IncomingMessage) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => { text += c; });
      res.on('end', () => resolve({ status: res.statusCode!, retryAfter: res.headers['retry-after'] as string | undefined, text }));
    });
    req.on('error', reject);
  });
  answer.catch(() => {}); // an aborted upload has no answer to wait for
  req.write(body.subarray(0, split ?? body.length));
  if (split === undefined) req.end();
  return { answer, finish: () => req.end(body.subarray(split)), abort: () => req.destroy() };
}

/**
 * An upload held open after its first bytes, given time to pass the global hooks' reads before any
 * probe is sent: a probe sent at once could finish those reads first (PostgreSQL answers on other
 * connections in any order), take the slot and leave the held upload the 503.
 */
async function heldUpload(app: TestApp, b: Browser): Promise<ReturnType<typeof upload>> {
  const held = upload(app, b, 1000);
  await new Promise((resolve) => setTimeout(resolve, 250));
  return held;
}

/** The server has the first bytes of a held upload (its onRequest ran) once a probe sees the slot taken. */
async function untilBusy(app: TestApp, b: Browser): Promise<{ status: number; retryAfter: string | undefined }> {
  for (let i = 0; i < 200; i++) {
    const r = await upload(app, b).answer;
    if (r.status === 503) return r;
    await new Promise((resolve) => setImmediate(resolve));
  }
  throw new Error('the held upload never took the slot');
}

async function tickets(app: TestApp): Promise<number> {
  return Number((await app.ctx.db.selectFrom('ticket').select((e) => e.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
}

for (const dialect of testDialects()) {
  describe(`${dialect}: ticket upload gate`, () => {
    it('no session cookie: 401 before the body is read, nothing written', async (t) => {
      const app = await startTestApp(dialect, t);
      await givenWorld(app.ctx.db);
      const before = await tickets(app);
      const r = await upload(app, null).answer;
      assert.equal(r.status, 401);
      assert.equal(JSON.parse(r.text).error, 'auth.unauthenticated');
      assert.equal(await tickets(app), before);
    });

    it('one upload at a time (UPLOAD_CONCURRENCY=1): the next gets 503 + Retry-After; the slot returns when it ends or drops', async (t) => {
      const app = await startTestApp(dialect, t, { UPLOAD_CONCURRENCY: '1' });
      await givenWorld(app.ctx.db);
      const gen = await sessionFor(app, 'aGen', 'A');
      const before = await tickets(app);

      const held = await heldUpload(app, gen);
      const busy = await untilBusy(app, gen);
      assert.equal(busy.retryAfter, '2');
      assert.equal(await tickets(app), before, 'the refused uploads wrote nothing');
      held.finish();
      assert.equal((await held.answer).status, 201, 'the held upload completes');
      assert.equal(await tickets(app), before + 1);
      assert.equal((await upload(app, gen).answer).status, 201, 'the slot came back');

      const dropped = await heldUpload(app, gen);
      await untilBusy(app, gen);
      dropped.abort();
      let after = 0;
      for (let i = 0; i < 200 && after !== 201; i++) {
        after = (await upload(app, gen).answer).status;
        if (after !== 201) await new Promise((resolve) => setTimeout(resolve, 5));
      }
      assert.equal(after, 201, 'a dropped connection gives its slot back');
      assert.equal(await tickets(app), before + 3);
    });
  });
}
