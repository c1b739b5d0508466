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

/**
 * A migrated database and a worker factory. The workers' stop hook is registered before freshDb's
 * close hook (after-hooks run in registration order), so workers release their leases while the
 * database is still open.
 */
async function setup(t: TestContext, dialect: Dialect) {
  const workers: MailWorker[] = [];
  t.after(async () => { for (const w of workers) await w.stop(); });
  const { db } = await freshDb(dialect, t);
  const worker = (o: Pick<MailWorkerOptions, 'smtpUrl'> & Partial<MailWorkerOptions>) => {
    const w = new MailWorker({ db, dialect, from: FROM, ...o });
    workers.push(w);
    return w;
  };
  return { db, worker };
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
      const { db, worker } = await setup(t, dialect);
      const smtp = await startTestSmtp({ t });
      const id = await queueMail(db, { to: 'yamada@example.co.jp', userId: null, lang: 'ja' }, 'mail_otp',
        { profileName: 'ビジネスポータル', code: '482913', expiresMinutes: 10 }, NOW);
      const result = await worker({ smtpUrl: smtp.url }).runOnce(NOW);
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
      const { db, worker } = await setup(t, dialect);
      const port = await closedPort();
      const w = worker({ smtpUrl: smtpUrlFor(port) });
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
      const { db, worker } = await setup(t, dialect);
      const smtp = await startTestSmtp({ t, rejectRecipient: (a) => a === 'gone@example.com' });
      const logged: string[] = [];
      const capture = (obj: object, msg: string) => { logged.push(JSON.stringify({ ...obj, msg })); };
      const w = worker({ smtpUrl: smtp.url, log: { info: capture, warn: capture, error: capture } });
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
      // Logs name the mail and the error, never the body (it holds codes and links).
      assert.ok(logged.some((l) => l.includes(bad) && l.includes('550')));
      assert.deepEqual(logged.filter((l) => l.includes('本文')), []);
    });

    it('delivers the mails of a worker that died holding their leases once the leases expire', async (t) => {
      const { db, worker } = await setup(t, dialect);
      const smtp = await startTestSmtp({ t });
      for (let i = 0; i < 5; i++) await enqueue(db, `u${i}@example.com`, `crash-${i}`);
      // The dead node claimed the batch and never sent it nor gave it back.
      assert.equal((await claimDue(db, dialect, 'node-that-died', NOW, { leaseMs: 60_000, limit: 10 })).length, 5);
      const survivor = worker({ smtpUrl: smtp.url, leaseMs: 60_000 });
      assert.equal((await survivor.runOnce(NOW + 59_999)).claimed, 0);
      assert.equal((await survivor.runOnce(NOW + 60_000)).sent, 5);
      await smtp.waitFor((m) => m.length === 5);
      assert.equal((await survivor.runOnce(NOW + 600_000)).claimed, 0);
      assert.deepEqual(smtp.received.map((m) => m.subject).sort(), ['crash-0', 'crash-1', 'crash-2', 'crash-3', 'crash-4']);
    });

    it('gives back, unsent, the mails it could not start before its lease neared its end', async (t) => {
      const { db, worker } = await setup(t, dialect);
      const smtp = await startTestSmtp({ t, delayMs: 100 });
      for (let i = 0; i < 8; i++) await enqueue(db, `slow${i}@example.com`, `slow-${i}`);
      // 100 ms per mail, one at a time, against a 400 ms lease: the sends stop at about 300 ms.
      const w = worker({ smtpUrl: smtp.url, leaseMs: 400, concurrency: 1 });
      const first = await w.runOnce(NOW);
      assert.ok(first.sent >= 1 && first.released >= 1, JSON.stringify(first));
      assert.equal(first.sent + first.released, 8);
      assert.deepEqual((await listOutbox(db, { limit: 10 })).filter((r) => r.leaseOwner !== null), []);
      let now = NOW;
      while ((await w.runOnce((now += 1))).claimed > 0);
      await smtp.waitFor((m) => m.length === 8);
      assert.equal(new Set(smtp.received.map((m) => m.subject)).size, 8);
    });

    it('polls when started, and on stop finishes the batch in flight and gives its other leases back', async (t) => {
      const { db, worker } = await setup(t, dialect);
      const smtp = await startTestSmtp({ t });
      const w = worker({ smtpUrl: smtp.url, pollMs: 20, batch: 10 });
      // A mail this worker holds a lease on but is not sending (as from a batch cut short).
      const held = await enqueue(db, 'held@example.com', 'held', Date.now() - 1);
      assert.equal((await claimDue(db, dialect, w.owner, Date.now(), { leaseMs: 3_600_000, limit: 1 })).length, 1);
      for (let i = 0; i < 30; i++) await enqueue(db, `p${i}@example.com`, `poll-${i}`, Date.now());
      w.start();
      await smtp.waitFor((m) => m.length >= 1);
      await w.stop();
      const rows = await listOutbox(db, { limit: 100 });
      assert.deepEqual(rows.filter((r) => r.leaseOwner !== null), []);
      assert.equal((await row(db, held)).state, 'queued');
      const sent = rows.filter((r) => r.state === 'sent').length;
      assert.ok(sent > 0 && sent % 10 === 0, `whole batches only, got ${sent}`);
      // Nothing can go out after stop: no row is leased (a send needs a lease), the sink got exactly
      // the sent rows and has no message under way.
      assert.deepEqual(rows.filter((r) => r.state !== 'sent' && r.state !== 'queued'), []);
      assert.equal(smtp.received.length, sent, 'one delivery per sent row');
      assert.equal(smtp.dataStarted, sent, 'no delivery under way after stop');
    });
  });
}
