// Notices (S7 «工事・故障情報», S10): construction, outage and information, for one or more services
// or for all, over a period, in Japanese and English. A user sees the notices of every service they
// see a contract of (access.ts) plus the all-service ones; withdrawn notices are gone for customers.
// The operator side (CLI and console, issue 26) composes, publishes, changes and withdraws them
// through the functions below, each audited with the operator.
import type { Db } from '../../db/index.ts';
import type { NoticeImpact, NoticeKind, NoticeStatus } from '../../db/schema.ts';
import { newId } from '../../lib/index.ts';
import { DomainError, type ErrorCode, type FieldErrors } from '../../errors.ts';
import type { MessageParams } from '../../i18n/index.ts';
import { auditOperator } from '../../audit/log.ts';
import type { ContractScope } from '../access.ts';
import type { OpsActor } from '../maintenance/service.ts';
import { seesService } from '../visible.ts';
import {
  currentNoticesOfService as noticesOfServiceRows, existingServiceIds, feedNoticeRows, findNotice, findVisibleNotice, insertNotice, listAllNotices, listVisibleNotices, runningNotices, serviceIdsByCode,
  servicesOfNotices, servicesOfNoticesMarked, updateNoticeRow, withdrawNoticeRow, type NoticeRow, type NoticeServiceName, type OperatorWhen, type When,
} from './store.ts';
import { emitPortalEvent } from '../events.ts';
import { affectedOf, insertStatusEvent, noticesAffecting, replaceAffected, reportMetaOf, reportOf, statusHistoryOf, visibleAffectedOf, type AffectedRow } from './targets-store.ts';
import { isStatus, resolveTargets, setNoticeStatus as setNoticeStatusRow, type ContractTarget, type ResolvedTarget } from './targets.ts';
import { mailNoticeEvent, type NoticeMailSetting } from './maintenance-mail.ts';
import { maintCalendar, maintEvents, type MaintSetting } from './maintnote.ts';

export type { NoticeRow, OperatorWhen } from './store.ts';
export type { MaintSetting } from './maintnote.ts';
export type { NoticeMailSetting } from './maintenance-mail.ts';
export { NOTICE_STATUSES, NOTICE_IMPACTS, MAX_CONTRACTS, parseContractLines, contractLinesOf, attachNoticeReport, type ContractTarget } from './targets.ts';
export type { OpsActor } from '../maintenance/service.ts';

export const NOTICE_KINDS: readonly NoticeKind[] = ['construction', 'outage', 'information'];
export const PAGE_SIZE = 10;
export const MAX_TITLE = 200;
export const MAX_BODY = 10_000;
/** More services than this on one notice is a mistake, not a notice (use "every service"). */
export const MAX_SERVICES = 50;

export interface NoticeServiceRef { id: string; code: string; nameJa: string; nameEn: string }
export interface NoticeView {
  id: string; kind: NoticeKind;
  /** The services it concerns that the reader may know of; empty with `allServices` for every service. */
  services: NoticeServiceRef[]; allServices: boolean;
  titleJa: string; titleEn: string; bodyJa: string; bodyEn: string; startsAt: number; endsAt: number | null;
  /** At `now`: running, not started yet, or over. */
  phase: 'ongoing' | 'upcoming' | 'ended';
  /** Issue 24: where the work stands, and how it got there (oldest first). */
  status: NoticeStatus; statusHistory: Array<{ status: NoticeStatus; at: number }>;
  /** The affected contracts the reader may see (all of them for operators), by number; empty when aimed at services. */
  contracts: Array<{ id: string; number: string; impact: NoticeImpact }>;
  /** The post-incident report, if attached. */
  report: { filename: string; size: number; attachedAt: number } | null;
}
/** The operator's view: every service by name, and when it was published, changed, withdrawn. */
export interface OperatorNoticeView extends NoticeView { publishedAt: number; updatedAt: number | null; withdrawnAt: number | null }

function phaseAt(r: { starts_at: number; ends_at: number | null }, now: number): NoticeView['phase'] {
  return r.ends_at !== null && r.ends_at <= now ? 'ended' : r.starts_at > now ? 'upcoming' : 'ongoing';
}

