// Construction and outage notices (S7 «工事・故障情報», S10). This file starts with what the dashboard
// needs (issue 17): the notices current now for the viewer; the notice pages and CLI extend it.
import type { Db } from '../../db/index.ts';
import type { NoticeTable } from '../../db/schema.ts';
import { contractVisible, type ContractScope } from '../access.ts';

export type NoticeRow = NoticeTable;

/**
 * Notices current at `now` that the viewer should see: published (published_at ≤ now), not
 * withdrawn, started (starts_at ≤ now) and not ended (no end, or now < ends_at); either for every
 * service (service_id null) or for a service the viewer has a visible contract of. Newest first.
 */
export async function dashboardNotices(db: Db, scope: ContractScope, now: number, limit = 5): Promise<NoticeRow[]> {
  return db.selectFrom('notice').selectAll()
    .where('published_at', '<=', now)
    .where('withdrawn_at', 'is', null)
    .where('starts_at', '<=', now)
    .where((eb) => eb.or([eb('ends_at', 'is', null), eb('ends_at', '>', now)]))
    .where((eb) => eb.or([
      eb('notice.service_id', 'is', null),
      eb.exists(eb.selectFrom('contract').select('contract.id').whereRef('contract.service_id', '=', 'notice.service_id').where(contractVisible(scope))),
    ]))
    .orderBy('starts_at', 'desc').orderBy('id').limit(limit).execute();
}
