// Issue 24 item 4, ticket essentials, over real HTTP and real SMTP on both databases: a ticket
// opened from a contract or a notice names it; the urgency and its response target are shown;
// colleagues in copy get the provider's mails, each with a reply address of their own; a reply by
// mail through a real SMTP connection lands in the conversation, a spoofed sender does not; the
// satisfaction rating on close; the filtered list as CSV.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import nodemailer from 'nodemailer';
import { testDialects } from '../helpers/db.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { startTestSmtp } from '../helpers/smtp.ts';
import { formAction, text } from '../helpers/client.ts';
import { givenWorld, sessionFor, T0 } from '../helpers/portal-world.ts';
import { replyAsProvider } from '../../src/portal/tickets/service.ts';
import { consoleTicket } from '../../src/portal/tickets/provider-service.ts';
import { startInboundMail, replyText } from '../../src/portal/tickets/inbound-mail.ts';
import { parseReplyAddress, replyAddress } from '../../src/portal/tickets/reply-address.ts';
import { MailWorker } from '../../src/mail/service.ts';

const DOMAIN = 'reply.portal.test';

async function open(app: TestApp, who: string, org: string, fields: Record<string, string>) {
  const b = await sessionFor(app, who, org);
  await b.get('/portal/tickets/new');
  const r = await b.post('/portal/tickets', fields);
  return { b, r };
}

/** Sends one mail to the inbound listener over SMTP; resolves with the server's answer or rejects with it. */
async function sendReply(port: number, o: { from: string; to: string; text: string }) {
  const transport = nodemailer.createTransport({ host: '127.0.0.1', port, secure: false, ignoreTLS: true, tls: { rejectUnauthorized: false } });
  try {
    return await transport.sendMail({ from: o.from, to: o.to, subject: 'Re: inquiry', text: o.text });
  } finally {
    transport.close();
  }
}

async function messagesOf(app: TestApp, ticketId: string) {
  return app.ctx.db.selectFrom('ticket_message').select(['side', 'author_user_id', 'body']).where('ticket_id', '=', ticketId).orderBy('created_at').execute();
}

