// The webhook delivery worker (issue 24 item 6), shaped like the mail worker (src/mail/worker.ts):
// claims due deliveries under a lease (SKIP LOCKED on PostgreSQL: many nodes, one delivery each),
// checks the callback's address again now (ssrf.ts), POSTs the signed event to the checked address
// (deliver.ts), and records the outcome: 2xx delivered; otherwise a retry with exponential backoff,
// dead after MAX_ATTEMPTS (the admin's API tokens page shows dead ones with their last error).
import { hostname } from 'node:os';
import type { Db, Dialect } from '../db/index.ts';
import { newId, PollLoop } from '../lib/index.ts';
import { openSecret } from '../auth/service.ts';
import { postSigned, signatureHeader } from './deliver.ts';
import { CallbackRefused, resolveCallback } from './ssrf.ts';
import { claimDeliveries, findSubscription, markAttemptFailed, markDelivered, releaseDeliveries, type ClaimedDelivery } from './store.ts';
import { webhookAad } from './hub.ts';

export const MAX_ATTEMPTS = 8;
const RETRY_MAX_MS = 3_600_000;

export interface WebhookLog { info(o: object, m: string): void; warn(o: object, m: string): void; error(o: object, m: string): void }
const quiet: WebhookLog = { info() {}, warn() {}, error() {} };

export interface WebhookWorkerOptions {
  db: Db; dialect: Dialect;
  /** The secret box key ring that sealed the subscriptions' HMAC keys (TOTP_KEY, TOTP_OLD_KEYS). */
  keyRing: Buffer[];
  allowLoopback: boolean;
  retryBaseMs: number;
  maxAttempts?: number; owner?: string; leaseMs?: number; batch?: number; pollMs?: number; timeoutMs?: number;
  log?: WebhookLog;
}

export function webhookBackoffMs(attempts: number, baseMs: number): number {
  return Math.min(baseMs * 2 ** Math.max(0, attempts - 1), RETRY_MAX_MS);
}

export class WebhookWorker {
  readonly owner: string;
  private readonly o: Required<Omit<WebhookWorkerOptions, 'log' | 'owner' | 'timeoutMs'>> & { timeoutMs: number | undefined };
  private readonly log: WebhookLog;
  /** The poll (src/lib/poll-loop.ts): a full batch polls again at once. */
  private readonly loop: PollLoop;

  constructor(o: WebhookWorkerOptions) {
    this.owner = o.owner ?? `${hostname()}:${process.pid}:wh:${newId().slice(0, 8)}`;
    this.o = {
      db: o.db, dialect: o.dialect, keyRing: o.keyRing, allowLoopback: o.allowLoopback, retryBaseMs: o.retryBaseMs,
      maxAttempts: o.maxAttempts ?? MAX_ATTEMPTS, leaseMs: o.leaseMs ?? 2 * 60_000, batch: o.batch ?? 5, pollMs: o.pollMs ?? 1000, timeoutMs: o.timeoutMs,
    };
    this.log = o.log ?? quiet;
    this.loop = new PollLoop({
      pollMs: this.o.pollMs,
      poll: async () => (await this.runOnce()).claimed >= this.o.batch,
      onError: (err) => this.log.error({ err: err instanceof Error ? err.message : String(err) }, 'webhook worker poll failed'),
    });
  }

  /** Claims one batch and delivers it, one at a time; returns how many were delivered and failed. */
  async runOnce(now = Date.now()): Promise<{ claimed: number; delivered: number; failed: number }> {
    if (this.loop.isStopped) return { claimed: 0, delivered: 0, failed: 0 };
    const rows = await claimDeliveries(this.o.db, this.o.dialect, this.owner, now, { leaseMs: this.o.leaseMs, limit: this.o.batch });
    const started = performance.now();
    const clock = () => now + Math.round(performance.now() - started);
    let delivered = 0;
    let failed = 0;
    const late: string[] = [];
    for (const row of rows) {
      // Past three quarters of the lease another node may claim the row: give it back undelivered
      // rather than risk two deliveries (a batch of 5 with 10 s timeouts stays well inside 2 minutes).
      if (clock() > row.leaseUntil - this.o.leaseMs / 4) late.push(row.id);
      else if (await this.deliver(row, clock)) delivered++; else failed++;
    }
    if (late.length) await releaseDeliveries(this.o.db, this.owner, late);
    return { claimed: rows.length, delivered, failed };
  }

  private async fail(row: ClaimedDelivery, error: string, now: number): Promise<void> {
    const state = await markAttemptFailed(this.o.db, row.id, this.owner, row.attempts, error, now, {
      maxAttempts: this.o.maxAttempts, delayMs: webhookBackoffMs(row.attempts + 1, this.o.retryBaseMs),
    });
    this.log[state === 'dead' ? 'error' : 'warn']({ deliveryId: row.id, attempts: row.attempts + 1, state, err: error }, 'webhook delivery failed');
  }

  private async deliver(row: ClaimedDelivery, clock: () => number): Promise<boolean> {
    const sub = await findSubscription(this.o.db, row.subscriptionId);
    if (!sub || sub.removed_at !== null) {
      await markAttemptFailed(this.o.db, row.id, this.owner, row.attempts, 'subscription removed', clock(), { maxAttempts: 0, delayMs: 0 });
      return false;
    }
    let target;
    try {
      target = await resolveCallback(sub.callback, this.o.allowLoopback);
    } catch (err) {
      await this.fail(row, err instanceof CallbackRefused ? `callback refused: ${err.message}` : 'callback check failed', clock());
      return false;
    }
    const key = Buffer.from(openSecret(this.o.keyRing, sub.secret_enc, webhookAad(sub.id)), 'utf8');
    const t = Math.floor(clock() / 1000);
    const result = await postSigned(target, row.payload, {
      'x-bizportal-signature': signatureHeader(key, row.payload, t), 'x-bizportal-event-id': row.eventId,
    }, this.o.timeoutMs);
    if (result.ok) {
      if (!(await markDelivered(this.o.db, row.id, this.owner, clock()))) this.log.warn({ deliveryId: row.id }, 'webhook delivered after its lease was taken over');
      return true;
    }
    await this.fail(row, result.error ?? 'failed', clock());
    return false;
  }

  start(): void {
    this.loop.start();
  }

  /** Lets the batch in flight finish and gives back this worker's leases. */
  async stop(): Promise<void> {
    await this.loop.stop();
    await releaseDeliveries(this.o.db, this.owner);
  }
}
