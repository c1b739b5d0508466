// Tickets, their conversation and attachments (S9), Kysely only. A customer reads only the tickets
// of their own organisation and never a provider's internal note.
import type { Expression, ExpressionBuilder, SqlBool } from 'kysely';
import type { Db } from '../../db/index.ts';
import type { TicketAttachmentTable, TicketMessageTable, TicketSeverity, TicketStatus, TicketTable } from '../../db/schema.ts';

export type TicketRow = TicketTable;
export type MessageRow = TicketMessageTable;
export type AttachmentRow = TicketAttachmentTable;
export type AttachmentMeta = Omit<AttachmentRow, 'content_b64'>;

export interface TicketFilter { status?: TicketStatus | 'active'; category?: string; serviceId?: string }

function orgTickets(db: Db, orgId: string) {
  return db.selectFrom('ticket as t').leftJoin('service as s', 's.id', 't.service_id').leftJoin('contract as c', 'c.id', 't.contract_id')
    .select(['t.id', 't.number', 't.category', 't.service_id', 't.contract_id', 't.subject', 't.status', 't.author_user_id', 't.created_at', 't.updated_at', 't.closed_at',
      't.severity', 't.rating', 's.name_ja as service_name_ja', 's.name_en as service_name_en', 'c.number as contract_number'])
    .where('t.organisation_id', '=', orgId);
}
export type ListedTicket = Awaited<ReturnType<ReturnType<typeof orgTickets>['execute']>>[number];

export async function listOrgTickets(db: Db, orgId: string, f: TicketFilter, limit: number, offset: number): Promise<{ rows: ListedTicket[]; total: number }> {
  let q = orgTickets(db, orgId);
  let c = db.selectFrom('ticket as t').select((e) => e.fn.countAll<number>().as('n')).where('t.organisation_id', '=', orgId);
  if (f.status === 'active') { q = q.where('t.status', '!=', 'closed'); c = c.where('t.status', '!=', 'closed'); }
  else if (f.status) { q = q.where('t.status', '=', f.status); c = c.where('t.status', '=', f.status); }
  if (f.category) { q = q.where('t.category', '=', f.category); c = c.where('t.category', '=', f.category); }
  if (f.serviceId) { q = q.where('t.service_id', '=', f.serviceId); c = c.where('t.service_id', '=', f.serviceId); }
  const rows = await q.orderBy('t.updated_at', 'desc').orderBy('t.id').limit(limit).offset(offset).execute();
  return { rows, total: Number((await c.executeTakeFirstOrThrow()).n) };
}

export async function findOrgTicket(db: Db, orgId: string, id: string): Promise<ListedTicket | undefined> {
  if (id.length > 64) return undefined;
  return orgTickets(db, orgId).where('t.id', '=', id).executeTakeFirst();
}

export async function customerMessages(db: Db, ticketId: string): Promise<MessageRow[]> {
  return db.selectFrom('ticket_message').selectAll().where('ticket_id', '=', ticketId).where('internal_at', 'is', null)
    .orderBy('created_at').orderBy('id').execute();
}

export async function attachmentsOf(db: Db, ticketId: string): Promise<AttachmentMeta[]> {
  return db.selectFrom('ticket_attachment')
    .select(['id', 'ticket_id', 'message_id', 'filename', 'content_type', 'size', 'sha256', 'created_at'])
    .where('ticket_id', '=', ticketId).orderBy('created_at').orderBy('id').execute();
}

/** One attachment with its content, only through a ticket of the organisation and a visible message. */
export async function findOrgAttachment(db: Db, orgId: string, ticketId: string, attachmentId: string): Promise<AttachmentRow | undefined> {
  if (ticketId.length > 64 || attachmentId.length > 64) return undefined;
  return db.selectFrom('ticket_attachment as a')
    .innerJoin('ticket as t', 't.id', 'a.ticket_id')
    .innerJoin('ticket_message as m', 'm.id', 'a.message_id')
    .selectAll('a')
    .where('a.id', '=', attachmentId).where('a.ticket_id', '=', ticketId).where('t.organisation_id', '=', orgId).where('m.internal_at', 'is', null)
    .executeTakeFirst();
}

