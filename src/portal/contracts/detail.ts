// The contract detail's neighbours, for a contract already found visible (contractFor).
import type { Db } from '../../db/index.ts';
import type { ListedContract } from './store.ts';
import { noticesOfService, ordersOfContract, ticketsOfContract } from './related.ts';

export type ContractRelated = {
  orders: Awaited<ReturnType<typeof ordersOfContract>>;
  notices: Awaited<ReturnType<typeof noticesOfService>>;
  tickets: Awaited<ReturnType<typeof ticketsOfContract>>;
};

export async function contractRelated(db: Db, c: ListedContract, now: number): Promise<ContractRelated> {
  const [orders, notices, tickets] = await Promise.all([ordersOfContract(db, c), noticesOfService(db, c.service_id, now), ticketsOfContract(db, c)]);
  return { orders, notices, tickets };
}