interface Extras { affected: AffectedRow[]; history: Array<{ notice_id: string; status: NoticeStatus; at: number }>; reports: Array<{ notice_id: string; filename: string; size: number; attached_at: number }> }

async function extrasOf(db: Db, ids: string[], scope: ContractScope | null): Promise<Extras> {
  const [affected, history, reports] = await Promise.all([scope ? visibleAffectedOf(db, scope, ids) : affectedOf(db, ids), statusHistoryOf(db, ids), reportMetaOf(db, ids)]);
  return { affected, history, reports };
}

/** Rows with their services: `all` holds every service row of each notice, `shown` the ones the reader may see named. */
function views(rows: NoticeRow[], all: NoticeServiceName[], shown: NoticeServiceName[], now: number, x: Extras): NoticeView[] {
  return rows.map((r) => ({
    status: r.status,
    statusHistory: x.history.filter((h) => h.notice_id === r.id).map((h) => ({ status: h.status, at: h.at })),
    contracts: x.affected.filter((a) => a.notice_id === r.id).map((a) => ({ id: a.contract_id, number: a.number, impact: a.impact })),
    report: ((m) => (m ? { filename: m.filename, size: m.size, attachedAt: m.attached_at } : null))(x.reports.find((m) => m.notice_id === r.id)),
    id: r.id, kind: r.kind,
    services: shown.filter((s) => s.notice_id === r.id).map((s) => ({ id: s.service_id, code: s.code, nameJa: s.name_ja, nameEn: s.name_en })),
    allServices: !all.some((s) => s.notice_id === r.id),
    titleJa: r.title_ja, titleEn: r.title_en, bodyJa: r.body_ja, bodyEn: r.body_en, startsAt: r.starts_at, endsAt: r.ends_at, phase: phaseAt(r, now),
  }));
}

async function customerViews(db: Db, scope: ContractScope, rows: NoticeRow[], now: number): Promise<NoticeView[]> {
  const ids = rows.map((r) => r.id);
  const all = await servicesOfNoticesMarked(db, ids, scope);
  return views(rows, all, all.filter((s) => s.shown), now, await extrasOf(db, ids, scope));
}

async function operatorViews(db: Db, rows: NoticeRow[], now: number): Promise<OperatorNoticeView[]> {
  const all = await servicesOfNotices(db, rows.map((r) => r.id));
  return views(rows, all, all, now, await extrasOf(db, rows.map((r) => r.id), null)).map((v, i) => ({ ...v, publishedAt: rows[i]!.published_at, updatedAt: rows[i]!.updated_at, withdrawnAt: rows[i]!.withdrawn_at }));
}

/** The notices page: current (running and upcoming) or past, optionally of one service the viewer sees. */
export async function listNoticesFor(db: Db, scope: ContractScope, o: { now: number; when: When; serviceId?: string; page: number }): Promise<{ notices: NoticeView[]; total: number }> {
  // A service the viewer sees no contract of answers like an unknown one.
  if (o.serviceId && !(await seesService(db, scope, o.serviceId))) throw new DomainError('common.not_found');
  const { rows, total } = await listVisibleNotices(db, scope, { now: o.now, when: o.when, ...(o.serviceId ? { serviceId: o.serviceId } : {}), limit: PAGE_SIZE, offset: (o.page - 1) * PAGE_SIZE });
  return { notices: await customerViews(db, scope, rows, o.now), total };
}

/** A window of the visible notices by offset and limit (the TM Forum API's paging, issue 24 item 6). */
export async function listNoticesWindow(db: Db, scope: ContractScope, o: { now: number; when: When; offset: number; limit: number }): Promise<{ notices: NoticeView[]; total: number }> {
  const { rows, total } = await listVisibleNotices(db, scope, { now: o.now, when: o.when, limit: o.limit, offset: o.offset });
  return { notices: await customerViews(db, scope, rows, o.now), total };
}

/**
 * For the dashboard (S7): notices running at `now` (started, not ended) that the viewer may see,
 * newest first, as rows. Same visibility as the notice pages (store.ts noticeVisible).
 */
export async function dashboardNotices(db: Db, scope: ContractScope, now: number, limit = 5): Promise<NoticeRow[]> {
  return runningNotices(db, scope, now, limit);
}

