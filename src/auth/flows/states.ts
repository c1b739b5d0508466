// Flow states and their allowed transitions, written out in one place (STYLE.md "Flows are records").
// docs/flows.md has the same as mermaid diagrams.

export type FirstLoginState = 'awaiting_identity' | 'awaiting_password' | 'password_set';
export type ResetState = 'awaiting_password' | 'password_set';
export type LoginState =
  | 'awaiting_method_choice'   // S3.2 (a): an admin without a method chooses TOTP or MailOTP
  | 'awaiting_totp_enrolment'  // S3.2: a TOTP user who has not enrolled yet
  | 'showing_backup_codes'     // S3.5: enrolment done, codes shown until acknowledged
  | 'awaiting_totp'            // S3.2 (b)
  | 'awaiting_mail_otp'        // S3.2 (c)
  | 'done';

export type FlowKind = 'first_login' | 'login' | 'reset';
export type FlowState = FirstLoginState | ResetState | LoginState;

type Transitions<S extends string> = Record<S, readonly S[]>;

export const TRANSITIONS: { first_login: Transitions<FirstLoginState>; reset: Transitions<ResetState>; login: Transitions<LoginState> } = {
  first_login: {
    awaiting_identity: ['awaiting_password'],
    awaiting_password: ['password_set'],
    password_set: [],
  },
  reset: {
    awaiting_password: ['password_set'],
    password_set: [],
  },
  login: {
    awaiting_method_choice: ['awaiting_totp_enrolment', 'awaiting_mail_otp'],
    awaiting_totp_enrolment: ['showing_backup_codes', 'done'],
    showing_backup_codes: ['done'],
    awaiting_totp: ['done'],
    awaiting_mail_otp: ['done'],
    done: [],
  },
};

export function canMove(kind: FlowKind, from: string, to: string): boolean {
  const table = TRANSITIONS[kind] as Record<string, readonly string[]>;
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
}
