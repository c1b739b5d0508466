// S4 password reset from the mailed link (identity was checked by the request form, so the flow
// starts at the new password). diagram.md next to this file is the same table.
import { defineFlow } from '../table.ts';

export type ResetState = 'awaiting_password' | 'password_set';

export const RESET = defineFlow<ResetState, 'password'>({
  initial: ['awaiting_password'],
  transitions: {
    awaiting_password: ['password_set'],
    password_set: [],
  },
  steps: {
    password: ['awaiting_password'],
  },
});
