// S4 password reset from the mailed link (identity was checked by the request form, so the flow
// starts at the new password). diagram.md next to this file is the same table.
import { defineFlow } from '../table.ts';

export type ResetState =
  | 'awaiting_password'
  | 'awaiting_matrix'     // issue 22: a matrix organisation's user chooses new positions instead
  | 'confirming_matrix'
  | 'password_set';

export const RESET = defineFlow<ResetState, 'password' | 'matrix' | 'matrix/redo' | 'matrix/confirm'>({
  initial: ['awaiting_password', 'awaiting_matrix'],
  transitions: {
    awaiting_password: ['password_set'],
    awaiting_matrix: ['confirming_matrix'],
    confirming_matrix: ['awaiting_matrix', 'password_set'],
    password_set: [],
  },
  steps: {
    password: ['awaiting_password'],
    matrix: ['awaiting_matrix'],
    'matrix/redo': ['confirming_matrix'],
    'matrix/confirm': ['confirming_matrix'],
  },
});
