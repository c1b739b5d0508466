// S7 «最近の操作・ピン留め»: per user, services pinned and recently used. A shortcut is only ever
// shown for a service the viewer still has a visible contract of (the caller intersects).
import type { Db } from '../../db/index.ts';
import type { ContractScope } from '../access.ts';
import { visibleServicesQuery } from '../contracts/service.ts';

export const RECENT_LIMIT = 5;

/**
 * The services the scope sees (the contracts service's query, its rule untouched), each with the
 * viewer's shortcut joined in (null columns when none): one statement for the dashboard's list.
 */
export async function servicesWithShortcuts(db: Db, scope: ContractScope) {
  return visibleServicesQuery(db, scope)
    .leftJoin('service_shortcut as sc', (j) => j.onRef('sc.service_id', '=', 'service.id').on('sc.user_id', '=', scope.viewer.userId))
    .select(['sc.pinned_at as shortcut_pinned_at', 'sc.last_used_at as shortcut_last_used_at'])
    .execute();
}

export async function setPinned(db: Db, userId: string, serviceId: string, pinned: boolean, now: number): Promise<void> {
  await db.insertInto('service_shortcut').values({ user_id: userId, service_id: serviceId, pinned_at: pinned ? now : null, last_used_at: null })
    .onConflict((oc) => oc.columns(['user_id', 'service_id']).doUpdateSet({ pinned_at: pinned ? now : null })).execute();
}

/** Records that the user opened a service's page (contract list filtered by it). */
export async function touchService(db: Db, userId: string, serviceId: string, now: number): Promise<void> {
  await db.insertInto('service_shortcut').values({ user_id: userId, service_id: serviceId, pinned_at: null, last_used_at: now })
    .onConflict((oc) => oc.columns(['user_id', 'service_id']).doUpdateSet({ last_used_at: now })).execute();
}
