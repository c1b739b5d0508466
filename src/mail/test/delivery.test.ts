// The worker against a real SMTP server: delivery, SMTP down then back, permanent failure, a worker
// that died holding leases, and a clean stop.
import { describe, it, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { freshDb, testDialects } from '../../../test/helpers/db.ts';
import { closedPort, smtpUrlFor, startTestSmtp } from '../../../test/helpers/smtp.ts';
import { MAX_ATTEMPTS, claimDue, enqueueMail, listOutbox } from '../outbox.ts';
import { MailWorker, type MailWorkerOptions } from '../worker.ts';
import { queueMail } from '../service.ts';
import type { Db, Dialect } from '../../db/index.ts';

const NOW = Date.UTC(2025, 0, 6, 0, 0);
const FROM = 'bizportal <no-reply@portal.example.com>';

function worker(t: TestContext, o: Pick<MailWorkerOptions, 'db' | 'dialect' | 'smtpUrl'> & Partial<MailWorkerOptions>): MailWorker {
  const w = new MailWorker({ from: FROM, ...o });
  t.after(() => w.stop());
  return w;
}

async function enqueue(db: Db, to: string, subject: string, now = NOW): Promise<string> {
  return enqueueMail(db, { to, subject, bodyText: `本文 ${subject}`, kind: 'mail_otp', userId: null }, now);
}

async function row(db: Db, id: string) {
  const found = (await listOutbox(db, { limit: 1000 })).find((r) => r.id === id);
  assert.ok(found, `outbox row ${id}`);
  return found;
}

for (const dialect of testDialects() as Dialect[]) {
  describe(`${dialect}: mail delivery`, () => {
    it('delivers a queued Japanese mail to the SMTP server intact', async (t) => {
      const { db } = await freshDb(dialect, t);
      const smtp = await startTestSmtp({ t });
      const id = await queueMail(db, { to: 'yamada@example.co.jp', userId: null, lang: 'ja' }, 'mail_otp',
        { profileName: 'ビジネスポータル', code: '482913', expiresMinutes: 10 }, NOW);
      const result = await worker(t, { db, dialect, smtpUrl: smtp.url }).runOnce(NOW);
      assert.deepEqual(result, { claimed: 1, sent: 1, failed: 0, released: 0 });
      const [mail] = await smtp.waitFor((m) => m.length === 1);
      assert.equal(mail!.subject, '【ビジネスポータル】メールワンタイムパスワード');
      assert.deepEqual(mail!.to, ['yamada@example.co.jp']);
      assert.match(mail!.text, /ワンタイムパスワード：482913/);
      assert.equal(mail!.messageId, `<${id}@portal.example.com>`);
      const sent = await row(db, id);
      assert.equal(sent.state, 'sent');
      assert.equal(sent.attempts, 0);
    });

    it('keeps a mail queued while SMTP is down and delivers it once when SMTP is back', async (t) => {
      const { db } = await freshDb(dialect, t);
      const port = await closedPort();
      const w = worker(t, { db, dialect, smtpUrl: smtpUrlFor(port) });
      const id = await enqueue(db, 'a@example.com', '再送テスト');
      assert.equal((await w.runOnce(NOW)).failed, 1);
      const failed = await row(db, id);
      assert.equal(failed.state, 'queued');
      assert.equal(failed.attempts, 1);
      assert.match(failed.lastError ?? '', /ECONNREFUSED/);
      assert.ok(failed.nextAttemptAt > NOW);
      assert.equal(failed.leaseOwner, null);
      // Not retried before its time, even with SMTP back.
      const smtp = await startTestSmtp({ port, t });
      assert.equal((await w.runOnce(failed.nextAttemptAt - 1)).claimed, 0);
      assert.equal((await w.runOnce(failed.nextAttemptAt)).sent, 1);
      await smtp.waitFor((m) => m.length === 1);
      assert.equal((await w.runOnce(failed.nextAttemptAt + 3_600_000)).claimed, 0);
      assert.equal(smtp.received.length, 1);
      assert.equal(smtp.received[0]!.subject, '再送テスト');
      assert.equal((await row(db, id)).state, 'sent');
    });

    it('marks a mail that keeps failing dead, without holding up the rest of its batch', async (t) => {
      const { db } = await freshDb(dialect, t);
      const smtp = await startTestSmtp({ t, rejectRecipient: (a) => a === 'gone@example.com' });
      const w = worker(t, { db, dialect, smtpUrl: smtp.url });
      const bad = await enqueue(db, 'gone@example.com', 'bad');
      await enqueue(db, 'ok1@example.com', 'ok1');
      await enqueue(db, 'ok2@example.com', 'ok2');
      assert.deepEqual(await w.runOnce(NOW), { claimed: 3, sent: 2, failed: 1, released: 0 });
      await smtp.waitFor((m) => m.length === 2);
      for (let attempt = 2; attempt <= MAX_ATTEMPTS; attempt++) {
        const { nextAttemptAt } = await row(db, bad);
        assert.equal((await w.runOnce(nextAttemptAt)).failed, 1, `attempt ${attempt}`);
      }
      const dead = await row(db, bad);
      assert.equal(dead.state, 'dead');
      assert.equal(dead.attempts, MAX_ATTEMPTS);
      assert.match(dead.lastError ?? '', /550/);
      assert.equal((await w.runOnce(dead.nextAttemptAt + 86_400_000)).claimed, 0);
      assert.deepEqual(smtp.received.map((m) => m.subject).sort(), ['ok1', 'ok2']);
    });

    it('delivers the mails of a worker that died holding their leases once the leases expire', async (t) => {
      const { db } = await freshDb(dialect, t);
      const smtp = await startTestSmtp({ t });
      for (let i = 0; i < 5; i++) await enqueue(db, `u${i}@example.com`, `crash-${i}`);
      // The dead node claimed the batch and never sent it nor gave it back.
      assert.equal((await claimDue(db, dialect, 'node-that-died', NOW, { leaseMs: 60_000, limit: 10 })).length, 5);
      const survivor = worker(t, { db, dialect, smtpUrl: smtp.url, leaseMs: 60_000 });
      assert.equal((await survivor.runOnce(NOW + 59_999)).claimed, 0);
      assert.equal((await survivor.runOnce(NOW + 60_000)).sent, 5);
      await smtp.waitFor((m) => m.length === 5);
      assert.equal((await survivor.runOnce(NOW + 600_000)).claimed, 0);
      assert.deepEqual(smtp.received.map((m) => m.subject).sort(), ['crash-0', 'crash-1', 'crash-2', 'crash-3', 'crash-4']);
    });

    it('polls when started, and on stop finishes its batch and gives its leases back', async (t) => {
      const { db } = await freshDb(dialect, t);
      const smtp = await startTestSmtp({ t });
      const w = new MailWorker({ db, dialect, smtpUrl: smtp.url, from: FROM, pollMs: 20 });
      w.start();
      await enqueue(db, 'poll@example.com', 'polled', Date.now());
      await smtp.waitFor((m) => m.length === 1);
      await claimDue(db, dialect, w.owner, Date.now(), { leaseMs: 60_000, limit: 10 }); // nothing due: no-op
      const held = await enqueue(db, 'held@example.com', 'held', Date.now() + 3_600_000);
      await claimDue(db, dialect, w.owner, Date.now() + 3_600_000, { leaseMs: 60_000, limit: 10 });
      await w.stop();
      assert.equal((await row(db, held)).leaseOwner, null);
      assert.equal(smtp.received.length, 1);
    });
  });
}
