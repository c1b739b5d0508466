// A flow step as a registered handler (issue 13 item 2): which kinds it serves, its TypeBox body,
// the work before the write transaction and the writes inside it. The states a step serves are not
// declared here but in each kind's table (`steps` in <kind>/states.ts), so the table test, the
// diagram and the engine read one list. src/auth/flows/engine.ts runs them (runStep).
import type { Static, TSchema } from '@sinclair/typebox';
import type { AppContext } from '../../context.ts';
import type { Db } from '../../db/index.ts';
import type { DomainError } from '../../errors.ts';
import type { Flow } from './flow.ts';
import type { FlowContext, FlowKind, FlowState } from './states.ts';

export interface ClientInfo { ip: string; userAgent: string; deviceToken?: string | undefined }

/** What the browser does next, typed (issue 13 item 2). */
export type NextAction =
  /** `flowCookie`: set when this answer opened the flow; the cookie issued for it alone (item 39). */
  | { action: 'show_step'; flowId: string; state: FlowState; flowCookie?: string }
  /** A new session; `returnTo` is the flow's validated return target (src/auth/flows/return-to.ts). */
  | { action: 'session_issued'; sessionToken: string; userId: string; deviceToken?: string; returnTo: string }
  /** The flow ended without a new session (a re-enrolment): go to `to`, a path of ours. */
  | { action: 'redirect'; to: string };

/**
 * What `apply` returns to refuse AFTER its writes are committed: a counted failure made inside the
 * step's transaction (a replayed code) stays counted, and the caller still gets the refusal.
 */
export class Refusal {
  constructor(readonly error: DomainError) {}
}

export interface StepCall<B> { ctx: AppContext; flow: Flow; body: B; client: ClientInfo; now: number }

/** The write phase: `db` is the step's transaction; `advance` moves the flow inside it (version-checked). */
export interface ApplyCall<B> extends StepCall<B> {
  db: Db;
  /** `ctx` with `db` bound to the transaction, for helpers that take a context. */
  tx: AppContext;
  advance(to: FlowState, context?: FlowContext): Promise<Flow>;
  /** An anonymous login flow learns its user (bindFlowUser); returns the flow's new cookie. */
  bindUser(b: { userId: string; securityEpoch: number; to: FlowState; context?: FlowContext }): Promise<string>;
}

export interface StepHandler<B extends TSchema = TSchema, P = unknown> {
  kinds: readonly FlowKind[];
  /** The last segment(s) of POST /auth/flows/:id/<step>. */
  step: string;
  body: B;
  /**
   * Before the write transaction: loads, expensive checks (argon2 behind the hashing pool) and
   * counted attempts, each committed as it is made, so a failure counted here stays counted when
   * the step then throws. Throws a DomainError to refuse; returns what `apply` needs.
   */
  check?(c: StepCall<Static<B>>): Promise<P>;
  /** Every write of the step, in one transaction with the flow's advance; a throw rolls all back. */
  apply(c: ApplyCall<Static<B>>, checked: P): Promise<NextAction | Refusal | void>;
  /** The write transaction failed and rolled back (an infrastructure failure gives a counted attempt back). */
  failed?(c: StepCall<Static<B>>, checked: P, err: unknown): Promise<void>;
  /** After the commit: work that opens a transaction of its own (the MailOTP send). */
  after?(c: StepCall<Static<B>>, checked: P): Promise<void>;
  /** The flow is of an older security epoch (item 38): a chance to answer with the lock that ended it. */
  onStale?(ctx: AppContext, userId: string): Promise<void>;
}

/** Keeps the body's static type between the schema and the handler's functions. */
export function defineStep<B extends TSchema, P>(h: StepHandler<B, P>): StepHandler<B, P> {
  return h;
}