/** The contract page: published, not withdrawn, not ended notices of one service or of every service. */
export async function currentNoticesOfService(db: Db, serviceId: string, now: number, limit = 20) {
  return noticesOfServiceRows(db, serviceId, now, limit);
}

/**
 * Every contract a notice affects, with its impact, for code that applies the contract rule itself
 * (issue 24: the TM Forum API and webhooks read it and filter each answer with access.ts). Stable:
 * rows ordered by contract number; an unknown notice or one aimed at services gives []. Customers'
 * pages use `noticeFor`, which already keeps only the contracts the reader may see.
 */
export async function affectedContracts(db: Db, noticeId: string): Promise<Array<{ contractId: string; number: string; organisationId: string; serviceId: string; impact: NoticeImpact }>> {
  if (noticeId.length > 64) return [];
  return (await affectedOf(db, [noticeId])).map((a) => ({ contractId: a.contract_id, number: a.number, organisationId: a.organisation_id, serviceId: a.service_id, impact: a.impact }));
}

/** The contract page (issue 24): notices that name this contract, with impact, status and history. The caller checked the contract is visible. */
export async function noticesOfContract(db: Db, contractId: string, now: number, limit = 50) {
  const rows = await noticesAffecting(db, contractId, now, limit);
  const history = await statusHistoryOf(db, rows.map((r) => r.id));
  return rows.map((r) => ({ ...r, history: history.filter((h) => h.notice_id === r.id).map((h) => ({ status: h.status, at: h.at })) }));
}

/** How far back the feeds reach, and how many notices they carry at most. */
export const FEED_DAYS = 90;
export const FEED_LIMIT = 500;

/**
 * The maintenance calendar of one reader (issue 24 item 3): BCOP MAINTNOTE events for the
 * maintenance and outage notices aimed at contracts the reader sees, naming only those contracts.
 */
export async function calendarFor(db: Db, scope: ContractScope, now: number, s: MaintSetting, lang: 'ja' | 'en', name: string): Promise<string> {
  const rows = await feedNoticeRows(db, scope, { now, since: now - FEED_DAYS * 86_400_000, limit: FEED_LIMIT, aimed: true });
  const { events } = await maintEvents(db, scope, rows, s, lang);
  return maintCalendar(name, events);
}

/** The Atom feed's notices: every notice the reader sees (the notice pages' rule), newest first. */
export async function feedNoticesFor(db: Db, scope: ContractScope, now: number): Promise<NoticeView[]> {
  const rows = await feedNoticeRows(db, scope, { now, since: now - FEED_DAYS * 86_400_000, limit: FEED_LIMIT, aimed: false });
  return customerViews(db, scope, rows, now);
}

/** The post-incident report of a notice the scope may see (the same rule as the notice page). */
export async function noticeReportFor(db: Db, scope: ContractScope, id: string, now: number) {
  const row = await findVisibleNotice(db, scope, id, now);
  if (!row) throw new DomainError('common.not_found');
  const report = await reportOf(db, id);
  if (!report) throw new DomainError('common.not_found');
  return report;
}

/** The operator's download of a report (any notice). */
export async function operatorNoticeReport(db: Db, id: string) {
  const report = id.length > 64 ? undefined : await reportOf(db, id);
  if (!report) throw new DomainError('common.not_found');
  return report;
}

export async function noticeFor(db: Db, scope: ContractScope, id: string, now: number): Promise<NoticeView> {
  const row = await findVisibleNotice(db, scope, id, now);
  if (!row) throw new DomainError('common.not_found');
  return (await customerViews(db, scope, [row], now))[0]!;
}

// ---- Operator side (CLI, console, operator API) ----


/** What an operator composes. Services by id (console) — the CLI turns its codes into ids first. */
export interface NoticeInput {
  kind: NoticeKind; serviceIds: readonly string[]; titleJa: string; titleEn: string; bodyJa: string; bodyEn: string;
  startsAt: number; endsAt?: number | undefined;
  /** Issue 24: the affected contracts by number with their impact; undefined keeps them as they are (a change). */
  contracts?: readonly ContractTarget[] | undefined;
  /** The status a new notice starts with (default confirmed); a change keeps it (setNoticeStatus moves it). */
  status?: NoticeStatus | undefined;
}
/** A checked notice, not written: what the preview shows and publishing writes. */
export interface NoticeDraft {
  kind: NoticeKind; serviceIds: string[]; titleJa: string; titleEn: string; bodyJa: string; bodyEn: string; startsAt: number; endsAt: number | null;
  contracts: ResolvedTarget[] | undefined; status: NoticeStatus;
}

