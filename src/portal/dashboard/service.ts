// What the dashboard (S7) needs for one viewer: the services they may see contracts of, with the
// viewer's pins and recent use; pinning. Services come from the contracts service (access rule).
import type { Db } from '../../db/index.ts';
import type { ContractScope } from '../access.ts';
import { visibleServices } from '../contracts/service.ts';
import { servicesWithShortcuts, setPinned } from './shortcuts.ts';

export type DashboardService = Awaited<ReturnType<typeof visibleServices>>[number] & { pinned: boolean; last_used_at: number | null };

export async function dashboardServices(db: Db, scope: ContractScope): Promise<DashboardService[]> {
  const rows = await servicesWithShortcuts(db, scope);
  return rows.map(({ shortcut_pinned_at: pinnedAt, shortcut_last_used_at: lastUsedAt, ...s }) => ({ ...s, pinned: pinnedAt != null, last_used_at: lastUsedAt ?? null }));
}

/** Pins or unpins a service the viewer can see; false (nothing written) for any other id. */
export async function pinService(db: Db, scope: ContractScope, serviceId: string, pinned: boolean, now: number): Promise<boolean> {
  const services = await visibleServices(db, scope);
  if (!services.some((s) => s.id === serviceId)) return false;
  await setPinned(db, scope.viewer.userId, serviceId, pinned, now);
  return true;
}
