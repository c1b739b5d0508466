// Two workers (two app nodes, each with its own connection pool) drain one outbox at the same time:
// every mail reaches the SMTP server exactly once. On PostgreSQL this exercises FOR UPDATE SKIP
// LOCKED under real concurrency; SQLite serialises the claims.
import { describe, it, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { freshDb, testDialects } from '../../../test/helpers/db.ts';
import { startTestSmtp } from '../../../test/helpers/smtp.ts';
import { openDb, type Db, type Dialect } from '../../db/index.ts';
import { enqueueMail, listOutbox } from '../outbox.ts';
import { MailWorker } from '../worker.ts';

const MAILS = 500;
const FROM = 'bizportal <no-reply@portal.example.com>';

/** A second handle on the same database, as a second node would have (in-memory SQLite is one database per connection: share it). */
async function secondNode(t: TestContext, dialect: Dialect, first: { db: Db; url: string; schema?: string }): Promise<Db> {
  if (dialect === 'sqlite') return first.db;
  const h = openDb(first.url, { schema: first.schema, poolSize: 10 });
  t.after(() => h.close());
  return h.db;
}

for (const dialect of testDialects()) {
  describe(`${dialect}: concurrent mail workers`, () => {
    it(`deliver ${MAILS} mails exactly once with 2 workers`, async (t) => {
      const workers: MailWorker[] = [];
      t.after(async () => { for (const w of workers) await w.stop(); }); // before the databases close
      const first = await freshDb(dialect, t);
      const otherDb = await secondNode(t, dialect, first);
      const smtp = await startTestSmtp({ t });
      const ids: string[] = [];
      for (let i = 0; i < MAILS; i++) {
        ids.push(await enqueueMail(first.db, { to: `user${i}@example.com`, subject: `一括送信 #${i}`, bodyText: `本文 ${i}`, kind: 'starting_guide', userId: null }, Date.now()));
      }
      for (const [n, db] of [first.db, otherDb].entries()) {
        workers.push(new MailWorker({ db, dialect, smtpUrl: smtp.url, from: FROM, owner: `node-${n}`, batch: 25 }));
      }
      // Each worker drains until it finds nothing left to claim.
      const sentBy = await Promise.all(workers.map(async (w) => {
        let sent = 0;
        for (let r = await w.runOnce(); r.claimed > 0; r = await w.runOnce()) {
          assert.equal(r.failed, 0);
          sent += r.sent;
        }
        return sent;
      }));
      assert.equal(sentBy[0]! + sentBy[1]!, MAILS);
      assert.ok(sentBy.every((n) => n > 0), `both workers sent mail: ${sentBy.join(' + ')}`);

      // Every runOnce has returned, and the sink records a message before it answers 250: what was
      // delivered is all in `received` now, and nothing is still on its way (no sleep needed).
      assert.equal(smtp.dataStarted, smtp.received.length, 'no delivery still under way');
      const perId = new Map<string, number>();
      for (const m of smtp.received) perId.set(m.messageId ?? '', (perId.get(m.messageId ?? '') ?? 0) + 1);
      assert.equal(smtp.received.length, MAILS);
      for (const id of ids) assert.equal(perId.get(`<${id}@portal.example.com>`), 1, `mail ${id} delivered once`);
      const rows = await listOutbox(first.db, { limit: MAILS + 1 });
      assert.deepEqual(rows.filter((r) => r.state !== 'sent' || r.leaseOwner !== null), []);
    });
  });
}
