// Notices aimed at contracts (issue 24 item 1), Kysely only: the affected contracts with their
// impact, the status and its history, the post-incident report. Visibility of contracts is always
// contractVisible (access.ts); nothing here decides who sees what by itself.
import type { Db } from '../../db/index.ts';
import type { NoticeImpact, NoticeReportTable, NoticeStatus } from '../../db/schema.ts';
import { contractVisible, type ContractScope } from '../access.ts';

export interface AffectedRow { notice_id: string; contract_id: string; number: string; organisation_id: string; service_id: string; impact: NoticeImpact }

const AFFECTED = ['nc.notice_id', 'nc.contract_id', 'contract.number', 'contract.organisation_id', 'contract.service_id', 'nc.impact'] as const;

/** Every affected contract of these notices (the operator's view, the mail's recipients). */
export async function affectedOf(db: Db, noticeIds: readonly string[]): Promise<AffectedRow[]> {
  if (!noticeIds.length) return [];
  return db.selectFrom('notice_contract as nc').innerJoin('contract', 'contract.id', 'nc.contract_id').select(AFFECTED)
    .where('nc.notice_id', 'in', [...noticeIds]).orderBy('contract.number').execute();
}

/** The affected contracts of these notices that the scope may see (the contract rule, access.ts). */
export async function visibleAffectedOf(db: Db, scope: ContractScope, noticeIds: readonly string[]): Promise<AffectedRow[]> {
  if (!noticeIds.length) return [];
  return db.selectFrom('notice_contract as nc').innerJoin('contract', 'contract.id', 'nc.contract_id').select(AFFECTED)
    .where('nc.notice_id', 'in', [...noticeIds]).where(contractVisible(scope)).orderBy('contract.number').execute();
}

/** Replaces a notice's affected contracts (inside the caller's transaction). */
export async function replaceAffected(db: Db, noticeId: string, rows: ReadonlyArray<{ contractId: string; impact: NoticeImpact }>): Promise<void> {
  await db.deleteFrom('notice_contract').where('notice_id', '=', noticeId).execute();
  // Chunks keep PostgreSQL's and SQLite's bound-parameter limits far away.
  for (let i = 0; i < rows.length; i += 500) {
    await db.insertInto('notice_contract').values(rows.slice(i, i + 500).map((r) => ({ notice_id: noticeId, contract_id: r.contractId, impact: r.impact }))).execute();
  }
}

/** Contract ids by number; unknown numbers are missing from the map. */
export async function contractIdsByNumber(db: Db, numbers: readonly string[]): Promise<Map<string, string>> {
  const map = new Map<string, string>();
  for (let i = 0; i < numbers.length; i += 500) {
    const rows = await db.selectFrom('contract').select(['id', 'number']).where('number', 'in', numbers.slice(i, i + 500)).execute();
    for (const r of rows) map.set(r.number, r.id);
  }
  return map;
}

/** Compare-and-swap: moves the status only from `from`, only on a notice not withdrawn. */
export async function setStatusRow(db: Db, noticeId: string, from: NoticeStatus, to: NoticeStatus, now: number): Promise<boolean> {
  const row = await db.updateTable('notice').set({ status: to, updated_at: now })
    .where('id', '=', noticeId).where('status', '=', from).where('withdrawn_at', 'is', null).returning('id').executeTakeFirst();
  return row !== undefined;
}

export async function insertStatusEvent(db: Db, e: { id: string; notice_id: string; status: NoticeStatus; at: number; by_user_id: string | null }): Promise<void> {
  await db.insertInto('notice_status_event').values(e).execute();
}

export interface StatusEventRow { notice_id: string; status: NoticeStatus; at: number }

/** Status histories, oldest first (who changed it is the operator's audit log, not the customer's). */
export async function statusHistoryOf(db: Db, noticeIds: readonly string[]): Promise<StatusEventRow[]> {
  if (!noticeIds.length) return [];
  return db.selectFrom('notice_status_event').select(['notice_id', 'status', 'at'])
    .where('notice_id', 'in', [...noticeIds]).orderBy('at').orderBy('id').execute();
}

/** Status events per notice: the calendar's SEQUENCE. */
export async function statusEventCounts(db: Db, noticeIds: readonly string[]): Promise<Map<string, number>> {
  if (!noticeIds.length) return new Map();
  const rows = await db.selectFrom('notice_status_event').select((eb) => ['notice_id', eb.fn.countAll<number>().as('n')])
    .where('notice_id', 'in', [...noticeIds]).groupBy('notice_id').execute();
  return new Map(rows.map((r) => [r.notice_id, Number(r.n)]));
}

export async function upsertReport(db: Db, r: NoticeReportTable): Promise<void> {
  await db.insertInto('notice_report').values(r).onConflict((oc) => oc.column('notice_id').doUpdateSet({
    filename: r.filename, content_type: r.content_type, size: r.size, sha256: r.sha256, content_b64: r.content_b64, attached_at: r.attached_at, by_user_id: r.by_user_id,
  })).execute();
}

export type ReportMeta = Pick<NoticeReportTable, 'notice_id' | 'filename' | 'content_type' | 'size' | 'attached_at'>;

export async function reportMetaOf(db: Db, noticeIds: readonly string[]): Promise<ReportMeta[]> {
  if (!noticeIds.length) return [];
  return db.selectFrom('notice_report').select(['notice_id', 'filename', 'content_type', 'size', 'attached_at']).where('notice_id', 'in', [...noticeIds]).execute();
}

export async function reportOf(db: Db, noticeId: string): Promise<NoticeReportTable | undefined> {
  return db.selectFrom('notice_report').selectAll().where('notice_id', '=', noticeId).executeTakeFirst();
}

/**
 * Notices that affect one contract, published and not withdrawn, newest first (the contract page).
 * The caller has checked the contract is visible; every notice listed names it, so it is visible too.
 */
export async function noticesAffecting(db: Db, contractId: string, now: number, limit: number) {
  return db.selectFrom('notice_contract as nc').innerJoin('notice as n', 'n.id', 'nc.notice_id')
    .select(['n.id', 'n.kind', 'n.title_ja', 'n.title_en', 'n.starts_at', 'n.ends_at', 'n.status', 'nc.impact'])
    .where('nc.contract_id', '=', contractId).where('n.withdrawn_at', 'is', null).where('n.published_at', '<=', now)
    .orderBy('n.starts_at', 'desc').orderBy('n.id').limit(limit).execute();
}

/** Users of these organisations, for the maintenance mail (enabled ones only; the scope is checked per user). */
export async function contractOrganisationsOf(db: Db, noticeId: string): Promise<string[]> {
  const rows = await db.selectFrom('notice_contract as nc').innerJoin('contract', 'contract.id', 'nc.contract_id')
    .select('contract.organisation_id').distinct().where('nc.notice_id', '=', noticeId).execute();
  return rows.map((r) => r.organisation_id);
}
