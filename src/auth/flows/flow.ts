// Flow records (Ory Kratos style): each HTTP step loads the flow, checks its state allows the step,
// and saves the new state with an optimistic version check. Any node can continue any flow. A flow
// is bound to a cookie issued for it alone when it was opened (SECURITY.md item 39), and to the
// user's security epoch at that moment: a later password, lock or 2-step change ends it (item 38).
import type { ExpressionBuilder } from 'kysely';
import type { Db } from '../../db/index.ts';
import type { Database, FlowTable } from '../../db/schema.ts';
import { DomainError } from '../../errors.ts';
import { constantTimeEqual, newId, randomToken, sha256Hex } from '../crypto/tokens.ts';
import { canMove, type FlowContext, type FlowKind, type FlowState } from './states.ts';
import { readFlowWithSubject, type FlowSubject } from './subject.ts';

export interface Flow<S extends FlowState = FlowState> {
  id: string; kind: FlowKind; userId: string | null; state: S; attempts: number;
  expiresAt: number; version: number; securityEpoch: number; context: FlowContext;
  /**
   * The user and organisation read with the flow for this request (loadAnyFlow, one statement);
   * absent on a flow this request made, null while a login flow has no user yet. Never written back.
   */
  subject?: FlowSubject | null;
}

/** A new flow and the value of its own cookie, to be set in the response that opened it. */
export interface OpenedFlow { flow: Flow; cookie: string }

/**
 * A flow opened before the user's latest security change (item 38). Answered exactly like an
 * expired flow; the user id lets the login steps say "locked" while the lock that ended it lasts.
 */
export class StaleFlowError extends DomainError {
  /** `kind`: the stale flow's, so its handler's onStale can run without reading the flow again. */
  constructor(readonly userId: string, readonly kind: FlowKind) { super('auth.flow_expired'); }
}

/**
 * Any other flow that cannot go on (unknown id, foreign cookie, expired): the same answer for all;
 * `kind` is known when the row exists, so a page can say "start again" in the flow's own words.
 */
export class FlowGoneError extends DomainError {
  constructor(readonly kind: FlowKind | undefined) { super('auth.flow_expired'); }
}

function toFlow(r: FlowTable): Flow {
  return {
    id: r.id, kind: r.kind, userId: r.user_id, state: r.state as FlowState, attempts: r.attempts,
    expiresAt: r.expires_at, version: r.version, securityEpoch: Number(r.security_epoch), context: JSON.parse(r.context) as FlowContext,
  };
}

/**
 * Opens a flow with a fresh random cookie of its own: only its SHA-256 is stored, and no cookie the
 * browser already had (planted, or an earlier flow's) is ever bound to it (item 39). `securityEpoch`
 * is the user's epoch at which the caller verified what opens the flow (item 38).
 */
export async function createFlow(db: Db, f: { kind: FlowKind; userId: string | null; state: FlowState; context: FlowContext; securityEpoch: number; ttlMs: number }, now: number): Promise<OpenedFlow> {
  const cookie = randomToken();
  const row: FlowTable = {
    id: newId(), kind: f.kind, user_id: f.userId, state: f.state, attempts: 0, expires_at: now + f.ttlMs,
    version: 0, browser_hash: sha256Hex(cookie), security_epoch: f.securityEpoch, context: JSON.stringify(f.context), created_at: now, updated_at: now,
  };
  await db.insertInto('flow').values(row).execute();
  return { flow: toFlow(row), cookie };
}

/**
 * Loads a flow for a step: unknown id, a cookie not issued for this flow, or an expired one →
 * flow_expired (one answer, so ids cannot be probed); opened before the user's latest security
 * change → StaleFlowError (the same answer); a state not in `allowed` → wrong_step.
 */
export async function loadFlow<S extends FlowState>(db: Db, id: string, flowCookie: string | undefined, kind: FlowKind | readonly FlowKind[], allowed: readonly S[] | null, now: number): Promise<Flow<S>> {
  const kinds: readonly FlowKind[] = typeof kind === 'string' ? [kind] : kind;
  return checkState(await loadAnyFlow(db, id, flowCookie, now, kinds), allowed);
}

/**
 * loadFlow's first half, for a caller that learns the kind from the row (runStep: one read of the
 * flow per step, issue 19): the cookie, expiry and epoch checks; `kinds` empty = any kind.
 */
export async function loadAnyFlow(db: Db, id: string, flowCookie: string | undefined, now: number, kinds: readonly FlowKind[] = []): Promise<Flow> {
  const read = id.length <= 64 ? await readFlowWithSubject(db, id) : undefined;
  const row = read?.flow;
  if (!row || (kinds.length > 0 && !kinds.includes(row.kind)) || !flowCookie || flowCookie.length > 100 || !constantTimeEqual(row.browser_hash, sha256Hex(flowCookie)) || row.expires_at <= now) {
    throw new FlowGoneError(row?.kind);
  }
  // A login flow before its credentials step has no user yet, so no epoch to be behind.
  const user = read.subject?.user;
  if (row.user_id !== null && (!user || Number(user.security_epoch) !== Number(row.security_epoch))) throw new StaleFlowError(row.user_id, row.kind);
  return { ...toFlow(row), subject: read.subject };
}

