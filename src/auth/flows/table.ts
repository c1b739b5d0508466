// The shape of one flow kind's declared table (STYLE.md "Flows are records"): its states, where a
// flow may start, which state may move to which, and which POST step serves which states. Each flow
// folder (login/, first-login/, reset/, totp-reenrol/) declares one, next to its mermaid diagram;
// src/auth/flows/test/diagrams.test.ts fails when a diagram and its table disagree.

export interface FlowTable<S extends string, Step extends string = string> {
  /** States a new flow row of this kind may be created at. */
  initial: readonly S[];
  /** Every state → the states it may move to (an end state maps to []). */
  transitions: Readonly<Record<S, readonly S[]>>;
  /** Every POST step (the last segment of /auth/flows/:id/<step>) → the states it serves. */
  steps: Readonly<Record<Step, readonly S[]>>;
}

/** Identity helper that keeps the literal state and step types of a table. */
export function defineFlow<S extends string, Step extends string>(t: FlowTable<S, Step>): FlowTable<S, Step> {
  return t;
}
