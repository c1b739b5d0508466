// The mail outbox store (Kysely only): every mail is a row first, so a failed delivery is retried,
// never lost (SPEC S1). Workers on any node claim due rows with a lease; the lease owner alone may
// record the outcome. Times are epoch ms, passed in as `now`.
import type { Selectable } from 'kysely';
import type { Db, Dialect } from '../db/index.ts';
import type { MailOutboxTable } from '../db/schema.ts';
import { newId } from '../lib/index.ts';

/** After this many failed attempts a mail is 'dead' (kept with its last error for the operator). */
export const MAX_ATTEMPTS = 8;
/** Retry delay: 30 s × 2^(attempts−1), capped at 1 h; 8 attempts span about 1 h 4 min. */
export const RETRY_BASE_MS = 30_000;
export const RETRY_MAX_MS = 3_600_000;
/** SMTP replies can be long (and multi-line); keep enough to diagnose. */
const MAX_ERROR_CHARS = 1000;

export type OutboxState = MailOutboxTable['state'];

/** Issue 24: one file sent with the mail (the maintenance mail's .ics). */
export interface MailAttachment { filename: string; contentType: string; content: Buffer }

export interface NewMail {
  to: string;
  subject: string;
  bodyText: string;
  kind: string;
  userId: string | null;
  /** Issue 24: a ticket mail's reply address (reply by mail, src/portal/tickets/reply-address.ts). */
  replyTo?: string | null;
  /** Issue 24: a one-click unsubscribe URL (https, ours), sent as List-Unsubscribe with List-Unsubscribe-Post. */
  listUnsubscribe?: string | null;
  attachment?: MailAttachment | undefined;
}

/** A claimed mail: what the worker needs to send it. */
export interface ClaimedMail {
  id: string;
  to: string;
  subject: string;
  bodyText: string;
  kind: string;
  attempts: number;
  leaseUntil: number;
  replyTo: string | null;
  listUnsubscribe: string | null;
  attachment: MailAttachment | null;
}

/** An outbox row for listings; the body only when asked for (it holds one-time codes and links). */
export interface OutboxEntry {
  id: string;
  to: string;
  subject: string;
  kind: string;
  userId: string | null;
  state: OutboxState;
  attempts: number;
  nextAttemptAt: number;
  leaseOwner: string | null;
  leaseUntil: number | null;
  lastError: string | null;
  createdAt: number;
  sentAt: number | null;
  bodyText?: string;
}

export interface QueueStats { queued: number; dead: number; /** 0 when nothing is queued. */ oldestQueuedAgeMs: number }

export function retryDelayMs(attempts: number): number {
  return backoffMs(attempts, RETRY_BASE_MS);
}

/** The delay after failure number `attempts` when the first retry waits `baseMs` (MAIL_RETRY_SECONDS). */
export function backoffMs(attempts: number, baseMs: number): number {
  return Math.min(baseMs * 2 ** Math.max(0, attempts - 1), RETRY_MAX_MS);
}

export async function enqueueMail(db: Db, mail: NewMail, now: number): Promise<string> {
  const id = newId();
  await db.insertInto('mail_outbox').values({
    id, to_addr: mail.to, subject: mail.subject, body_text: mail.bodyText, kind: mail.kind, user_id: mail.userId,
    state: 'queued', attempts: 0, next_attempt_at: now, lease_owner: null, lease_until: null,
    last_error: null, created_at: now, sent_at: null, ...(mail.replyTo ? { reply_to: mail.replyTo } : {}),
    ...(mail.listUnsubscribe ? { list_unsubscribe: mail.listUnsubscribe } : {}),
    attachment_name: mail.attachment?.filename ?? null, attachment_type: mail.attachment?.contentType ?? null,
    attachment_b64: mail.attachment ? mail.attachment.content.toString('base64') : null,
  }).execute();
  return id;
}

/**
 * Leases up to `limit` due mails to `owner` in one statement. On PostgreSQL the inner SELECT takes
 * row locks with SKIP LOCKED, so concurrent workers pass over each other's rows instead of waiting,
 * and a row another worker has just leased fails the re-checked WHERE; each mail goes to one
 * worker. SQLite serialises writers, so the same UPDATE without the locking clause is enough. This
 * is the one dialect switch outside src/db/: the locking clause has no portable spelling.
 */
export async function claimDue(
  db: Db, dialect: Dialect, owner: string, now: number, opts: { leaseMs: number; limit: number },
): Promise<ClaimedMail[]> {
  const leaseUntil = now + opts.leaseMs;
  const rows = await db.updateTable('mail_outbox')
    .set({ lease_owner: owner, lease_until: leaseUntil })
    .where('id', 'in', (eb) => eb.selectFrom('mail_outbox').select('id')
      .where('state', '=', 'queued')
      .where('next_attempt_at', '<=', now)
      .where((w) => w.or([w('lease_until', 'is', null), w('lease_until', '<=', now)]))
      .orderBy('next_attempt_at').orderBy('id')
      .limit(opts.limit)
      .$if(dialect === 'postgres', (q) => q.forUpdate().skipLocked()))
    .returning(['id', 'to_addr', 'subject', 'body_text', 'kind', 'attempts', 'next_attempt_at', 'reply_to', 'list_unsubscribe', 'attachment_name', 'attachment_type', 'attachment_b64'])
    .execute();
  // RETURNING order is unspecified; send the longest-waiting first.
  rows.sort((a, b) => a.next_attempt_at - b.next_attempt_at || (a.id < b.id ? -1 : 1));
  return rows.map((r) => ({
    id: r.id, to: r.to_addr, subject: r.subject, bodyText: r.body_text, kind: r.kind, attempts: r.attempts, leaseUntil, replyTo: r.reply_to ?? null, listUnsubscribe: r.list_unsubscribe ?? null,
    attachment: r.attachment_name && r.attachment_type && r.attachment_b64 !== null
      ? { filename: r.attachment_name, contentType: r.attachment_type, content: Buffer.from(r.attachment_b64, 'base64') } : null,
  }));
}