/**
 * Checks a composed notice and gives it back normalised (texts trimmed, services unique), or throws
 * one DomainError naming every refused field (the first problem's code; `fields` has them all).
 * Writes nothing: the console's preview and the publish and change actions share it.
 */
export async function checkNotice(db: Db, input: NoticeInput): Promise<NoticeDraft> {
  const fields: FieldErrors = {};
  let first: { code: ErrorCode; params: MessageParams } | undefined;
  const refuse = (field: string, code: ErrorCode, params: MessageParams = {}) => {
    (fields[field] ??= []).push({ key: code, params });
    first ??= { code, params };
  };
  if (!NOTICE_KINDS.includes(input.kind)) refuse('kind', 'notices.kind_invalid');
  const texts = { titleJa: input.titleJa.trim(), titleEn: input.titleEn.trim(), bodyJa: input.bodyJa.trim(), bodyEn: input.bodyEn.trim() };
  for (const [k, v] of Object.entries(texts)) {
    const max = k.startsWith('title') ? MAX_TITLE : MAX_BODY;
    if (!v || v.length > max) refuse(k, 'portal.text_invalid', { max });
  }
  if (input.endsAt !== undefined && !(input.endsAt > input.startsAt)) refuse('endsAt', 'portal.end_before_start');
  const serviceIds = [...new Set(input.serviceIds)];
  if (serviceIds.length > MAX_SERVICES) refuse('services', 'notices.too_many_services', { max: MAX_SERVICES });
  else {
    const known = await existingServiceIds(db, serviceIds);
    const unknown = serviceIds.filter((s) => !known.has(s));
    if (unknown.length) refuse('services', 'portal.unknown_service', { code: unknown.join(', ') });
  }
  if (input.status !== undefined && !isStatus(input.status)) refuse('status', 'notices.status_invalid');
  let contracts: ResolvedTarget[] | undefined;
  if (input.contracts !== undefined) {
    try { contracts = await resolveTargets(db, input.contracts); } catch (e) {
      if (!(e instanceof DomainError)) throw e;
      refuse('contracts', e.code, e.params);
    }
  }
  if (first) throw new DomainError(first.code, first.params, fields);
  return { kind: input.kind, serviceIds, ...texts, startsAt: input.startsAt, endsAt: input.endsAt ?? null, contracts, status: input.status ?? 'confirmed' };
}

/** Service codes (the CLI's names) to ids; an unknown code is refused by name. */
export async function serviceIdsForCodes(db: Db, codes: readonly string[]): Promise<string[]> {
  const map = await serviceIdsByCode(db, codes);
  const unknown = codes.filter((c) => !map.has(c));
  if (unknown.length) throw new DomainError('portal.unknown_service', { code: unknown.join(', ') }, { services: [{ key: 'portal.unknown_service', params: { code: unknown.join(', ') } }] });
  return codes.map((c) => map.get(c)!);
}

/**
 * Publishes a notice now (customers see it from its start); audited. With `mail`, a maintenance or
 * outage notice aimed at contracts is mailed (with its .ics) to the users who may see one of them.
 */
export async function publishNotice(db: Db, input: NoticeInput, actor: OpsActor, now: number, mail?: NoticeMailSetting): Promise<OperatorNoticeView> {
  const d = await checkNotice(db, input);
  const row: NoticeRow = {
    id: newId(), kind: d.kind, title_ja: d.titleJa, title_en: d.titleEn, body_ja: d.bodyJa, body_en: d.bodyEn,
    starts_at: d.startsAt, ends_at: d.endsAt, published_at: now, withdrawn_at: null, created_at: now, updated_at: null, status: d.status,
  };
  await db.transaction().execute(async (trx) => {
    await insertNotice(trx, row, d.serviceIds);
    if (d.contracts?.length) await replaceAffected(trx, row.id, d.contracts);
    await insertStatusEvent(trx, { id: newId(), notice_id: row.id, status: row.status, at: now, by_user_id: actor.userId });
    await emitPortalEvent(trx, { resource: 'notice', type: 'IncidentCreateEvent', id: row.id }, now);
    await auditOperator(trx, actor, 'notice.published', { detail: { notice: row.id, kind: row.kind, services: d.serviceIds.length, contracts: d.contracts?.length ?? 0 } }, now);
    if (mail && d.contracts?.length) await mailNoticeEvent(trx, row.id, { kind: 'published' }, mail, now);
  });
  return operatorNotice(db, row.id, now);
}

