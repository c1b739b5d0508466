// S7 «最近の操作・ピン留め»: per user, services pinned and recently used. A shortcut is only ever
// shown for a service the viewer still has a visible contract of (the caller intersects).
import type { Db } from '../../db/index.ts';

export const RECENT_LIMIT = 5;

export async function shortcutsOf(db: Db, userId: string) {
  return db.selectFrom('service_shortcut').selectAll().where('user_id', '=', userId).execute();
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
