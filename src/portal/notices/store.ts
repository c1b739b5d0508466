// Construction / outage / information notices (S7 «工事・故障情報», S10), Kysely only. A notice
// concerns the services of its `notice_service` rows, or every service when it has none (014).
import type { ExpressionBuilder } from 'kysely';
import type { Db } from '../../db/index.ts';
import type { Database, NoticeStatus, NoticeTable } from '../../db/schema.ts';
import { contractVisible, type ContractScope } from '../access.ts';

export type NoticeRow = Omit<NoticeTable, 'updated_at' | 'status'> & { updated_at: number | null; status: NoticeStatus };
export type When = 'current' | 'past';
type NoticeEb = ExpressionBuilder<Database & { n: NoticeTable }, 'n'>;
const anyEb = (eb: NoticeEb) => eb as unknown as ExpressionBuilder<Database, never>;

/** The notice is aimed at contracts (issue 24): it has `notice_contract` rows. */
function aimedAtContracts(eb: NoticeEb) {
  return eb.exists(anyEb(eb).selectFrom('notice_contract as nc').select('nc.notice_id').whereRef('nc.notice_id', '=', 'n.id' as never));
}

/**
 * A notice aimed at contracts concerns those who see one of them (the contract rule, access.ts);
 * any other notice concerns everyone (no service rows) or those who see a contract of one of its
 * services (decision 052).
 */
function concernsViewer(scope: ContractScope) {
  return (eb: NoticeEb) => eb.or([
    eb.and([
      eb.not(aimedAtContracts(eb)),
      eb.or([
        eb.not(eb.exists(anyEb(eb).selectFrom('notice_service as ns').select('ns.notice_id').whereRef('ns.notice_id', '=', 'n.id' as never))),
        eb.exists(
          anyEb(eb).selectFrom('notice_service as ns').innerJoin('contract', 'contract.service_id', 'ns.service_id').select('ns.notice_id')
            .whereRef('ns.notice_id', '=', 'n.id' as never)
            .where(contractVisible(scope) as never),
        ),
      ]),
    ]),
    eb.exists(
      anyEb(eb).selectFrom('notice_contract as nc').innerJoin('contract', 'contract.id', 'nc.contract_id').select('nc.notice_id')
        .whereRef('nc.notice_id', '=', 'n.id' as never)
        .where(contractVisible(scope) as never),
    ),
  ]);
}

/** Published, not withdrawn, and concerning the viewer. */
function noticeVisible(scope: ContractScope, now: number) {
  return (eb: NoticeEb) => eb.and([eb('n.withdrawn_at', 'is', null), eb('n.published_at', '<=', now), concernsViewer(scope)(eb)]);
}

/** Notices of one service only (the per-service page), not the all-service ones. */
function ofService(serviceId: string) {
  return (eb: NoticeEb) => eb.exists(anyEb(eb).selectFrom('notice_service as ns').select('ns.notice_id')
    .whereRef('ns.notice_id', '=', 'n.id' as never).where('ns.service_id', '=', serviceId));
}

const COLUMNS = ['n.id', 'n.kind', 'n.title_ja', 'n.title_en', 'n.body_ja', 'n.body_en', 'n.starts_at', 'n.ends_at', 'n.published_at', 'n.withdrawn_at', 'n.created_at', 'n.updated_at', 'n.status'] as const;

/** current: not over yet (running or upcoming), soonest first; past: over, latest first. */
export async function listVisibleNotices(db: Db, scope: ContractScope, o: { now: number; when: When; serviceId?: string; limit: number; offset: number }): Promise<{ rows: NoticeRow[]; total: number }> {
  const when = (eb: NoticeEb) => o.when === 'current'
    ? eb.or([eb('n.ends_at', 'is', null), eb('n.ends_at', '>', o.now)])
    : eb.and([eb('n.ends_at', 'is not', null), eb('n.ends_at', '<=', o.now)]);
  let q = db.selectFrom('notice as n').select(COLUMNS).where(noticeVisible(scope, o.now)).where(when);
  let c = db.selectFrom('notice as n').select((e) => e.fn.countAll<number>().as('n')).where(noticeVisible(scope, o.now)).where(when);
  if (o.serviceId) { q = q.where(ofService(o.serviceId)); c = c.where(ofService(o.serviceId)); }
  q = o.when === 'current' ? q.orderBy('n.starts_at').orderBy('n.id') : q.orderBy('n.ends_at', 'desc').orderBy('n.id');
  const rows = await q.limit(o.limit).offset(o.offset).execute();
  return { rows, total: Number((await c.executeTakeFirstOrThrow()).n) };
}

