// S9 tickets over HTTP on both databases: attachments through a plain multipart form (no
// JavaScript) within the stated limits, served back only as downloads; every refused upload is a
// clear 4xx that writes nothing; the conversation, close and reopen as guarded single writes; the
// provider's reply mails the author through the outbox.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { testDialects } from '../helpers/db.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { csrfOf } from '../helpers/admin.ts';
import type { Browser } from '../helpers/client.ts';
import { givenWorld, sessionFor } from '../helpers/portal-world.ts';
import { replyAsProvider } from '../../src/portal/tickets/service.ts';

const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from('rest of a png')]);
interface FilePart { name: string; type?: string; data: Buffer; rawDisposition?: string }

/** A multipart/form-data body written out here, independent of src/portal/tickets/multipart.ts. */
function multipart(fields: Record<string, string>, files: FilePart[]): { body: Buffer; type: string } {
  const boundary = `----test${Math.random().toString(16).slice(2)}`;
  const chunks: Buffer[] = [];
  for (const [k, v] of Object.entries(fields)) chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
  for (const f of files) {
    const disp = f.rawDisposition ?? `form-data; name="attachments"; filename="${f.name}"`;
    chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: ${disp}\r\nContent-Type: ${f.type ?? 'application/octet-stream'}\r\n\r\n`), f.data, Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { body: Buffer.concat(chunks), type: `multipart/form-data; boundary=${boundary}` };
}

async function postMultipart(app: TestApp, b: Browser, path: string, fields: Record<string, string>, files: FilePart[], json = false) {
  const { body, type } = multipart({ _csrf: csrfOf(app, b), ...fields }, files);
  const res = await fetch(new URL(path, app.url), {
    method: 'POST', redirect: 'manual', body: new Uint8Array(body),
    headers: { 'content-type': type, cookie: [...b.jar].map(([k, v]) => `${k}=${v}`).join('; '), origin: 'null', 'sec-fetch-site': 'same-origin', ...(json ? { accept: 'application/json' } : {}) },
  });
  return { status: res.status, location: res.headers.get('location'), text: await res.text() };
}

async function counts(app: TestApp) {
  const n = async (t: 'ticket' | 'ticket_message' | 'ticket_attachment') => Number((await app.ctx.db.selectFrom(t).select((e) => e.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
  return { tickets: await n('ticket'), messages: await n('ticket_message'), files: await n('ticket_attachment') };
}

const form = { category: 'service', serviceId: 'S1', subject: '回線が遅い', body: '昨日から遅いです。' };

for (const dialect of testDialects()) {
  describe(`${dialect}: tickets over HTTP (S9)`, () => {
    it('opens a ticket with attachments from a plain form; they come back only as downloads, to the organisation only', async (t) => {
      const app = await startTestApp(dialect, t);
      await givenWorld(app.ctx.db);
      const gen = await sessionFor(app, 'aGen', 'A');
      const res = await postMultipart(app, gen, '/portal/tickets', form, [
        { name: 'screen.png', type: 'image/png', data: PNG },
        { name: '障害ログ %221%22.txt', type: 'text/plain', data: Buffer.from('ログ\n') },
        { name: '', data: Buffer.alloc(0) }, // an empty file input, as browsers send it: ignored
      ]);
      assert.equal(res.status, 303, res.text);
      const ticketPath = res.location!.split('?')[0]!;
      const page = await gen.get(res.location!);
      assert.equal(page.status, 200);
      assert.match(page.body, /回線が遅い/);
      const link = (name: string) => new RegExp(`href="(/portal/tickets/[^"]+/attachments/[^"]+)" download="${name}"`).exec(page.body)?.[1];
      const links = [link('screen.png')!, link('障害ログ &quot;1&quot;.txt')!];
      assert.ok(links[0] && links[1], 'both files are listed');
      const png = await gen.get(links[0]!);
      assert.equal(png.status, 200);
      assert.equal(png.headers.get('content-type'), 'image/png');
      assert.equal(png.headers.get('x-content-type-options'), 'nosniff');
      assert.match(png.headers.get('content-disposition')!, /^attachment; filename="screen\.png"; filename\*=UTF-8''screen\.png$/);
      const txt = await fetch(new URL(links[1]!, app.url), { headers: { cookie: [...gen.jar].map(([k, v]) => `${k}=${v}`).join('; ') } });
      assert.equal(txt.headers.get('content-type'), 'text/plain; charset=utf-8');
      // RFC 6266 + 5987: an ASCII fallback without quotes or non-ASCII, the exact name in filename*.
      assert.equal(txt.headers.get('content-disposition'), `attachment; filename="____ _1_.txt"; filename*=UTF-8''${encodeURIComponent('障害ログ "1".txt')}`);
      assert.equal(Buffer.from(await txt.arrayBuffer()).toString('utf8'), 'ログ\n');
      // Another organisation's admin, and an anonymous browser, get nothing.
      const other = await sessionFor(app, 'bAdmin', 'B');
      assert.equal((await other.get(links[0]!)).status, 404);
      assert.equal((await other.get(ticketPath)).status, 404);
      const anon = await (async () => { const b = await sessionFor(app, 'bAdmin', 'B'); b.jar.delete('bp_session'); return b; })();
      assert.equal((await anon.get(links[0]!, { accept: 'application/json' })).status, 401);
      // The whole organisation reads it (S9): the admin of A too.
      const admin = await sessionFor(app, 'aAdmin', 'A');
      assert.equal((await admin.get(links[0]!)).status, 200);
    });

    it('refuses too big, too many, a bad type, an empty file, a bad name — a clear 4xx, nothing written', async (t) => {
      const app = await startTestApp(dialect, t);
      await givenWorld(app.ctx.db);
      const gen = await sessionFor(app, 'aGen', 'A');
      const before = await counts(app);
      const MiB = 1024 * 1024;
      const cases: [string, FilePart[], number, string][] = [
        ['too big', [{ name: 'big.txt', data: Buffer.alloc(5 * MiB + 1, 0x61) }], 413, 'tickets.attachment_too_large'],
        ['too many', Array.from({ length: 6 }, (_, i) => ({ name: `f${i}.txt`, data: Buffer.from('x') })), 422, 'tickets.attachment_too_many'],
        ['bad type', [{ name: 'page.html', type: 'text/html', data: Buffer.from('<script>alert(1)</script>') }], 415, 'tickets.attachment_type'],
        ['a .png that is not one', [{ name: 'fake.png', type: 'image/png', data: Buffer.from('<svg onload=alert(1)>') }], 415, 'tickets.attachment_type'],
        ['binary in a .txt', [{ name: 'a.txt', data: Buffer.from([0x41, 0x00, 0x42]) }], 415, 'tickets.attachment_type'],
        ['empty', [{ name: 'empty.txt', data: Buffer.alloc(0) }], 422, 'tickets.attachment_empty'],
        ['CRLF in the name', [{ name: 'x', data: Buffer.from('x'), rawDisposition: `form-data; name="attachments"; filename*=UTF-8''a%0D%0AContent-Type%3A%20text%2Fhtml.txt` }], 422, 'tickets.attachment_name'],
        ['only a path', [{ name: 'dir/', data: Buffer.from('x') }], 422, 'tickets.attachment_name'],
        ['over the total', [0, 1, 2].map((i) => ({ name: `p${i}.txt`, data: Buffer.alloc(4 * MiB, 0x61) })), 413, 'tickets.body_too_large'],
      ];
      for (const [what, files, status, code] of cases) {
        const r = await postMultipart(app, gen, '/portal/tickets', form, files, true);
        assert.equal(r.status, status, `${what}: ${r.text.slice(0, 200)}`);
        assert.equal(JSON.parse(r.text).error, code, what);
        assert.ok(JSON.parse(r.text).message.length > 10, `${what}: a message in words`);
      }
      // The HTML form answers the same refusal on the form page, with the user's input kept.
      const html = await postMultipart(app, gen, '/portal/tickets', form, [{ name: 'page.html', data: Buffer.from('<b>') }]);
      assert.equal(html.status, 415);
      assert.match(html.text, /「page\.html」は添付できない形式です/);
      assert.match(html.text, /回線が遅い/);
      // A raw line break inside a part header is not multipart at all.
      const broken = await postMultipart(app, gen, '/portal/tickets', form, [{ name: 'x', data: Buffer.from('x'), rawDisposition: 'form-data; name="attachments"; filename="a\r\nb.txt"' }], true);
      assert.equal(broken.status, 400);
      assert.deepEqual(await counts(app), before, 'nothing was written');
      // A name with a path keeps only its last part.
      const ok = await postMultipart(app, gen, '/portal/tickets', form, [{ name: '..\\..\\C:\\logs\\trace.log', data: Buffer.from('t') }], true);
      assert.equal(ok.status, 201, ok.text);
      const stored = await app.ctx.db.selectFrom('ticket_attachment').select('filename').where('ticket_id', '=', JSON.parse(ok.text).id).execute();
      assert.deepEqual(stored.map((s) => s.filename), ['trace.log']);
    });

    it('a service or contract the user may not see is refused exactly like an unknown one', async (t) => {
      const app = await startTestApp(dialect, t);
      await givenWorld(app.ctx.db);
      const gen = await sessionFor(app, 'aGen', 'A');
      const before = await counts(app);
      const answers = [];
      for (const choice of [{ contractId: 'cA2' }, { contractId: 'cB1' }, { contractId: 'nope' }]) {
        const r = await postMultipart(app, gen, '/portal/tickets', { ...form, serviceId: '', ...choice }, [], true);
        answers.push([r.status, r.text]);
      }
      for (const choice of [{ serviceId: 'S2' }, { serviceId: 'nope' }]) {
        const r = await postMultipart(app, gen, '/portal/tickets', { ...form, ...choice }, [], true);
        answers.push([r.status, r.text]);
      }
      assert.equal(new Set(answers.slice(0, 3).map((a) => JSON.stringify(a))).size, 1, 'contracts: one answer');
      assert.equal(new Set(answers.slice(3).map((a) => JSON.stringify(a))).size, 1, 'services: one answer');
      assert.equal(answers[0]![0], 400);
      assert.deepEqual(await counts(app), before);
    });

    it('reply, close once, reply refused while closed, reopen; the provider\'s reply mails the author via the outbox', async (t) => {
      const app = await startTestApp(dialect, t);
      await givenWorld(app.ctx.db);
      const gen = await sessionFor(app, 'aGen', 'A');
      const created = await postMultipart(app, gen, '/portal/tickets', { category: 'portal', subject: 'Login question', body: 'How do I…?' }, [], true);
      assert.equal(created.status, 201, created.text);
      const { id, number } = JSON.parse(created.text);
      const path = `/portal/tickets/${id}`;
      await gen.get(path);
      app.clock.advance(1000);
      assert.equal((await postMultipart(app, gen, `${path}/replies`, { body: 'More detail' }, [{ name: 'more.txt', data: Buffer.from('m') }])).status, 303);
      const close = async () => (await gen.post(`${path}/close`, {}, { csrf: csrfOf(app, gen), headers: { accept: 'application/json' } })).status;
      assert.equal(await close(), 200);
      assert.equal(await close(), 409, 'close only if not closed');
      const refused = await postMultipart(app, gen, `${path}/replies`, { body: 'Again' }, [], true);
      assert.equal(refused.status, 409);
      assert.equal(JSON.parse(refused.text).error, 'tickets.closed');
      assert.equal((await gen.post(`${path}/reopen`, {}, { csrf: csrfOf(app, gen), headers: { accept: 'application/json' } })).status, 200);
      assert.equal((await gen.post(`${path}/reopen`, {}, { csrf: csrfOf(app, gen), headers: { accept: 'application/json' } })).status, 409);

      app.clock.advance(1000);
      const r = await replyAsProvider(app.ctx, { ticketNumber: number, authorName: 'Support desk', body: 'Please try again.' });
      assert.ok(r.mailId);
      const mail = await app.ctx.db.selectFrom('mail_outbox').selectAll().where('id', '=', r.mailId).executeTakeFirstOrThrow();
      assert.equal(mail.to_addr, 'aGen@example.com');
      assert.equal(mail.kind, 'ticket_reply');
      assert.match(mail.subject, new RegExp(`We replied to your inquiry \\(${number}\\)`), 'in the author\'s language (en)');
      assert.ok(mail.body_text.includes(`${app.config.publicUrl}/portal/tickets/${id}`));
      assert.doesNotMatch(mail.body_text, /Please try again/, 'the reply text stays behind the login');
      const json = JSON.parse((await gen.get(path, { accept: 'application/json' })).body);
      assert.equal(json.ticket.status, 'waiting_customer');
      assert.deepEqual(json.ticket.messages.map((m: { side: string }) => m.side), ['customer', 'customer', 'provider']);
      assert.equal(json.ticket.messages[1].attachments[0].filename, 'more.txt');
    });
  });
}
