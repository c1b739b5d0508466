// Issue 24 items 1 and 3 over real HTTP, real SMTP, both databases: a notice aimed at contracts of
// two groups (and two organisations) reaches each user only for the contracts that user may see —
// on the notice page, the contract page, the calendar and Atom feeds and the maintenance mail with
// its .ics, which an independent iCalendar parser (ical.js) reads back as BCOP MAINTNOTE. A revoked
// or unknown feed token answers 404; the status history and the post-incident report follow the
// same rule.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import ICAL from 'ical.js';
import { testDialects } from '../helpers/db.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { api } from '../helpers/admin.ts';
import { loggedInOperator } from '../helpers/operator.ts';
import { givenWorld, sessionFor, T0 } from '../helpers/portal-world.ts';
import { startTestSmtp } from '../helpers/smtp.ts';
import { Browser } from '../helpers/client.ts';
import { call, issuedToken } from '../helpers/api.ts';
import { MailWorker } from '../../src/mail/service.ts';

const HOUR = 3_600_000;

/** A second group in organisation A: aGen2 may view cA2 only. */
async function givenSecondGroup(app: TestApp) {
  const db = app.ctx.db;
  await db.insertInto('app_user').values({
    id: 'aGen2', organisation_id: 'A', login_id: 'aGen2@example.com', email: 'aGen2@example.com', name: 'User aGen2', phone: '0312345678', role: 'general', lang: 'en',
    password_hash: null, password_set_at: null, second_factor: 'totp', security_epoch: 0, disabled_at: null, last_login_at: null, origin: 'portal', created_at: T0, updated_at: T0,
  }).execute();
  await db.insertInto('user_group').values({ id: 'gA2', organisation_id: 'A', name: 'Voice', created_at: T0 }).execute();
  await db.insertInto('user_group_member').values({ group_id: 'gA2', user_id: 'aGen2' }).execute();
  await db.insertInto('contract_group_access').values({ group_id: 'gA2', contract_id: 'cA2', granted_at: T0 }).execute();
}

interface ParsedEvent { uid: string; status: string; impact: string; maintStatus: string; provider: string; account: string; maintenanceId: string; objects: string[]; summary: string; start: string; end: string }

/** Reads calendar text with ical.js (not our code): one entry per VEVENT with its MAINTNOTE properties. */
function parseIcs(text: string): ParsedEvent[] {
  const cal = new ICAL.Component(ICAL.parse(text));
  return cal.getAllSubcomponents('vevent').map((ev) => {
    const one = (name: string) => String(ev.getFirstPropertyValue(name));
    return {
      uid: one('uid'), status: one('status'), impact: one('x-maintnote-impact'), maintStatus: one('x-maintnote-status'),
      provider: one('x-maintnote-provider'), account: one('x-maintnote-account'), maintenanceId: one('x-maintnote-maintenance-id'),
      objects: ev.getAllProperties('x-maintnote-object-id').map((p) => String(p.getFirstValue())).sort(), summary: one('summary'),
      start: (ev.getFirstPropertyValue('dtstart') as ICAL.Time).toJSDate().toISOString(), end: (ev.getFirstPropertyValue('dtend') as ICAL.Time).toJSDate().toISOString(),
    };
  });
}

