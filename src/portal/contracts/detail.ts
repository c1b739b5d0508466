// The contract detail's neighbours, for a contract already found visible (contractFor).
import type { Db } from '../../db/index.ts';
import type { ListedContract } from './store.ts';
import { noticesAffectingContract, noticesOfService, ordersOfContract, ticketsOfContract } from './related.ts';

export type ContractRelated = {
  orders: Awaited<ReturnType<typeof ordersOfContract>>;
  notices: Awaited<ReturnType<typeof noticesOfService>>;
  tickets: Awaited<ReturnType<typeof ticketsOfContract>>;
  /** Issue 24: notices aimed at this contract (impact, status, status history). */
  affecting: Awaited<ReturnType<typeof noticesAffectingContract>>;
};

export async function contractRelated(db: Db, c: ListedContract, now: number): Promise<ContractRelated> {
  const [orders, notices, tickets, affecting] = await Promise.all([ordersOfContract(db, c), noticesOfService(db, c.service_id, now), ticketsOfContract(db, c), noticesAffectingContract(db, c.id, now)]);
  return { orders, notices, tickets, affecting };
}
