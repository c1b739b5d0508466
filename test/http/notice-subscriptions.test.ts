// Issue 24 item 2 over real HTTP, real SMTP, both databases: users choose on /portal/subscriptions
// which maintenance mails they get (the page offers only what they may see, and refuses anything
// else next to the field); the mails follow the choice and the contract rule at send time (a
// chosen contract the user lost is not mailed); the customer's admin keeps technical contacts per
// contract on /admin/contacts (refused to general users and other organisations); a contact gets
// one mail naming only their contracts, with an .ics of those, and an unsubscribe link that needs
// no login and removes only that address.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { testDialects } from '../helpers/db.ts';
import { startTestApp } from '../helpers/app.ts';
import { api } from '../helpers/admin.ts';
import { loggedInOperator } from '../helpers/operator.ts';
import { givenWorld, sessionFor, T0 } from '../helpers/portal-world.ts';
import { startTestSmtp, type ReceivedMail } from '../helpers/smtp.ts';
import { Browser } from '../helpers/client.ts';
import { MailWorker } from '../../src/mail/service.ts';
import { ReminderWorker, REMINDER_LEAD_MS } from '../../src/portal/notices/reminders.ts';

const HOUR = 3_600_000;
const NUMBERS = ['N000000001', 'N000000002', 'N000000003'];

/** A form post with repeated fields (checkboxes), as a browser sends it. */
function postForm(b: Browser, path: string, pairs: Array<[string, string]>) {
  const body = new URLSearchParams([...pairs, ['_csrf', b.csrf()]]).toString();
  return b.request('POST', path, body, { 'content-type': 'application/x-www-form-urlencoded', origin: 'null', 'sec-fetch-site': 'same-origin' });
}

const objectsOf = (m: ReceivedMail) => {
  const ics = m.attachments.find((a) => a.contentType.startsWith('text/calendar'))!.content.toString('utf8');
  return [...ics.matchAll(/X-MAINTNOTE-OBJECT-ID:(\S+)/g)].map((x) => x[1]!).sort();
};
const numbersIn = (m: ReceivedMail) => NUMBERS.filter((n) => m.text.includes(n));