for (const dialect of testDialects()) {
  describe(`${dialect}: ticket essentials (issue 24 item 4)`, () => {
    it('opened from a contract and a notice it names them; urgency and its response target are shown; another organisation\'s user cannot be put in copy', async (t) => {
      const app = await startTestApp(dialect, t, { TICKET_RESPONSE_TARGETS: 'high=180' });
      app.clock.now = T0; // the world's notices are published around T0
      await givenWorld(app.ctx.db);
      const admin = await sessionFor(app, 'aAdmin', 'A');
      const contract = await admin.get('/portal/contracts/cA1');
      assert.match(contract.body, /href="\/portal\/tickets\/new\?contract=cA1"/);
      const form = await admin.get('/portal/tickets/new?contract=cA1');
      assert.match(form.body, /<option value="cA1" selected/);
      assert.match(form.body, /<select id="f-cc" name="cc" multiple/);
      assert.match(text(form.body), /User aGen/, 'colleagues of the organisation to choose from');
      assert.doesNotMatch(text(form.body), /User bAdmin/, 'never another organisation\'s users');
      const base = { category: 'service', contractId: 'cA1', subject: '回線断', body: '今朝から通信できません。', severity: 'high' };
      const foreign = await admin.post('/portal/tickets', { ...base, cc: 'bAdmin' });
      assert.equal(foreign.status, 400);
      assert.match(text(foreign.body), /一覧から選んでください/);
      assert.equal(Number((await app.ctx.db.selectFrom('ticket').select((e) => e.fn.countAll<number>().as('n')).where('subject', '=', '回線断').executeTakeFirstOrThrow()).n), 0, 'nothing written');
      // A multiple select sends the field once per choice.
      const pairs = new URLSearchParams({ ...base, _csrf: admin.csrf() });
      pairs.append('cc', 'aGen');
      pairs.append('cc', 'aNone');
      const ok = await admin.request('POST', '/portal/tickets', pairs.toString(), { 'content-type': 'application/x-www-form-urlencoded', origin: 'null', 'sec-fetch-site': 'same-origin' });
      assert.equal(ok.status, 303, ok.body);
      const page = await admin.get(ok.location!);
      assert.match(text(page.body), /緊急度\s*高\(品質低下\)/);
      assert.match(text(page.body), /一次回答の目安\s*起票から3時間以内/);
      assert.match(text(page.body), /User aAdmin \(起票者\)/);
      assert.match(text(page.body), /User aGen/);
      // From a notice: the notice is named and linked; one the user may not see is refused like an unknown one.
      const fromNotice = await admin.get('/portal/tickets/new?notice=nS1');
      assert.match(fromNotice.body, /name="noticeId" value="nS1"/);
      const withNotice = await admin.post('/portal/tickets', { category: 'outage', subject: '工事の件', body: '影響を教えてください。', noticeId: 'nS1' });
      assert.equal(withNotice.status, 303);
      assert.match((await admin.get(withNotice.location!)).body, /href="\/portal\/notices\/nS1"/);
      const gone = await admin.post('/portal/tickets', { category: 'outage', subject: '工事の件', body: '?', noticeId: 'nS1gone' });
      assert.equal(gone.status, 400, 'a withdrawn notice is not one to name');
      const notice = await admin.get('/portal/notices/nS1');
      assert.match(notice.body, /href="\/portal\/tickets\/new\?notice=nS1"/);
    });

    it('provider answers reach the author and colleagues in copy, each with a reply address of their own; a reply by mail lands in the conversation, a spoofed sender does not', async (t) => {
      const app = await startTestApp(dialect, t, { INBOUND_MAIL_DOMAIN: DOMAIN });
      await givenWorld(app.ctx.db);
      const smtp = await startTestSmtp({ t });
      const worker = new MailWorker({ db: app.ctx.db, dialect: app.ctx.dialect, smtpUrl: smtp.url, from: app.config.mailFrom });
      app.defer(() => worker.stop());
      const inbound = await startInboundMail(app.ctx, { port: 0, host: '127.0.0.1' });
      app.defer(() => inbound.close());

      const { b, r } = await open(app, 'aAdmin', 'A', { category: 'portal', subject: '請求書の件', body: '請求書が届きません。', cc: 'aGen' });
      assert.equal(r.status, 303);
      const ticketId = r.location!.split('/').pop()!.split('?')[0]!;
      const ticket = await app.ctx.db.selectFrom('ticket').selectAll().where('id', '=', ticketId).executeTakeFirstOrThrow();
      await replyAsProvider(app.ctx, { ticketNumber: ticket.number, authorName: 'Support desk', body: '確認します。' });
      await worker.runOnce(Date.now());
      assert.deepEqual(smtp.received.map((m) => m.to[0]).sort(), ['aAdmin@example.com', 'aGen@example.com']);
      const byTo = new Map(smtp.received.map((m) => [m.to[0]!, m]));
      const adminReply = byTo.get('aAdmin@example.com')!.replyTo[0]!;
      const genReply = byTo.get('aGen@example.com')!.replyTo[0]!;
      assert.ok(parseReplyAddress(adminReply, DOMAIN) && parseReplyAddress(genReply, DOMAIN), 'both carry a reply address');
      assert.notEqual(adminReply, genReply, 'one per participant');
      assert.match(byTo.get('aGen@example.com')!.text, /このメールに返信|replying to this mail/);
      assert.doesNotMatch(byTo.get('aAdmin@example.com')!.text, /確認します/, 'the answer stays behind the login');

      // The author replies by mail: the text above the quote is the new message; the ticket waits for the provider.
      await sendReply(inbound.port, { from: 'User aAdmin <aAdmin@example.com>', to: adminReply, text: '届きました、ありがとうございます。\n\n2027年1月15日 10:00 Support <support@example.com>:\n> 確認します。' });
      let msgs = await messagesOf(app, ticketId);
      assert.deepEqual(msgs.at(-1), { side: 'customer', author_user_id: 'aAdmin', body: '届きました、ありがとうございます。' });
      assert.equal((await app.ctx.db.selectFrom('ticket').select('status').where('id', '=', ticketId).executeTakeFirstOrThrow()).status, 'waiting_provider');
      const page = await b.get(`/portal/tickets/${ticketId}`);
      assert.match(text(page.body), /届きました、ありがとうございます。/);

      const before = msgs.length;
      // A stranger who learnt the address: refused in the SMTP transaction, nothing stored.
      await assert.rejects(sendReply(inbound.port, { from: 'mallory@evil.example', to: adminReply, text: 'please wire money' }), /550/);
      // A colleague on the ticket using the author's address (not made for them): refused.
      await assert.rejects(sendReply(inbound.port, { from: 'aGen@example.com', to: adminReply, text: 'I am the author' }), /550/);
      // A forged From with a made-up mac for the right ticket number: refused.
      const forged = adminReply.replace(/\.[a-z2-7]{20}@/, '.aaaaaaaaaaaaaaaaaaaa@');
      await assert.rejects(sendReply(inbound.port, { from: 'aAdmin@example.com', to: forged, text: 'forged' }), /550/);
      // Not one of our addresses at all: refused at RCPT.
      await assert.rejects(sendReply(inbound.port, { from: 'aAdmin@example.com', to: `postmaster@${DOMAIN}`, text: 'hi' }), /550/);
      msgs = await messagesOf(app, ticketId);
      assert.equal(msgs.length, before, 'no refused mail reached the conversation');
      const refused = await app.ctx.db.selectFrom('audit_log').select('detail').where('event', '=', 'ticket.mail_reply_refused').execute();
      assert.deepEqual(refused.map((x) => JSON.parse(x.detail).reason).sort(), ['bad_mac', 'bad_mac', 'not_a_participant']);
      // The colleague's own address works for them.
      await sendReply(inbound.port, { from: 'aGen@example.com', to: genReply, text: 'Also seen here.' });
      assert.deepEqual((await messagesOf(app, ticketId)).at(-1), { side: 'customer', author_user_id: 'aGen', body: 'Also seen here.' });
      // Closed: refused with the reason, until reopened in the portal.
      await b.post(`/portal/tickets/${ticketId}/close`, {});
      await assert.rejects(sendReply(inbound.port, { from: 'aAdmin@example.com', to: adminReply, text: 'one more' }), /550.*closed/i);
    });

    it('closing with a satisfaction rating keeps it; an out-of-range rating is refused and the ticket stays open', async (t) => {
      const app = await startTestApp(dialect, t);
      await givenWorld(app.ctx.db);
      const { b, r } = await open(app, 'aAdmin', 'A', { category: 'portal', subject: 'Q', body: 'A question' });
      const path = r.location!.split('?')[0]!;
      const page = await b.get(path);
      assert.match(page.body, /name="rating" value="5"/);
      const bad = await b.post(`${path}/close`, { rating: '7' });
      assert.equal(bad.status, 400);
      assert.match(text(bad.body), /評価は1〜5から選ぶか/);
      const id = path.split('/').pop()!;
      assert.equal((await app.ctx.db.selectFrom('ticket').select('status').where('id', '=', id).executeTakeFirstOrThrow()).status, 'open');
      const ok = await b.post(`${path}/close`, { rating: '4', ratingComment: '早い回答でした' });
      assert.equal(ok.status, 303);
      const row = await app.ctx.db.selectFrom('ticket').select(['status', 'rating', 'rating_comment']).where('id', '=', id).executeTakeFirstOrThrow();
      assert.deepEqual(row, { status: 'closed', rating: 4, rating_comment: '早い回答でした' });
      assert.match(text((await b.get(path)).body), /あなたの評価: 5段階中 4 — 早い回答でした/);
      assert.deepEqual((await consoleTicket(app.ctx.db, id)).rating, { score: 4, comment: '早い回答でした' }, 'the provider sees it in the console');
    });

    it('the filtered list as CSV: this organisation\'s tickets only, codes kept, formulas neutralised', async (t) => {
      const app = await startTestApp(dialect, t);
      await givenWorld(app.ctx.db);
      const { b } = await open(app, 'aAdmin', 'A', { category: 'portal', subject: '=HYPERLINK("http://evil")', body: 'x' });
      const list = await b.get('/portal/tickets');
      assert.match(list.body, /href="\/portal\/tickets\.csv"[^>]*download/);
      const csv = await b.get('/portal/tickets.csv?category=portal');
      assert.equal(csv.status, 200);
      assert.match(csv.headers.get('content-type') ?? '', /text\/csv/);
      const lines = csv.body.replace(/^\uFEFF/, '').trim().split('\r\n');
      assert.equal(lines[0], 'お問い合わせ番号,件名,状態,緊急度,カテゴリ,サービス,契約番号,起票日時,最終更新,クローズ日時,満足度');
      assert.equal(lines.length, 2, 'one portal ticket of org A (not B\'s, not the service ticket)');
      assert.match(lines[1]!, /,"'=HYPERLINK\(""http:\/\/evil""\)",open,normal,portal,/);
      assert.doesNotMatch(csv.body, /B secret subject/);
      assert.equal((await b.get('/portal/tickets.csv?status=bogus')).status, 400);
    });
  });
}

