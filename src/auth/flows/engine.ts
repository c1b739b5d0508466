// runStep (issue 13 item 2): the one way a flow step runs. It loads the flow (cookie, expiry, epoch),
// finds the handler registered for the flow's kind and the step, checks the state against the kind's
// table, runs the handler's checks, then its writes and the flow's version-checked advance in ONE
// transaction. Any (state, step) pair the table does not allow answers wrong_step and changes nothing.
import { Value } from '@sinclair/typebox/value';
import type { AppContext } from '../../context.ts';
import { DomainError } from '../../errors.ts';
import { advanceFlow, bindFlowUser, loadFlow, peekFlowKind, StaleFlowError, type Flow } from './flow.ts';
import { handlerFor, stepStates } from './registry.ts';
import type { FlowContext, FlowState } from './states.ts';
import type { ClientInfo, NextAction } from './step.ts';

export interface RunStep { flowId: string; step: string; flowCookie: string | undefined; body: unknown; client: ClientInfo }

export async function runStep(ctx: AppContext, r: RunStep): Promise<NextAction> {
  const now = ctx.now();
  const kind = await peekFlowKind(ctx.db, r.flowId);
  if (!kind) throw new DomainError('auth.flow_expired');
  const handler = handlerFor(kind, r.step);
  // A step this kind does not have: the flow must still be the caller's before "wrong step" is said.
  const flow = await loadFlow(ctx.db, r.flowId, r.flowCookie, kind, handler ? stepStates(kind, r.step) : [], now).catch(async (err: unknown) => {
    if (err instanceof StaleFlowError && handler?.onStale) await handler.onStale(ctx, err.userId);
    throw err;
  });
  if (!handler) throw new DomainError('auth.wrong_step', { state: flow.state });
  if (!Value.Check(handler.body, r.body)) throw new DomainError('common.bad_request');
  const call = { ctx, flow, body: r.body, client: r.client, now };
  const checked = handler.check ? await handler.check(call) : undefined;
  let current: Flow = flow;
  const next = await ctx.db.transaction().execute(async (trx) => {
    const advance = async (to: FlowState, context: FlowContext = current.context) => {
      current = await advanceFlow(trx, current, to, now, context);
      return current;
    };
    const bindUser = async (b: { userId: string; securityEpoch: number; to: FlowState; context?: FlowContext }) => {
      const bound = await bindFlowUser(trx, current, b, now);
      current = bound.flow;
      return bound.cookie;
    };
    return handler.apply({ ...call, db: trx, tx: { ...ctx, db: trx }, advance, bindUser }, checked);
  });
  if (handler.after) await handler.after({ ...call, flow: current }, checked);
  return next ?? { action: 'show_step', flowId: flow.id, state: current.state };
}
