// Every flow kind and its declared table, in one registry. Each kind's states, transitions and steps
// live in its own folder next to its mermaid diagram (login/, first-login/, reset/, totp-reenrol/);
// docs/flows.md is the index.
import { FIRST_LOGIN, type FirstLoginState } from './first-login/states.ts';
import { LOGIN, type LoginState } from './login/states.ts';
import { RESET, type ResetState } from './reset/states.ts';
import type { FlowTable } from './table.ts';
import { TOTP_REENROL, type TotpReenrolState } from './totp-reenrol/states.ts';
import { PASSKEY_REGISTER, type PasskeyRegisterState } from './passkey-register/states.ts';

export type { FirstLoginState, LoginState, PasskeyRegisterState, ResetState, TotpReenrolState };

/** Kinds a flow row may have today. */
export type FlowKind = 'first_login' | 'login' | 'reset' | 'totp_reenrol' | 'passkey_register';
/**
 * Kinds planned next (issue 13 item 1), declared so their tables and handlers have a typed place to
 * go: a passkey ceremony, the matrix password's challenge. No flow row of these kinds is created
 * yet, and no step accepts them. (The OpenID Connect interaction, once planned here, is
 * oidc-provider's own persisted Interaction: src/oidc/, docs/oidc-provider.md. It opens this
 * module's login flow with a return target, as Kratos's login flow serves Hydra.)
 */
export type PlannedFlowKind = 'passkey' | 'matrix';
export type FlowState = FirstLoginState | ResetState | LoginState | TotpReenrolState | PasskeyRegisterState;

export const FLOWS: { [K in FlowKind]: FlowTable<FlowState> } = {
  first_login: FIRST_LOGIN as FlowTable<FlowState>,
  login: LOGIN as FlowTable<FlowState>,
  reset: RESET as FlowTable<FlowState>,
  totp_reenrol: TOTP_REENROL as FlowTable<FlowState>,
  passkey_register: PASSKEY_REGISTER as FlowTable<FlowState>,
};

export function canMove(kind: FlowKind, from: string, to: string): boolean {
  const table = FLOWS[kind].transitions as Record<string, readonly string[]>;
  return table[from]?.includes(to) ?? false;
}

/** Step data kept on the flow row (JSON). Secrets in it are sealed with the TOTP key. */
export interface FlowContext {
  linkId?: string;
  /** Sealed TOTP secret being enrolled; becomes the user's only after a valid code. */
  pendingTotp?: string;
  /** Sealed newline-joined backup codes, until the user acknowledges them. */
  pendingBackupCodes?: string;
  /** Where the login came from when the second step was skipped (stance 3). */
  lang?: string;
  /** totp_reenrol, passkey_register: the session the flow started from; it goes on only while that session lives. */
  sessionId?: string;
  /** login: where the browser goes once the session is issued; validated (return-to.ts) when the flow opens. */
  returnTo?: string;
  /** login: the assurance asked for (OpenID Connect acr_values); the second step makes every login aal2 today. */
  requestedAal?: 'aal1' | 'aal2';
  /** login: prompt=login — authenticate again even with a live session. */
  refresh?: boolean;
  /** first_login (issue 22): the matrix positions chosen, sealed (src/auth/matrix/store.ts), until confirmed. */
  pendingMatrix?: string;
  /** login by matrix password (issue 22): the login ID as typed; the flow has no user until the answer is right. */
  matrixLoginId?: string;
  /** login by matrix password: the one live challenge, sealed (grid digits, size, expiry); replaced at every answer. */
  matrixChallenge?: string;
  /**
   * Issue 23: the one live WebAuthn challenge of this flow (base64url, expiry): the passwordless sign-in
   * (awaiting_password), the second step (awaiting_passkey) or a registration (passkey_register). Not a
   * secret; answered once — every answer, right or wrong, replaces it in a version-checked write.
   */
  passkeyChallenge?: { c: string; e: number };
  /** login (issue 23): the setup state a passkey registration during the 2-step setup goes back to. */
  passkeySetupFrom?: 'awaiting_method_choice' | 'awaiting_totp_enrolment';
}
