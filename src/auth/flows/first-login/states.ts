// S1/S2 first login from the starting-guide link. diagram.md next to this file is the same table.
import { defineFlow } from '../table.ts';

export type FirstLoginState = 'awaiting_identity' | 'awaiting_password' | 'password_set'
  // Issue 22 (S12): a matrix organisation's user chooses positions, then confirms them.
  | 'awaiting_matrix' | 'confirming_matrix';

export const FIRST_LOGIN = defineFlow<FirstLoginState, 'identity' | 'password' | 'matrix' | 'matrix/confirm' | 'matrix/redo'>({
  initial: ['awaiting_identity'],
  transitions: {
    awaiting_identity: ['awaiting_password', 'awaiting_matrix'],
    awaiting_password: ['password_set'],
    awaiting_matrix: ['confirming_matrix'],
    confirming_matrix: ['password_set', 'awaiting_matrix'],
    password_set: [],
  },
  steps: {
    identity: ['awaiting_identity'],
    password: ['awaiting_password'],
    'matrix': ['awaiting_matrix'],
    'matrix/confirm': ['confirming_matrix'],
    'matrix/redo': ['confirming_matrix'],
  },
});