/** Started and not ended at `now`, visible, newest first (the dashboard). */
export async function runningNotices(db: Db, scope: ContractScope, now: number, limit: number): Promise<NoticeRow[]> {
  return db.selectFrom('notice as n').select(COLUMNS)
    .where(noticeVisible(scope, now))
    .where('n.starts_at', '<=', now)
    .where((eb) => eb.or([eb('n.ends_at', 'is', null), eb('n.ends_at', '>', now)]))
    .orderBy('n.starts_at', 'desc').orderBy('n.id').limit(limit).execute();
}

/**
 * Published, not withdrawn, not ended notices of one service or of every service (the contract
 * page). Notices aimed at contracts are not here: the contract page lists those that name it.
 */
export async function currentNoticesOfService(db: Db, serviceId: string, now: number, limit: number) {
  return db.selectFrom('notice as n').select(['n.id', 'n.kind', 'n.title_ja', 'n.title_en', 'n.starts_at', 'n.ends_at'])
    .where('n.published_at', '<=', now).where('n.withdrawn_at', 'is', null)
    .where((eb) => eb.not(aimedAtContracts(eb)))
    .where((eb) => eb.or([eb('n.ends_at', 'is', null), eb('n.ends_at', '>', now)]))
    .where((eb) => eb.or([
      eb.not(eb.exists(anyEb(eb).selectFrom('notice_service as ns').select('ns.notice_id').whereRef('ns.notice_id', '=', 'n.id' as never))),
      ofService(serviceId)(eb),
    ]))
    .orderBy('n.starts_at', 'desc').orderBy('n.id').limit(limit).execute();
}

/**
 * The feeds (issue 24): visible notices not over before `since`, newest start first. `aimed`: only
 * notices aimed at contracts (the calendar's maintenance events name contracts).
 */
export async function feedNoticeRows(db: Db, scope: ContractScope, o: { now: number; since: number; limit: number; aimed: boolean }): Promise<NoticeRow[]> {
  return db.selectFrom('notice as n').select(COLUMNS).where(noticeVisible(scope, o.now))
    .where((eb) => eb.or([eb('n.ends_at', 'is', null), eb('n.ends_at', '>=', o.since)]))
    .$if(o.aimed, (q) => q.where((eb) => aimedAtContracts(eb)))
    .orderBy('n.starts_at', 'desc').orderBy('n.id').limit(o.limit).execute();
}

export async function findVisibleNotice(db: Db, scope: ContractScope, id: string, now: number): Promise<NoticeRow | undefined> {
  if (id.length > 64) return undefined;
  return db.selectFrom('notice as n').select(COLUMNS).where(noticeVisible(scope, now)).where('n.id', '=', id).executeTakeFirst();
}

export interface NoticeServiceName { notice_id: string; service_id: string; code: string; name_ja: string; name_en: string }

/** The services of these notices; with a scope, only those it sees a contract of (names of others stay unsaid). */
export async function servicesOfNotices(db: Db, noticeIds: readonly string[], scope?: ContractScope): Promise<NoticeServiceName[]> {
  if (!noticeIds.length) return [];
  let q = db.selectFrom('notice_service as ns').innerJoin('service as s', 's.id', 'ns.service_id')
    .select(['ns.notice_id', 'ns.service_id', 's.code', 's.name_ja', 's.name_en'])
    .where('ns.notice_id', 'in', noticeIds);
  if (scope) q = q.where((eb) => eb.exists(eb.selectFrom('contract').select('contract.id').whereRef('contract.service_id', '=', 'ns.service_id').where(contractVisible(scope) as never)));
  return q.orderBy('s.code').execute();
}

/**
 * The services of each notice, each marked `shown` when the scope sees a contract of it: what
 * servicesOfNotices gives with and without a scope, in one read (issue 19: nothing read twice).
 */
export async function servicesOfNoticesMarked(db: Db, noticeIds: readonly string[], scope: ContractScope): Promise<Array<NoticeServiceName & { shown: boolean }>> {
  if (!noticeIds.length) return [];
  const rows = await db.selectFrom('notice_service as ns').innerJoin('service as s', 's.id', 'ns.service_id')
    .select(['ns.notice_id', 'ns.service_id', 's.code', 's.name_ja', 's.name_en'])
    .select((eb) => eb.case()
      .when(eb.exists(eb.selectFrom('contract').select('contract.id').whereRef('contract.service_id', '=', 'ns.service_id').where(contractVisible(scope) as never)))
      .then(1).else(0).end().as('shown'))
    .where('ns.notice_id', 'in', noticeIds)
    .orderBy('s.code').execute();
  return rows.map(({ shown, ...r }) => ({ ...r, shown: Number(shown) === 1 }));
}

