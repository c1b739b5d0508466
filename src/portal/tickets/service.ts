// Tickets (S9 «お問い合わせ»): a customer opens one about a category and a service or contract they
// may see, the whole organisation reads it, both sides write in the conversation, the customer
// closes and reopens it. The provider's side is provider-service.ts (the console, its API and the CLI).
import { randomInt } from 'node:crypto';
import type { AppContext } from '../../context.ts';
import type { Db } from '../../db/index.ts';
import type { TicketStatus } from '../../db/schema.ts';
import { newId } from '../../lib/index.ts';
import { inLegacyMigrationPeriod, type PublicUser } from '../../auth/service.ts';

/** Who writes a ticket or reply: the signed-in user, as much of them as a ticket records. */
export type TicketAuthor = Pick<PublicUser, 'id' | 'name'>;
import { DomainError } from '../../errors.ts';
import { contractVisible, mayViewContract, type ContractScope } from '../access.ts';
import { seesService, visibleContractChoices, visibleServices, type VisibleService } from '../visible.ts';
import { checkAttachments } from './attachments.ts';
import type { UploadedFile } from './multipart.ts';
import {
  attachmentsOf, contractServiceInOrg, customerMessages, findOrgAttachment, findOrgTicket, insertMessage,
  insertTicket, listAllTickets, listOrgTickets, setStatus, type AttachmentMeta, type AttachmentRow, type ListedTicket,
  type MessageRow, type TicketFilter, type TicketRow,
} from './store.ts';
import { emitPortalEvent } from '../events.ts';

export const CATEGORIES = ['portal', 'service', 'outage', 'order', 'other'] as const;
export type TicketCategory = (typeof CATEGORIES)[number];
export const STATUSES: readonly TicketStatus[] = ['open', 'waiting_provider', 'waiting_customer', 'closed'];
export const PAGE_SIZE = 20;
export const MAX_SUBJECT = 200;
export const MAX_BODY = 10_000;

export function isCategory(v: string): v is TicketCategory {
  return (CATEGORIES as readonly string[]).includes(v);
}

/**
 * S9 migration rule (seed 004): during a migration period, users created in the legacy portal may
 * open tickets only there (issue 21 item 4: the user's import and its period, docs/migration.md).
 * Users created in this portal open them here, always: the legacy portal enforces its own side.
 */
export async function assertMayOpenTicketsHere(ctx: AppContext, user: TicketAuthor): Promise<void> {
  if (await inLegacyMigrationPeriod(ctx.db, user.id, ctx.now())) throw new DomainError('tickets.legacy_portal_only');
}

export interface TicketSummary {
  id: string; number: string; category: string; subject: string; status: TicketStatus; createdAt: number; updatedAt: number;
  /** Null when the ticket names none, or names one the viewer sees no contract of (S8: no leak). */
  service: { id: string; nameJa: string; nameEn: string } | null;
  contractNumber: string | null;
  /** The ticket names a service or contract this viewer may not see. */
  restricted: boolean;
}
export interface TicketDetail extends TicketSummary {
  messages: { id: string; side: 'customer' | 'provider'; authorName: string; body: string; createdAt: number; attachments: Omit<AttachmentMeta, 'sha256' | 'ticket_id' | 'message_id'>[] }[];
}

/** `visible`: the scope's visible services when the caller has read them already (one read per request). */
async function summaries(db: Db, scope: ContractScope, rows: ListedTicket[], visible?: readonly VisibleService[]): Promise<TicketSummary[]> {
  const services = new Set((visible ?? await visibleServices(db, scope)).map((s) => s.id));
  // The page's linked contracts the scope may see, in one read (not one per ticket).
  const linked = [...new Set(rows.flatMap((r) => (r.contract_id === null ? [] : [r.contract_id])))];
  const seen = new Set(linked.length === 0 ? [] : (await db.selectFrom('contract').select('contract.id')
    .where('contract.id', 'in', linked).where(contractVisible(scope)).execute()).map((c) => c.id));
  const out: TicketSummary[] = [];
  for (const r of rows) {
    const serviceOk = r.service_id === null || services.has(r.service_id);
    const contractOk = r.contract_id === null || seen.has(r.contract_id);
    out.push({
      id: r.id, number: r.number, category: r.category, subject: r.subject, status: r.status, createdAt: r.created_at, updatedAt: r.updated_at,
      service: r.service_id && serviceOk && r.service_name_ja !== null ? { id: r.service_id, nameJa: r.service_name_ja, nameEn: r.service_name_en ?? r.service_name_ja } : null,
      contractNumber: contractOk ? r.contract_number ?? null : null,
      restricted: !serviceOk || !contractOk,
    });
  }
  return out;
}

