// runStep (issue 13 item 2): the one way a flow step runs. It loads the flow (cookie, expiry, epoch),
// finds the handler registered for the flow's kind and the step, checks the state against the kind's
// table, runs the handler's checks, then its writes and the flow's version-checked advance in ONE
// transaction. Any (state, step) pair the table does not allow answers wrong_step and changes nothing.
import { Value } from '@sinclair/typebox/value';
import type { AppContext } from '../../context.ts';
import { DomainError } from '../../errors.ts';
import { advanceFlow, bindFlowUser, checkState, loadAnyFlow, StaleFlowError, type Flow } from './flow.ts';
import { handlerFor, stepStates } from './registry.ts';
import type { FlowContext, FlowState } from './states.ts';
import { Refusal, type ClientInfo, type NextAction } from './step.ts';

export interface RunStep {
  flowId: string; step: string; flowCookie: string | undefined; body: unknown; client: ClientInfo;
  /** The flow as its creator just wrote it (POST /login opens and steps at once): not read again. */
  opened?: Flow;
}

export async function runStep(ctx: AppContext, r: RunStep): Promise<NextAction> {
  const now = ctx.now();
  // One read of the flow: its kind picks the handler (a stale flow's handler may act on it first).
  const loaded = r.opened?.id === r.flowId ? r.opened : await loadAnyFlow(ctx.db, r.flowId, r.flowCookie, now).catch(async (err: unknown) => {
    if (err instanceof StaleFlowError) {
      const handler = handlerFor(err.kind, r.step);
      if (handler?.onStale) await handler.onStale(ctx, err.userId);
    }
    throw err;
  });
  const kind = loaded.kind;
  const handler = handlerFor(kind, r.step);
  // A step this kind does not have: the flow was the caller's (checked above), so "wrong step".
  if (!handler) throw new DomainError('auth.wrong_step', { state: loaded.state });
  const flow = checkState(loaded, stepStates(kind, r.step));
  if (!Value.Check(handler.body, r.body)) throw new DomainError('common.bad_request');
  const call = { ctx, flow, body: r.body, client: r.client, now };
  const checked = handler.check ? await handler.check(call) : undefined;
  let current: Flow = flow;
  const next = await ctx.db.transaction().execute(async (trx) => {
    // Counters written in the step's transaction go through it (SQLite has one connection: a write
    // on the outer handle would wait for this transaction forever).
    const tx: AppContext = { ...ctx, db: trx, throttle: ctx.throttle.within?.(trx) ?? ctx.throttle };
    const advance = async (to: FlowState, context: FlowContext = current.context) => {
      current = await advanceFlow(trx, current, to, now, context);
      return current;
    };
    const bindUser = async (b: { userId: string; securityEpoch: number; to: FlowState; context?: FlowContext }) => {
      const bound = await bindFlowUser(trx, current, b, now);
      current = bound.flow;
      return bound.cookie;
    };
    return handler.apply({ ...call, db: trx, tx, advance, bindUser }, checked);
  }).catch(async (err: unknown) => {
    if (handler.failed) await handler.failed(call, checked, err);
    throw err;
  });
  if (next instanceof Refusal) throw next.error;
  if (handler.after) await handler.after({ ...call, flow: current }, checked);
  return next ?? { action: 'show_step', flowId: flow.id, state: current.state };
}