/** Records delivery; false if `owner` no longer holds the mail (its lease was taken over). */
export async function markSent(db: Db, id: string, owner: string, now: number): Promise<boolean> {
  const row = await db.updateTable('mail_outbox')
    .set({ state: 'sent', sent_at: now, lease_owner: null, lease_until: null, last_error: null })
    .where('id', '=', id).where('lease_owner', '=', owner).where('state', '=', 'queued')
    .returning('id')
    .executeTakeFirst();
  return row !== undefined;
}

/**
 * Records a failed attempt: schedules a retry with backoff, or after MAX_ATTEMPTS marks the mail
 * 'dead'. Returns the new state, or null if `owner` no longer holds the mail. The write is guarded
 * by the lease and by the attempt count read (compare-and-swap), never a blind read-then-write.
 */
export async function markFailed(db: Db, id: string, owner: string, error: string, now: number, retryBaseMs = RETRY_BASE_MS): Promise<OutboxState | null> {
  const current = await db.selectFrom('mail_outbox').select('attempts')
    .where('id', '=', id).where('lease_owner', '=', owner).where('state', '=', 'queued')
    .executeTakeFirst();
  if (!current) return null;
  const attempts = current.attempts + 1;
  const state: OutboxState = attempts >= MAX_ATTEMPTS ? 'dead' : 'queued';
  const row = await db.updateTable('mail_outbox')
    .set({
      attempts, state, next_attempt_at: now + backoffMs(attempts, retryBaseMs),
      last_error: error.slice(0, MAX_ERROR_CHARS), lease_owner: null, lease_until: null,
    })
    .where('id', '=', id).where('lease_owner', '=', owner).where('attempts', '=', current.attempts)
    .returning('id')
    .executeTakeFirst();
  return row ? state : null;
}

/** A mail that must never be sent (its address is not a plain one, item 40): dead at once, guarded by the lease. */
export async function markDead(db: Db, id: string, owner: string, error: string): Promise<boolean> {
  const row = await db.updateTable('mail_outbox')
    .set({ state: 'dead', last_error: error.slice(0, MAX_ERROR_CHARS), lease_owner: null, lease_until: null })
    .where('id', '=', id).where('lease_owner', '=', owner).where('state', '=', 'queued')
    .returning('id')
    .executeTakeFirst();
  return row !== undefined;
}

/** Gives back `owner`'s leases (all, or only `ids`) so another worker may send them at once (SIGTERM drain). */
export async function releaseLeases(db: Db, owner: string, ids?: readonly string[]): Promise<number> {
  if (ids && ids.length === 0) return 0;
  const res = await db.updateTable('mail_outbox')
    .set({ lease_owner: null, lease_until: null })
    .where('lease_owner', '=', owner).where('state', '=', 'queued')
    .$if(ids !== undefined, (q) => q.where('id', 'in', ids!))
    .executeTakeFirst();
  return Number(res.numUpdatedRows);
}

export async function listOutbox(
  db: Db, opts: { limit: number; state?: OutboxState; includeBody?: boolean },
): Promise<OutboxEntry[]> {
  const rows = await db.selectFrom('mail_outbox').selectAll()
    .$if(opts.state !== undefined, (q) => q.where('state', '=', opts.state!))
    .orderBy('created_at', 'desc').orderBy('id', 'desc')
    .limit(opts.limit)
    .execute();
  return rows.map((r) => toEntry(r, opts.includeBody === true));
}

export async function queueStats(db: Db, now: number): Promise<QueueStats> {
  const rows = await db.selectFrom('mail_outbox')
    .select((eb) => ['state', eb.fn.countAll().as('n'), eb.fn.min('created_at').as('oldest')])
    .where('state', 'in', ['queued', 'dead'])
    .groupBy('state')
    .execute();
  const queued = rows.find((r) => r.state === 'queued');
  const dead = rows.find((r) => r.state === 'dead');
  return {
    queued: Number(queued?.n ?? 0),
    dead: Number(dead?.n ?? 0),
    oldestQueuedAgeMs: queued?.oldest != null ? Math.max(0, now - Number(queued.oldest)) : 0,
  };
}

function toEntry(r: Selectable<MailOutboxTable>, includeBody: boolean): OutboxEntry {
  const entry: OutboxEntry = {
    id: r.id, to: r.to_addr, subject: r.subject, kind: r.kind, userId: r.user_id, state: r.state,
    attempts: r.attempts, nextAttemptAt: r.next_attempt_at, leaseOwner: r.lease_owner, leaseUntil: r.lease_until,
    lastError: r.last_error, createdAt: r.created_at, sentAt: r.sent_at,
  };
  if (includeBody) entry.bodyText = r.body_text;
  return entry;
}
