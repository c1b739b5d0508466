// S1/S2 first login from the starting-guide link. diagram.md next to this file is the same table.
import { defineFlow } from '../table.ts';

export type FirstLoginState = 'awaiting_identity' | 'awaiting_password' | 'password_set';

export const FIRST_LOGIN = defineFlow<FirstLoginState, 'identity' | 'password'>({
  initial: ['awaiting_identity'],
  transitions: {
    awaiting_identity: ['awaiting_password'],
    awaiting_password: ['password_set'],
    password_set: [],
  },
  steps: {
    identity: ['awaiting_identity'],
    password: ['awaiting_password'],
  },
});
