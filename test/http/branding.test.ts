// Issue 20 item 2 over HTTP on both databases: an organisation's brand (name, logo, colour) is on
// its users' pages and in their mails and not on another organisation's; the logo is served under
// its versioned URL with a year's cache, its type and an ETag; the console refuses a colour of too
// little contrast (saying the ratio) and a wrong or oversized file, and then stores nothing.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { testDialects } from '../helpers/db.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { givenWorld, sessionFor, T0 } from '../helpers/portal-world.ts';
import { csrfOf } from '../helpers/admin.ts';
import { loggedInOperator } from '../helpers/operator.ts';
import { Browser } from '../helpers/client.ts';
import { givenUser } from '../helpers/scenario.ts';
import { setBrand, showBrand } from '../../src/branding/service.ts';
import { queueMail } from '../../src/mail/service.ts';

const PNG_1x1 = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');
const CLI = { userId: null, ip: 'cli' };

/** A multipart/form-data body written here, independent of the server's reader. */
async function postMultipart(app: TestApp, b: Browser, path: string, fields: Record<string, string>, files: { field: string; name: string; data: Buffer }[]) {
  const boundary = `----brand${Math.random().toString(16).slice(2)}`;
  const chunks: Buffer[] = [];
  for (const [k, v] of Object.entries({ _csrf: csrfOf(app, b), ...fields })) chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
  for (const f of files) chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${f.field}"; filename="${f.name}"\r\nContent-Type: image/png\r\n\r\n`), f.data, Buffer.from('\r\n'));
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  const res = await fetch(new URL(path, app.url), {
    method: 'POST', redirect: 'manual', body: new Uint8Array(Buffer.concat(chunks)),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}`, cookie: [...b.jar].map(([k, v]) => `${k}=${v}`).join('; '), origin: 'null', 'sec-fetch-site': 'same-origin' },
  });
  return { status: res.status, location: res.headers.get('location'), text: await res.text() };
}

for (const dialect of testDialects()) {
  describe(`${dialect}: branding over HTTP`, () => {
    it('shows org A\'s brand on A\'s pages and mails only, and serves the logo with a long cache', async (t) => {
      const app = await startTestApp(dialect, t);
      app.clock.now = T0;
      await givenWorld(app.ctx.db);
      await setBrand(app.ctx.db, 'org', 'A', {
        text: { name_ja: 'エー社ポータル', name_en: 'A-Corp Portal', footer_ja: 'エー株式会社', support_email: 'help@a-corp.example', support_hours_ja: '平日 9:00–18:00' },
        colour: '#0b4f8a', logo: PNG_1x1,
      }, CLI, T0);
      const a = await sessionFor(app, 'aAdmin', 'A');
      const b = await sessionFor(app, 'bAdmin', 'B');

      const pageA = (await a.get('/')).body;
      assert.match(pageA, /<title>[^<]*エー社ポータル<\/title>/);
      const logo = /<img src="(\/brand\/org\/A\/logo\?v=[0-9a-f]{16})" alt="エー社ポータル"/.exec(pageA);
      assert.ok(logo, 'the logo in the header');
      assert.match(pageA, /<link rel="stylesheet" href="\/brand\/org\/A\/theme\.css\?v=0b4f8a-1"/);
      assert.match(pageA, /© エー株式会社/);
      const pageB = (await b.get('/')).body;
      assert.doesNotMatch(pageB, /エー|A-Corp|\/brand\/org\/A|a-corp\.example/);
      assert.doesNotMatch(pageB, /\/brand\//, 'B has no brand: the defaults');

      // The logo: its bytes, its type by content, a year's cache under the right version, an ETag.
      const img = await fetch(new URL(logo[1]!.replace(/&amp;/g, '&'), app.url));
      assert.equal(img.status, 200);
      assert.equal(img.headers.get('content-type'), 'image/png');
      assert.equal(img.headers.get('cache-control'), 'public, max-age=31536000, immutable');
      assert.match(img.headers.get('content-security-policy') ?? '', /default-src 'none'/);
      assert.deepEqual(Buffer.from(await img.arrayBuffer()), PNG_1x1);
      const etag = img.headers.get('etag')!;
      assert.equal((await fetch(new URL(logo[1]!, app.url), { headers: { 'if-none-match': etag } })).status, 304);
      const stale = await fetch(new URL('/brand/org/A/logo?v=old', app.url));
      assert.equal(stale.status, 200, 'an old version still gets the current logo');
      assert.equal(stale.headers.get('cache-control'), 'public, max-age=60');
      assert.equal((await fetch(new URL('/brand/org/B/logo', app.url))).status, 404);
      const css = await fetch(new URL('/brand/org/A/theme.css?v=0b4f8a-1', app.url));
      assert.equal(css.headers.get('content-type'), 'text/css; charset=utf-8');
      assert.match(await css.text(), /--brand: #0b4f8a;/);

      // Mails: A's user's carry A's name and support contact; B's user's do not.
      await queueMail(app.ctx.db, { to: 'aAdmin@example.com', userId: 'aAdmin', lang: 'ja' }, 'password_changed', { profileName: 'ビジネスポータル', userName: 'User aAdmin', at: T0 }, T0);
      await queueMail(app.ctx.db, { to: 'bAdmin@example.com', userId: 'bAdmin', lang: 'ja' }, 'password_changed', { profileName: 'ビジネスポータル', userName: 'User bAdmin', at: T0 }, T0);
      const mails = await app.ctx.db.selectFrom('mail_outbox').select(['to_addr', 'subject', 'body_text']).execute();
      const mailA = mails.find((m) => m.to_addr === 'aAdmin@example.com')!;
      const mailB = mails.find((m) => m.to_addr === 'bAdmin@example.com')!;
      assert.match(mailA.subject, /^【エー社ポータル】/);
      assert.match(mailA.body_text, /エー社ポータル お問い合わせ先\n {2}メール:help@a-corp\.example\n {2}受付時間:平日 9:00–18:00\n© エー株式会社/);
      assert.match(mailB.subject, /^【ビジネスポータル】/);
      assert.doesNotMatch(mailB.body_text, /エー|a-corp/);
    });

    it('flow pages (first login, the login steps) carry the flow user\'s organisation brand, before any session', async (t) => {
      const app = await startTestApp(dialect, t);
      const branded = await givenUser(app.ctx, { name: '佐藤 花子' });
      const plain = await givenUser(app.ctx);
      await setBrand(app.ctx.db, 'org', branded.orgId, { text: { name_ja: 'シー社ポータル', name_en: 'C-Corp Portal' }, colour: '#0b4f8a' }, CLI, app.clock.now);
      const open = async (setupUrl: string) => {
        const b = new Browser(app.url);
        const res = await b.get(setupUrl);
        assert.equal(res.status, 303);
        return (await b.follow(res)).body;
      };
      const mine = await open(branded.setupUrl);
      assert.match(mine, /<title>[^<]*シー社ポータル<\/title>/, 'the identity step of the branded organisation\'s user');
      assert.match(mine, new RegExp(`/brand/org/${branded.orgId}/theme\\.css`));
      const other = await open(plain.setupUrl);
      assert.doesNotMatch(other, /シー社|C-Corp|\/brand\//, 'another organisation\'s user sees the defaults');
    });

    it('the console refuses too little contrast and bad files by field, stores nothing, and saves a good brand', async (t) => {
      const app = await startTestApp(dialect, t);
      app.clock.now = T0;
      await givenWorld(app.ctx.db);
      const admin = await loggedInOperator(app, 'operator_admin');
      const agent = await loggedInOperator(app, 'agent', { name: 'Agent' });
      assert.equal((await agent.b.get('/operator/branding')).status, 403, 'operator_admin only');
      const home = await admin.b.get('/operator');
      assert.match(home.body, /href="\/operator\/branding"/, 'the console home links the page');

      const low = await postMultipart(app, admin.b, '/operator/branding/org/A', { colour: '#777777', name_en: 'A' }, []);
      assert.equal(low.status, 400);
      assert.match(low.text, /4\.47:1/);
      assert.match(low.text, /4\.5:1/);
      assert.match(low.text, /id="f-colour-err"/, 'next to the field');
      assert.match(low.text, /value="#777777"/, 'the form keeps what was typed');
      const big = await postMultipart(app, admin.b, '/operator/branding/org/A', { colour: '#0b4f8a' }, [{ field: 'logo', name: 'big.png', data: Buffer.concat([PNG_1x1, Buffer.alloc(300 * 1024)]) }]);
      assert.equal(big.status, 400);
      assert.match(big.text, /256 KiB/);
      const gif = await postMultipart(app, admin.b, '/operator/branding/org/A', { colour: '#0b4f8a' }, [{ field: 'logo', name: 'logo.png', data: Buffer.from('GIF89a\x01\x00\x01\x00') }]);
      assert.equal(gif.status, 400);
      assert.match(gif.text, /PNG, SVG, WebP/);
      assert.equal(await showBrand(app.ctx.db, 'org', 'A'), undefined, 'nothing stored');

      const ok = await postMultipart(app, admin.b, '/operator/branding/org/A', { colour: '#0b4f8a', name_ja: 'エー社', name_en: 'A-Corp', support_url: 'https://a.example/help' }, [{ field: 'logo', name: 'logo.png', data: PNG_1x1 }]);
      assert.equal(ok.status, 303, ok.text.slice(0, 500));
      const stored = await showBrand(app.ctx.db, 'org', 'A');
      assert.equal(stored?.colour, '#0b4f8a');
      assert.equal(stored?.logo_type, 'image/png');
      const page = await admin.b.get(ok.location!);
      assert.match(page.body, /theme\.css\?v=0b4f8a-1&amp;preview=1/, 'the preview');
      const audited = await app.ctx.db.selectFrom('audit_log').select(['actor_user_id', 'detail']).where('event', '=', 'brand.changed').execute();
      assert.equal(audited.length, 1);
      assert.equal(audited[0]!.actor_user_id, admin.u.id);
      assert.equal(JSON.parse(audited[0]!.detail).via, 'console');
      // Clearing needs its confirmation.
      assert.equal((await admin.b.post('/operator/branding/org/A/clear', {})).status, 400);
      assert.ok(await showBrand(app.ctx.db, 'org', 'A'));
      assert.equal((await admin.b.post('/operator/branding/org/A/clear', { confirm: '1' })).status, 303);
      assert.equal(await showBrand(app.ctx.db, 'org', 'A'), undefined);
    });
  });
}
