// Issue 20 item 8: an error page names what happened, what to do, and the request id that the
// log lines of the request carry (reqId), so support can find the request from the reference.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { testDialects } from '../helpers/db.ts';
import { startTestApp } from '../helpers/app.ts';
import { Browser, text } from '../helpers/client.ts';
import { givenWorld, sessionFor, T0 } from '../helpers/portal-world.ts';

interface LogLine { reqId?: string; msg?: string; level?: number; res?: { statusCode?: number } }

function logCapture() {
  const lines: LogLine[] = [];
  const stream = new Writable({
    write(chunk, _enc, cb) {
      for (const l of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(l) as LogLine);
      cb();
    },
  });
  return { lines, stream };
}

/** The reference shown on the page: «お問い合わせ番号: <code>…</code>». */
function referenceOf(html: string): string {
  const m = /class="reference">[^<]*<code>([^<]+)<\/code>/.exec(html);
  assert.ok(m, 'the page shows a reference');
  return m[1]!;
}

for (const dialect of testDialects()) {
  describe(`${dialect}: error pages`, () => {
    it('404 and 500: a heading per status, next steps, the fallback contact and the logged request id', async (t) => {
      const log = logCapture();
      const app = await startTestApp(dialect, t, { LOG_LEVEL: 'info' }, { logStream: log.stream });
      app.clock.now = T0;
      await givenWorld(app.ctx.db);

      // 404, anonymous, Japanese.
      const anon = new Browser(app.url);
      const nf = await anon.get('/no-such-page?lang=ja');
      assert.equal(nf.status, 404);
      assert.match(nf.body, /<h1>ページが見つかりません<\/h1>/);
      assert.match(text(nf.body), /ホームからやり直してください/);
      assert.match(text(nf.body), /ポータル管理者にお問い合わせください/, 'no support contact set: the fallback');
      assert.match(text(nf.body), /お問い合わせ番号/);
      const id404 = referenceOf(nf.body);
      const done404 = log.lines.find((l) => l.reqId === id404 && l.res?.statusCode === 404);
      assert.ok(done404, `a log line with reqId ${id404} and status 404`);

      // 500, signed in, English: a table the home page reads is gone (a real failure, not a stub).
      const b = await sessionFor(app, 'aGen', 'A');
      await app.ctx.db.schema.dropTable('service_shortcut').execute();
      const err = await b.get('/?lang=en');
      assert.equal(err.status, 500);
      assert.match(err.body, /<h1>Something went wrong<\/h1>/);
      assert.match(text(err.body), /Reference/);
      const id500 = referenceOf(err.body);
      assert.notEqual(id500, id404);
      const logged = log.lines.find((l) => l.msg === 'unhandled error');
      assert.ok(logged, 'the failure is logged');
      assert.equal(logged.reqId, id500, 'the logged error carries the id shown on the page');
      assert.doesNotMatch(err.body, /service_shortcut/, 'no internals on the page');
    });
  });
}
