// English templates: the same content as ja.ts, in plain, calm English.
import type { LangTemplates, MailParams } from '../templates.ts';
import { formatMailTime } from './format.ts';

const at = (t: number) => formatMailTime(t, 'en');

const footer = `
--------------------------------
This mail was sent from a send-only address. Replies to it cannot be answered.`;

/** A notice that something changed on the account (SECURITY.md 17, 20, 27). */
function notice(p: MailParams['password_changed'], title: string, action: string, note?: string) {
  return {
    subject: `[${p.profileName}] ${title}`,
    bodyText: `Dear ${p.userName},

We are writing to let you know about the following activity on your ${p.profileName} account.

Activity:
${action}
Date and time:
${at(p.at)}
${note ? `\n${note}\n` : ''}
If this was you, no action is needed.
If it was not, someone else may have access to your account.
Please contact your portal administrator as soon as possible.
${footer}`,
  };
}

export const en: LangTemplates = {
  starting_guide: (p) => ({
    subject: `[${p.profileName}] User registration: starting guide`,
    bodyText: `Dear ${p.userName},

This mail was sent automatically by ${p.profileName}.

Your user registration for ${p.profileName} is complete.
Before you start using the portal, please register your password at the following URL.

Password registration URL:
${p.setupUrl}
Valid until: ${at(p.expiresAt)}

This URL can be used only once.
If it has expired, you can get a new one from "Forgot your password?" on the login page.

Login ID:
${p.loginId}

Login page:
${p.loginUrl}

How to set your password, and the user guide:
${p.helpUrl}

If you have trouble logging in, please contact the support desk you applied through.
${footer}`,
  }),

  password_reset: (p) => ({
    subject: `[${p.profileName}] Password reset`,
    bodyText: `Dear ${p.userName},

We received a request to reset your ${p.profileName} password.
Please set a new password at the following URL.

Password reset URL:
${p.resetUrl}
Valid until: ${at(p.expiresAt)}

This URL can be used only once.
If it has expired, please request a new one from "Forgot your password?" on the login page.

If you did not request this, please ignore this mail. Your password will not be changed.
${footer}`,
  }),

  mail_otp: (p) => ({
    subject: `[${p.profileName}] Your one-time password`,
    bodyText: `Here is the one-time password for logging in to ${p.profileName}.

One-time password: ${p.code}

It is valid for ${p.expiresMinutes} minutes from issue. Please enter it on the login screen.
Do not share it with anyone. We will never ask you for this code.

If you did not try to log in, someone else may know your password.
Please change your password and contact your portal administrator.
${footer}`,
  }),

  password_changed: (p) => notice(p, 'Your password was changed', 'Password changed'),
  totp_enrolled: (p) => notice(p, 'Authenticator app re-registered', 'Authenticator app (TOTP) for 2-step verification re-registered',
    'Codes from the previously registered authenticator app no longer work.'),
  backup_code_used: (p) => notice(p, 'A backup code was used', 'Signed in with a backup code',
    'The code you used no longer works. If you are running low, we recommend generating a new set.'),
  backup_codes_regenerated: (p) => notice(p, 'Backup codes regenerated', 'Backup codes regenerated',
    'All previous backup codes no longer work.'),
  ticket_reply: (p) => ({
    subject: p.purpose === 'ask' ? `[${p.profileName}] We need information for your inquiry (${p.ticketNumber})`
      : p.purpose === 'resolve' ? `[${p.profileName}] Your inquiry has been resolved (${p.ticketNumber})`
        : `[${p.profileName}] We replied to your inquiry (${p.ticketNumber})`,
    bodyText: `Dear ${p.userName},

Thank you for using ${p.profileName}.
${p.purpose === 'ask' ? 'To continue with your inquiry, we need some information from you. Please reply in the portal.'
    : p.purpose === 'resolve' ? 'We have answered your inquiry and marked it as resolved. If anything remains, you can reopen it in the portal.'
      : 'We have replied to your inquiry.'}

Inquiry number: ${p.ticketNumber}
Subject: ${p.subject}

Please sign in and read the reply at the following URL.
${p.ticketUrl}
${p.replyByMail ? '\nYou can also answer by replying to this mail: your reply is added to the inquiry (text only; attachments in the portal).\n' : ''}${footer}`,
  }),
  order_update: (p) => {
    const step = ({ received: 'Application received', reviewing: 'Reviewing', arranging: 'Arranging', constructing: 'Construction', opened: 'Service start' } as Record<string, string>)[p.step] ?? p.step;
    const what = p.what === 'planned_date'
      ? (p.step === 'opened' ? `The planned opening date is now ${p.plannedDate ?? '(not set)'}.` : `The planned date of "${step}" is now ${p.plannedDate ?? '(not set)'}.`)
      : (p.step === 'opened' ? 'Your service has opened.' : `The step "${step}" is done.`);
    return {
      subject: `[${p.profileName}] Order ${p.orderNumber}: ${p.what === 'planned_date' ? 'planned date changed' : step}`,
      bodyText: `Dear ${p.userName},

Thank you for using ${p.profileName}.
There is news about an order you can follow in the portal.

Order number: ${p.orderNumber}
Service: ${p.serviceName}
${what}

Please sign in to see the order's progress at the following URL.
${p.orderUrl}
${footer}`,
    };
  },
  maintenance_notice: (p) => {
    const status = EN_STATUS[p.status];
    const lead = p.reason === 'published' ? 'We would like to inform you of the following work, which affects contracts you can see in the portal.'
      : p.reason === 'changed' ? 'The period of the following work has changed.'
        : `The status of the following work has changed to: ${status}.`;
    return {
      subject: `[${p.profileName}] ${p.reason === 'published' ? 'Maintenance notice' : p.reason === 'changed' ? 'Maintenance changed' : `Maintenance ${status.toLowerCase()}`}: ${p.title}`,
      bodyText: maintenanceBodyEn(p, lead),
    };
  },
  maintenance_reminder: (p) => {
    const what = p.moment === 'before' ? `starts in ${p.leadHours} hours` : p.moment === 'start' ? 'starts now' : 'ends now';
    return {
      subject: `[${p.profileName}] Reminder: maintenance ${what}: ${p.title}`,
      bodyText: maintenanceBodyEn(p, `A reminder: the following work ${what}.`),
    };
  },

};

