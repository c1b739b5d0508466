// S3 login: the states after the password step, their transitions and the steps that serve them.
// The diagram next to this file (diagram.md) is the same table; a test compares them.
import { defineFlow } from '../table.ts';

export type LoginState =
  | 'awaiting_password'        // S3.1: opened by GET /login, no user yet; login ID + password
  | 'awaiting_method_choice'   // S3.2 (a): an admin without a method chooses TOTP or MailOTP
  | 'awaiting_totp_enrolment'  // S3.2: a TOTP user who has not enrolled yet
  | 'showing_backup_codes'     // S3.5: enrolment done, codes shown until acknowledged
  | 'awaiting_totp'            // S3.2 (b)
  | 'awaiting_mail_otp'        // S3.2 (c)
  | 'awaiting_passkey'         // issue 23 (S3.9): the user holds a passkey; «別の方法を使う» goes to TOTP / MailOTP
  | 'awaiting_passkey_enrolment' // issue 23: a passkey registered during the 2-step setup, then back to the setup
  | 'done'
  | 'awaiting_matrix_login_id' // issue 22 (S12): opened by GET /login/matrix, no user yet; login ID
  | 'awaiting_matrix_answer';  // issue 22: a fresh matrix; the digits at the positions, answered once

export const LOGIN = defineFlow<LoginState, 'credentials' | 'method' | 'totp-setup' | 'backup-codes' | 'totp' | 'backup-code' | 'mail-otp' | 'mail-otp/resend' | 'matrix/start' | 'matrix/answer' | 'passkey' | 'passkey/other' | 'passkey/signin' | 'passkey/setup' | 'passkey/enrol' | 'passkey/enrol/back'>({
  initial: ['awaiting_password', 'awaiting_matrix_login_id'],
  transitions: {
    // To done at once when the second step is legitimately skipped (S3.7).
    // Issue 23: to done also by a passwordless passkey sign-in from the same page (both factors at once).
    awaiting_password: ['awaiting_method_choice', 'awaiting_totp_enrolment', 'awaiting_totp', 'awaiting_mail_otp', 'awaiting_passkey', 'done'],
    // Issue 23: «パスキーを登録» during the setup, beside TOTP and MailOTP.
    awaiting_method_choice: ['awaiting_totp_enrolment', 'awaiting_mail_otp', 'awaiting_passkey_enrolment'],
    // Straight to done when the organisation's preset hands out no backup codes.
    awaiting_totp_enrolment: ['showing_backup_codes', 'done', 'awaiting_passkey_enrolment'],
    // Registered (or «戻る»): back to the setup the user came from — a passkey never stands alone,
    // the TOTP or MailOTP setup still follows, so «別の方法を使う» always leads somewhere.
    awaiting_passkey_enrolment: ['awaiting_method_choice', 'awaiting_totp_enrolment'],
    showing_backup_codes: ['done'],
    awaiting_totp: ['done'],
    awaiting_mail_otp: ['done'],
    // «別の方法を使う»: the user's other method (TOTP, with its backup codes, or MailOTP).
    awaiting_passkey: ['done', 'awaiting_totp', 'awaiting_mail_otp'],
    done: [],
    awaiting_matrix_login_id: ['awaiting_matrix_answer'],
    // To itself with a fresh matrix after a wrong or late answer: each matrix is answered once.
    awaiting_matrix_answer: ['awaiting_matrix_answer', 'awaiting_method_choice', 'awaiting_totp_enrolment', 'awaiting_totp', 'awaiting_mail_otp', 'awaiting_passkey', 'done'],
  },
  steps: {
    'credentials': ['awaiting_password'],
    'method': ['awaiting_method_choice'],
    'totp-setup': ['awaiting_totp_enrolment'],
    'backup-codes': ['showing_backup_codes'],
    'totp': ['awaiting_totp'],
    'backup-code': ['awaiting_totp'],
    'mail-otp': ['awaiting_mail_otp'],
    'mail-otp/resend': ['awaiting_mail_otp'],
    'matrix/start': ['awaiting_matrix_login_id'],
    'matrix/answer': ['awaiting_matrix_answer'],
    'passkey': ['awaiting_passkey'],
    'passkey/other': ['awaiting_passkey'],
    'passkey/signin': ['awaiting_password'],
    'passkey/setup': ['awaiting_method_choice', 'awaiting_totp_enrolment'],
    'passkey/enrol': ['awaiting_passkey_enrolment'],
    'passkey/enrol/back': ['awaiting_passkey_enrolment'],
  },
});
