// The provider's side of tickets (issue 26 item 2): the console's inbox over every organisation,
// the whole conversation with internal notes, assignment, severity, notes, replies that mail the
// customer (through the outbox), asking for information, resolving, closing and reopening. The
// console pages, the operator JSON API and the CLI (`ticket reply|assign|note --provider`) call
// these functions — no second implementation — and every change is audited with the operator
// (src/audit/log.ts auditOperator; a CLI change has no user, its actor says "cli").
//
// What the customer sees of each change (shown beside it in the console, CUSTOMER_VIEW below):
// a reply, a request for information and a resolution are messages on their ticket page and a mail
// to the ticket's author (with a link, never the text); a note, an assignment and a severity are not
// shown to the customer at all: the customer's queries (store.ts customerMessages, findOrgAttachment)
// leave every internal message out.
import type { AppContext } from '../../context.ts';
import type { Db } from '../../db/index.ts';
import type { TicketSeverity, TicketStatus } from '../../db/schema.ts';
import { newId } from '../../lib/index.ts';
import { DomainError } from '../../errors.ts';
import { auditOperator, type AuditEvent, type OperatorActor } from '../../audit/log.ts';
import { queueMail } from '../../mail/service.ts';
import { findOperator, findOrganisation, findPublicUser, organisationNames, profileFor, publicUsersByIds } from '../../auth/service.ts';
import {
  allMessages, attachmentsOf, countInbox, findInboxTicket, findTicketAttachment, findTicketByNumber, insertMessage, listInbox, setStatus, setTicketFields,
  type AttachmentRow, type InboxFilter, type InboxTicket, type MessageRow, type TicketRow,
} from './store.ts';
import { participants } from './participants.ts';
import { replyAddress } from './reply-address.ts';
import { emitPortalEvent } from '../events.ts';
export { sendAttachment } from './attachments.ts';

export type { InboxFilter } from './store.ts';
export const SEVERITIES: readonly TicketSeverity[] = ['low', 'normal', 'high', 'critical'];
export const INBOX_STATUSES = ['waiting', 'active', 'open', 'waiting_provider', 'waiting_customer', 'closed'] as const;
export type InboxStatus = (typeof INBOX_STATUSES)[number];
export const INBOX_PAGE_SIZE = 25;
export const MAX_NOTE = 10_000;
export type AnswerMode = 'reply' | 'ask' | 'resolve';
export const ANSWER_MODES: readonly AnswerMode[] = ['reply', 'ask', 'resolve'];

export function isSeverity(v: unknown): v is TicketSeverity {
  return typeof v === 'string' && (SEVERITIES as readonly string[]).includes(v);
}

/**
 * What the customer sees of each console action: shown beside the action (pages) and returned with
 * the JSON answer, so an operator never has to guess. `status` is the customer's status afterwards.
 */
export const CUSTOMER_VIEW = {
  reply: { message: true, mail: true, status: 'waiting_customer' },
  ask: { message: true, mail: true, status: 'waiting_customer' },
  resolve: { message: true, mail: true, status: 'closed' },
  note: { message: false, mail: false, status: null },
  assign: { message: false, mail: false, status: null },
  severity: { message: false, mail: false, status: null },
  close: { message: false, mail: false, status: 'closed' },
  reopen: { message: false, mail: false, status: 'waiting_provider' },
} as const satisfies Record<string, { message: boolean; mail: boolean; status: TicketStatus | null }>;
export type ConsoleAction = keyof typeof CUSTOMER_VIEW;

/** Who writes: the operator (their name is shown to the customer on a reply), or the CLI's --name. */
export interface ProviderAuthor { userId: string | null; name: string }

export interface InboxRow {
  id: string; number: string; subject: string; status: TicketStatus; severity: TicketSeverity; category: string;
  organisation: { id: string; name: string };
  service: { id: string; code: string; nameJa: string; nameEn: string } | null;
  contractNumber: string | null;
  assignee: { id: string; name: string } | null;
  createdAt: number; updatedAt: number;
}

