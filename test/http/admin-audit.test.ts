// The admin audit log over real HTTP (S13; issue 4 §3.3), on SQLite and PostgreSQL: another
// organisation's rows never show, the date range is Japan time to the millisecond, pages are stable,
// and the CSV cannot smuggle a formula into the admin's spreadsheet (OWASP CSV injection).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { testDialects } from '../helpers/db.ts';
import { startTestApp } from '../helpers/app.ts';
import { text, type Browser } from '../helpers/client.ts';
import { givenUser } from '../helpers/scenario.ts';
import { api, givenOrg, loggedIn } from '../helpers/admin.ts';
import { audit, type AuditEvent } from '../../src/audit/log.ts';

/** The response bytes as sent (fetch's text() would drop the BOM we want to see). */
async function rawGet(b: Browser, path: string) {
  const res = await fetch(new URL(path, b.base), { redirect: 'manual', headers: { cookie: [...b.jar].map(([k, v]) => `${k}=${v}`).join('; ') } });
  return { status: res.status, headers: res.headers, bytes: Buffer.from(await res.arrayBuffer()) };
}

/** RFC 4180 reader written here, independent of src/admin/csv.ts. */
function parseCsv(s: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (quoted) {
      if (c !== '"') cell += c;
      else if (s[i + 1] === '"') { cell += '"'; i++; } else quoted = false;
    } else if (c === '"') quoted = true;
    else if (c === ',') { row.push(cell); cell = ''; } else if (c === '\r' && s[i + 1] === '\n') { row.push(cell); rows.push(row); row = []; cell = ''; i++; } else cell += c;
  }
  if (cell || row.length) { row.push(cell); rows.push(row); }
  return rows;
}

const at = (iso: string) => Date.parse(iso);

