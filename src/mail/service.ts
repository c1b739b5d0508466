// What other modules use (STYLE.md a: import the service, never the store): queue a templated mail
// inside the caller's transaction, so the mail exists exactly when the change that caused it does.
import type { Db } from '../db/index.ts';
import { enqueueMail, type MailAttachment } from './outbox.ts';
import { renderMail, type MailBrand, type MailKind, type MailLang, type MailParams } from './templates.ts';

export { listOutbox, queueStats, MAX_ATTEMPTS } from './outbox.ts';
export type { OutboxEntry, OutboxState, QueueStats, MailAttachment } from './outbox.ts';
export { MailWorker, type MailWorkerOptions, type MailLog } from './worker.ts';
export { MAIL_KINDS, formatMailTime, type MailBrand, type MailKind, type MailLang, type MailParams } from './templates.ts';

export interface MailRecipient { to: string; userId: string | null; lang: MailLang }

/**
 * Issue 20: the brand of a recipient's organisation (portal name, footer company, support contact).
 * Mail sits below the modules that know organisations and brands (docs/architecture.md), so the
 * composition root hands it the lookup (src/app.ts, the CLI's context: the branding module's
 * mailBrand). Without one, mails carry the preset's name and no support block.
 */
export type MailBrandLookup = (db: Db, userId: string | null, lang: MailLang) => Promise<MailBrand | null>;
let brandLookup: MailBrandLookup | null = null;
export function useMailBrandLookup(lookup: MailBrandLookup): void { brandLookup = lookup; }

/** The recipient's brand; also called with null on a decoy path so it costs the same statements. */
export async function mailBrandOf(db: Db, userId: string | null, lang: MailLang): Promise<MailBrand | null> {
  return brandLookup ? brandLookup(db, userId, lang) : null;
}

/** Renders `kind` in the recipient's language, under their organisation's brand, and queues it; returns the outbox id. */
export async function queueMail<K extends MailKind>(
  db: Db, recipient: MailRecipient, kind: K, params: MailParams[K], now: number,
  opts: { replyTo?: string | null; listUnsubscribe?: string | null; attachment?: MailAttachment | undefined } = {},
): Promise<string> {
  const brand = await mailBrandOf(db, recipient.userId, recipient.lang);
  const branded = brand?.name ? { ...params, profileName: brand.name } : params;
  const { subject, bodyText } = renderMail(kind, recipient.lang, branded, brand);
  return enqueueMail(db, { to: recipient.to, subject, bodyText, kind, userId: recipient.userId, replyTo: opts.replyTo ?? null, listUnsubscribe: opts.listUnsubscribe ?? null, attachment: opts.attachment }, now);
}