export interface ConsoleMessage {
  id: string; side: 'customer' | 'provider'; internal: boolean; authorName: string; body: string; createdAt: number;
  attachments: { id: string; filename: string; size: number }[];
}
export interface ConsoleTicket extends InboxRow {
  author: { id: string; name: string } | null; messages: ConsoleMessage[];
  /** Issue 24: colleagues in copy (names), the notice it was opened from, the customer's rating. */
  cc: string[]; noticeId: string | null; rating: { score: number; comment: string | null } | null;
}

async function rowsOut(db: Db, rows: InboxTicket[]): Promise<InboxRow[]> {
  const orgs = await organisationNames(db, rows.map((r) => r.organisation_id));
  const people = await publicUsersByIds(db, [...new Set(rows.flatMap((r) => (r.assignee_user_id ? [r.assignee_user_id] : [])))]);
  const names = new Map(people.map((p) => [p.id, p.name]));
  return rows.map((r) => ({
    id: r.id, number: r.number, subject: r.subject, status: r.status, severity: r.severity, category: r.category,
    organisation: { id: r.organisation_id, name: orgs.get(r.organisation_id) ?? '' },
    service: r.service_id && r.service_code !== null ? { id: r.service_id, code: r.service_code, nameJa: r.service_name_ja ?? '', nameEn: r.service_name_en ?? '' } : null,
    contractNumber: r.contract_number ?? null,
    assignee: r.assignee_user_id ? { id: r.assignee_user_id, name: names.get(r.assignee_user_id) ?? '' } : null,
    createdAt: r.created_at, updatedAt: r.updated_at,
  }));
}

/** The inbox: every organisation's tickets, filtered; `assignee: 'me'` is resolved by the caller. */
export async function inbox(db: Db, f: InboxFilter, page: number): Promise<{ tickets: InboxRow[]; total: number; pageSize: number }> {
  const { rows, total } = await listInbox(db, f, INBOX_PAGE_SIZE, (page - 1) * INBOX_PAGE_SIZE);
  return { tickets: await rowsOut(db, rows), total, pageSize: INBOX_PAGE_SIZE };
}

/** What waits for the provider, for the console home. */
export async function inboxCounts(db: Db, operatorId: string): Promise<{ waiting: number; mine: number; unassigned: number }> {
  return countInbox(db, operatorId);
}

async function loadTicket(db: Db, id: string): Promise<InboxTicket> {
  const t = await findInboxTicket(db, id);
  if (!t) throw new DomainError('common.not_found');
  return t;
}

/** One ticket with the whole conversation; internal notes are marked `internal`. */
export async function consoleTicket(db: Db, id: string): Promise<ConsoleTicket> {
  const t = await loadTicket(db, id);
  const [row] = await rowsOut(db, [t]);
  const author = await findPublicUser(db, t.author_user_id);
  const files = await attachmentsOf(db, t.id);
  const messages = (await allMessages(db, t.id)).map((m) => ({
    id: m.id, side: m.side, internal: m.internal_at !== null, authorName: m.author_name, body: m.body, createdAt: m.created_at,
    attachments: files.filter((f) => f.message_id === m.id).map((f) => ({ id: f.id, filename: f.filename, size: f.size })),
  }));
  const extra = await db.selectFrom('ticket').select(['notice_id', 'rating', 'rating_comment']).where('id', '=', t.id).executeTakeFirstOrThrow();
  const people = await participants(db, t);
  return {
    ...row!, author: author ? { id: author.id, name: author.name } : null, messages,
    cc: people.filter((p) => p.id !== t.author_user_id).map((p) => p.name), noticeId: extra.notice_id ?? null,
    rating: extra.rating ? { score: extra.rating, comment: extra.rating_comment ?? null } : null,
  };
}

function checkBody(body: string, max: number): void {
  if (!body.trim()) throw new DomainError('common.field_errors', {}, { body: [{ key: 'common.field_required' }] });
  if (body.length > max) throw new DomainError('common.field_errors', {}, { body: [{ key: 'common.field_too_long' }] });
}

function checkAuthor(author: ProviderAuthor): string {
  const name = author.name.trim();
  if (!name || name.length > 100) throw new DomainError('common.field_errors', {}, { name: [{ key: 'common.field_required' }] });
  return name;
}