for (const dialect of testDialects()) {
  describe(`${dialect}: admin audit log`, () => {
    it('filters by user, event and a JST date range; other organisations never show; bad filters are 400', async (t) => {
      const app = await startTestApp(dialect, t);
      const orgA = await givenOrg(app, 'direct');
      const orgB = await givenOrg(app, 'direct');
      const { u: admin, b } = await loggedIn(app, orgA, 'admin');
      const target = await givenUser(app.ctx, { orgId: orgA });
      const foreign = await givenUser(app.ctx, { orgId: orgB });
      const row = (event: AuditEvent, iso: string, o: { org?: string | null; subject?: string; actor?: string | null } = {}) => audit(app.ctx.db, {
        event, subjectUserId: o.subject ?? target.id, organisationId: o.org === undefined ? orgA : o.org, actorUserId: o.actor === undefined ? admin.id : o.actor, ip: '192.0.2.1',
      }, at(iso));
      await row('user.updated', '2025-04-01T14:59:59.999Z'); //   1 Apr 23:59:59.999 JST
      await row('user.disabled', '2025-04-01T15:00:00.000Z'); //  2 Apr 00:00 JST
      await row('login.failed', '2025-04-02T01:00:00.000Z', { org: null, actor: null }); // no organisation: found through the user
      await row('user.enabled', '2025-04-02T14:59:59.999Z'); //   2 Apr 23:59:59.999 JST
      await row('user.unlocked', '2025-04-02T15:00:00.000Z'); //  3 Apr 00:00 JST
      await row('user.disabled', '2025-04-02T03:00:00.000Z', { org: orgB, subject: foreign.id, actor: foreign.id });

      const entries = async (qs: string) => {
        const r = await api(app, b, 'GET', `/admin/audit?${qs}`);
        assert.equal(r.status, 200, qs);
        return r.json().entries as { event: string; subject: string | null; actor: string | null }[];
      };
      assert.deepEqual((await entries('from=2025-04-02&to=2025-04-02')).map((e) => e.event), ['user.enabled', 'login.failed', 'user.disabled']);
      assert.deepEqual((await entries('to=2025-04-01')).map((e) => e.event), ['user.updated']);
      const all = await entries('');
      assert.ok(all.every((e) => e.subject !== foreign.loginId && e.actor !== foreign.loginId), 'organisation B is invisible');
      assert.deepEqual((await entries('event=user.disabled')).map((e) => e.subject), [target.loginId]);
      assert.equal((await entries(`user=${encodeURIComponent(target.loginId.toUpperCase())}&from=2025-04-01&to=2025-04-03`)).length, 5);
      assert.equal((await entries(`user=${encodeURIComponent(admin.loginId)}&from=2025-04-01&to=2025-04-03`)).length, 4, 'as the acting admin');
      assert.deepEqual(await entries(`user=${encodeURIComponent(foreign.loginId)}`), []);
      assert.equal((await api(app, b, 'GET', `/admin/audit?org=${orgB}`)).status, 403);

      for (const [qs, field] of [['from=2025-02-30', 'from'], ['from=2025-04-03&to=2025-04-02', 'to'], ['event=password.shown', 'event'], ['to=04/02/2025', 'to']] as const) {
        const bad = await api(app, b, 'GET', `/admin/audit?${qs}`);
        assert.equal(bad.status, 400, qs);
        assert.ok(bad.json().fields[field], qs);
      }
      const badPage = await b.get('/admin/audit?from=2025-13-01');
      assert.equal(badPage.status, 400);
      assert.match(text(badPage.body), /yyyy-mm-dd の形式で日付を入力してください/);
      const page = await b.get('/admin/audit?from=2025-04-02&to=2025-04-02');
      assert.equal(page.status, 200);
      assert.match(text(page.body), /2025\/04\/02 23:59 JST ユーザーの利用を再開/, 'the event in words');
      assert.match(page.body, /title="user\.enabled"/, 'its code at hand for the admin who needs it');
      assert.match(page.body, /href="\/admin\/audit\.csv\?from=2025-04-02&amp;to=2025-04-02"/);
    });

    it('pages of 50 in a stable order (at desc, id) even when many rows share one time', async (t) => {
      const app = await startTestApp(dialect, t);
      const org = await givenOrg(app, 'direct');
      const { u: admin, b } = await loggedIn(app, org, 'admin');
      for (let i = 0; i < 120; i++) await audit(app.ctx.db, { event: 'mfa.totp_ok', subjectUserId: admin.id, organisationId: org, ip: '192.0.2.9' }, at('2025-05-01T00:00:00Z'));
      await audit(app.ctx.db, { event: 'mfa.totp_ok', subjectUserId: admin.id, organisationId: org, ip: '192.0.2.9' }, at('2025-05-02T00:00:00Z'));
      const pages = [];
      for (const p of [1, 2, 3]) pages.push((await api(app, b, 'GET', `/admin/audit?event=mfa.totp_ok&page=${p}`)).json());
      assert.deepEqual(pages.map((p) => [p.entries.length, p.hasNext]), [[50, true], [50, true], [21, false]]);
      const ids = pages.flatMap((p) => p.entries.map((e: { id: string }) => e.id));
      assert.equal(new Set(ids).size, 121, 'no row twice, none lost');
      assert.equal(pages[0].entries[0].at, at('2025-05-02T00:00:00Z'), 'newest first');
      const again = (await api(app, b, 'GET', '/admin/audit?event=mfa.totp_ok&page=2')).json();
      assert.deepEqual(again.entries.map((e: { id: string }) => e.id), pages[1].entries.map((e: { id: string }) => e.id));
      const html = await b.get('/admin/audit?event=mfa.totp_ok');
      assert.match(html.body, /href="\/admin\/audit\?event=mfa\.totp_ok&amp;page=2"/);
    });

    it('CSV: BOM, header, RFC 4180 quoting, formulas neutralised, same filters, the export audited', async (t) => {
      const app = await startTestApp(dialect, t);
      const org = await givenOrg(app, 'direct');
      const other = await givenOrg(app, 'direct');
      const { u: admin, b } = await loggedIn(app, org, 'admin');
      const outsider = await givenUser(app.ctx, { orgId: other });
      const hostile = ['=HYPERLINK("http://evil.example","x")', '+SUM(1)', '-1+2', '@cmd', '<script>alert(1)</script>'];
      for (const [i, loginId] of hostile.entries()) {
        assert.equal((await api(app, b, 'POST', '/admin/users', { loginId, email: `h${i}@example.co.jp`, name: `H ${i}`, phone: '0311112222', role: 'general' })).status, 201);
      }
      const plain = await givenUser(app.ctx, { orgId: org });
      await api(app, b, 'POST', `/admin/users/${plain.id}/contact`, { email: plain.email, name: '山田, "太郎"', phone: plain.phone });

      const html = await b.get('/admin/audit');
      assert.doesNotMatch(html.body, /<script>alert/, 'user text is escaped on the page');
      assert.match(html.body, /&lt;script>alert\(1\)&lt;\/script>/);
      // Words, not codes (issue 20 item 3): the rows, their details and the filter's choices.
      assert.match(text(html.body), /ユーザー情報を変更 氏名: .* → 山田, "太郎"/);
      assert.doesNotMatch(html.body, /<code>|>user\.updated</);
      assert.match(html.body, /<option value="user\.updated">ユーザー情報を変更<\/option>/);
      assert.match(html.body, /<div class="table-wrap" role="region" aria-label="監査ログの一覧" tabindex="0"><table class="stack data audit-table">/);
      assert.match(html.body, /<td data-label="イベント"/);

      const res = await rawGet(b, '/admin/audit.csv');
      assert.equal(res.status, 200);
      assert.equal(res.headers.get('content-type'), 'text/csv; charset=utf-8');
      assert.match(res.headers.get('content-disposition') ?? '', /^attachment; filename="audit-log-\d{8}\.csv"$/);
      assert.deepEqual([...res.bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'UTF-8 BOM for Excel');
      const body = res.bytes.subarray(3).toString('utf8');
      assert.ok(body.endsWith('\r\n'));
      assert.doesNotMatch(body.replace(/\r\n/g, ''), /\r(?!\n)/);
      assert.match(body, /"'=HYPERLINK\(""http:\/\/evil\.example"",""x""\)"/);
      const rows = parseCsv(body);
      // The code keeps a column of its own; the next one tells the event in the reader's words (issue 20 item 3).
      assert.deepEqual(rows[0], ['日時(JST)', 'イベントコード', 'イベント', '認証要素', '操作者', '対象ユーザー', '組織', '接続元アドレス', '詳細']);
      assert.ok(rows.slice(1).every((r) => r.length === 9));
      const subjects = rows.map((r) => r[5]);
      for (const id of hostile.slice(0, 4)) assert.ok(subjects.includes(`'${id}`), `neutralised: ${id}`);
      assert.ok(subjects.includes('<script>alert(1)</script>'), 'harmless text is left as it is');
      for (const r of rows) for (const cell of r) assert.doesNotMatch(cell, /^[=+\-@]/, `cell starts a formula: ${cell}`);
      assert.ok(rows.slice(1).every((r) => /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+09:00$/.test(r[0]!)));
      assert.ok(!body.includes(outsider.loginId), 'another organisation stays out of the export');
      const updated = rows.find((r) => r[1] === 'user.updated')!;
      assert.equal(updated[2], `ユーザー情報を変更: 氏名: ${plain.name} → 山田, "太郎"`);
      assert.equal(JSON.parse(updated[8]!)['name.new'], '山田, "太郎"');
      assert.equal(updated[4], admin.loginId);
      assert.ok(rows.filter((r) => r[1] === 'user.registered').every((r) => r[2] === 'ユーザー登録'));

      const filtered = parseCsv((await rawGet(b, '/admin/audit.csv?event=user.updated&lang=en')).bytes.subarray(3).toString('utf8'));
      assert.equal(filtered[0]![0], 'When (JST)');
      assert.deepEqual(filtered.slice(1).map((r) => r[1]), ['user.updated']);
      assert.equal(filtered[1]![2], `Contact details changed: name: ${plain.name} → 山田, "太郎"`);
      assert.equal((await rawGet(b, `/admin/audit.csv?org=${other}`)).status, 403);
      const exported = await app.ctx.db.selectFrom('audit_log').select(['actor_user_id', 'detail']).where('event', '=', 'audit.exported').execute();
      assert.equal(exported.length, 2);
      assert.ok(exported.every((e) => e.actor_user_id === admin.id));
    });
  });
}