/** loadFlow's second half: a state not in `allowed` → wrong_step. */
export function checkState<S extends FlowState>(flow: Flow, allowed: readonly S[] | null): Flow<S> {
  if (allowed && !(allowed as readonly FlowState[]).includes(flow.state)) throw new DomainError('auth.wrong_step', { state: flow.state });
  return flow as Flow<S>;
}

/** Part of every flow write: the user's epoch is still the one the flow holds (a change in between wins). */
function epochStillCurrent(flow: Flow) {
  return (eb: ExpressionBuilder<Database, 'flow'>) =>
    eb(eb.selectFrom('app_user').select('app_user.security_epoch').whereRef('app_user.id', '=', 'flow.user_id'), '=', flow.securityEpoch);
}

/** Why a guarded flow write matched no row: a security change in between, or another step first. */
async function flowWriteRefused(db: Db, flow: Flow): Promise<DomainError> {
  const user = flow.userId ? await db.selectFrom('app_user').select('security_epoch').where('id', '=', flow.userId).executeTakeFirst() : undefined;
  if (!user || Number(user.security_epoch) !== flow.securityEpoch) return new StaleFlowError(flow.userId ?? '', flow.kind);
  return new DomainError('auth.wrong_step', { state: flow.state });
}

/** Moves a flow to `to` (must be a written-out transition); 0 rows updated = someone else moved it. */
export async function advanceFlow(db: Db, flow: Flow, to: FlowState, now: number, context: FlowContext = flow.context): Promise<Flow> {
  if (!canMove(flow.kind, flow.state, to)) throw new DomainError('auth.wrong_step', { state: flow.state });
  const r = await db.updateTable('flow')
    .set({ state: to, version: flow.version + 1, context: JSON.stringify(context), updated_at: now })
    .where('id', '=', flow.id).where('version', '=', flow.version).where(epochStillCurrent(flow)).executeTakeFirst();
  if (Number(r.numUpdatedRows) !== 1) throw await flowWriteRefused(db, flow);
  return { ...flow, state: to as typeof flow.state, version: flow.version + 1, context };
}

/**
 * The credentials step of a login flow opened anonymously (GET /login): the flow gets its user, the
 * user's current epoch, its next state — and a new cookie, as the session id is new at each
 * privilege step (item 10): the cookie that carried the anonymous form does not carry the login on.
 * Guarded like every flow write: only the anonymous version that was loaded matches.
 */
export async function bindFlowUser(db: Db, flow: Flow, b: { userId: string; securityEpoch: number; to: FlowState; context?: FlowContext }, now: number): Promise<OpenedFlow> {
  if (flow.userId !== null || !canMove(flow.kind, flow.state, b.to)) throw new DomainError('auth.wrong_step', { state: flow.state });
  const cookie = randomToken();
  const context = b.context ?? flow.context;
  const r = await db.updateTable('flow')
    .set({ user_id: b.userId, security_epoch: b.securityEpoch, state: b.to, version: flow.version + 1, browser_hash: sha256Hex(cookie), context: JSON.stringify(context), updated_at: now })
    .where('id', '=', flow.id).where('version', '=', flow.version).where('user_id', 'is', null).executeTakeFirst();
  if (Number(r.numUpdatedRows) !== 1) throw new DomainError('auth.wrong_step', { state: flow.state });
  return { flow: { ...flow, userId: b.userId, securityEpoch: b.securityEpoch, state: b.to, version: flow.version + 1, context }, cookie };
}

/**
 * Moves a login flow that has no user yet (issue 22: the matrix login's login ID and its fresh
 * matrices), guarded like every flow write: only the anonymous version that was loaded matches, so
 * of two answers to one matrix only one is taken.
 */
export async function advanceAnonymousFlow(db: Db, flow: Flow, to: FlowState, now: number, context: FlowContext): Promise<Flow> {
  if (flow.userId !== null || !canMove(flow.kind, flow.state, to)) throw new DomainError('auth.wrong_step', { state: flow.state });
  const r = await db.updateTable('flow')
    .set({ state: to, version: flow.version + 1, context: JSON.stringify(context), updated_at: now })
    .where('id', '=', flow.id).where('version', '=', flow.version).where('user_id', 'is', null).executeTakeFirst();
  if (Number(r.numUpdatedRows) !== 1) throw new DomainError('auth.wrong_step', { state: flow.state });
  return { ...flow, state: to as typeof flow.state, version: flow.version + 1, context };
}

/** Saves new context without a state change (e.g. a pending TOTP secret), version-checked. */
export async function updateFlowContext(db: Db, flow: Flow, context: FlowContext, now: number): Promise<Flow> {
  const r = await db.updateTable('flow')
    .set({ version: flow.version + 1, context: JSON.stringify(context), updated_at: now })
    .where('id', '=', flow.id).where('version', '=', flow.version).where(epochStillCurrent(flow)).executeTakeFirst();
  if (Number(r.numUpdatedRows) !== 1) throw await flowWriteRefused(db, flow);
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
