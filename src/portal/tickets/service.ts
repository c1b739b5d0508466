// Tickets (S9 «お問い合わせ»): a customer opens one about a category and a service or contract they
// may see, the whole organisation reads it, both sides write in the conversation, the customer
// closes and reopens it. The provider's side is provider-service.ts (the console, its API and the CLI).
import { randomInt } from 'node:crypto';
import type { AppContext } from '../../context.ts';
import type { Db } from '../../db/index.ts';
import type { TicketSeverity, TicketStatus } from '../../db/schema.ts';
import { newId } from '../../lib/index.ts';
import { inLegacyMigrationPeriod, type PublicUser } from '../../auth/service.ts';

/** Who writes a ticket or reply: the signed-in user, as much of them as a ticket records. */
export type TicketAuthor = Pick<PublicUser, 'id' | 'name'>;
import { DomainError } from '../../errors.ts';
import { contractVisible, mayViewContract, type ContractScope } from '../access.ts';
import { seesService, visibleContractChoices, visibleServices, type VisibleService } from '../visible.ts';
import { checkAttachments } from './attachments.ts';
import { CSV_BOM, csvRow } from '../../web/csv.ts';
import { noticeFor } from '../notices/service.ts';
import { addCc, checkCc, MAX_CC, participants, removeCc } from './participants.ts';
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
  /** Issue 24: the severity and the response target the provider commits to for it (minutes). */
  severity: TicketSeverity; responseTargetMinutes: number;
  /** The notice it was opened from, when the viewer may still see it. */
  notice: { id: string; title: string; titleEn: string } | null;
  /** The author and the colleagues in copy (names only; addresses stay with the admin pages). */
  participants: { id: string; name: string; author: boolean }[];
  rating: { score: number; comment: string | null; at: number } | null;
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

/** Rows in one CSV export at most (the list's filters narrow it). */
export const CSV_MAX_ROWS = 50_000;

/**
 * Issue 24: the filtered ticket list as CSV for the operations team's reporting, every page, with
 * the same visibility as the list (a service or contract the viewer may not see is left blank).
 * Codes stay codes (status, severity, category): a spreadsheet filters on them.
 */
export async function ticketsCsv(db: Db, scope: ContractScope, f: TicketFilter, lang: 'ja' | 'en'): Promise<string> {
  const services = await visibleServices(db, scope);
  if (f.serviceId && !services.some((s) => s.id === f.serviceId)) throw new DomainError('common.not_found');
  const { rows } = await listOrgTickets(db, scope.organisationId, f, CSV_MAX_ROWS, 0);
  const shown = await summaries(db, scope, rows, services);
  const iso = (ms: number | null) => (ms === null ? '' : new Date(ms).toISOString());
  const head = lang === 'en'
    ? ['Number', 'Subject', 'Status', 'Severity', 'Category', 'Service', 'Contract', 'Opened', 'Updated', 'Closed', 'Rating']
    : ['お問い合わせ番号', '件名', '状態', '緊急度', 'カテゴリ', 'サービス', '契約番号', '起票日時', '最終更新', 'クローズ日時', '満足度'];
  let out = CSV_BOM + csvRow(head);
  rows.forEach((r, i) => {
    const s = shown[i]!;
    out += csvRow([r.number, r.subject, r.status, r.severity, r.category, s.service ? (lang === 'en' ? s.service.nameEn : s.service.nameJa) : '',
      s.contractNumber ?? '', iso(r.created_at), iso(r.updated_at), iso(r.closed_at), r.rating ?? '']);
  });
  return out;
}

