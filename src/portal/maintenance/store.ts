// Maintenance windows (S10), Kysely only. Times are epoch ms; a window applies from starts_at
// (inclusive) to ends_at (exclusive) unless cancelled.
import type { Db } from '../../db/index.ts';
import { precompiled } from '../../db/precompiled.ts';
import type { MaintenanceWindowTable } from '../../db/schema.ts';

export type MaintenanceWindow = MaintenanceWindowTable;

export async function insertWindow(db: Db, w: MaintenanceWindow): Promise<void> {
  await db.insertInto('maintenance_window').values(w).execute();
}

/**
 * The window that matters at `now`, in one indexed query: among the windows not cancelled, already
 * announced and not yet over, the one that starts first. If it has started, the portal is in
 * maintenance; otherwise it is the next announced window. (announce_from <= starts_at is enforced
 * on scheduling, so a running window is always among the announced ones.)
 */
export async function firstRelevantWindow(db: Db, now: number): Promise<MaintenanceWindow | undefined> {
  return db.selectFrom('maintenance_window').selectAll()
    .where('cancelled_at', 'is', null)
    .where('ends_at', '>', now)
    .where('announce_from', '<=', now)
    .orderBy('starts_at').orderBy('id')
    .limit(1)
    .executeTakeFirst();
}

/** Announced windows that have not ended (running or upcoming), soonest first. */
/** Run by every request (the maintenance plugin): compiled once per handle (src/db/precompiled.ts). */
const announcedWindowsQuery = precompiled(3, (db, [announcedBy, endsAfter, limit]: readonly [number, number, number]) =>
  db.selectFrom('maintenance_window').selectAll()
    .where('cancelled_at', 'is', null)
    .where('announce_from', '<=', announcedBy)
    .where('ends_at', '>', endsAfter)
    .orderBy('starts_at').orderBy('id')
    .limit(limit));

export async function announcedWindows(db: Db, now: number, limit: number): Promise<MaintenanceWindow[]> {
  return announcedWindowsQuery(db, now, now, limit);
}

export async function listWindows(db: Db, o: { now: number; includePast: boolean }): Promise<MaintenanceWindow[]> {
  let q = db.selectFrom('maintenance_window').selectAll();
  if (!o.includePast) q = q.where('cancelled_at', 'is', null).where('ends_at', '>', o.now);
  return q.orderBy('starts_at').orderBy('id').execute();
}

export async function findWindow(db: Db, id: string): Promise<MaintenanceWindow | undefined> {
  if (id.length > 64) return undefined;
  return db.selectFrom('maintenance_window').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Guarded single write: only a window that is not cancelled and not over. */
export async function cancelWindow(db: Db, id: string, now: number): Promise<boolean> {
  const row = await db.updateTable('maintenance_window').set({ cancelled_at: now })
    .where('id', '=', id).where('cancelled_at', 'is', null).where('ends_at', '>', now)
    .returning('id').executeTakeFirst();
  return row !== undefined;
}

/** Guarded single write: only a window that is not cancelled and not over. */
export async function updateWindow(db: Db, id: string, change: Pick<MaintenanceWindow, 'announce_from' | 'starts_at' | 'ends_at' | 'message_ja' | 'message_en'>, now: number): Promise<MaintenanceWindow | undefined> {
  return db.updateTable('maintenance_window').set(change)
    .where('id', '=', id).where('cancelled_at', 'is', null).where('ends_at', '>', now)
    .returningAll().executeTakeFirst();
}