const EN_STATUS = { tentative: 'Tentative', confirmed: 'Confirmed', in_progress: 'In progress', completed: 'Completed', cancelled: 'Cancelled' } as const;
const EN_IMPACT = { outage: 'Outage', degraded: 'Degraded', reduced_redundancy: 'Reduced redundancy', none: 'No impact' } as const;

/** The body both maintenance mails share: what, when, which contracts, where to read more or stop them. */
function maintenanceBodyEn(p: MailParams['maintenance_reminder'] | MailParams['maintenance_notice'], lead: string): string {
  return `Dear ${p.userName},

${lead}

Title: ${p.title}
Status: ${EN_STATUS[p.status]}
Period: ${at(p.startsAt)} – ${p.endsAt !== null ? at(p.endsAt) : 'until further notice'}

Affected contracts:
${p.contracts.map((c) => `  ${c.number}: ${EN_IMPACT[c.impact]}`).join('\n')}

The attached calendar file (.ics) carries the same details in the BCOP MAINTNOTE format.
${p.noticeUrl ? `Details are in the portal:\n${p.noticeUrl}\n` : ''}${p.settingsUrl ? `Choose which maintenance mails you get:\n${p.settingsUrl}\n` : ''}${p.unsubscribeUrl ? `You receive this mail as a technical contact of these contracts. To stop these mails:\n${p.unsubscribeUrl}\n` : ''}${footer}`;
}
