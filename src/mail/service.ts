// What other modules use (STYLE.md a: import the service, never the store): queue a templated mail
// inside the caller's transaction, so the mail exists exactly when the change that caused it does.
import type { Db } from '../db/index.ts';
import { enqueueMail } from './outbox.ts';
import { renderMail, type MailKind, type MailLang, type MailParams } from './templates.ts';

export { listOutbox, queueStats, MAX_ATTEMPTS } from './outbox.ts';
export type { OutboxEntry, OutboxState, QueueStats } from './outbox.ts';
export { MailWorker, type MailWorkerOptions, type MailLog } from './worker.ts';
export { MAIL_KINDS, formatMailTime, type MailKind, type MailLang, type MailParams } from './templates.ts';

export interface MailRecipient { to: string; userId: string | null; lang: MailLang }

/** Renders `kind` in the recipient's language and queues it; returns the outbox id. */
export async function queueMail<K extends MailKind>(
  db: Db, recipient: MailRecipient, kind: K, params: MailParams[K], now: number,
): Promise<string> {
  const { subject, bodyText } = renderMail(kind, recipient.lang, params);
  return enqueueMail(db, { to: recipient.to, subject, bodyText, kind, userId: recipient.userId }, now);
}