export async function ticketFor(db: Db, scope: ContractScope, id: string, o: { now?: number; targets?: Record<TicketSeverity, number> } = {}): Promise<TicketDetail> {
  const row = await findOrgTicket(db, scope.organisationId, id);
  if (!row) throw new DomainError('common.not_found');
  const [summary] = await summaries(db, scope, [row]);
  const messages = await customerMessages(db, row.id);
  const files = await attachmentsOf(db, row.id);
  const extra = await db.selectFrom('ticket').select(['severity', 'notice_id', 'rating', 'rating_comment', 'rated_at', 'author_user_id']).where('id', '=', row.id).executeTakeFirstOrThrow();
  // A notice is shown only while the viewer may see it (withdrawn or aimed elsewhere: no link, no title).
  const notice = extra.notice_id ? await noticeFor(db, scope, extra.notice_id, o.now ?? Date.now()).then((n) => n, () => null) : null;
  const people = await participants(db, { id: row.id, author_user_id: extra.author_user_id });
  return {
    ...summary!,
    severity: extra.severity, responseTargetMinutes: (o.targets ?? DEFAULT_TARGETS)[extra.severity],
    notice: notice ? { id: notice.id, title: notice.titleJa, titleEn: notice.titleEn } : null,
    participants: people.map((u) => ({ id: u.id, name: u.name, author: u.id === extra.author_user_id })),
    rating: extra.rating !== null && extra.rating !== undefined && extra.rated_at ? { score: extra.rating, comment: extra.rating_comment ?? null, at: extra.rated_at } : null,
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

/** The provider's response targets when the caller passes none (the defaults of TICKET_RESPONSE_TARGETS). */
const DEFAULT_TARGETS: Record<TicketSeverity, number> = { critical: 60, high: 240, normal: 1440, low: 4320 };
export const CUSTOMER_SEVERITIES: readonly TicketSeverity[] = ['low', 'normal', 'high', 'critical'];

export interface NewTicket {
  category: string; serviceId?: string; contractId?: string; subject: string; body: string; files: UploadedFile[];
  /** Issue 24: the customer's severity (default normal; the provider may change it). */
  severity?: string;
  /** Issue 24: the notice it is about (must be one the user may see). */
  noticeId?: string;
  /** Issue 24: colleagues of the organisation in copy. */
  cc?: string[];
}

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
  const severity = input.severity || 'normal';
  if (!(CUSTOMER_SEVERITIES as readonly string[]).includes(severity)) throw new DomainError('common.field_errors', {}, { severity: [{ key: 'tickets.unknown_choice' }] });
  // A notice the user may not see answers like an unknown one (S8).
  const noticeId = input.noticeId || null;
  if (noticeId && !(await noticeFor(ctx.db, scope, noticeId, now).then(() => true, () => false))) {
    throw new DomainError('common.field_errors', {}, { noticeId: [{ key: 'tickets.unknown_choice' }] });
  }
  const cc = await checkCc(ctx.db, scope.organisationId, user.id, input.cc ?? []);
  const ticket: TicketRow = {
    id: newId(), organisation_id: scope.organisationId, number: `T${String(randomInt(0, 1_000_000_000)).padStart(9, '0')}`,
    category: input.category, service_id: serviceId, contract_id: contractId, subject: input.subject.trim(), status: 'open',
    author_user_id: user.id, created_at: now, updated_at: now, closed_at: null, severity: severity as TicketSeverity, assignee_user_id: null,
    notice_id: noticeId,
  };
  const message: MessageRow = { id: newId(), ticket_id: ticket.id, side: 'customer', author_user_id: user.id, author_name: user.name, body: input.body, internal_at: null, created_at: now };
  const files = attachmentRows(ticket.id, message.id, input.files, now); // refuses before anything is written
  await ctx.db.transaction().execute(async (trx) => {
    await insertTicket(trx, ticket);
    await insertMessage(trx, message, files);
    await addCc(trx, ticket.id, cc, user.id, now);
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

/**
 * The customer closes; issue 24: with a satisfaction rating (1–5) and a comment if they give one.
 * The rating is the close's own write (one transaction): a ticket closed twice keeps the first.
 */
export async function closeTicket(ctx: AppContext, scope: ContractScope, ticketId: string, rating?: { score?: string | number; comment?: string }): Promise<void> {
  const t = await findOrgTicket(ctx.db, scope.organisationId, ticketId);
  if (!t) throw new DomainError('common.not_found');
  const raw = rating?.score === undefined || rating.score === '' ? null : Number(rating.score);
  if (raw !== null && !(Number.isInteger(raw) && raw >= 1 && raw <= 5)) throw new DomainError('common.field_errors', {}, { rating: [{ key: 'tickets.rating_invalid' }] });
  const comment = rating?.comment?.trim() ? rating.comment.trim() : null;
  if (comment && comment.length > MAX_RATING_COMMENT) throw new DomainError('common.field_errors', {}, { ratingComment: [{ key: 'common.field_too_long' }] });
  const now = ctx.now();
  await ctx.db.transaction().execute(async (trx) => {
    if (!(await setStatus(trx, t.id, 'not_closed', 'closed', now))) throw new DomainError('tickets.already_closed');
    if (raw !== null) await trx.updateTable('ticket').set({ rating: raw, rating_comment: comment, rated_at: now }).where('id', '=', t.id).execute();
    await emitPortalEvent(trx, { resource: 'ticket', type: 'TroubleTicketStateChangeEvent', organisationId: scope.organisationId, id: t.id }, now);
  });
}
export const MAX_RATING_COMMENT = 2000;

/** Issue 24: colleagues added to a ticket's copy list by someone of its organisation. */
export async function addColleagues(ctx: AppContext, scope: ContractScope, user: TicketAuthor, ticketId: string, ids: string[]): Promise<void> {
  const t = await findOrgTicket(ctx.db, scope.organisationId, ticketId);
  if (!t) throw new DomainError('common.not_found');
  const have = new Set((await participants(ctx.db, t)).map((p) => p.id));
  const add = (await checkCc(ctx.db, scope.organisationId, t.author_user_id, ids)).filter((id) => !have.has(id));
  if (have.size - 1 + add.length > MAX_CC) throw new DomainError('common.field_errors', {}, { cc: [{ key: 'tickets.cc_too_many', params: { max: MAX_CC } }] });
  await addCc(ctx.db, t.id, add, user.id, ctx.now());
}

export async function removeColleague(ctx: AppContext, scope: ContractScope, ticketId: string, userId: string): Promise<void> {
  const t = await findOrgTicket(ctx.db, scope.organisationId, ticketId);
  if (!t) throw new DomainError('common.not_found');
  if (!(await removeCc(ctx.db, t.id, userId))) throw new DomainError('common.not_found');
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
