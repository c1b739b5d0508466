// Flow records (Ory Kratos style): each HTTP step loads the flow, checks its state allows the step,
// and saves the new state with an optimistic version check. Any node can continue any flow; a flow
// is bound to the browser that started it by the hash of its flow cookie.
import type { Db } from '../../db/index.ts';
import type { FlowTable } from '../../db/schema.ts';
import { DomainError } from '../../errors.ts';
import { constantTimeEqual, newId, sha256Hex } from '../crypto/tokens.ts';
import { canMove, type FlowContext, type FlowKind, type FlowState } from './states.ts';

export interface Flow<S extends FlowState = FlowState> {
  id: string; kind: FlowKind; userId: string | null; state: S; attempts: number;
  expiresAt: number; version: number; context: FlowContext;
}

function toFlow(r: FlowTable): Flow {
  return {
    id: r.id, kind: r.kind, userId: r.user_id, state: r.state as FlowState, attempts: r.attempts,
    expiresAt: r.expires_at, version: r.version, context: JSON.parse(r.context) as FlowContext,
  };
}

export async function createFlow(db: Db, f: { kind: FlowKind; userId: string | null; state: FlowState; context: FlowContext; browserToken: string; ttlMs: number }, now: number): Promise<Flow> {
  const row: FlowTable = {
    id: newId(), kind: f.kind, user_id: f.userId, state: f.state, attempts: 0, expires_at: now + f.ttlMs,
    version: 0, browser_hash: sha256Hex(f.browserToken), context: JSON.stringify(f.context), created_at: now, updated_at: now,
  };
  await db.insertInto('flow').values(row).execute();
  return toFlow(row);
}

/**
 * Loads a flow for a step: unknown id, another browser's flow, or an expired one → flow_expired
 * (one answer, so ids cannot be probed); a state not in `allowed` → wrong_step.
 */
export async function loadFlow<S extends FlowState>(db: Db, id: string, browserToken: string | undefined, kind: FlowKind, allowed: readonly S[] | null, now: number): Promise<Flow<S>> {
  const row = id.length <= 64 ? await db.selectFrom('flow').selectAll().where('id', '=', id).executeTakeFirst() : undefined;
  if (!row || row.kind !== kind || !browserToken || !constantTimeEqual(row.browser_hash, sha256Hex(browserToken)) || row.expires_at <= now) {
    throw new DomainError('auth.flow_expired');
  }
  const flow = toFlow(row) as Flow<S>;
  if (allowed && !allowed.includes(flow.state)) throw new DomainError('auth.wrong_step', { state: flow.state });
  return flow;
}

/** Moves a flow to `to` (must be a written-out transition); 0 rows updated = someone else moved it. */
export async function advanceFlow(db: Db, flow: Flow, to: FlowState, now: number, context: FlowContext = flow.context): Promise<Flow> {
  if (!canMove(flow.kind, flow.state, to)) throw new DomainError('auth.wrong_step', { state: flow.state });
  const r = await db.updateTable('flow')
    .set({ state: to, version: flow.version + 1, context: JSON.stringify(context), updated_at: now })
    .where('id', '=', flow.id).where('version', '=', flow.version).executeTakeFirst();
  if (Number(r.numUpdatedRows) !== 1) throw new DomainError('auth.wrong_step', { state: flow.state });
  return { ...flow, state: to as typeof flow.state, version: flow.version + 1, context };
}

/** Saves new context without a state change (e.g. a pending TOTP secret), version-checked. */
export async function updateFlowContext(db: Db, flow: Flow, context: FlowContext, now: number): Promise<Flow> {
  const r = await db.updateTable('flow')
    .set({ version: flow.version + 1, context: JSON.stringify(context), updated_at: now })
    .where('id', '=', flow.id).where('version', '=', flow.version).executeTakeFirst();
  if (Number(r.numUpdatedRows) !== 1) throw new DomainError('auth.wrong_step', { state: flow.state });
  return { ...flow, version: flow.version + 1, context };
}

/** Counts a failed attempt on the flow itself (committed by the caller before it throws). */
export async function countFlowAttempt(db: Db, flowId: string): Promise<number> {
  const r = await db.updateTable('flow').set((eb) => ({ attempts: eb('attempts', '+', 1) }))
    .where('id', '=', flowId).returning('attempts').executeTakeFirst();
  return Number(r?.attempts ?? 0);
}

export async function deleteExpiredFlows(db: Db, now: number): Promise<number> {
  const r = await db.deleteFrom('flow').where('expires_at', '<', now - 86_400_000).executeTakeFirst();
  return Number(r.numDeletedRows);
}

/** Which kind of flow an id names (for the one GET route that renders any flow's current step). */
export async function peekFlowKind(db: Db, id: string): Promise<FlowKind | undefined> {
  if (id.length > 64) return undefined;
  const r = await db.selectFrom('flow').select('kind').where('id', '=', id).executeTakeFirst();
  return r?.kind;
}
