// Construction / outage / information notices (S7 «工事・故障情報», S10), Kysely only.
import type { ExpressionBuilder } from 'kysely';
import type { Db } from '../../db/index.ts';
import type { Database, NoticeTable } from '../../db/schema.ts';
import { contractVisible, type ContractScope } from '../access.ts';

export type NoticeRow = NoticeTable;
export type When = 'current' | 'past';

/** A notice for every service, or one of a service the scope sees a contract of; published, not withdrawn. */
function noticeVisible(scope: ContractScope, now: number) {
  return (eb: ExpressionBuilder<Database & { n: NoticeRow }, 'n'>) => eb.and([
    eb('n.withdrawn_at', 'is', null),
    eb('n.published_at', '<=', now),
    eb.or([
      eb('n.service_id', 'is', null),
      eb.exists(
        (eb as unknown as ExpressionBuilder<Database, never>).selectFrom('contract').select('contract.id')
          .whereRef('contract.service_id', '=', 'n.service_id' as never)
          .where(contractVisible(scope)),
      ),
    ]),
  ]);
}

function visibleNotices(db: Db, scope: ContractScope, now: number) {
  return db.selectFrom('notice as n').leftJoin('service as s', 's.id', 'n.service_id')
    .select(['n.id', 'n.kind', 'n.service_id', 'n.title_ja', 'n.title_en', 'n.body_ja', 'n.body_en', 'n.starts_at', 'n.ends_at',
      's.name_ja as service_name_ja', 's.name_en as service_name_en'])
    .where(noticeVisible(scope, now));
}
export type VisibleNoticeRow = Awaited<ReturnType<ReturnType<typeof visibleNotices>['execute']>>[number];

/** current: not over yet (running or upcoming), soonest first; past: over, latest first. */
export async function listVisibleNotices(db: Db, scope: ContractScope, o: { now: number; when: When; serviceId?: string; limit: number; offset: number }): Promise<{ rows: VisibleNoticeRow[]; total: number }> {
  const when = (eb: ExpressionBuilder<Database & { n: NoticeRow }, 'n'>) => o.when === 'current'
    ? eb.or([eb('n.ends_at', 'is', null), eb('n.ends_at', '>', o.now)])
    : eb.and([eb('n.ends_at', 'is not', null), eb('n.ends_at', '<=', o.now)]);
  let q = visibleNotices(db, scope, o.now).where(when);
  let c = db.selectFrom('notice as n').select((e) => e.fn.countAll<number>().as('n')).where(noticeVisible(scope, o.now)).where(when);
  if (o.serviceId) { q = q.where('n.service_id', '=', o.serviceId); c = c.where('n.service_id', '=', o.serviceId); }
  q = o.when === 'current' ? q.orderBy('n.starts_at').orderBy('n.id') : q.orderBy('n.ends_at', 'desc').orderBy('n.id');
  const rows = await q.limit(o.limit).offset(o.offset).execute();
  return { rows, total: Number((await c.executeTakeFirstOrThrow()).n) };
}

/** Started and not ended at `now`, visible, newest first (the dashboard). */
export async function runningNotices(db: Db, scope: ContractScope, now: number, limit: number): Promise<NoticeRow[]> {
  return db.selectFrom('notice as n').selectAll('n')
    .where(noticeVisible(scope, now))
    .where('n.starts_at', '<=', now)
    .where((eb) => eb.or([eb('n.ends_at', 'is', null), eb('n.ends_at', '>', now)]))
    .orderBy('n.starts_at', 'desc').orderBy('n.id').limit(limit).execute();
}

export async function findVisibleNotice(db: Db, scope: ContractScope, id: string, now: number): Promise<VisibleNoticeRow | undefined> {
  if (id.length > 64) return undefined;
  return visibleNotices(db, scope, now).where('n.id', '=', id).executeTakeFirst();
}

export async function insertNotice(db: Db, n: NoticeRow): Promise<void> {
  await db.insertInto('notice').values(n).execute();
}

/** Guarded: only a notice not withdrawn yet. */
export async function withdrawNoticeRow(db: Db, id: string, now: number): Promise<boolean> {
  const row = await db.updateTable('notice').set({ withdrawn_at: now }).where('id', '=', id).where('withdrawn_at', 'is', null).returning('id').executeTakeFirst();
  return row !== undefined;
}

export async function findNotice(db: Db, id: string): Promise<NoticeRow | undefined> {
  if (id.length > 64) return undefined;
  return db.selectFrom('notice').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function listAllNotices(db: Db, o: { now: number; includePast: boolean; limit: number }) {
  let q = db.selectFrom('notice as n').leftJoin('service as s', 's.id', 'n.service_id')
    .select(['n.id', 'n.kind', 'n.title_en', 'n.starts_at', 'n.ends_at', 'n.withdrawn_at', 's.code as service_code']);
  if (!o.includePast) q = q.where('n.withdrawn_at', 'is', null).where((eb) => eb.or([eb('n.ends_at', 'is', null), eb('n.ends_at', '>', o.now)]));
  return q.orderBy('n.starts_at', 'desc').orderBy('n.id').limit(o.limit).execute();
}
