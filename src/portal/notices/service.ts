// Notices (S7 «工事・故障情報», S10): construction, outage and information, for one or more services
// or for all, over a period, in Japanese and English. A user sees the notices of every service they
// see a contract of (access.ts) plus the all-service ones; withdrawn notices are gone for customers.
// The operator side (CLI and console, issue 26) composes, publishes, changes and withdraws them
// through the functions below, each audited with the operator.
import type { Db } from '../../db/index.ts';
import type { NoticeKind } from '../../db/schema.ts';
import { newId } from '../../lib/index.ts';
import { DomainError, type ErrorCode, type FieldErrors } from '../../errors.ts';
import type { MessageParams } from '../../i18n/index.ts';
import { auditOperator } from '../../audit/log.ts';
import type { ContractScope } from '../access.ts';
import type { OpsActor } from '../maintenance/service.ts';
import { seesService } from '../visible.ts';
import {
  currentNoticesOfService as noticesOfServiceRows, existingServiceIds, findNotice, findVisibleNotice, insertNotice, listAllNotices, listVisibleNotices, runningNotices, serviceIdsByCode,
  servicesOfNotices, servicesOfNoticesMarked, updateNoticeRow, withdrawNoticeRow, type NoticeRow, type NoticeServiceName, type OperatorWhen, type When,
} from './store.ts';
import { emitPortalEvent } from '../events.ts';

export type { NoticeRow, OperatorWhen } from './store.ts';
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
}
/** The operator's view: every service by name, and when it was published, changed, withdrawn. */
export interface OperatorNoticeView extends NoticeView { publishedAt: number; updatedAt: number | null; withdrawnAt: number | null }

function phaseAt(r: { starts_at: number; ends_at: number | null }, now: number): NoticeView['phase'] {
  return r.ends_at !== null && r.ends_at <= now ? 'ended' : r.starts_at > now ? 'upcoming' : 'ongoing';
}

/** Rows with their services: `all` holds every service row of each notice, `shown` the ones the reader may see named. */
function views(rows: NoticeRow[], all: NoticeServiceName[], shown: NoticeServiceName[], now: number): NoticeView[] {
  return rows.map((r) => ({
    id: r.id, kind: r.kind,
    services: shown.filter((s) => s.notice_id === r.id).map((s) => ({ id: s.service_id, code: s.code, nameJa: s.name_ja, nameEn: s.name_en })),
    allServices: !all.some((s) => s.notice_id === r.id),
    titleJa: r.title_ja, titleEn: r.title_en, bodyJa: r.body_ja, bodyEn: r.body_en, startsAt: r.starts_at, endsAt: r.ends_at, phase: phaseAt(r, now),
  }));
}

async function customerViews(db: Db, scope: ContractScope, rows: NoticeRow[], now: number): Promise<NoticeView[]> {
  const ids = rows.map((r) => r.id);
  const all = await servicesOfNoticesMarked(db, ids, scope);
  return views(rows, all, all.filter((s) => s.shown), now);
}

async function operatorViews(db: Db, rows: NoticeRow[], now: number): Promise<OperatorNoticeView[]> {
  const all = await servicesOfNotices(db, rows.map((r) => r.id));
  return views(rows, all, all, now).map((v, i) => ({ ...v, publishedAt: rows[i]!.published_at, updatedAt: rows[i]!.updated_at, withdrawnAt: rows[i]!.withdrawn_at }));
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
}
/** A checked notice, not written: what the preview shows and publishing writes. */
export interface NoticeDraft {
  kind: NoticeKind; serviceIds: string[]; titleJa: string; titleEn: string; bodyJa: string; bodyEn: string; startsAt: number; endsAt: number | null;
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
  if (first) throw new DomainError(first.code, first.params, fields);
  return { kind: input.kind, serviceIds, ...texts, startsAt: input.startsAt, endsAt: input.endsAt ?? null };
}

/** Service codes (the CLI's names) to ids; an unknown code is refused by name. */
export async function serviceIdsForCodes(db: Db, codes: readonly string[]): Promise<string[]> {
  const map = await serviceIdsByCode(db, codes);
  const unknown = codes.filter((c) => !map.has(c));
  if (unknown.length) throw new DomainError('portal.unknown_service', { code: unknown.join(', ') }, { services: [{ key: 'portal.unknown_service', params: { code: unknown.join(', ') } }] });
  return codes.map((c) => map.get(c)!);
}

/** Publishes a notice now (customers see it from its start); audited. */
export async function publishNotice(db: Db, input: NoticeInput, actor: OpsActor, now: number): Promise<OperatorNoticeView> {
  const d = await checkNotice(db, input);
  const row: NoticeRow = {
    id: newId(), kind: d.kind, title_ja: d.titleJa, title_en: d.titleEn, body_ja: d.bodyJa, body_en: d.bodyEn,
    starts_at: d.startsAt, ends_at: d.endsAt, published_at: now, withdrawn_at: null, created_at: now, updated_at: null,
  };
  await db.transaction().execute(async (trx) => {
    await insertNotice(trx, row, d.serviceIds);
    await emitPortalEvent(trx, { resource: 'notice', type: 'IncidentCreateEvent', id: row.id }, now);
    await auditOperator(trx, actor, 'notice.published', { detail: { notice: row.id, kind: row.kind, services: d.serviceIds.length } }, now);
  });
  return operatorNotice(db, row.id, now);
}

/** Changes a notice that is not withdrawn (texts, kind, services, period); audited. */
export async function changeNotice(db: Db, id: string, input: NoticeInput, actor: OpsActor, now: number): Promise<OperatorNoticeView> {
  const d = await checkNotice(db, input);
  const changed = await db.transaction().execute(async (trx) => {
    const ok = await updateNoticeRow(trx, id, {
      kind: d.kind, title_ja: d.titleJa, title_en: d.titleEn, body_ja: d.bodyJa, body_en: d.bodyEn, starts_at: d.startsAt, ends_at: d.endsAt,
    }, d.serviceIds, now);
    if (ok) await auditOperator(trx, actor, 'notice.changed', { detail: { notice: id } }, now);
    if (ok) await emitPortalEvent(trx, { resource: 'notice', type: 'IncidentAttributeValueChangeEvent', id }, now);
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