describe('reply text (issue 24)', () => {
  it('keeps the lines above the quoted original in the usual forms', () => {
    assert.equal(replyText('Thanks!\n\nOn Mon, 1 Feb 2027 at 10:00, Support <s@x> wrote:\n> old'), 'Thanks!');
    assert.equal(replyText('了解です。\r\n\r\n-----Original Message-----\r\nFrom: x'), '了解です。');
    assert.equal(replyText('> only a quote'), '');
    assert.equal(replyText('OK\n\n2027年1月15日(金) 10:00 Support <support@example.com>:\n\n> old'), 'OK');
  });
  it('reply addresses are per ticket and participant, and only of the configured domain', () => {
    const key = Buffer.alloc(32, 7);
    const a = replyAddress(key, DOMAIN, { id: 't1', number: 'T000000001' }, 'u1')!;
    assert.match(a, /^tt000000001\.[a-z2-7]{20}@reply\.portal\.test$/);
    assert.notEqual(a, replyAddress(key, DOMAIN, { id: 't1', number: 'T000000001' }, 'u2'));
    assert.equal(replyAddress(key, null, { id: 't1', number: 'T000000001' }, 'u1'), null);
    assert.deepEqual(parseReplyAddress(a.toUpperCase(), DOMAIN), { number: 'T000000001', mac: a.split('.')[1]!.split('@')[0] });
    assert.equal(parseReplyAddress(a, 'other.test'), null);
  });
});
