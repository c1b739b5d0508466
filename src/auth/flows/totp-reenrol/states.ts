// TOTP re-enrolment from the security settings (issue 13 item 1): the login flow's enrolment
// steps, but its own kind because its end issues no session — the user is signed in already, and
// the session re-enrolment started from is the one that survives the new security epoch.
import { defineFlow } from '../table.ts';

export type TotpReenrolState = 'awaiting_totp_enrolment' | 'showing_backup_codes' | 'done';

export const TOTP_REENROL = defineFlow<TotpReenrolState, 'totp-setup' | 'backup-codes'>({
  initial: ['awaiting_totp_enrolment'],
  transitions: {
    awaiting_totp_enrolment: ['showing_backup_codes', 'done'],
    showing_backup_codes: ['done'],
    done: [],
  },
  steps: {
    'totp-setup': ['awaiting_totp_enrolment'],
    'backup-codes': ['showing_backup_codes'],
  },
});
