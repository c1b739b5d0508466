// Maintenance windows (S10). This file starts with what the dashboard needs (issue 17): the window
// being announced or running now; scheduling, the login-page notice and the 503 extend it.
import type { Db } from '../../db/index.ts';
import type { MaintenanceWindowTable } from '../../db/schema.ts';

export type MaintenanceRow = MaintenanceWindowTable;

/** Windows not cancelled whose announcement has begun and which have not ended: announce_from ≤ now < ends_at. Soonest first. */
export async function upcomingMaintenance(db: Db, now: number): Promise<MaintenanceRow[]> {
  return db.selectFrom('maintenance_window').selectAll()
    .where('cancelled_at', 'is', null)
    .where('announce_from', '<=', now)
    .where('ends_at', '>', now)
    .orderBy('starts_at').orderBy('id').execute();
}
