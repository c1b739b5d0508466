// The console's notices, maintenance windows and terms over real HTTP (issue 26 items 4–6), on both
// databases: a service manager previews (nothing written), publishes, changes and withdraws a notice
// and customers see each step on their dashboard; a maintenance window is previewed with the login
// page's own banner, scheduled, brought forward (login answers 503, the console stays open to the
// operator) and cancelled; refusals show the message next to the field and write nothing; the
// operator admin's terms diff is escaped and a stale diff cannot be published; the JSON API does the
// same through the same services. (The migrations page: test/http/operator-migrations.test.ts.)
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { testDialects } from '../helpers/db.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { Browser, text } from '../helpers/client.ts';
import { api, csrfOf } from '../helpers/admin.ts';
import { loggedInOperator } from '../helpers/operator.ts';
import { givenWorld, sessionFor } from '../helpers/portal-world.ts';

const HOUR = 3_600_000;
/** A JST datetime-local value `ms` from the app's now. */
const jst = (app: TestApp, ms: number) => new Date(app.clock.now + ms + 9 * HOUR).toISOString().slice(0, 16);

/** A form post with repeated fields (services), as a browser sends checked boxes. */
function postForm(app: TestApp, b: Browser, path: string, fields: [string, string][]) {
  const body = new URLSearchParams([...fields, ['_csrf', csrfOf(app, b)]]).toString();
  return b.request('POST', path, body, { 'content-type': 'application/x-www-form-urlencoded', origin: 'null', 'sec-fetch-site': 'same-origin' });
}
async function count(app: TestApp, table: 'notice' | 'maintenance_window' | 'terms_version') {
  return Number((await app.ctx.db.selectFrom(table).select((e) => e.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
}

for (const dialect of testDialects()) {
  describe(`${dialect}: console notices, maintenance and terms`, () => {
    it('notice: preview writes nothing, refusal marks the field, publish → dashboard, change, withdraw → gone', async (t) => {
      const app = await startTestApp(dialect, t);
      await givenWorld(app.ctx.db);
      const customer = await sessionFor(app, 'aGen', 'A');    // sees service S1 (Colocation) only
      await customer.get('/?lang=en');                         // English from here on (a cookie)
      const op = await loggedInOperator(app, 'service_manager');
      const compose = await op.b.get('/operator/notices/new?lang=en');
      assert.equal(compose.status, 200);
      assert.match(compose.body, /name="services" value="S1"/);
      const fields = (o: Record<string, string> = {}): [string, string][] => ([
        ['kind', 'outage'], ['services', 'S1'], ['services', 'S2'], ['titleJa', '<b>回線</b>障害'], ['titleEn', 'Line <b>outage</b>'],
        ['bodyJa', '復旧作業中です'], ['bodyEn', 'We are restoring it'], ['startsAt', jst(app, -HOUR)], ['endsAt', jst(app, 2 * HOUR)],
      ] as [string, string][]).map(([k, v]) => [k, o[k] ?? v]);

      const preview = await postForm(app, op.b, '/operator/notices/preview', fields());
      assert.equal(preview.status, 200);
      assert.match(preview.body, /Line &lt;b>outage&lt;\/b>/, 'escaped in the preview');
      assert.match(preview.body, /&lt;b>回線&lt;\/b>障害/, 'both languages previewed');
      assert.doesNotMatch(preview.body, /<b>outage<\/b>/);
      assert.equal(await count(app, 'notice'), 6, 'preview wrote nothing (the world has 6)');

      const bad = await postForm(app, op.b, '/operator/notices', [...fields().filter(([k]) => k !== 'endsAt'), ['endsAt', jst(app, -2 * HOUR)]]);
      assert.equal(bad.status, 422);
      assert.match(bad.body, /id="f-endsAt"[^>]*aria-invalid="true" aria-describedby="f-endsAt-hint f-endsAt-err"/, 'the message is tied to its field');
      assert.match(text(bad.body), /The end must be after the start/);
      const badTime = await postForm(app, op.b, '/operator/notices', [...fields().filter(([k]) => k !== 'startsAt'), ['startsAt', '2026-02-30T10:00']]);
      assert.equal(badTime.status, 400);
      assert.match(text(badTime.body), /Enter a date and time/);
      assert.equal(await count(app, 'notice'), 6, 'refused: nothing written');

      const published = await postForm(app, op.b, '/operator/notices', fields());
      assert.equal(published.status, 303);
      const id = published.location!.match(/\/operator\/notices\/([^?]+)\?done=published/)![1]!;
      const dash = await customer.get('/', { accept: 'application/json' });
      const shown = JSON.parse(dash.body).notices.find((n: { id: string }) => n.id === id);
      assert.equal(shown?.title, 'Line <b>outage</b>');
      assert.match((await customer.get('/')).body, /Line &lt;b>outage&lt;\/b>/, 'the dashboard shows it, escaped');
      // aGen may not see S2: its name stays unsaid on the notice page.
      const page = text((await customer.get(`/portal/notices/${id}`)).body);
      assert.match(page, /Colocation/);
      assert.doesNotMatch(page, /Secret Voice/);

      const changed = await postForm(app, op.b, `/operator/notices/${id}`, fields({ titleEn: 'Line outage: restored soon' }));
      assert.equal(changed.status, 303);
      assert.match(JSON.parse((await customer.get('/', { accept: 'application/json' })).body).notices.map((n: { title: string }) => n.title).join('|'), /restored soon/);

      const withdrawn = await postForm(app, op.b, `/operator/notices/${id}/withdraw`, []);
      assert.equal(withdrawn.status, 303);
      assert.ok(!JSON.parse((await customer.get('/', { accept: 'application/json' })).body).notices.some((n: { id: string }) => n.id === id), 'withdrawn: gone from the dashboard');
      assert.equal((await customer.get(`/portal/notices/${id}`)).status, 404);
      const again = await postForm(app, op.b, `/operator/notices/${id}/withdraw`, []);
      assert.equal(again.status, 409);
      const events = await app.ctx.db.selectFrom('audit_log').select(['event', 'actor_user_id']).where('event', 'like', 'notice.%').execute();
      assert.deepEqual(events.map((e) => e.event).sort(), ['notice.changed', 'notice.published', 'notice.withdrawn']);
      assert.ok(events.every((e) => e.actor_user_id === op.u.id), 'audited with the operator');
    });

    it('maintenance: preview with the login banner, schedule, bring forward (503; console open), cancel', async (t) => {
      const app = await startTestApp(dialect, t);
      const op = await loggedInOperator(app, 'service_manager');
      const anon = new Browser(app.url, { 'accept-language': 'en' });
      const form = (start: number, end: number, o: Record<string, string> = {}): [string, string][] => Object.entries({
        announceFrom: '', startsAt: jst(app, start), endsAt: jst(app, end), messageJa: '認証基盤の更新', messageEn: 'Updating the login system', ...o,
      });
      const preview = await postForm(app, op.b, '/operator/maintenance/preview?lang=en', form(2 * HOUR, 3 * HOUR));
      assert.equal(preview.status, 200);
      // The login page's own banner text, in both languages, and the 503 page's.
      assert.match(text(preview.body), /Scheduled maintenance: .* You cannot log in during this time\. Updating the login system/);
      assert.match(text(preview.body), /メンテナンスを予定しています.*認証基盤の更新/);
      assert.match(text(preview.body), /The Business Portal is under maintenance/);
      assert.equal(await count(app, 'maintenance_window'), 0);

      const refused = await postForm(app, op.b, '/operator/maintenance', form(3 * HOUR, 2 * HOUR));
      assert.equal(refused.status, 422);
      assert.match(text(refused.body), /The end must be after the start/);
      assert.equal(await count(app, 'maintenance_window'), 0, 'refused: nothing written');

      const scheduled = await postForm(app, op.b, '/operator/maintenance', form(2 * HOUR, 3 * HOUR));
      assert.equal(scheduled.status, 303);
      const id = scheduled.location!.match(/\/operator\/maintenance\/([^?]+)/)![1]!;
      assert.match(text((await anon.get('/login')).body), /Updating the login system/, 'the login page announces it');

      const forward = await postForm(app, op.b, `/operator/maintenance/${id}`, form(-60_000, HOUR));
      assert.equal(forward.status, 303);
      assert.equal((await anon.get('/login')).status, 503, 'running: nobody can log in');
      const consolePage = await op.b.get(`/operator/maintenance/${id}?lang=en`);
      assert.equal(consolePage.status, 200, 'the console stays open to a signed-in operator');
      assert.match(text(consolePage.body), /Running/);
      assert.equal((await anon.get('/operator/maintenance')).status, 303, 'but only behind its guard (anonymous: to the login)');

      const cancelled = await postForm(app, op.b, `/operator/maintenance/${id}/cancel`, []);
      assert.equal(cancelled.status, 303);
      assert.equal((await anon.get('/login')).status, 200, 'cancelled: the next request is served');
      assert.equal((await postForm(app, op.b, `/operator/maintenance/${id}`, form(HOUR, 2 * HOUR))).status, 409);
    });

    it('terms: the diff is escaped and shown before publishing; a stale diff is refused; JSON API', async (t) => {
      const app = await startTestApp(dialect, t);
      const admin = await loggedInOperator(app, 'operator_admin');
      const manager = await loggedInOperator(app, 'service_manager');
      assert.equal((await manager.b.get('/operator/terms')).status, 403, 'terms are the operator admin\'s');
      // The first version ever: basedOn '' says "none published yet".
      const first = await api(app, admin.b, 'POST', '/api/operator/terms', { titleJa: '規約', titleEn: 'Terms', bodyJa: '第1条', bodyEn: 'Article 1', basedOn: '' });
      assert.equal(first.status, 201, first.body);
      const v1 = (await api(app, admin.b, 'GET', '/api/operator/terms')).json().versions[0];
      const texts = { titleJa: '新規約', titleEn: 'New terms', bodyJa: '第1条\n第2条 <script>alert(1)</script>', bodyEn: 'Article 1' };
      const diff = await admin.b.post('/operator/terms/diff?lang=en', texts, { csrf: csrfOf(app, admin.b) });
      assert.equal(diff.status, 200);
      assert.match(diff.body, /&lt;script>alert\(1\)&lt;\/script>/);
      assert.doesNotMatch(diff.body, /<script>alert/);
      assert.match(diff.body, /<ins>/);
      assert.match(text(diff.body), new RegExp(`Changes against version ${v1.version}`));
      const before = await count(app, 'terms_version');
      assert.equal(before, 1);

      // Another version published meanwhile (the CLI): the diff the operator saw is stale.
      const other = await api(app, admin.b, 'POST', '/api/operator/terms', { ...texts, bodyEn: 'Article 1 (other)', basedOn: v1.id });
      assert.equal(other.status, 201);
      const stale = await admin.b.post('/operator/terms', { ...texts, basedOn: v1.id }, { csrf: csrfOf(app, admin.b) });
      assert.equal(stale.status, 409);
      assert.match(text(stale.body), /A newer terms version was published meanwhile/);
      assert.equal(await count(app, 'terms_version'), 2);
      const fresh = stale.body.match(/name="basedOn" value="([^"]+)"/)![1]!;
      assert.equal(fresh, other.json().version.id, 'the page diffs against the new current version');
      const ok = await admin.b.post('/operator/terms', { ...texts, basedOn: fresh }, { csrf: csrfOf(app, admin.b) });
      assert.equal(ok.status, 303);
      const list = await api(app, admin.b, 'GET', '/api/operator/terms');
      assert.deepEqual(list.json().versions.map((v: { version: number }) => v.version), [v1.version + 2, v1.version + 1, v1.version]);
      const bad = await api(app, admin.b, 'POST', '/api/operator/terms/diff', { ...texts, titleEn: ' ' });
      assert.equal(bad.status, 422);
      assert.deepEqual(Object.keys(bad.json().fields), ['titleEn']);

      // Notices over the JSON API: ISO times, one error shape with fields.
      const refusedNotice = await api(app, manager.b, 'POST', '/api/operator/notices', { kind: 'outage', titleJa: 'a', titleEn: '', bodyJa: 'b', bodyEn: 'c', startsAt: '2030-01-01T00:00:00Z', endsAt: '2029-01-01T00:00:00Z' });
      assert.equal(refusedNotice.status, 422);
      assert.deepEqual(Object.keys(refusedNotice.json().fields).sort(), ['endsAt', 'titleEn']);
      const created = await api(app, manager.b, 'POST', '/api/operator/notices', { kind: 'outage', titleJa: 'a', titleEn: 'b', bodyJa: 'c', bodyEn: 'd', startsAt: '2030-01-01T00:00:00Z' });
      assert.equal(created.status, 201);
      assert.equal(created.json().notice.allServices, true);

    });
  });
}
