// What the contract detail page shows beside the contract (S8): its orders, the notices of its
// service, its tickets. Read here for display only, for a contract the caller has already checked
// with mayViewContract/contractFor (the same rule); the order, notice and ticket modules own writes.
import type { Db } from '../../db/index.ts';
import { currentNoticesOfService, noticesOfContract } from '../notices/service.ts';

export async function ordersOfContract(db: Db, contract: { id: string; organisation_id: string }) {
  return db.selectFrom('service_order')
    .select(['id', 'number', 'applied_at', 'planned_opening_date', 'status'])
    .where('contract_id', '=', contract.id).where('organisation_id', '=', contract.organisation_id)
    .orderBy('applied_at', 'desc').orderBy('id').limit(50).execute();
}

/** Published, not withdrawn, not ended notices of the contract's service or of every service (the notice module's query). */
export async function noticesOfService(db: Db, serviceId: string, now: number) {
  return currentNoticesOfService(db, serviceId, now);
}

/** Issue 24: notices that name this contract, with impact, status and its history (the notice module's query). */
export async function noticesAffectingContract(db: Db, contractId: string, now: number) {
  return noticesOfContract(db, contractId, now);
}

export async function ticketsOfContract(db: Db, contract: { id: string; organisation_id: string }) {
  return db.selectFrom('ticket')
    .select(['id', 'number', 'subject', 'status', 'updated_at'])
    .where('contract_id', '=', contract.id).where('organisation_id', '=', contract.organisation_id)
    .orderBy('updated_at', 'desc').orderBy('id').limit(50).execute();
}