/** A page of the organisation's tickets, and the services the viewer sees (the list's filter choices). */
export async function listTicketsFor(db: Db, scope: ContractScope, f: TicketFilter, page: number): Promise<{ tickets: TicketSummary[]; total: number; services: VisibleService[] }> {
  // Read once for the filter's check, the rows' service names and the page's choices (issue 19).
  const services = await visibleServices(db, scope);
  // Filtering by a service the viewer sees no contract of would tell whether such tickets exist.
  if (f.serviceId && !services.some((s) => s.id === f.serviceId)) throw new DomainError('common.not_found');
  const { rows, total } = await listOrgTickets(db, scope.organisationId, f, PAGE_SIZE, (page - 1) * PAGE_SIZE);
  return { tickets: await summaries(db, scope, rows, services), total, services };
}

/** A window of the organisation's tickets by offset and limit (the TM Forum API's paging, issue 24 item 6). */
export async function listTicketsWindow(db: Db, scope: ContractScope, o: { offset: number; limit: number }): Promise<{ tickets: TicketSummary[]; total: number }> {
  const { rows, total } = await listOrgTickets(db, scope.organisationId, {}, o.limit, o.offset);
  return { tickets: await summaries(db, scope, rows), total };
}

export async function ticketFor(db: Db, scope: ContractScope, id: string): Promise<TicketDetail> {
  const row = await findOrgTicket(db, scope.organisationId, id);
  if (!row) throw new DomainError('common.not_found');
  const [summary] = await summaries(db, scope, [row]);
  const messages = await customerMessages(db, row.id);
  const files = await attachmentsOf(db, row.id);
  return {
    ...summary!,
    messages: messages.map((m) => ({
      id: m.id, side: m.side, authorName: m.author_name, body: m.body, createdAt: m.created_at,
      attachments: files.filter((f) => f.message_id === m.id).map(({ id: fid, filename, content_type, size, created_at }) => ({ id: fid, filename, content_type, size, created_at })),
    })),
  };
}

/** The form's choices: categories, and the services and contracts the viewer may name. */
export async function ticketChoices(db: Db, scope: ContractScope) {
  return { services: await visibleServices(db, scope), contracts: await visibleContractChoices(db, scope) };
}

export async function attachmentFor(db: Db, scope: ContractScope, ticketId: string, attachmentId: string): Promise<AttachmentRow> {
  const a = await findOrgAttachment(db, scope.organisationId, ticketId, attachmentId);
  if (!a) throw new DomainError('common.not_found');
  return a;
}

function checkText(subject: string | null, body: string): void {
  const fields: Record<string, { key: 'common.field_required' | 'common.field_too_long' }[]> = {};
  if (subject !== null) {
    if (!subject.trim()) fields.subject = [{ key: 'common.field_required' }];
    else if (subject.length > MAX_SUBJECT) fields.subject = [{ key: 'common.field_too_long' }];
  }
  if (!body.trim()) fields.body = [{ key: 'common.field_required' }];
  else if (body.length > MAX_BODY) fields.body = [{ key: 'common.field_too_long' }];
  if (Object.keys(fields).length) throw new DomainError('common.field_errors', {}, fields);
}

function attachmentRows(ticketId: string, messageId: string, files: UploadedFile[], now: number): AttachmentRow[] {
  return checkAttachments(files).map((f) => ({
    id: newId(), ticket_id: ticketId, message_id: messageId, filename: f.filename, content_type: f.contentType, size: f.size,
    sha256: f.sha256, content_b64: f.data.toString('base64'), created_at: now,
  }));
}

export interface NewTicket { category: string; serviceId?: string; contractId?: string; subject: string; body: string; files: UploadedFile[] }