for (const dialect of testDialects()) {
  describe(`${dialect}: maintenance-mail subscriptions and technical contacts over HTTP and SMTP`, () => {
    it('chosen contracts, impact filter, lost access, contacts per contract, unsubscribe, admin page refused to others', { timeout: 180_000 }, async (t) => {
      const smtp = await startTestSmtp({ t });
      const app = await startTestApp(dialect, t, { SMTP_URL: smtp.url });
      app.clock.now = T0;
      await givenWorld(app.ctx.db);
      const b: Record<string, Browser> = {};
      for (const [who, org] of [['aAdmin', 'A'], ['aGen', 'A'], ['aNone', 'A'], ['bAdmin', 'B']] as const) b[who] = await sessionFor(app, who, org);

      // The page offers only what the user may see: aGen sees cA1 (not cA2, not cB1 granted to their group by mistake).
      const page = await b.aGen!.get('/portal/subscriptions');
      assert.equal(page.status, 200);
      assert.match(page.body, /name="contracts" value="cA1"/);
      assert.doesNotMatch(page.body, /value="cA2"|value="cB1"|N000000002|N000000003/);
      assert.match(page.body, /<label for="f-scope-contracts">/, 'fields are labelled');
      // A contract they may not see is refused next to the field; nothing saved.
      const refused = await postForm(b.aGen!, '/portal/subscriptions', [['scope', 'contracts'], ['minImpact', 'none'], ['events', 'published'], ['contracts', 'cA2']]);
      assert.equal(refused.status, 400);
      assert.match(refused.body, /id="f-contracts-err"/);
      assert.equal((await app.ctx.db.selectFrom('notice_subscription').select('user_id').execute()).length, 0);
      // aGen: the chosen contract only, every event.
      const saved = await postForm(b.aGen!, '/portal/subscriptions', [['scope', 'contracts'], ['minImpact', 'none'], ['events', 'published'], ['events', 'changes'], ['events', 'reminders'], ['contracts', 'cA1']]);
      assert.equal(saved.status, 303, saved.body.slice(0, 300));
      assert.match((await b.aGen!.follow(saved)).body, /checked[^>]*value="cA1"|value="cA1"[^>]*checked/);
      // aAdmin: only cA2 of the two they see; bAdmin: degraded and worse (their N000000003 has no impact).
      await b.aAdmin!.get('/portal/subscriptions');
      assert.equal((await postForm(b.aAdmin!, '/portal/subscriptions', [['scope', 'contracts'], ['minImpact', 'none'], ['events', 'published'], ['events', 'changes'], ['contracts', 'cA2']])).status, 303);
      const bJson = await api(app, b.bAdmin!, 'POST', '/portal/subscriptions', { scope: 'all', minImpact: 'degraded', events: ['published', 'changes'] });
      assert.equal(bJson.status, 200, bJson.body);
      assert.equal(bJson.json().subscription.minImpact, 'degraded');

      // The admin keeps technical contacts; general users and other organisations are refused.
      assert.equal((await b.aGen!.get('/admin/contacts')).status, 403);
      assert.equal((await b.aGen!.get('/admin/contacts', { accept: 'application/json' })).status, 403);
      await b.aNone!.get('/portal/subscriptions');
      assert.equal((await b.aNone!.post('/admin/contacts', { number: 'N000000001', name: 'x', email: 'x@a.example' })).status, 403);
      assert.equal((await b.bAdmin!.get('/admin/contacts?org=A')).status, 403);
      const contacts = await b.aAdmin!.get('/admin/contacts');
      assert.equal(contacts.status, 200);
      const bad = await b.aAdmin!.post('/admin/contacts', { org: 'A', number: 'N000000003', name: 'Other org', email: 'x@a.example' });
      assert.equal(bad.status, 400);
      assert.match(bad.body, /id="f-number-err"/, "another organisation's contract is refused next to the field");
      await b.aAdmin!.get('/admin/contacts');
      const added = await b.aAdmin!.post('/admin/contacts', { org: 'A', number: 'N000000001', name: 'NOC A', email: 'noc@a.example' });
      assert.equal(added.status, 200);
      assert.match(added.body, /noc@a\.example/);
      assert.equal((await api(app, b.aAdmin!, 'POST', '/admin/contacts', { org: 'A', number: 'N000000002', name: 'NOC A', email: 'noc@a.example' })).status, 201);
      assert.equal((await api(app, b.bAdmin!, 'POST', '/admin/contacts', { number: 'N000000003', name: 'NOC B', email: 'noc@b.example' })).status, 201);
      const listed = (await api(app, b.aAdmin!, 'GET', '/admin/contacts')).json().contacts.map((c: { contract: string; email: string }) => `${c.contract} ${c.email}`);
      assert.deepEqual(listed, ['N000000001 noc@a.example', 'N000000002 noc@a.example']);

      // A construction notice affecting all three contracts.
      const op = await loggedInOperator(app, 'service_manager');
      const published = await api(app, op.b, 'POST', '/api/operator/notices', {
        kind: 'construction', titleJa: '工事', titleEn: 'Work', bodyJa: '本文', bodyEn: 'Body',
        startsAt: new Date(T0 + 48 * HOUR).toISOString(), endsAt: new Date(T0 + 50 * HOUR).toISOString(),
        contracts: 'N000000001 outage\nN000000002 degraded\nN000000003 none',
      });
      assert.equal(published.status, 201, published.body);
      const noticeId = published.json().notice.id;
      const worker = new MailWorker({ db: app.ctx.db, dialect: app.ctx.dialect, smtpUrl: smtp.url, from: app.config.mailFrom });
      const maint = () => smtp.received.filter((m) => m.attachments.some((a) => a.contentType.startsWith('text/calendar')));
      await worker.runOnce(app.clock.now);
      await smtp.waitFor(() => maint().length >= 4);
      const to = (addr: string) => maint().filter((m) => m.to.includes(addr));
      assert.deepEqual(to('aAdmin@example.com').map(numbersIn), [['N000000002']], 'aAdmin: the chosen contract only');
      assert.deepEqual(to('aAdmin@example.com').map(objectsOf), [['N000000002']]);
      assert.deepEqual(to('aGen@example.com').map(numbersIn), [['N000000001']]);
      assert.deepEqual(to('bAdmin@example.com').length, 0, 'bAdmin: below their impact');
      assert.deepEqual(to('aNone@example.com').length, 0);
      const nocA = to('noc@a.example');
      assert.equal(nocA.length, 1, 'one mail for two contracts');
      assert.deepEqual(numbersIn(nocA[0]!), ['N000000001', 'N000000002']);
      assert.deepEqual(objectsOf(nocA[0]!), ['N000000001', 'N000000002'], 'the .ics names their contracts only');
      assert.deepEqual(to('noc@b.example').map(objectsOf), [['N000000003']]);
      assert.doesNotMatch(nocA[0]!.text, /\/portal\//, 'no portal link for a contact');

      // aGen loses their group: the subscription still names cA1, the status mail does not reach them.
      await app.ctx.db.deleteFrom('user_group_member').where('user_id', '=', 'aGen').execute();
      app.clock.now = T0 + 10 * 60_000;
      assert.equal((await api(app, op.b, 'POST', `/api/operator/notices/${noticeId}/status`, { status: 'in_progress' })).status, 200);
      await worker.runOnce(app.clock.now);
      await smtp.waitFor(() => maint().length >= 7);
      assert.equal(to('aGen@example.com').length, 1, 'no mail for a contract aGen may no longer see');
      assert.equal(to('aAdmin@example.com').length, 2);

      // A reminder 24 h before the start reaches the contacts too (the app's clock moved).
      app.clock.now = T0 + 48 * HOUR - REMINDER_LEAD_MS;
      // The worker as server.ts builds it, on the app's (test) clock.
      const reminders = new ReminderWorker({ db: app.ctx.db, clock: app.ctx.now, setting: { publicUrl: app.config.publicUrl, mailFrom: app.config.mailFrom, secretKey: app.config.secretKey } });
      const sent = await reminders.runOnce();
      assert.deepEqual(sent.map((r) => r.moment), ['before']);
      await worker.runOnce(app.clock.now);
      await smtp.waitFor(() => to('noc@a.example').length >= 3);
      assert.match(to('noc@a.example').at(-1)!.subject, /Reminder|リマインダー/);

      // The unsubscribe link: no login; GET asks, POST removes this address only; then 404.
      app.clock.now = T0 + 20 * 60_000;
      const link = new URL(/(https?:\/\/\S+\/notices\/unsubscribe\/\S+)/.exec(nocA[0]!.text)![1]!).pathname;
      const anon = new Browser(app.url);
      assert.equal((await anon.get(link.replace(/.$/, (c) => (c === '0' ? '1' : '0')))).status, 404, 'a forged link');
      const ask = await anon.get(link);
      assert.equal(ask.status, 200);
      assert.match(ask.body, /noc@a\.example/);
      assert.equal(await app.ctx.db.selectFrom('contract_contact').select('id').execute().then((r) => r.length), 3, 'GET changes nothing');
      const done = await anon.post(link, {});
      assert.equal(done.status, 200, done.body.slice(0, 300));
      assert.deepEqual((await app.ctx.db.selectFrom('contract_contact').select('email').execute()).map((r) => r.email), ['noc@b.example']);
      assert.equal((await anon.get(link)).status, 404, 'used');

      // One-click (RFC 8058): the contact's mail names its address in List-Unsubscribe with
      // List-Unsubscribe-Post; the provider's POST carries no cookie and no CSRF token.
      const nocB = to('noc@b.example');
      assert.ok(nocB.length >= 1);
      const header = nocB[0]!.headerLines.get('list-unsubscribe') ?? '';
      assert.match(header, /^<https?:\/\/\S+\/notices\/unsubscribe\/\S+\/one-click>$/, header);
      assert.equal(nocB[0]!.headerLines.get('list-unsubscribe-post'), 'List-Unsubscribe=One-Click');
      assert.equal(to('aAdmin@example.com')[0]!.headerLines.get('list-unsubscribe'), undefined, 'a user\'s mail has none (its settings page is the way)');
      const oneClick = new URL(header.slice(1, -1)).pathname;
      const post = (body: string) => fetch(new URL(oneClick, app.url), { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body });
      assert.equal((await fetch(new URL(oneClick, app.url))).status, 200, 'opened by hand: the confirmation page');
      assert.equal((await post('')).status, 400, 'a POST without the one-click field changes nothing');
      assert.equal((await post('List-Unsubscribe=Other')).status, 400);
      assert.equal(await app.ctx.db.selectFrom('contract_contact').select('id').execute().then((r) => r.length), 1);
      const forged = oneClick.replace(/\/one-click$/, '').replace(/.$/, (c) => (c === '0' ? '1' : '0')) + '/one-click';
      assert.equal((await fetch(new URL(forged, app.url), { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'List-Unsubscribe=One-Click' })).status, 404, 'a forged link');
      const clicked = await post('List-Unsubscribe=One-Click');
      assert.equal(clicked.status, 200);
      assert.equal(await app.ctx.db.selectFrom('contract_contact').select('id').execute().then((r) => r.length), 0, 'removed without a session or a token');
      assert.equal((await post('List-Unsubscribe=One-Click')).status, 404, 'used');
      assert.equal((await anon.get('/portal/subscriptions')).status, 303, 'the link opened no session');
      const audit = await app.ctx.db.selectFrom('audit_log').select('event').where('event', 'in', ['contact.added', 'contact.unsubscribed', 'notice.subscription_changed']).execute();
      assert.deepEqual(audit.map((a) => a.event).sort(), ['contact.added', 'contact.added', 'contact.added', 'contact.unsubscribed', 'contact.unsubscribed', 'notice.subscription_changed', 'notice.subscription_changed', 'notice.subscription_changed']);
    });
  });
}
