// Issue 23 (S3.9): registering a passkey from the security settings. Its own kind, like the TOTP
// re-enrolment: it is opened after a fresh second step, carries the registration challenge (single
// use, 3 minutes, this flow's only), goes on only while the session it was opened from is live, and
// its end issues no session — it goes back to the security settings.
import { defineFlow } from '../table.ts';

export type PasskeyRegisterState = 'awaiting_passkey_registration' | 'done';

export const PASSKEY_REGISTER = defineFlow<PasskeyRegisterState, 'passkey/register'>({
  initial: ['awaiting_passkey_registration'],
  transitions: {
    awaiting_passkey_registration: ['done'],
    done: [],
  },
  steps: {
    'passkey/register': ['awaiting_passkey_registration'],
  },
});