export async function insertNotice(db: Db, n: NoticeRow, serviceIds: readonly string[]): Promise<void> {
  await db.insertInto('notice').values(n).execute();
  if (serviceIds.length) await db.insertInto('notice_service').values(serviceIds.map((s) => ({ notice_id: n.id, service_id: s }))).execute();
}

export type NoticeChange = Pick<NoticeRow, 'kind' | 'title_ja' | 'title_en' | 'body_ja' | 'body_en' | 'starts_at' | 'ends_at'>;

/** Guarded: only a notice not withdrawn; its services are replaced in the same transaction (the caller's). */
export async function updateNoticeRow(db: Db, id: string, change: NoticeChange, serviceIds: readonly string[], now: number): Promise<boolean> {
  const row = await db.updateTable('notice').set({ ...change, updated_at: now }).where('id', '=', id).where('withdrawn_at', 'is', null).returning('id').executeTakeFirst();
  if (!row) return false;
  await db.deleteFrom('notice_service').where('notice_id', '=', id).execute();
  if (serviceIds.length) await db.insertInto('notice_service').values(serviceIds.map((s) => ({ notice_id: id, service_id: s }))).execute();
  return true;
}

/** Guarded: only a notice not withdrawn yet. */
export async function withdrawNoticeRow(db: Db, id: string, now: number): Promise<boolean> {
  const row = await db.updateTable('notice').set({ withdrawn_at: now }).where('id', '=', id).where('withdrawn_at', 'is', null).returning('id').executeTakeFirst();
  return row !== undefined;
}

export async function findNotice(db: Db, id: string): Promise<NoticeRow | undefined> {
  if (id.length > 64) return undefined;
  return db.selectFrom('notice as n').select(COLUMNS).where('n.id', '=', id).executeTakeFirst();
}

/** The operator's lists: current (running), scheduled (not started), past (ended or withdrawn). */
export type OperatorWhen = 'current' | 'scheduled' | 'past';

export async function listAllNotices(db: Db, o: { now: number; when: OperatorWhen | 'all'; limit: number; offset?: number }): Promise<{ rows: NoticeRow[]; total: number }> {
  const filter = (eb: NoticeEb) => {
    const live = eb('n.withdrawn_at', 'is', null);
    const notEnded = eb.or([eb('n.ends_at', 'is', null), eb('n.ends_at', '>', o.now)]);
    if (o.when === 'current') return eb.and([live, notEnded, eb('n.starts_at', '<=', o.now)]);
    if (o.when === 'scheduled') return eb.and([live, eb('n.starts_at', '>', o.now)]);
    if (o.when === 'past') return eb.or([eb('n.withdrawn_at', 'is not', null), eb.and([eb('n.ends_at', 'is not', null), eb('n.ends_at', '<=', o.now)])]);
    return eb.lit(true);
  };
  let q = db.selectFrom('notice as n').select(COLUMNS).where(filter);
  q = o.when === 'scheduled' ? q.orderBy('n.starts_at').orderBy('n.id') : q.orderBy('n.starts_at', 'desc').orderBy('n.id');
  const rows = await q.limit(o.limit).offset(o.offset ?? 0).execute();
  const c = await db.selectFrom('notice as n').select((e) => e.fn.countAll<number>().as('n')).where(filter).executeTakeFirstOrThrow();
  return { rows, total: Number(c.n) };
}

/** Service ids by code (the CLI names services by code); unknown codes are missing from the map. */
export async function serviceIdsByCode(db: Db, codes: readonly string[]): Promise<Map<string, string>> {
  if (!codes.length) return new Map();
  const rows = await db.selectFrom('service').select(['id', 'code']).where('code', 'in', codes).execute();
  return new Map(rows.map((r) => [r.code, r.id]));
}

export async function existingServiceIds(db: Db, ids: readonly string[]): Promise<Set<string>> {
  if (!ids.length) return new Set();
  const rows = await db.selectFrom('service').select('id').where('id', 'in', ids.filter((i) => i.length <= 64)).execute();
  return new Set(rows.map((r) => r.id));
}