for (const dialect of testDialects()) {
  describe(`${dialect}: notices aimed at contracts, the maintenance calendar and mail`, () => {
    it('each user gets exactly the affected contracts they may see: pages, feeds, mails; revoked feed answers 404', { timeout: 120_000 }, async (t) => {
      const smtp = await startTestSmtp({ t });
      const app = await startTestApp(dialect, t, { SMTP_URL: smtp.url });
      app.clock.now = T0;
      await givenWorld(app.ctx.db);
      await givenSecondGroup(app);
      const op = await loggedInOperator(app, 'service_manager');
      const json = { accept: 'application/json' };

      const title = 'Fibre, work; «night»\\window';
      const published = await api(app, op.b, 'POST', '/api/operator/notices', {
        kind: 'construction', titleJa: '光ファイバー工事', titleEn: title, bodyJa: '夜間工事です。', bodyEn: 'Night work,\nsplice closure.',
        startsAt: new Date(T0 + 24 * HOUR).toISOString(), endsAt: new Date(T0 + 28 * HOUR).toISOString(), status: 'tentative',
        contracts: 'N000000001 outage\nN000000002, degraded\nN000000003\treduced-redundancy',
      });
      assert.equal(published.status, 201, published.body);
      const notice = published.json().notice;
      assert.deepEqual(notice.contracts.map(({ number, impact }: { number: string; impact: string }) => ({ number, impact })), [
        { number: 'N000000001', impact: 'outage' }, { number: 'N000000002', impact: 'degraded' }, { number: 'N000000003', impact: 'reduced_redundancy' },
      ], 'the operator sees every affected contract');
      assert.equal(notice.status, 'tentative');

      // An unknown number is refused by name, nothing written.
      const bad = await api(app, op.b, 'POST', '/api/operator/notices', {
        kind: 'construction', titleJa: 'x', titleEn: 'x', bodyJa: 'x', bodyEn: 'x', startsAt: new Date(T0).toISOString(), contracts: 'N999999999 outage',
      });
      assert.equal(bad.status, 422);
      assert.match(bad.body, /N999999999/);

      const expected: Record<string, string[]> = {
        aAdmin: ['N000000001', 'N000000002'], aGen: ['N000000001'], aGen2: ['N000000002'], bAdmin: ['N000000003'], aNone: [],
      };
      const orgOf: Record<string, string> = { aAdmin: 'A', aGen: 'A', aGen2: 'A', bAdmin: 'B', aNone: 'A' };
      const browsers: Record<string, Browser> = {};
      for (const who of Object.keys(expected)) browsers[who] = await sessionFor(app, who, orgOf[who]!);

      // The TM Forum API (issue 24 item 6): an organisation's token reads the Incident with only its
      // own affected contracts as `affectedProduct` entries, each with its impact.
      for (const [admin, org, numbers] of [['aAdmin', 'A', ['N000000001', 'N000000002']], ['bAdmin', 'B', ['N000000003']]] as const) {
        const { token } = await issuedToken(app, admin, org, ['notices:read']);
        const res = await call(app, token, 'GET', `/tmf-api/incidentManagement/v5/incident/${notice.id}`);
        assert.equal(res.status, 200, res.text);
        const products = res.body.relatedEntity.filter((e: { role: string }) => e.role === 'affectedProduct');
        assert.deepEqual(products.map((e: { entity: { name: string } }) => e.entity.name), [...numbers], `${org}: its contracts only`);
        assert.equal(products[0].impact, org === 'B' ? 'reduced_redundancy' : 'outage');
      }

      // The notice page (JSON and HTML): only the contracts the reader may see; nobody else's number.
      for (const [who, numbers] of Object.entries(expected)) {
        const res = await browsers[who]!.get(`/portal/notices/${notice.id}`, json);
        if (!numbers.length) { assert.equal(res.status, 404, `${who} may see no affected contract: the notice is unknown to them`); continue; }
        assert.equal(res.status, 200, who);
        const view = JSON.parse(res.body).notice;
        assert.deepEqual(view.contracts.map((c: { number: string }) => c.number), numbers, `${who}: notice page`);
        for (const other of ['N000000001', 'N000000002', 'N000000003'].filter((n) => !numbers.includes(n))) {
          assert.ok(!res.body.includes(other), `${who} must not read ${other}`);
          const page = await browsers[who]!.get(`/portal/notices/${notice.id}`);
          assert.ok(!page.body.includes(other), `${who} page must not show ${other}`);
        }
        const list = JSON.parse((await browsers[who]!.get('/portal/notices', json)).body).notices.map((n: { id: string }) => n.id);
        assert.ok(list.includes(notice.id), `${who}: listed`);
      }
      const noneList = JSON.parse((await browsers.aNone!.get('/portal/notices', json)).body).notices.map((n: { id: string }) => n.id);
      assert.ok(!noneList.includes(notice.id), 'aNone: not listed');

      // The mail at publication: to each user who sees an affected contract, with their contracts only, .ics attached.
      const worker = new MailWorker({ db: app.ctx.db, dialect: app.ctx.dialect, smtpUrl: smtp.url, from: app.config.mailFrom });
      await worker.runOnce(app.clock.now);
      await smtp.waitFor((m) => m.filter((x) => /Maintenance|工事/.test(x.subject)).length >= 4);
      const maintMails = () => smtp.received.filter((m) => m.attachments.some((a) => a.contentType.startsWith('text/calendar')));
      for (const [who, numbers] of Object.entries(expected)) {
        const mails = maintMails().filter((m) => m.to.includes(`${who}@example.com`));
        if (!numbers.length) { assert.equal(mails.length, 0, `${who} gets no mail`); continue; }
        assert.equal(mails.length, 1, `${who}: one mail`);
        const mail = mails[0]!;
        for (const n of ['N000000001', 'N000000002', 'N000000003']) assert.equal(mail.text.includes(n), numbers.includes(n), `${who} mail body ${n}`);
        const [ev] = parseIcs(mail.attachments.find((a) => a.contentType.startsWith('text/calendar'))!.content.toString('utf8'));
        assert.ok(ev);
        assert.deepEqual(ev.objects, numbers, `${who}: .ics OBJECT-IDs`);
        assert.equal(ev.maintenanceId, notice.id);
        assert.equal(ev.maintStatus, 'TENTATIVE');
        assert.equal(ev.status, 'TENTATIVE');
        assert.equal(ev.account, orgOf[who]);
        assert.equal(ev.provider, new URL(app.config.publicUrl).hostname);
        assert.equal(ev.start, new Date(T0 + 24 * HOUR).toISOString());
        assert.equal(ev.end, new Date(T0 + 28 * HOUR).toISOString());
      }

      // The calendar feed: created on the settings page, read without a session by ical.js.
      const feeds: Record<string, { ics: string; atom: string }> = {};
      for (const who of Object.keys(expected)) {
        assert.equal((await browsers[who]!.get('/portal/calendar')).status, 200);
        const created = await api(app, browsers[who]!, 'POST', '/portal/calendar', {});
        assert.equal(created.status, 201, created.body);
        feeds[who] = created.json();
      }
      const anon = new Browser(app.url);
      for (const [who, numbers] of Object.entries(expected)) {
        const res = await anon.get(new URL(feeds[who]!.ics).pathname);
        assert.equal(res.status, 200, who);
        assert.match(res.headers.get('content-type') ?? '', /^text\/calendar/);
        assert.ok(res.body.split('\r\n').every((l) => Buffer.byteLength(l) <= 75), 'lines folded at 75 octets');
        const events = parseIcs(res.body);
        if (!numbers.length) { assert.equal(events.length, 0, `${who}: no event`); continue; }
        assert.equal(events.length, 1, who);
        const ev = events[0]!;
        assert.deepEqual(ev.objects, numbers, `${who}: feed OBJECT-IDs`);
        assert.equal(ev.impact, who === 'aGen2' ? 'DEGRADED' : who === 'bAdmin' ? 'REDUCED-REDUNDANCY' : 'OUTAGE');
        assert.equal(ev.summary, who === 'aGen' || who === 'aGen2' ? title : '光ファイバー工事', 'escaped text reads back as written, in the user\'s language');
        const atom = await anon.get(new URL(feeds[who]!.atom).pathname);
        assert.equal(atom.status, 200);
        assert.match(atom.body, new RegExp(notice.id));
        for (const other of ['N000000001', 'N000000002', 'N000000003'].filter((n) => !numbers.includes(n))) {
          assert.ok(!res.body.includes(other) && !atom.body.includes(other), `${who} feeds must not name ${other}`);
        }
      }

      // Status change: kept in the history, mailed again with the new status, visible on the contract page.
      app.clock.now = T0 + 10 * 60_000; // within the sessions' idle timeout
      const changed = await api(app, op.b, 'POST', `/api/operator/notices/${notice.id}/status`, { status: 'confirmed' });
      assert.equal(changed.status, 200, changed.body);
      assert.deepEqual(changed.json().notice.statusHistory.map((h: { status: string }) => h.status), ['tentative', 'confirmed']);
      assert.equal((await api(app, op.b, 'POST', `/api/operator/notices/${notice.id}/status`, { status: 'confirmed' })).status, 409);
      await worker.runOnce(app.clock.now);
      await smtp.waitFor(() => maintMails().length >= 8);
      const second = maintMails().filter((m) => m.to.includes('aGen@example.com')).at(-1)!;
      assert.equal(parseIcs(second.attachments[0]!.content.toString('utf8'))[0]!.maintStatus, 'CONFIRMED');
      const contractPage = JSON.parse((await browsers.aGen!.get('/portal/contracts/cA1', json)).body);
      const affecting = contractPage.affecting.find((n: { id: string }) => n.id === notice.id);
      assert.equal(affecting.impact, 'outage');
      assert.deepEqual(affecting.history.map((h: { status: string }) => h.status), ['tentative', 'confirmed']);
      const sequences = parseIcs((await anon.get(new URL(feeds.aGen!.ics).pathname)).body);
      assert.equal(sequences[0]!.maintStatus, 'CONFIRMED');

      // The post-incident report: whoever may see the notice downloads it; others get 404.
      const report = await api(app, op.b, 'POST', `/api/operator/notices/${notice.id}/report`, { filename: 'report.txt', contentBase64: Buffer.from('root cause: none').toString('base64') });
      assert.equal(report.status, 200, report.body);
      const got = await browsers.aGen!.get(`/portal/notices/${notice.id}/report`);
      assert.equal(got.status, 200);
      assert.equal(got.body, 'root cause: none');
      assert.match(got.headers.get('content-disposition') ?? '', /^attachment/);
      assert.equal((await browsers.aNone!.get(`/portal/notices/${notice.id}/report`)).status, 404);

      // Revoked and unknown feed tokens answer 404, alike.
      assert.equal((await api(app, browsers.aGen!, 'POST', '/portal/calendar/revoke', {})).status, 200);
      assert.equal((await anon.get(new URL(feeds.aGen!.ics).pathname)).status, 404, 'revoked .ics');
      assert.equal((await anon.get(new URL(feeds.aGen!.atom).pathname)).status, 404, 'revoked .atom');
      const forged = new URL(feeds.aGen2!.ics).pathname.replace(/(.)\.ics$/, (_m, c: string) => `${c === 'A' ? 'B' : 'A'}.ics`);
      assert.equal((await anon.get(forged)).status, 404, 'a changed secret');
      assert.equal((await anon.get('/calendar/nope.ics')).status, 404, 'malformed');
      assert.equal((await anon.get(new URL(feeds.aGen2!.ics).pathname)).status, 200, 'other tokens unaffected');
      const rows = await app.ctx.db.selectFrom('calendar_token').select(['token_hash']).execute();
      for (const f of Object.values(feeds)) assert.ok(!rows.some((r) => f.ics.includes(r.token_hash)), 'only a hash at rest');
      const audit = await app.ctx.db.selectFrom('audit_log').select('event').where('event', 'in', ['calendar.token_created', 'calendar.token_revoked', 'notice.status_changed', 'notice.report_attached']).execute();
      assert.deepEqual([...new Set(audit.map((a) => a.event))].sort(), ['calendar.token_created', 'calendar.token_revoked', 'notice.report_attached', 'notice.status_changed']);
    });
  });
}

