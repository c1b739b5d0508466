// Orders and their progress steps (S7 «お申し込みの進捗»), Kysely only.
import type { ExpressionBuilder } from 'kysely';
import type { Db } from '../../db/index.ts';
import type { Database, ServiceOrderStepTable, ServiceOrderTable } from '../../db/schema.ts';
import { contractVisible, type ContractScope } from '../access.ts';
import { findOrganisation } from '../../auth/service.ts';

export type OrderRow = ServiceOrderTable;
export type StepRow = ServiceOrderStepTable;

/**
 * Who sees an order (docs/decisions/031): an order of a contract exactly when the contract is
 * visible (access.ts); an order without a contract yet only to the portal admins who see the whole
 * organisation (its own admins, its partner's admins). General users see contract-less orders
 * nowhere, so nothing about a service they have no contract view of leaks through an order.
 */
function orderVisible(scope: ContractScope) {
  return (eb: ExpressionBuilder<Database & { o: OrderRow }, 'o' | 'contract'>) => {
    const withContract = eb.and([
      eb('o.contract_id', 'is not', null),
      contractVisible(scope)(eb as unknown as ExpressionBuilder<Database, 'contract'>),
    ]);
    if (!scope.wholeOrgIds.length) return withContract;
    return eb.or([withContract, eb.and([eb('o.contract_id', 'is', null), eb('o.organisation_id', 'in', scope.wholeOrgIds)])]);
  };
}

function visibleOrders(db: Db, scope: ContractScope) {
  return db.selectFrom('service_order as o')
    .leftJoin('contract', 'contract.id', 'o.contract_id')
    .innerJoin('service as s', 's.id', 'o.service_id')
    .select(['o.id', 'o.number', 'o.service_id', 'o.contract_id', 'o.applied_at', 'o.planned_opening_date', 'o.status',
      'o.opening_notice_ja', 'o.opening_notice_en', 'o.updated_at', 'contract.number as contract_number', 's.name_ja', 's.name_en'])
    .where(orderVisible(scope));
}

export type VisibleOrderRow = Awaited<ReturnType<ReturnType<typeof visibleOrders>['execute']>>[number];

export async function listVisibleOrders(db: Db, scope: ContractScope, o: { serviceId?: string; limit: number; offset: number }): Promise<{ rows: VisibleOrderRow[]; total: number }> {
  let q = visibleOrders(db, scope);
  if (o.serviceId) q = q.where('o.service_id', '=', o.serviceId);
  const rows = await q.orderBy('o.applied_at', 'desc').orderBy('o.id').limit(o.limit).offset(o.offset).execute();
  let c = db.selectFrom('service_order as o').leftJoin('contract', 'contract.id', 'o.contract_id')
    .select((e) => e.fn.countAll<number>().as('n')).where(orderVisible(scope));
  if (o.serviceId) c = c.where('o.service_id', '=', o.serviceId);
  const total = Number((await c.executeTakeFirstOrThrow()).n);
  return { rows, total };
}

export async function findVisibleOrder(db: Db, scope: ContractScope, id: string): Promise<VisibleOrderRow | undefined> {
  if (id.length > 64) return undefined;
  return visibleOrders(db, scope).where('o.id', '=', id).executeTakeFirst();
}

export async function stepsOf(db: Db, orderIds: readonly string[]): Promise<StepRow[]> {
  if (!orderIds.length) return [];
  return db.selectFrom('service_order_step').selectAll().where('order_id', 'in', orderIds).orderBy('order_id').orderBy('position').execute();
}

/** The order and its steps; the caller's transaction makes them one write. */
export async function insertOrder(db: Db, order: OrderRow, steps: StepRow[]): Promise<void> {
  await db.insertInto('service_order').values(order).execute();
  await db.insertInto('service_order_step').values(steps).execute();
}

export async function findOrderByNumber(db: Db, number: string): Promise<OrderRow | undefined> {
  return db.selectFrom('service_order').selectAll().where('number', '=', number).executeTakeFirst();
}

export async function countOrders(db: Db, orgId: string | undefined): Promise<number> {
  let q = db.selectFrom('service_order').select((e) => e.fn.countAll<number>().as('n'));
  if (orgId) q = q.where('organisation_id', '=', orgId);
  return Number((await q.executeTakeFirstOrThrow()).n);
}

export async function listOrders(db: Db, orgId: string | undefined, limit: number, offset = 0) {
  let q = db.selectFrom('service_order as o').innerJoin('service as s', 's.id', 'o.service_id')
    .leftJoin('contract', 'contract.id', 'o.contract_id')
    .select(['o.id', 'o.number', 'o.organisation_id', 'o.status', 'o.applied_at', 'o.planned_opening_date', 's.code as service_code', 'contract.number as contract_number']);
  if (orgId) q = q.where('o.organisation_id', '=', orgId);
  return q.orderBy('o.applied_at', 'desc').orderBy('o.id').limit(limit).offset(offset).execute();
}

/**
 * Marks one step done, in order: a guarded single write that succeeds only when the step is not
 * done yet and every earlier step is. Returns false otherwise.
 */
export async function markStepDone(db: Db, orderId: string, code: string, at: number): Promise<boolean> {
  const row = await db.updateTable('service_order_step').set({ done_at: at })
    .where('order_id', '=', orderId).where('code', '=', code).where('done_at', 'is', null)
    .where((eb) => eb.not(eb.exists(
      eb.selectFrom('service_order_step as e').select('e.id')
        .whereRef('e.order_id', '=', 'service_order_step.order_id')
        .whereRef('e.position', '<', 'service_order_step.position')
        .where('e.done_at', 'is', null),
    )))
    .returning('id').executeTakeFirst();
  return row !== undefined;
}

export async function setStepPlannedDate(db: Db, orderId: string, code: string, date: string): Promise<boolean> {
  const row = await db.updateTable('service_order_step').set({ planned_date: date })
    .where('order_id', '=', orderId).where('code', '=', code).returning('id').executeTakeFirst();
  return row !== undefined;
}

/** in_progress → opened once every step is done (guarded). */
export async function openIfComplete(db: Db, orderId: string, now: number): Promise<boolean> {
  const row = await db.updateTable('service_order').set({ status: 'opened', updated_at: now })
    .where('id', '=', orderId).where('status', '=', 'in_progress')
    .where((eb) => eb.not(eb.exists(eb.selectFrom('service_order_step as e').select('e.id').where('e.order_id', '=', orderId).where('e.done_at', 'is', null))))
    .returning('id').executeTakeFirst();
  return row !== undefined;
}

export async function touchOrder(db: Db, orderId: string, fields: Partial<Pick<OrderRow, 'opening_notice_ja' | 'opening_notice_en' | 'planned_opening_date'>>, now: number): Promise<void> {
  await db.updateTable('service_order').set({ ...fields, updated_at: now }).where('id', '=', orderId).execute();
}

/** For the CLI: a service by code and an organisation's contract by number. */
export async function serviceByCode(db: Db, code: string) {
  return db.selectFrom('service').select(['id', 'code']).where('code', '=', code).executeTakeFirst();
}
export async function contractByNumber(db: Db, number: string) {
  return db.selectFrom('contract').select(['id', 'organisation_id', 'service_id', 'number']).where('number', '=', number).executeTakeFirst();
}
export async function organisationExists(db: Db, id: string): Promise<boolean> {
  return (await findOrganisation(db, id)) !== undefined;
}
