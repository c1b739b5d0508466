// Every registered step handler, by flow kind and step name. A handler serves the states its kind's
// table lists for the step (FLOWS[kind].steps), nothing else.
import { firstLoginSteps } from '../first-login/steps.ts';
import { loginSteps } from '../login/steps.ts';
import { matrixRegistrationSteps } from '../matrix/registration.ts';
import { matrixLoginSteps } from '../matrix/login.ts';
import { passkeySteps } from '../passkeys/steps.ts';
import { passkeySetupSteps } from '../passkeys/setup-steps.ts';
import { FLOWS, type FlowKind, type FlowState } from './states.ts';
import type { StepHandler } from './step.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- bodies differ per handler; runStep checks each against its own schema
export const STEP_HANDLERS: readonly StepHandler<any, any>[] = [...firstLoginSteps, ...matrixRegistrationSteps, ...loginSteps, ...matrixLoginSteps, ...passkeySteps, ...passkeySetupSteps];

const byKind = new Map<string, StepHandler<any, any>>();
for (const h of STEP_HANDLERS) {
  for (const k of h.kinds) {
    const id = `${k}:${h.step}`;
    if (byKind.has(id)) throw new Error(`two handlers for ${id}`);
    if (!(h.step in FLOWS[k].steps)) throw new Error(`${id}: not a step of the ${k} table`);
    byKind.set(id, h);
  }
}
for (const k of Object.keys(FLOWS) as FlowKind[]) {
  for (const s of Object.keys(FLOWS[k].steps)) if (!byKind.has(`${k}:${s}`)) throw new Error(`${k}:${s}: no handler`);
}

export function handlerFor(kind: FlowKind, step: string): StepHandler<any, any> | undefined {
  return byKind.get(`${kind}:${step}`);
}

export function stepStates(kind: FlowKind, step: string): readonly FlowState[] {
  return (FLOWS[kind].steps as Record<string, readonly FlowState[]>)[step] ?? [];
}

/** Every step name once with its body schema (one schema per name, whichever kinds share it). */
export function stepRoutes(): [string, StepHandler['body']][] {
  const out = new Map<string, StepHandler['body']>();
  for (const h of STEP_HANDLERS) {
    const seen = out.get(h.step);
    if (seen && seen !== h.body) throw new Error(`step ${h.step}: two body schemas`);
    out.set(h.step, h.body);
  }
  return [...out];
}