export async function openTicket(ctx: AppContext, scope: ContractScope, user: TicketAuthor, input: NewTicket): Promise<TicketRow> {
  await assertMayOpenTicketsHere(ctx, user);
  const now = ctx.now();
  if (!isCategory(input.category)) throw new DomainError('common.field_errors', {}, { category: [{ key: 'tickets.category_invalid' }] });
  checkText(input.subject, input.body);
  let serviceId = input.serviceId || null;
  const contractId = input.contractId || null;
  // A service or contract the user may not see answers exactly like an unknown one (S8).
  if (contractId) {
    const c = (await mayViewContract(ctx.db, scope, contractId)) ? await contractServiceInOrg(ctx.db, contractId) : undefined;
    if (!c || c.organisation_id !== scope.organisationId) throw new DomainError('common.field_errors', {}, { contractId: [{ key: 'tickets.unknown_choice' }] });
    if (serviceId && serviceId !== c.service_id) throw new DomainError('common.field_errors', {}, { serviceId: [{ key: 'tickets.unknown_choice' }] });
    serviceId = c.service_id;
  } else if (serviceId && !(await seesService(ctx.db, scope, serviceId))) {
    throw new DomainError('common.field_errors', {}, { serviceId: [{ key: 'tickets.unknown_choice' }] });
  }
  const ticket: TicketRow = {
    id: newId(), organisation_id: scope.organisationId, number: `T${String(randomInt(0, 1_000_000_000)).padStart(9, '0')}`,
    category: input.category, service_id: serviceId, contract_id: contractId, subject: input.subject.trim(), status: 'open',
    author_user_id: user.id, created_at: now, updated_at: now, closed_at: null, severity: 'normal', assignee_user_id: null,
  };
  const message: MessageRow = { id: newId(), ticket_id: ticket.id, side: 'customer', author_user_id: user.id, author_name: user.name, body: input.body, internal_at: null, created_at: now };
  const files = attachmentRows(ticket.id, message.id, input.files, now); // refuses before anything is written
  await ctx.db.transaction().execute(async (trx) => {
    await insertTicket(trx, ticket);
    await insertMessage(trx, message, files);
    await emitPortalEvent(trx, { resource: 'ticket', type: 'TroubleTicketCreateEvent', organisationId: ticket.organisation_id, id: ticket.id }, now);
  });
  return ticket;
}

/** A customer's reply: refused on a closed ticket (reopen first); the ticket then waits for the provider. */
export async function replyAsCustomer(ctx: AppContext, scope: ContractScope, user: TicketAuthor, ticketId: string, body: string, files: UploadedFile[]): Promise<void> {
  const now = ctx.now();
  const t = await findOrgTicket(ctx.db, scope.organisationId, ticketId);
  if (!t) throw new DomainError('common.not_found');
  checkText(null, body);
  const message: MessageRow = { id: newId(), ticket_id: t.id, side: 'customer', author_user_id: user.id, author_name: user.name, body, internal_at: null, created_at: now };
  const rows = attachmentRows(t.id, message.id, files, now);
  await ctx.db.transaction().execute(async (trx) => {
    if (!(await setStatus(trx, t.id, 'not_closed', 'waiting_provider', now))) throw new DomainError('tickets.closed');
    await insertMessage(trx, message, rows);
    await emitPortalEvent(trx, { resource: 'ticket', type: 'TroubleTicketAttributeValueChangeEvent', organisationId: scope.organisationId, id: t.id }, now);
  });
}

export async function closeTicket(ctx: AppContext, scope: ContractScope, ticketId: string): Promise<void> {
  const t = await findOrgTicket(ctx.db, scope.organisationId, ticketId);
  if (!t) throw new DomainError('common.not_found');
  const now = ctx.now();
  await ctx.db.transaction().execute(async (trx) => {
    if (!(await setStatus(trx, t.id, 'not_closed', 'closed', now))) throw new DomainError('tickets.already_closed');
    await emitPortalEvent(trx, { resource: 'ticket', type: 'TroubleTicketStateChangeEvent', organisationId: scope.organisationId, id: t.id }, now);
  });
}

export async function reopenTicket(ctx: AppContext, scope: ContractScope, ticketId: string): Promise<void> {
  const t = await findOrgTicket(ctx.db, scope.organisationId, ticketId);
  if (!t) throw new DomainError('common.not_found');
  const now = ctx.now();
  await ctx.db.transaction().execute(async (trx) => {
    if (!(await setStatus(trx, t.id, 'closed', 'waiting_provider', now))) throw new DomainError('tickets.not_closed');
    await emitPortalEvent(trx, { resource: 'ticket', type: 'TroubleTicketStateChangeEvent', organisationId: scope.organisationId, id: t.id }, now);
  });
}

// The provider's side (reply, notes, assignment …) lives in provider-service.ts (issue 26).
export { replyAsProvider } from './provider-service.ts';

export async function operatorTickets(db: Db, o: { orgId?: string; status?: TicketStatus; limit: number }) {
  return listAllTickets(db, o);
}
