// What the dashboard (S7) needs for one viewer: the services they may see contracts of, with the
// viewer's pins and recent use; pinning. Services come from the contracts service (access rule).
import type { Db } from '../../db/index.ts';
import type { ContractScope } from '../access.ts';
import { visibleServices } from '../contracts/service.ts';
import { setPinned, shortcutsOf } from './shortcuts.ts';

export type DashboardService = Awaited<ReturnType<typeof visibleServices>>[number] & { pinned: boolean; last_used_at: number | null };

export async function dashboardServices(db: Db, scope: ContractScope): Promise<DashboardService[]> {
  const [services, shortcuts] = await Promise.all([visibleServices(db, scope), shortcutsOf(db, scope.viewer.userId)]);
  const by = new Map(shortcuts.map((s) => [s.service_id, s]));
  return services.map((s) => ({ ...s, pinned: by.get(s.id)?.pinned_at != null, last_used_at: by.get(s.id)?.last_used_at ?? null }));
}

/** Pins or unpins a service the viewer can see; false (nothing written) for any other id. */
export async function pinService(db: Db, scope: ContractScope, serviceId: string, pinned: boolean, now: number): Promise<boolean> {
  const services = await visibleServices(db, scope);
  if (!services.some((s) => s.id === serviceId)) return false;
  await setPinned(db, scope.viewer.userId, serviceId, pinned, now);
  return true;
}
