// Visibility over orders, notices and ticket links, all derived from the one contract rule in
// access.ts (S8): never a second copy of it. Kysely only.
import type { Db } from '../db/index.ts';
import { contractVisible, type ContractScope } from './access.ts';

export interface VisibleService { id: string; code: string; nameJa: string; nameEn: string }

/** The services the scope sees a contract of, by name: the ticket form's choices, the notice filters. */
export async function visibleServices(db: Db, scope: ContractScope): Promise<VisibleService[]> {
  const rows = await db.selectFrom('service').select(['service.id', 'service.code', 'service.name_ja', 'service.name_en'])
    .where((eb) => eb.exists(eb.selectFrom('contract').select('contract.id').whereRef('contract.service_id', '=', 'service.id').where(contractVisible(scope))))
    .orderBy('service.code').execute();
  return rows.map((r) => ({ id: r.id, code: r.code, nameJa: r.name_ja, nameEn: r.name_en }));
}

export async function seesService(db: Db, scope: ContractScope, serviceId: string): Promise<boolean> {
  if (serviceId.length > 64) return false;
  const row = await db.selectFrom('contract').select('contract.id')
    .where('contract.service_id', '=', serviceId).where(contractVisible(scope)).limit(1).executeTakeFirst();
  return row !== undefined;
}

/** The visible contracts for a form's choices (number, service), newest numbers last. */
export async function visibleContractChoices(db: Db, scope: ContractScope, limit = 500) {
  return db.selectFrom('contract').innerJoin('service', 'service.id', 'contract.service_id')
    .select(['contract.id', 'contract.number', 'contract.service_id', 'service.name_ja', 'service.name_en'])
    .where(contractVisible(scope)).orderBy('contract.number').limit(limit).execute();
}
