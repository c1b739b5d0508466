// Orders (S7 «お申し込みの進捗»: planned date, progress, opening notice). Read by customers through
// the contract rule (store.ts orderVisible, docs/decisions/031); written by operators (CLI) until
// the provider console exists.
import { randomInt } from 'node:crypto';
import type { Db } from '../../db/index.ts';
import { newId } from '../../lib/index.ts';
import { DomainError } from '../../errors.ts';
import { auditOperator, type OperatorActor } from '../../audit/log.ts';
import type { ContractScope } from '../access.ts';
import { notifyOrderChange } from './notify.ts';
import {
  contractByNumber, countOrders, findOrderByNumber, findVisibleOrder, insertOrder, listOrders, listVisibleOrders, markStepDone,
  openIfComplete, organisationExists, serviceByCode, setStepPlannedDate, stepsOf, touchOrder,
  type OrderRow, type StepRow, type VisibleOrderRow,
} from './store.ts';
import { emitPortalEvent } from '../events.ts';

export const STEP_CODES = ['received', 'reviewing', 'arranging', 'constructing', 'opened'] as const;
export type StepCode = (typeof STEP_CODES)[number];
export const PAGE_SIZE = 10;
const DATE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;

export function isStepCode(v: string): v is StepCode {
  return (STEP_CODES as readonly string[]).includes(v);
}
export function isCalendarDate(v: string): boolean {
  if (!DATE.test(v)) return false;
  const d = new Date(`${v}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === v;
}

export interface OrderStep { code: string; plannedDate: string | null; doneAt: number | null; state: 'done' | 'current' | 'pending' }
export interface OrderView {
  id: string; number: string; serviceId: string; serviceNameJa: string; serviceNameEn: string; contractNumber: string | null;
  appliedAt: number; plannedOpeningDate: string | null; status: OrderRow['status'];
  openingNoticeJa: string | null; openingNoticeEn: string | null; steps: OrderStep[];
}

function view(o: VisibleOrderRow, steps: StepRow[]): OrderView {
  const mine = steps.filter((s) => s.order_id === o.id);
  const current = o.status === 'in_progress' ? mine.find((s) => s.done_at === null) : undefined;
  return {
    id: o.id, number: o.number, serviceId: o.service_id, serviceNameJa: o.name_ja, serviceNameEn: o.name_en,
    contractNumber: o.contract_number ?? null, appliedAt: o.applied_at, plannedOpeningDate: o.planned_opening_date,
    status: o.status, openingNoticeJa: o.opening_notice_ja, openingNoticeEn: o.opening_notice_en,
    steps: mine.map((s) => ({ code: s.code, plannedDate: s.planned_date, doneAt: s.done_at, state: s.done_at !== null ? 'done' : s === current ? 'current' : 'pending' })),
  };
}

export async function listOrdersFor(db: Db, scope: ContractScope, o: { serviceId?: string; page: number }): Promise<{ orders: OrderView[]; total: number }> {
  const { rows, total } = await listVisibleOrders(db, scope, { ...(o.serviceId ? { serviceId: o.serviceId } : {}), limit: PAGE_SIZE, offset: (o.page - 1) * PAGE_SIZE });
  const steps = await stepsOf(db, rows.map((r) => r.id));
  return { orders: rows.map((r) => view(r, steps)), total };
}

/** A window of the visible orders by offset and limit (the TM Forum API's paging, issue 24 item 6). */
export async function listOrdersWindow(db: Db, scope: ContractScope, o: { offset: number; limit: number }): Promise<{ orders: OrderView[]; total: number }> {
  const { rows, total } = await listVisibleOrders(db, scope, { limit: o.limit, offset: o.offset });
  const steps = await stepsOf(db, rows.map((r) => r.id));
  return { orders: rows.map((r) => view(r, steps)), total };
}

/** One order the scope may see; unknown and not visible are the same answer (404). */
export async function orderFor(db: Db, scope: ContractScope, id: string): Promise<OrderView> {
  const row = await findVisibleOrder(db, scope, id);
  if (!row) throw new DomainError('common.not_found');
  return view(row, await stepsOf(db, [row.id]));
}

// ---- Operator side (CLI) ----

export interface CreateOrderInput {
  organisationId: string; serviceCode: string; contractNumber?: string; number?: string;
  appliedAt: number; plannedOpeningDate?: string; steps: StepCode[];
  openingNoticeJa?: string; openingNoticeEn?: string;
}

const SYSTEM: OperatorActor = { userId: null, ip: 'cli' };

export async function createOrder(db: Db, input: CreateOrderInput, now: number, actor: OperatorActor = SYSTEM): Promise<OrderRow> {
  if (!(await organisationExists(db, input.organisationId))) throw new DomainError('portal.unknown_organisation', { id: input.organisationId });
  const service = await serviceByCode(db, input.serviceCode);
  if (!service) throw new DomainError('portal.unknown_service', { code: input.serviceCode });
  let contractId: string | null = null;
  if (input.contractNumber) {
    const c = await contractByNumber(db, input.contractNumber);
    if (!c || c.organisation_id !== input.organisationId || c.service_id !== service.id) throw new DomainError('orders.contract_mismatch', { number: input.contractNumber });
    contractId = c.id;
  }
  const number = input.number ?? `O${String(randomInt(0, 1_000_000_000)).padStart(9, '0')}`;
  if (await findOrderByNumber(db, number)) throw new DomainError('orders.number_taken', { number });
  const order: OrderRow = {
    id: newId(), organisation_id: input.organisationId, number, service_id: service.id, contract_id: contractId,
    applied_at: input.appliedAt, planned_opening_date: input.plannedOpeningDate ?? null, status: 'in_progress',
    opening_notice_ja: input.openingNoticeJa ?? null, opening_notice_en: input.openingNoticeEn ?? null, created_at: now, updated_at: now,
  };
  const steps: StepRow[] = input.steps.map((code, i) => ({
    id: newId(), order_id: order.id, position: i, code,
    // The application itself is the first step: received when applied.
    planned_date: code === 'opened' ? order.planned_opening_date : null, done_at: i === 0 && code === 'received' ? input.appliedAt : null,
  }));
  await db.transaction().execute(async (trx) => {
    await insertOrder(trx, order, steps);
    await auditOperator(trx, actor, 'order.created', { organisationId: order.organisation_id, detail: { number: order.number, service: service.code } }, now);
  });
  return order;
}

/** The provider's view of one order, by number, whatever its organisation (the console's order page). */
export async function orderForOperator(db: Db, number: string): Promise<(OrderView & { organisationId: string }) | undefined> {
  if (number.length > 64) return undefined;
  const o = await findOrderByNumber(db, number);
  if (!o) return undefined;
  const row = await findVisibleOrder(db, { viewer: { userId: '-', organisationId: o.organisation_id, role: 'admin' }, wholeOrgIds: [o.organisation_id], organisationId: o.organisation_id, groupIds: [] }, o.id);
  if (!row) return undefined;
  return { ...view(row, await stepsOf(db, [o.id])), organisationId: o.organisation_id };
}

export const OPERATOR_PAGE_SIZE = 20;

/** The provider's order list (issue 26): every organisation's orders or one's, newest first, a page at a time. */
export async function operatorOrderPage(db: Db, query: { org?: string | undefined; page?: string | undefined }) {
  const org = (query.org ?? '').trim().slice(0, 64) || undefined;
  const total = await countOrders(db, org);
  const pages = Math.max(1, Math.ceil(total / OPERATOR_PAGE_SIZE));
  const asked = query.page && /^\d{1,9}$/.test(query.page) ? Number(query.page) : 1;
  const page = Math.min(Math.max(asked, 1), pages);
  const rows = total ? await listOrders(db, org, OPERATOR_PAGE_SIZE, (page - 1) * OPERATOR_PAGE_SIZE) : [];
  return { rows, total, page, pages, org: org ?? '' };
}

export async function operatorOrders(db: Db, orgId: string | undefined, limit: number) {
  return listOrders(db, orgId, limit);
}

export interface StepChange { orderNumber: string; step: StepCode; doneAt?: number; plannedDate?: string; openingNoticeJa?: string; openingNoticeEn?: string }

/** Marks a step done (in order, once) or sets its planned date; the last step done opens the order. */
export async function advanceOrder(db: Db, change: StepChange, now: number, actor: OperatorActor = SYSTEM, notify?: { publicUrl: string }): Promise<{ opened: boolean; notified?: number }> {
  const order = await findOrderByNumber(db, change.orderNumber);
  if (!order) throw new DomainError('orders.unknown', { number: change.orderNumber });
  if (order.status !== 'in_progress') throw new DomainError('orders.not_in_progress', { number: order.number });
  const steps = await stepsOf(db, [order.id]);
  if (!steps.some((s) => s.code === change.step)) throw new DomainError('orders.unknown_step', { step: change.step, steps: steps.map((s) => s.code).join(', ') });
  return db.transaction().execute(async (trx) => {
    if (change.plannedDate !== undefined) await setStepPlannedDate(trx, order.id, change.step, change.plannedDate);
    if (change.step === 'opened' && change.plannedDate !== undefined) await touchOrder(trx, order.id, { planned_opening_date: change.plannedDate }, now);
    if (change.openingNoticeJa !== undefined && change.openingNoticeEn !== undefined) {
      await touchOrder(trx, order.id, { opening_notice_ja: change.openingNoticeJa, opening_notice_en: change.openingNoticeEn }, now);
    }
    let opened = false;
    if (change.doneAt !== undefined) {
      if (!(await markStepDone(trx, order.id, change.step, change.doneAt))) {
        // A throw rolls back the planned date and notice written above: nothing is half-applied.
        throw new DomainError('orders.step_not_next', { step: change.step });
      }
      opened = await openIfComplete(trx, order.id, now);
    }
    await touchOrder(trx, order.id, {}, now);
    await emitPortalEvent(trx, { resource: 'order', type: opened ? 'ProductOrderStateChangeEvent' : 'ProductOrderMilestoneEvent', organisationId: order.organisation_id, id: order.id }, now);
    await auditOperator(trx, actor, 'order.step_changed', {
      organisationId: order.organisation_id,
      detail: { number: order.number, step: change.step, done: change.doneAt !== undefined, planned: change.plannedDate ?? null, notice: change.openingNoticeJa !== undefined, opened },
    }, now);
    // Issue 24 item 5: who may see the order hears of a new planned date or a step done, in this transaction.
    let notified = 0;
    if (notify) {
      const old = steps.find((s) => s.code === change.step)?.planned_date ?? null;
      if (change.doneAt !== undefined) notified += await notifyOrderChange(trx, notify.publicUrl, order, { what: 'milestone', step: change.step }, now);
      else if (change.plannedDate !== undefined && change.plannedDate !== old) {
        notified += await notifyOrderChange(trx, notify.publicUrl, order, { what: 'planned_date', step: change.step, plannedDate: change.plannedDate }, now);
      }
    }
    return { opened, notified };
  });
}

export const MAX_OPENING_NOTICE = 5000;

/** Sets (or, with both texts empty, clears) the opening notice («開通案内») of an order, in both languages. */
export async function setOpeningNotice(db: Db, orderNumber: string, notice: { ja: string; en: string }, now: number, actor: OperatorActor = SYSTEM): Promise<void> {
  const order = orderNumber.length <= 64 ? await findOrderByNumber(db, orderNumber) : undefined;
  if (!order) throw new DomainError('orders.unknown', { number: orderNumber.slice(0, 64) });
  const ja = notice.ja.trim();
  const en = notice.en.trim();
  if (!ja !== !en || ja.length > MAX_OPENING_NOTICE || en.length > MAX_OPENING_NOTICE) throw new DomainError('portal.text_invalid', { max: MAX_OPENING_NOTICE });
  await db.transaction().execute(async (trx) => {
    await touchOrder(trx, order.id, { opening_notice_ja: ja || null, opening_notice_en: en || null }, now);
    // The same event as the notice set through `order step` (docs/api.md), so a subscriber hears of both.
    await emitPortalEvent(trx, { resource: 'order', type: 'ProductOrderMilestoneEvent', organisationId: order.organisation_id, id: order.id }, now);
    await auditOperator(trx, actor, 'order.step_changed', { organisationId: order.organisation_id, detail: { number: order.number, notice: true } }, now);
  });
}
