// The console's tickets inbox over HTTP (issue 26 item 2): a customer opens a ticket in the portal;
// an operator finds it in the inbox, writes an internal note, replies from the console page. The
// reply reaches the customer's mailbox (a real SMTP server) and their ticket page; the note never
// reaches the customer — not on the ticket page, not in the portal JSON, not in any mail, not in
// the customer admin's audit log or its CSV export. The JSON API does the same through the same services.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { testDialects } from '../helpers/db.ts';
import { startTestApp } from '../helpers/app.ts';
import { startTestSmtp } from '../helpers/smtp.ts';
import { givenTerms } from '../helpers/scenario.ts';
import { api, csrfOf, givenOrg, loggedIn } from '../helpers/admin.ts';
import { loggedInOperator } from '../helpers/operator.ts';
import { text } from '../helpers/client.ts';
import { MailWorker } from '../../src/mail/service.ts';

const NOTE = 'INTERNAL-NOTE: customer is on the old plan, do not promise the upgrade';
const REPLY = 'Console reply: please restart the router and tell us the lamp colour.';

for (const dialect of testDialects()) {
  describe(`${dialect}: tickets inbox (provider's console)`, () => {
    it('a console reply reaches the customer by mail and on their ticket page; an internal note reaches them nowhere', async (t) => {
      const smtp = await startTestSmtp({ t });
      const app = await startTestApp(dialect, t, { SMTP_URL: smtp.url });
      const worker = new MailWorker({ db: app.ctx.db, dialect: app.ctx.dialect, smtpUrl: smtp.url, from: app.config.mailFrom });
      app.defer(() => worker.stop());
      await givenTerms(app.ctx);
      const org = await givenOrg(app, 'direct');
      const customer = await loggedIn(app, org, 'admin', { name: '顧客 花子' });
      const agent = await loggedInOperator(app, 'agent', { name: '窓口 一郎' });

      const opened = await api(app, customer.b, 'POST', '/portal/tickets', { category: 'portal', subject: 'ルーターがつながらない', body: '昨日からつながりません。' });
      assert.equal(opened.status, 201, opened.body);
      const { id } = opened.json();

      // The inbox: waiting tickets by default, filtered by organisation; the same through the JSON API.
      const inbox = await agent.b.get(`/operator/tickets?org=${org}`);
      assert.equal(inbox.status, 200);
      assert.match(inbox.body, /ルーターがつながらない/);
      const listed = (await api(app, agent.b, 'GET', `/api/operator/tickets?org=${org}&severity=normal&assignee=none`)).json();
      assert.deepEqual(listed.tickets.map((k: { id: string }) => k.id), [id]);
      assert.equal((await api(app, agent.b, 'GET', `/api/operator/tickets?org=${org}&assignee=me`)).json().total, 0);

      // Assign to me, a note, a reply: each a form post and a redirect back with a notice.
      const assign = await agent.b.post(`/operator/tickets/${id}/assign`, { assignee: 'me' }, { csrf: csrfOf(app, agent.b) });
      assert.equal(assign.status, 303);
      const note = await agent.b.post(`/operator/tickets/${id}/notes`, { body: NOTE }, { csrf: csrfOf(app, agent.b) });
      assert.equal(note.status, 303);
      assert.equal(note.location, `/operator/tickets/${id}?done=note`);
      app.clock.advance(1000);
      const reply = await agent.b.post(`/operator/tickets/${id}/replies`, { body: REPLY, mode: 'reply' }, { csrf: csrfOf(app, agent.b) });
      assert.equal(reply.status, 303);
      const consolePage = await agent.b.get(reply.location!);
      assert.match(text(consolePage.body), /Reply sent|回答を送信/);
      assert.ok(consolePage.body.includes(NOTE), 'the console shows the note');
      assert.match(consolePage.body, /class="message provider internal"/, 'marked as internal');
      assert.match(text(consolePage.body), /社内メモ — お客様には表示されません|Internal note — the customer never sees this/);
      assert.match(text(consolePage.body), /お客様に見えるもの|The customer sees/, 'what the customer sees is beside the actions');
      assert.equal((await api(app, agent.b, 'GET', `/api/operator/tickets?assignee=me&status=all`)).json().total, 1);

      // The customer: the reply on the page and in JSON, the note nowhere.
      const page = await customer.b.get(`/portal/tickets/${id}`);
      assert.equal(page.status, 200);
      assert.ok(page.body.includes(REPLY.replace(/'/g, '&#39;')) || text(page.body).includes(REPLY), 'the reply is on the customer page');
      assert.ok(page.body.includes('窓口 一郎'), 'under the operator\'s name');
      assert.ok(!page.body.includes('INTERNAL-NOTE'), 'no note on the customer page');
      const json = await api(app, customer.b, 'GET', `/portal/tickets/${id}`);
      assert.ok(!json.body.includes('INTERNAL-NOTE'), 'no note in the customer JSON');
      assert.deepEqual(json.json().ticket.messages.map((m: { side: string }) => m.side), ['customer', 'provider']);
      assert.equal(json.json().ticket.status, 'waiting_customer');

      // The mailbox: one mail to the customer, about the reply, with a link and no text of either message.
      await worker.runOnce(app.clock.now);
      const mails = await smtp.waitFor((m) => m.some((x) => x.to.includes(customer.u.email) && /回答/.test(x.subject)));
      const replyMail = mails.find((x) => x.to.includes(customer.u.email) && /回答/.test(x.subject))!;
      assert.match(replyMail.text, new RegExp(`/portal/tickets/${id}`));
      assert.ok(mails.every((m) => !m.text.includes('INTERNAL-NOTE') && !m.subject.includes('INTERNAL-NOTE')), 'no mail carries the note');
      assert.ok(!replyMail.text.includes('restart the router'), 'the reply text stays behind the login');

      // The customer admin's audit log (page and CSV export) says nothing of the note.
      const audit = await customer.b.get('/admin/audit');
      assert.equal(audit.status, 200);
      assert.doesNotMatch(audit.body, /title="ticket\.|INTERNAL-NOTE/, 'no console action in the customer admin\'s log');
      const csv = await customer.b.get('/admin/audit.csv');
      assert.equal(csv.status, 200);
      assert.doesNotMatch(csv.body, /ticket\.note_added|INTERNAL-NOTE/);

      // Every console action is audited with the operator as actor; the note's text is never in the log.
      const rows = await app.ctx.db.selectFrom('audit_log').select(['event', 'actor_user_id', 'detail']).where('event', 'like', 'ticket.%').orderBy('at').execute();
      assert.deepEqual(rows.map((r) => r.event), ['ticket.assigned', 'ticket.note_added', 'ticket.replied']);
      assert.ok(rows.every((r) => r.actor_user_id === agent.u.id && JSON.parse(r.detail).via === 'console' && !r.detail.includes('INTERNAL')));
    });

    it('the JSON API: ask for information, resolve, close and reopen, with what the customer sees; errors in the one shape', async (t) => {
      const app = await startTestApp(dialect, t);
      await givenTerms(app.ctx);
      const org = await givenOrg(app, 'direct');
      const customer = await loggedIn(app, org, 'admin');
      const agent = await loggedInOperator(app, 'agent');
      const other = await loggedInOperator(app, 'service_manager', { name: '二番 次郎' });
      const { id } = (await api(app, customer.b, 'POST', '/portal/tickets', { category: 'other', subject: 'Invoice', body: 'Where is it?' })).json();

      const ask = await api(app, agent.b, 'POST', `/api/operator/tickets/${id}/replies`, { body: 'Which month?', mode: 'ask' });
      assert.equal(ask.status, 201, ask.body);
      assert.deepEqual(ask.json().customerSees, { message: true, mail: true, status: 'waiting_customer' });
      const mail = await app.ctx.db.selectFrom('mail_outbox').select(['subject']).where('to_addr', '=', customer.u.email).where('kind', '=', 'ticket_reply').executeTakeFirstOrThrow();
      assert.match(mail.subject, /情報のご提供のお願い/);

      const assigned = await api(app, agent.b, 'POST', `/api/operator/tickets/${id}/assign`, { assignee: other.u.id });
      assert.equal(assigned.status, 200);
      assert.deepEqual(assigned.json().customerSees, { message: false, mail: false, status: null });
      const notOperator = await api(app, agent.b, 'POST', `/api/operator/tickets/${id}/assign`, { assignee: customer.u.id });
      assert.equal(notOperator.status, 400);
      assert.deepEqual(Object.keys(notOperator.json().fields), ['assignee']);
      assert.equal((await api(app, agent.b, 'POST', `/api/operator/tickets/${id}/severity`, { severity: 'urgent' })).status, 400);
      assert.equal((await api(app, agent.b, 'POST', `/api/operator/tickets/${id}/notes`, { body: '   ' })).status, 400);
      assert.equal((await api(app, agent.b, 'POST', `/api/operator/tickets/nosuchticket/notes`, { body: 'x' })).status, 404);

      const detail = (await api(app, agent.b, 'GET', `/api/operator/tickets/${id}`)).json();
      assert.equal(detail.ticket.assignee.name, '二番 次郎');
      assert.deepEqual(detail.ticket.messages.map((m: { side: string; internal: boolean }) => [m.side, m.internal]), [['customer', false], ['provider', false]]);

      const resolved = await api(app, agent.b, 'POST', `/api/operator/tickets/${id}/replies`, { body: 'Sent again today.', mode: 'resolve' });
      assert.equal(resolved.json().ticketStatus, 'closed');
      const again = await api(app, agent.b, 'POST', `/api/operator/tickets/${id}/replies`, { body: 'More', mode: 'reply' });
      assert.equal(again.status, 409);
      assert.equal(again.json().error, 'tickets.closed');
      assert.equal((await api(app, agent.b, 'POST', `/api/operator/tickets/${id}/close`)).status, 409);
      assert.equal((await api(app, agent.b, 'POST', `/api/operator/tickets/${id}/reopen`)).status, 200);
      assert.equal((await api(app, customer.b, 'GET', `/portal/tickets/${id}`)).json().ticket.status, 'waiting_provider');
      assert.equal((await api(app, agent.b, 'POST', `/api/operator/tickets/${id}/close`)).status, 200);

      // The page answers a refused change next to its field, in the page.
      await api(app, agent.b, 'POST', `/api/operator/tickets/${id}/reopen`);
      const empty = await agent.b.post(`/operator/tickets/${id}/notes`, { body: '' }, { csrf: csrfOf(app, agent.b) });
      assert.equal(empty.status, 400);
      assert.match(empty.body, /id="f-note-err"/);
      assert.match(empty.body, /aria-invalid="true"/);
      const badWaiting = await agent.b.get('/operator/tickets?waiting=abc');
      assert.equal(badWaiting.status, 400);
      assert.match(badWaiting.body, /id="f-waiting-err"/);
    });
  });
}

for (const dialect of testDialects()) {
  describe(`${dialect}: operators page (operator admins)`, () => {
    it('an operator admin adds an operator (starting guide queued) and changes roles, never their own', async (t) => {
      const app = await startTestApp(dialect, t);
      await givenTerms(app.ctx);
      const admin = await loggedInOperator(app, 'operator_admin');
      const page = await admin.b.get('/operator/operators');
      assert.equal(page.status, 200);
      const bad = await admin.b.post('/operator/operators', { email: 'not an address', name: '', phone: '12', role: 'agent' }, { csrf: csrfOf(app, admin.b) });
      assert.equal(bad.status, 400);
      for (const f of ['email', 'name', 'phone']) assert.match(bad.body, new RegExp(`id="f-${f}-err"`));
      const added = await admin.b.post('/operator/operators', { email: 'new.agent@provider.example', name: '新人 三郎', phone: '0311112222', role: 'agent', lang: 'en' }, { csrf: csrfOf(app, admin.b) });
      assert.equal(added.status, 303);
      const mail = await app.ctx.db.selectFrom('mail_outbox').select(['kind', 'subject']).where('to_addr', '=', 'new.agent@provider.example').execute();
      assert.deepEqual(mail.map((m) => m.kind), ['starting_guide']);
      const list = (await api(app, admin.b, 'GET', '/api/operator/operators')).json().operators as { id: string; loginId: string; role: string }[];
      const agent = list.find((o) => o.loginId === 'new.agent@provider.example')!;
      assert.equal(agent.role, 'agent');
      assert.equal((await api(app, admin.b, 'POST', `/api/operator/operators/${agent.id}/role`, { role: 'service_manager' })).json().operator.role, 'service_manager');
      const self = await api(app, admin.b, 'POST', `/api/operator/operators/${admin.u.id}/role`, { role: 'agent' });
      assert.equal(self.status, 409);
      assert.equal(self.json().error, 'console.ops.self');
      const registered = await app.ctx.db.selectFrom('audit_log').select(['actor_user_id', 'detail']).where('event', '=', 'user.registered').where('actor_user_id', '=', admin.u.id).execute();
      assert.deepEqual(registered.map((r) => JSON.parse(r.detail)), [{ role: 'general', operatorRole: 'agent' }]);
    });
  });
}