/**
 * Changes a notice that is not withdrawn (texts, kind, services, period); audited. With `mail`, a
 * change of period of a maintenance or outage notice aimed at contracts is mailed (issue 24 item 2:
 * «on change»); the reminders follow the new period by themselves (reminders.ts: keyed by due time).
 */
export async function changeNotice(db: Db, id: string, input: NoticeInput, actor: OpsActor, now: number, mail?: NoticeMailSetting): Promise<OperatorNoticeView> {
  const d = await checkNotice(db, input);
  const before = await findNotice(db, id);
  const changed = await db.transaction().execute(async (trx) => {
    const ok = await updateNoticeRow(trx, id, {
      kind: d.kind, title_ja: d.titleJa, title_en: d.titleEn, body_ja: d.bodyJa, body_en: d.bodyEn, starts_at: d.startsAt, ends_at: d.endsAt,
    }, d.serviceIds, now);
    if (ok && d.contracts !== undefined) await replaceAffected(trx, id, d.contracts);
    if (ok) await auditOperator(trx, actor, 'notice.changed', { detail: { notice: id } }, now);
    if (ok) await emitPortalEvent(trx, { resource: 'notice', type: 'IncidentAttributeValueChangeEvent', id }, now);
    const moved = before !== undefined && (before.starts_at !== d.startsAt || before.ends_at !== d.endsAt);
    if (ok && mail && moved && before.status !== 'cancelled') await mailNoticeEvent(trx, id, { kind: 'changed' }, mail, now);
    return ok;
  });
  if (!changed) {
    if (!(await findNotice(db, id))) throw new DomainError('common.not_found');
    throw new DomainError('notices.already_withdrawn');
  }
  return operatorNotice(db, id, now);
}

/** Withdraws a notice: customers no longer see it (one guarded write); audited. */
export async function withdrawNotice(db: Db, id: string, actor: OpsActor, now: number): Promise<void> {
  const done = await db.transaction().execute(async (trx) => {
    const ok = await withdrawNoticeRow(trx, id, now);
    if (ok) await auditOperator(trx, actor, 'notice.withdrawn', { detail: { notice: id } }, now);
    return ok;
  });
  if (done) return;
  if (!(await findNotice(db, id))) throw new DomainError('common.not_found');
  throw new DomainError('notices.already_withdrawn');
}

export async function operatorNotice(db: Db, id: string, now: number): Promise<OperatorNoticeView> {
  const row = await findNotice(db, id);
  if (!row) throw new DomainError('common.not_found');
  return (await operatorViews(db, [row], now))[0]!;
}

/** The operator's lists: current (running), scheduled (not started), past (over or withdrawn), or all. */
export async function operatorNotices(db: Db, now: number, when: OperatorWhen | 'all', o: { limit?: number; page?: number } = {}): Promise<{ notices: OperatorNoticeView[]; total: number }> {
  const limit = o.limit ?? 50;
  const { rows, total } = await listAllNotices(db, { now, when, limit, offset: ((o.page ?? 1) - 1) * limit });
  return { notices: await operatorViews(db, rows, now), total };
}

/**
 * Moves a notice to another status, keeps the history, audits it, and (with `mail`) mails the users
 * who may see an affected contract in the same transaction.
 */
export async function changeNoticeStatus(db: Db, id: string, to: NoticeStatus, actor: OpsActor, now: number, mail?: NoticeMailSetting): Promise<OperatorNoticeView> {
  await setNoticeStatusRow(db, id, to, actor, now, mail ? async (trx) => { await mailNoticeEvent(trx, id, { kind: 'status' }, mail, now); } : undefined);
  return operatorNotice(db, id, now);
}
