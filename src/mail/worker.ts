// The SMTP delivery worker: claims due outbox rows under a lease, sends each as plain text, and
// records the outcome. Any number of workers (one per app node) may run against one database.
// Logs carry outbox ids and errors only: bodies hold one-time codes and links (SECURITY.md 35).
import { hostname } from 'node:os';
import nodemailer, { type Transporter } from 'nodemailer';
import type { Db, Dialect } from '../db/index.ts';
import { newId } from '../lib/index.ts';
import { claimDue, markDead, markFailed, markSent, releaseLeases, type ClaimedMail } from './outbox.ts';
import { checkEmail } from '../lib/index.ts';

/** The pino subset we use; a Fastify/pino logger fits. */
export interface MailLog {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface MailWorkerOptions {
  db: Db;
  dialect: Dialect;
  /** e.g. smtp://user:pass@mail.example.com:587; timeouts may be set as query parameters. */
  smtpUrl: string;
  /** From header, e.g. 'bizportal <no-reply@example.com>'. */
  from: string;
  /** Lease holder name; unique per worker. */
  owner?: string;
  leaseMs?: number;
  batch?: number;
  pollMs?: number;
  /** Mails of a batch sent at once; matches the pool's default of 5 SMTP connections. */
  concurrency?: number;
  /** First retry delay after a failed delivery (MAIL_RETRY_SECONDS); doubles up to an hour. */
  retryBaseMs?: number;
  log?: MailLog;
}

export interface BatchResult { claimed: number; sent: number; failed: number; released: number }

// Defaults an operator's SMTP_URL may override (as query parameters). A pool reuses connections
// (and their STARTTLS and AUTH) across mails; bounded waits (nodemailer's defaults allow minutes
// per mail) keep a batch inside its lease.
const SMTP_DEFAULTS: Record<string, string> = {
  pool: 'true', connectionTimeout: '10000', greetingTimeout: '10000', socketTimeout: '30000',
};
const quietLog: MailLog = { info() {}, warn() {}, error() {} };

export class MailWorker {
  readonly owner: string;
  private readonly db: Db;
  private readonly dialect: Dialect;
  private readonly from: string;
  private readonly messageIdDomain: string;
  private readonly envelopeFrom: string;
  private readonly leaseMs: number;
  private readonly batch: number;
  private readonly pollMs: number;
  private readonly concurrency: number;
  private readonly retryBaseMs: number | undefined;
  private readonly log: MailLog;
  private readonly transport: Transporter;
  private timer: NodeJS.Timeout | null = null;
  private readonly inFlight = new Set<Promise<BatchResult>>();
  private stopped = false;
  private stopping: Promise<void> | null = null;

  constructor(o: MailWorkerOptions) {
    this.db = o.db;
    this.dialect = o.dialect;
    this.from = o.from;
    this.messageIdDomain = /@([A-Za-z0-9.-]+)/.exec(o.from)?.[1] ?? 'bizportal.invalid';
    this.envelopeFrom = /<([^<>\s]+@[^<>\s]+)>\s*$/.exec(o.from)?.[1] ?? o.from.trim();
    this.owner = o.owner ?? `${hostname()}:${process.pid}:${newId().slice(0, 8)}`;
    this.leaseMs = o.leaseMs ?? 5 * 60_000;
    this.batch = o.batch ?? 20;
    this.pollMs = o.pollMs ?? 1000;
    this.concurrency = Math.max(1, o.concurrency ?? 5);
    this.retryBaseMs = o.retryBaseMs;
    this.log = o.log ?? quietLog;
    this.transport = nodemailer.createTransport(withDefaults(o.smtpUrl));
  }

  /** Claims one batch and delivers it, `concurrency` mails at a time; one failing never stops the others. */
  async runOnce(now = Date.now()): Promise<BatchResult> {
    if (this.stopped) return { claimed: 0, sent: 0, failed: 0, released: 0 };
    const run = this.runBatch(now);
    this.inFlight.add(run);
    try {
      return await run;
    } finally {
      this.inFlight.delete(run);
    }
  }