for (const dialect of testDialects()) {
  describe(`${dialect}: the console's notice forms (contracts textarea, status, multipart report)`, () => {
    it('publishes from the form, refuses a bad line next to the field, attaches a report by upload', { timeout: 120_000 }, async (t) => {
      const app = await startTestApp(dialect, t);
      app.clock.now = T0;
      await givenWorld(app.ctx.db);
      const op = await loggedInOperator(app, 'service_manager');
      const page = await op.b.get('/operator/notices/new?lang=en');
      assert.match(page.body, /name="contracts"/);
      const jst = (ms: number) => new Date(T0 + ms + 9 * HOUR).toISOString().slice(0, 16);
      const fields = (contracts: string) => ({
        kind: 'outage', titleJa: '障害', titleEn: 'Outage', bodyJa: '本文', bodyEn: 'Body', startsAt: jst(HOUR), endsAt: jst(2 * HOUR), status: 'in_progress', contracts,
      });
      const bad = await op.b.post('/operator/notices', fields('N000000001 outage\nN000000002'));
      assert.equal(bad.status, 400);
      assert.match(bad.body, /Line 2/);
      const ok = await op.b.post('/operator/notices', fields('N000000001 outage\nN000000002 none'));
      assert.equal(ok.status, 303, ok.body);
      const id = ok.location!.match(/notices\/([^?]+)/)![1]!;
      const shown = await op.b.get(`/operator/notices/${id}?lang=en`);
      assert.match(shown.body, /N000000001 outage\nN000000002 none/, 'the textarea shows the lines again');
      assert.match(shown.body, /In progress/);

      const boundary = '----bp' + Date.now();
      const csrf = op.b.csrfFor();
      const body = [`--${boundary}`, 'Content-Disposition: form-data; name="_csrf"', '', csrf,
        `--${boundary}`, 'Content-Disposition: form-data; name="report"; filename="pir.txt"', 'Content-Type: text/plain', '', 'post-incident', `--${boundary}--`, ''].join('\r\n');
      const up = await op.b.request('POST', `/operator/notices/${id}/report`, body, { 'content-type': `multipart/form-data; boundary=${boundary}`, origin: 'null', 'sec-fetch-site': 'same-origin', 'x-csrf-token': csrf });
      assert.equal(up.status, 303, up.body.slice(0, 500));
      const dl = await op.b.get(`/operator/notices/${id}/report`);
      assert.equal(dl.body, 'post-incident');
    });
  });
}