export async function insertTicket(db: Db, ticket: TicketRow): Promise<void> {
  await db.insertInto('ticket').values(ticket).execute();
}

/**
 * Appends a message to its ticket's conversation. The conversation is shown by created_at, so a
 * message never gets a time at or before the latest one already there: two replies in the same
 * millisecond, or a node whose clock is behind another's, would otherwise show a reply above the
 * message it answers (ids are random, so they cannot break the tie). Callers run this in the
 * transaction that also moved the ticket's status, whose row lock orders concurrent replies.
 */
export async function insertMessage(db: Db, m: MessageRow, files: AttachmentRow[]): Promise<MessageRow> {
  const last = await db.selectFrom('ticket_message').select((e) => e.fn.max('created_at').as('at')).where('ticket_id', '=', m.ticket_id).executeTakeFirst();
  const latest = last?.at == null ? null : Number(last.at);
  const row = latest !== null && m.created_at <= latest ? { ...m, created_at: latest + 1 } : m;
  await db.insertInto('ticket_message').values(row).execute();
  // One row at a time: a 5 MiB base64 value per statement stays well inside both drivers' limits.
  for (const f of files) await db.insertInto('ticket_attachment').values(f).execute();
  return row;
}

/** Guarded status change: `from` 'open-any' = any status but closed. Returns false when it did not apply. */
export async function setStatus(db: Db, id: string, from: 'not_closed' | 'closed', to: TicketStatus, now: number): Promise<boolean> {
  let q = db.updateTable('ticket').set({ status: to, updated_at: now, closed_at: to === 'closed' ? now : null }).where('id', '=', id);
  q = from === 'closed' ? q.where('status', '=', 'closed') : q.where('status', '!=', 'closed');
  return (await q.returning('id').executeTakeFirst()) !== undefined;
}

export async function findTicketByNumber(db: Db, number: string): Promise<TicketRow | undefined> {
  return db.selectFrom('ticket').selectAll().where('number', '=', number).executeTakeFirst();
}

export async function listAllTickets(db: Db, o: { orgId?: string; status?: TicketStatus; limit: number }) {
  let q = db.selectFrom('ticket as t').leftJoin('service as s', 's.id', 't.service_id')
    .select(['t.id', 't.number', 't.organisation_id', 't.category', 't.status', 't.subject', 't.updated_at', 's.code as service_code']);
  if (o.orgId) q = q.where('t.organisation_id', '=', o.orgId);
  if (o.status) q = q.where('t.status', '=', o.status);
  return q.orderBy('t.updated_at', 'desc').orderBy('t.id').limit(o.limit).execute();
}

export async function contractServiceInOrg(db: Db, contractId: string) {
  return db.selectFrom('contract').select(['id', 'service_id', 'organisation_id']).where('id', '=', contractId).executeTakeFirst();
}

/** Tickets waiting for the provider (open or waiting_provider): all, assigned to `operatorId`, unassigned. */
export async function countInbox(db: Db, operatorId: string): Promise<{ waiting: number; mine: number; unassigned: number }> {
  const r = await db.selectFrom('ticket')
    .select((e) => [
      e.fn.countAll<number>().as('waiting'),
      e.fn.sum<number>(e.case().when('assignee_user_id', '=', operatorId).then(1).else(0).end()).as('mine'),
      e.fn.sum<number>(e.case().when('assignee_user_id', 'is', null).then(1).else(0).end()).as('unassigned'),
    ])
    .where('status', 'in', ['open', 'waiting_provider']).executeTakeFirstOrThrow();
  return { waiting: Number(r.waiting), mine: Number(r.mine ?? 0), unassigned: Number(r.unassigned ?? 0) };
}

// --- the provider's inbox (issue 26) --------------------------------------------------------------

/** The console's filters; `waiting` = open or waiting_provider (the provider's turn). */
export interface InboxFilter {
  status?: TicketStatus | 'waiting' | 'active';
  orgId?: string;
  serviceId?: string;
  severity?: TicketSeverity;
  /** An operator's id, or 'none' for unassigned. */
  assignee?: string;
  /** Only tickets whose last status change (updated_at) is before this time: waiting since at least … */
  changedBefore?: number;
}

