// Issue 24 item 5: order notifications. When an order's planned date changes or one of its steps
// is done, everyone who may see the order in the portal gets a mail (through the outbox, in the
// same transaction as the change, so a change is never without its mails). Who may see it is the
// portal's one rule (src/portal/access.ts, orderVisible in ./store.ts), asked per candidate: the
// active users of the order's organisation and of its parent (a partner's admins see their
// children's orders). The mail carries a link, never more than the order number, service and step.
import type { Db } from '../../db/index.ts';
import { queueMail } from '../../mail/service.ts';
import { contractScope } from '../access.ts';
import { findVisibleOrder, type OrderRow } from './store.ts';
import { findOrganisation, profileFor, publicUsersOfOrganisation, type PublicUser } from '../../auth/service.ts';

/** At most this many people per notification (a larger organisation's admins see it in the portal). */
export const MAX_ORDER_RECIPIENTS = 500;

export interface OrderChange { what: 'planned_date' | 'milestone'; step: string; plannedDate?: string | null }

/** The active users who may see `order`, each once. */
export async function orderViewers(db: Db, order: Pick<OrderRow, 'id' | 'organisation_id'>) {
  // Identity is auth's (test/architecture/identity-tables.test.ts): users and organisations through its front door.
  const org = await findOrganisation(db, order.organisation_id);
  const orgIds = [order.organisation_id, ...(org?.parent_id ? [org.parent_id] : [])];
  const candidates: PublicUser[] = [];
  for (const id of orgIds) candidates.push(...(await publicUsersOfOrganisation(db, id, MAX_ORDER_RECIPIENTS * 4)).filter((u) => u.disabled_at === null));
  const out: PublicUser[] = [];
  for (const u of candidates) {
    if (out.length >= MAX_ORDER_RECIPIENTS) break;
    const scope = await contractScope(db, { userId: u.id, organisationId: u.organisation_id, role: u.role });
    if (await findVisibleOrder(db, scope, order.id)) out.push(u);
  }
  return out;
}

/** Queues the mails of one change; returns how many. Call inside the change's transaction. */
export async function notifyOrderChange(db: Db, publicUrl: string, order: OrderRow, change: OrderChange, now: number): Promise<number> {
  const viewers = await orderViewers(db, order);
  if (!viewers.length) return 0;
  const service = await db.selectFrom('service').select(['name_ja', 'name_en']).where('id', '=', order.service_id).executeTakeFirst();
  const org = await findOrganisation(db, order.organisation_id);
  const profile = profileFor(org?.profile ?? 'business');
  for (const u of viewers) {
    await queueMail(db, { to: u.email, userId: u.id, lang: u.lang }, 'order_update', {
      profileName: profile.displayName[u.lang], userName: u.name, orderNumber: order.number,
      serviceName: (u.lang === 'en' ? service?.name_en : service?.name_ja) ?? '', orderUrl: new URL(`/portal/orders/${order.id}`, publicUrl).toString(),
      what: change.what, step: change.step, plannedDate: change.plannedDate ?? null,
    }, now);
  }
  return viewers.length;
}