/** Assigns the ticket to an operator, or (null) to no one. Only an operator can be an assignee. */
export async function assignTicket(ctx: AppContext, actor: OperatorActor, ticketId: string, assigneeId: string | null): Promise<void> {
  const t = await loadTicket(ctx.db, ticketId);
  if (assigneeId !== null) {
    const op = await findOperator(ctx.db, assigneeId);
    if (!op || op.disabled_at !== null) throw new DomainError('common.field_errors', {}, { assignee: [{ key: 'operator.not_an_operator' }] });
  }
  const now = ctx.now();
  await ctx.db.transaction().execute(async (trx) => {
    await setTicketFields(trx, t.id, { assignee_user_id: assigneeId });
    await auditOperator(trx, actor, 'ticket.assigned', { organisationId: t.organisation_id, detail: { ticket: t.number, from: t.assignee_user_id, to: assigneeId } }, now);
  });
}

export async function setSeverity(ctx: AppContext, actor: OperatorActor, ticketId: string, severity: string): Promise<void> {
  if (!isSeverity(severity)) throw new DomainError('common.field_errors', {}, { severity: [{ key: 'common.field_invalid' }] });
  const t = await loadTicket(ctx.db, ticketId);
  const now = ctx.now();
  await ctx.db.transaction().execute(async (trx) => {
    await setTicketFields(trx, t.id, { severity });
    await auditOperator(trx, actor, 'ticket.severity_changed', { organisationId: t.organisation_id, detail: { ticket: t.number, from: t.severity, to: severity } }, now);
  });
}

/**
 * An internal note: a provider message with internal_at set, which no customer query returns and no
 * mail carries. Neither the status nor updated_at changes: the ticket keeps waiting as it was.
 */
export async function addNote(ctx: AppContext, actor: OperatorActor, ticketId: string, author: ProviderAuthor, body: string): Promise<string> {
  const t = await loadTicket(ctx.db, ticketId);
  const name = checkAuthor(author);
  checkBody(body, MAX_NOTE);
  const now = ctx.now();
  const message: MessageRow = { id: newId(), ticket_id: t.id, side: 'provider', author_user_id: author.userId, author_name: name, body, internal_at: now, created_at: now };
  await ctx.db.transaction().execute(async (trx) => {
    await insertMessage(trx, message, []);
    // The audit row says a note was written, never what it says.
    await auditOperator(trx, actor, 'ticket.note_added', { organisationId: t.organisation_id, detail: { ticket: t.number } }, now);
  });
  return message.id;
}

const ANSWER_AUDIT: Record<AnswerMode, AuditEvent> = { reply: 'ticket.replied', ask: 'ticket.info_requested', resolve: 'ticket.resolved' };

/**
 * The provider answers (reply), asks for information (ask) or resolves (resolve). In one transaction:
 * the message, the status (waiting for the customer, or closed) and a mail to the ticket's author
 * through the outbox, in the author's language, with a link and never the text (S9).
 */
export async function answerTicket(
  ctx: AppContext, actor: OperatorActor, ticketId: string, input: { author: ProviderAuthor; body: string; mode: AnswerMode },
): Promise<{ ticket: TicketRow; messageId: string; mailId: string | null }> {
  if (!(ANSWER_MODES as readonly string[]).includes(input.mode)) throw new DomainError('common.field_errors', {}, { mode: [{ key: 'common.field_invalid' }] });
  const t = await loadTicket(ctx.db, ticketId);
  checkBody(input.body, 10_000);
  const name = checkAuthor(input.author);
  const now = ctx.now();
  // Issue 24: the author and the colleagues in copy, each with a reply address of their own.
  const people = await participants(ctx.db, t);
  const org = await findOrganisation(ctx.db, t.organisation_id);
  const to: TicketStatus = CUSTOMER_VIEW[input.mode].status;
  const message: MessageRow = { id: newId(), ticket_id: t.id, side: 'provider', author_user_id: input.author.userId, author_name: name, body: input.body, internal_at: null, created_at: now };
  const mailId = await ctx.db.transaction().execute(async (trx) => {
    if (!(await setStatus(trx, t.id, 'not_closed', to, now))) throw new DomainError('tickets.closed');
    await insertMessage(trx, message, []);
    // No subject user: the customer's admins would read the operator's login ID in their audit log.
    await auditOperator(trx, actor, ANSWER_AUDIT[input.mode], { organisationId: t.organisation_id, detail: { ticket: t.number } }, now);
    await emitPortalEvent(trx, { resource: 'ticket', type: 'TroubleTicketStateChangeEvent', organisationId: t.organisation_id, id: t.id }, now);
    // A disabled participant gets no mail; the organisation still reads the answer in the portal.
    const profile = profileFor(org?.profile ?? 'business');
    const ids: string[] = [];
    for (const p of people) {
      if (p.disabled_at !== null) continue;
      const replyTo = replyAddress(ctx.config.secretKey, ctx.config.inboundMail.domain, t, p.id);
      ids.push(await queueMail(trx, { to: p.email, userId: p.id, lang: p.lang }, 'ticket_reply', {
        profileName: profile.displayName[p.lang], userName: p.name, ticketNumber: t.number, subject: t.subject,
        ticketUrl: new URL(`/portal/tickets/${t.id}`, ctx.config.publicUrl).toString(), purpose: input.mode, replyByMail: replyTo !== null,
      }, now, { replyTo }));
    }
    // The author's mail (the first participant) when they got one.
    return people[0]?.id === t.author_user_id && people[0].disabled_at === null ? ids[0] ?? null : null;
  });
  const { service_code: _c, service_name_ja: _j, service_name_en: _e, contract_number: _n, ...row } = t;
  return { ticket: { ...row, status: to, updated_at: now, closed_at: to === 'closed' ? now : null }, messageId: message.id, mailId };
}