/** The filter as one WHERE condition over `ticket as t` (list and count share it). */
function inboxWhere(f: InboxFilter) {
  return (eb: ExpressionBuilder<{ t: TicketTable }, 't'>) => {
    const c: Expression<SqlBool>[] = [];
    if (f.status === 'waiting') c.push(eb('t.status', 'in', ['open', 'waiting_provider']));
    else if (f.status === 'active') c.push(eb('t.status', '!=', 'closed'));
    else if (f.status) c.push(eb('t.status', '=', f.status));
    if (f.orgId) c.push(eb('t.organisation_id', '=', f.orgId));
    if (f.serviceId) c.push(eb('t.service_id', '=', f.serviceId));
    if (f.severity) c.push(eb('t.severity', '=', f.severity));
    if (f.assignee === 'none') c.push(eb('t.assignee_user_id', 'is', null));
    else if (f.assignee) c.push(eb('t.assignee_user_id', '=', f.assignee));
    if (f.changedBefore !== undefined) c.push(eb('t.updated_at', '<', f.changedBefore));
    return eb.and(c);
  };
}

function inboxSelect(db: Db) {
  return db.selectFrom('ticket as t').leftJoin('service as s', 's.id', 't.service_id').leftJoin('contract as c', 'c.id', 't.contract_id')
    .select(['t.id', 't.number', 't.organisation_id', 't.category', 't.service_id', 't.contract_id', 't.subject', 't.status', 't.severity',
      't.assignee_user_id', 't.author_user_id', 't.created_at', 't.updated_at', 't.closed_at',
      's.code as service_code', 's.name_ja as service_name_ja', 's.name_en as service_name_en', 'c.number as contract_number']);
}
export type InboxTicket = Awaited<ReturnType<ReturnType<typeof inboxSelect>['execute']>>[number];

/** The inbox, oldest change first among the waiting (the longest-waiting on top), else newest first. */
export async function listInbox(db: Db, f: InboxFilter, limit: number, offset: number): Promise<{ rows: InboxTicket[]; total: number }> {
  const q = inboxSelect(db).where(inboxWhere(f));
  const c = db.selectFrom('ticket as t').select((e) => e.fn.countAll<number>().as('n')).where(inboxWhere(f));
  const oldestFirst = f.status === 'waiting' || f.status === 'open' || f.status === 'waiting_provider';
  const rows = await q.orderBy('t.updated_at', oldestFirst ? 'asc' : 'desc').orderBy('t.id').limit(limit).offset(offset).execute();
  return { rows, total: Number((await c.executeTakeFirstOrThrow()).n) };
}

export async function findInboxTicket(db: Db, id: string): Promise<InboxTicket | undefined> {
  if (id.length > 64) return undefined;
  return inboxSelect(db).where('t.id', '=', id).executeTakeFirst();
}

/** Every message of a ticket, internal notes included: the provider's view only. */
export async function allMessages(db: Db, ticketId: string): Promise<MessageRow[]> {
  return db.selectFrom('ticket_message').selectAll().where('ticket_id', '=', ticketId).orderBy('created_at').orderBy('id').execute();
}

/** Assignment and severity: not a status change, so updated_at (the "waiting since" clock) stays. */
export async function setTicketFields(db: Db, id: string, set: { assignee_user_id?: string | null; severity?: TicketSeverity }): Promise<boolean> {
  return (await db.updateTable('ticket').set(set).where('id', '=', id).returning('id').executeTakeFirst()) !== undefined;
}

/** One attachment of a ticket with its content, for the provider (any organisation's ticket). */
export async function findTicketAttachment(db: Db, ticketId: string, attachmentId: string): Promise<AttachmentRow | undefined> {
  if (ticketId.length > 64 || attachmentId.length > 64) return undefined;
  return db.selectFrom('ticket_attachment').selectAll().where('id', '=', attachmentId).where('ticket_id', '=', ticketId).executeTakeFirst();
}
