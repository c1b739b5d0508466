// Notices (S7 «工事・故障情報», S10): construction, outage and information, for one service or all,
// over a period, in Japanese and English. A user sees the notices of every service they see a
// contract of (access.ts) plus the all-service ones; withdrawn notices are gone for customers.
import type { Db } from '../../db/index.ts';
import type { NoticeKind } from '../../db/schema.ts';
import { newId } from '../../lib/index.ts';
import { DomainError } from '../../errors.ts';
import type { ContractScope } from '../access.ts';
import { seesService } from '../visible.ts';
import { findNotice, findVisibleNotice, runningNotices, insertNotice, listAllNotices, listVisibleNotices, withdrawNoticeRow, type NoticeRow, type VisibleNoticeRow, type When } from './store.ts';
import { serviceByCode } from '../orders/store.ts';

export type { NoticeRow } from './store.ts';

export const NOTICE_KINDS: readonly NoticeKind[] = ['construction', 'outage', 'information'];
export const PAGE_SIZE = 10;
export const MAX_TITLE = 200;
export const MAX_BODY = 10_000;

export interface NoticeView {
  id: string; kind: NoticeKind; serviceId: string | null; serviceNameJa: string | null; serviceNameEn: string | null;
  titleJa: string; titleEn: string; bodyJa: string; bodyEn: string; startsAt: number; endsAt: number | null;
  /** At `now`: running, not started yet, or over. */
  phase: 'ongoing' | 'upcoming' | 'ended';
}

function view(r: VisibleNoticeRow, now: number): NoticeView {
  const phase = r.ends_at !== null && r.ends_at <= now ? 'ended' : r.starts_at > now ? 'upcoming' : 'ongoing';
  return {
    id: r.id, kind: r.kind, serviceId: r.service_id, serviceNameJa: r.service_name_ja ?? null, serviceNameEn: r.service_name_en ?? null,
    titleJa: r.title_ja, titleEn: r.title_en, bodyJa: r.body_ja, bodyEn: r.body_en, startsAt: r.starts_at, endsAt: r.ends_at, phase,
  };
}

/** The notices page: current (running and upcoming) or past, optionally of one service the viewer sees. */
export async function listNoticesFor(db: Db, scope: ContractScope, o: { now: number; when: When; serviceId?: string; page: number }): Promise<{ notices: NoticeView[]; total: number }> {
  // A service the viewer sees no contract of answers like an unknown one.
  if (o.serviceId && !(await seesService(db, scope, o.serviceId))) throw new DomainError('common.not_found');
  const { rows, total } = await listVisibleNotices(db, scope, { now: o.now, when: o.when, ...(o.serviceId ? { serviceId: o.serviceId } : {}), limit: PAGE_SIZE, offset: (o.page - 1) * PAGE_SIZE });
  return { notices: rows.map((r) => view(r, o.now)), total };
}

/**
 * For the dashboard (S7): notices running at `now` (started, not ended) that the viewer may see,
 * newest first, as rows. Same visibility as the notice pages (store.ts noticeVisible).
 */
export async function dashboardNotices(db: Db, scope: ContractScope, now: number, limit = 5): Promise<NoticeRow[]> {
  return runningNotices(db, scope, now, limit);
}

export async function noticeFor(db: Db, scope: ContractScope, id: string, now: number): Promise<NoticeView> {
  const row = await findVisibleNotice(db, scope, id, now);
  if (!row) throw new DomainError('common.not_found');
  return view(row, now);
}

// ---- Operator side (CLI) ----

export interface CreateNoticeInput {
  kind: NoticeKind; serviceCode?: string; titleJa: string; titleEn: string; bodyJa: string; bodyEn: string;
  startsAt: number; endsAt?: number; publishedAt?: number;
}

export async function createNotice(db: Db, input: CreateNoticeInput, now: number): Promise<NoticeRow> {
  if (input.endsAt !== undefined && !(input.endsAt > input.startsAt)) throw new DomainError('portal.end_before_start');
  const texts = [input.titleJa, input.titleEn, input.bodyJa, input.bodyEn].map((s) => s.trim());
  if (texts.some((s) => !s) || texts[0]!.length > MAX_TITLE || texts[1]!.length > MAX_TITLE || texts[2]!.length > MAX_BODY || texts[3]!.length > MAX_BODY) {
    throw new DomainError('portal.text_invalid', { max: MAX_BODY });
  }
  let serviceId: string | null = null;
  if (input.serviceCode !== undefined) {
    const s = await serviceByCode(db, input.serviceCode);
    if (!s) throw new DomainError('portal.unknown_service', { code: input.serviceCode });
    serviceId = s.id;
  }
  const row: NoticeRow = {
    id: newId(), kind: input.kind, service_id: serviceId, title_ja: texts[0]!, title_en: texts[1]!, body_ja: texts[2]!, body_en: texts[3]!,
    starts_at: input.startsAt, ends_at: input.endsAt ?? null, published_at: input.publishedAt ?? now, withdrawn_at: null, created_at: now,
  };
  await insertNotice(db, row);
  return row;
}

export async function withdrawNotice(db: Db, id: string, now: number): Promise<void> {
  if (await withdrawNoticeRow(db, id, now)) return;
  if (!(await findNotice(db, id))) throw new DomainError('common.not_found');
  throw new DomainError('notices.already_withdrawn');
}

export async function operatorNotices(db: Db, now: number, includePast: boolean, limit = 200) {
  return listAllNotices(db, { now, includePast, limit });
}