/** Closes without a message (the customer sees the status only, and may reopen). */
export async function closeAsProvider(ctx: AppContext, actor: OperatorActor, ticketId: string): Promise<void> {
  const t = await loadTicket(ctx.db, ticketId);
  const now = ctx.now();
  await ctx.db.transaction().execute(async (trx) => {
    if (!(await setStatus(trx, t.id, 'not_closed', 'closed', now))) throw new DomainError('tickets.already_closed');
    await auditOperator(trx, actor, 'ticket.closed', { organisationId: t.organisation_id, detail: { ticket: t.number } }, now);
    await emitPortalEvent(trx, { resource: 'ticket', type: 'TroubleTicketStateChangeEvent', organisationId: t.organisation_id, id: t.id }, now);
  });
}

/** Reopens a closed ticket: it waits for the provider again. */
export async function reopenAsProvider(ctx: AppContext, actor: OperatorActor, ticketId: string): Promise<void> {
  const t = await loadTicket(ctx.db, ticketId);
  const now = ctx.now();
  await ctx.db.transaction().execute(async (trx) => {
    if (!(await setStatus(trx, t.id, 'closed', 'waiting_provider', now))) throw new DomainError('tickets.not_closed');
    await auditOperator(trx, actor, 'ticket.reopened', { organisationId: t.organisation_id, detail: { ticket: t.number } }, now);
    await emitPortalEvent(trx, { resource: 'ticket', type: 'TroubleTicketStateChangeEvent', organisationId: t.organisation_id, id: t.id }, now);
  });
}

/** An attachment of any organisation's ticket, for the console's download link. */
export async function attachmentForProvider(db: Db, ticketId: string, attachmentId: string): Promise<AttachmentRow> {
  const a = await findTicketAttachment(db, ticketId, attachmentId);
  if (!a) throw new DomainError('common.not_found');
  return a;
}

/** A ticket's id by its number (the CLI names tickets by number). */
export async function ticketIdByNumber(db: Db, number: string): Promise<string> {
  const t = await findTicketByNumber(db, number);
  if (!t) throw new DomainError('tickets.unknown', { number });
  return t.id;
}

/**
 * The CLI's `ticket reply --provider` (before the console): an answer by ticket number with the
 * author name given on the command line; the same function as the console's reply.
 */
export async function replyAsProvider(ctx: AppContext, input: { ticketNumber: string; authorName: string; body: string }, actor: OperatorActor = { userId: null, ip: 'cli' }): Promise<{ ticket: TicketRow; mailId: string | null }> {
  const id = await ticketIdByNumber(ctx.db, input.ticketNumber);
  const r = await answerTicket(ctx, actor, id, { author: { userId: null, name: input.authorName }, body: input.body, mode: 'reply' });
  return { ticket: r.ticket, mailId: r.mailId };
}