  private async runBatch(now: number): Promise<BatchResult> {
    const mails = await claimDue(this.db, this.dialect, this.owner, now, { leaseMs: this.leaseMs, limit: this.batch });
    const result: BatchResult = { claimed: mails.length, sent: 0, failed: 0, released: 0 };
    // `now` may be a test's clock: measure elapsed time separately and add it, so the lease check
    // and the recorded times follow the caller's clock.
    const started = performance.now();
    const clock = () => now + Math.round(performance.now() - started);
    const pending = [...mails];
    const giveBack: string[] = [];
    const lane = async () => {
      for (let mail = pending.shift(); mail; mail = pending.shift()) {
        // Past the lease another worker may claim the mail and send it too; give it back unsent
        // instead (a quarter of the lease is left for the sends already under way).
        if (clock() > mail.leaseUntil - this.leaseMs / 4) giveBack.push(mail.id);
        else if (await this.deliver(mail, clock)) result.sent++;
        else result.failed++;
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.concurrency, mails.length) }, lane));
    if (giveBack.length > 0) {
      result.released = await releaseLeases(this.db, this.owner, giveBack);
      this.log.warn({ released: result.released }, 'mail lease nearly expired; released the rest of the batch');
    }
    if (result.claimed > 0) this.log.info({ ...result }, 'mail batch done');
    return result;
  }

  /** Polls on an unref'd timer (it never keeps the process alive); a full batch polls again at once. */
  start(): void {
    if (this.timer || this.stopped) return;
    const tick = async () => {
      let full = false;
      try {
        full = (await this.runOnce()).claimed >= this.batch;
      } catch (err) {
        this.log.error({ err: errorText(err) }, 'mail worker poll failed');
      }
      if (!this.stopped) this.schedule(tick, full ? 0 : this.pollMs);
    };
    this.schedule(tick, 0);
  }

  /** Lets batches in flight finish, gives back this worker's leases and closes the transport. Idempotent. */
  stop(): Promise<void> {
    this.stopping ??= this.drain();
    return this.stopping;
  }

  private async drain(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await Promise.allSettled([...this.inFlight]);
    try {
      await releaseLeases(this.db, this.owner);
    } finally {
      this.transport.close();
    }
  }

  private schedule(fn: () => Promise<void>, ms: number): void {
    this.timer = setTimeout(() => void fn(), ms);
    this.timer.unref();
  }

  private async deliver(mail: ClaimedMail, clock: () => number): Promise<boolean> {
    // SECURITY.md item 40: the mailer is handed exactly the stored address, and only a plain one.
    // nodemailer would parse `a@example.com(x)evil.example` into a@example.comevil.example; a row
    // written before the rule (or by hand) is never sent, and stays dead for the operator to see.
    const plain = checkEmail(mail.to);
    if (!plain.ok || plain.email !== mail.to) {
      await markDead(this.db, mail.id, this.owner, 'address refused: not a plain local@domain in its stored form');
      this.log.error({ mailId: mail.id, kind: mail.kind }, 'mail address refused; not sent');
      return false;
    }
    try {
      await this.transport.sendMail({
        from: this.from, subject: mail.subject, text: mail.bodyText,
        // An address object and an explicit envelope: nothing re-parses the stored address.
        to: { name: '', address: mail.to }, envelope: { from: this.envelopeFrom, to: [mail.to] },
        // One Message-ID per outbox row: a retry that did reach the recipient can be recognised.
        messageId: `<${mail.id}@${this.messageIdDomain}>`,
        // Issue 24: a ticket mail's reply address, written by us (never user input) and checked again here.
        ...(mail.replyTo && checkEmail(mail.replyTo).ok ? { replyTo: { name: '', address: mail.replyTo } } : {}),
        // Issue 24: one-click unsubscribe (RFC 2369, RFC 8058) on a technical contact's mail; our own URL, checked again.
        ...(mail.listUnsubscribe && /^https?:\/\/[^\s<>]+$/.test(mail.listUnsubscribe)
          ? { headers: { 'List-Unsubscribe': `<${mail.listUnsubscribe}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' } } : {}),
        textEncoding: 'base64',
        // Issue 24: the maintenance mail's .ics (text/calendar; method=PUBLISH), as the outbox kept it.
        ...(mail.attachment ? { attachments: [{ filename: mail.attachment.filename, content: mail.attachment.content, contentType: mail.attachment.contentType }] } : {}),
      });
    } catch (err) {
      const error = errorText(err);
      try {
        const state = await markFailed(this.db, mail.id, this.owner, error, clock(), this.retryBaseMs);
        const level = state === 'dead' ? 'error' : 'warn';
        this.log[level]({ mailId: mail.id, kind: mail.kind, attempts: mail.attempts + 1, state, err: error }, 'mail delivery failed');
      } catch (dbErr) {
        // The lease will expire and another poll retries it.
        this.log.error({ mailId: mail.id, err: errorText(dbErr) }, 'could not record mail failure');
      }
      return false;
    }
    try {
      if (!(await markSent(this.db, mail.id, this.owner, clock()))) {
        this.log.warn({ mailId: mail.id }, 'mail sent after its lease was taken over; it may be delivered twice');
      }
    } catch (dbErr) {
      this.log.error({ mailId: mail.id, err: errorText(dbErr) }, 'mail sent but not recorded; it may be delivered twice');
    }
    return true;
  }
}

/** Adds SMTP_DEFAULTS the operator's URL does not set. */
function withDefaults(smtpUrl: string): string {
  const url = new URL(smtpUrl);
  for (const [key, value] of Object.entries(SMTP_DEFAULTS)) {
    if (!url.searchParams.has(key)) url.searchParams.set(key, value);
  }
  return url.toString();
}

/** An error as one line for the log and last_error: SMTP code and response, never the message sent. */
function errorText(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const e = err as Error & { code?: string; responseCode?: number };
  const parts = [e.code, e.responseCode, e.message].filter((p) => p !== undefined && p !== '');
  return parts.join(' ').replace(/\s+/g, ' ');
}
