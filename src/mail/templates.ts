// Typed mail templates (plain text, Japanese and English). The kind → params map is a type: asking
// for a template without one of its params, or adding a kind without both languages, fails to compile.
import { ja } from './templates/ja.ts';
import { en } from './templates/en.ts';
import { brandFooter } from './templates/format.ts';

export { formatMailTime } from './templates/format.ts';

export type MailLang = 'ja' | 'en';

interface Profile { profileName: string }
/** A security notice: what changed on the account, and when (epoch ms). */
interface AccountEvent extends Profile { userName: string; at: number }

export interface MailParams {
  /** SPEC S1: «開通案内» / «ユーザー登録受付メール». expiresAt: epoch ms. */
  starting_guide: Profile & {
    userName: string; loginId: string; setupUrl: string; expiresAt: number; loginUrl: string; helpUrl: string;
  };
  /** SPEC S4. expiresAt: epoch ms. */
  password_reset: Profile & { userName: string; resetUrl: string; expiresAt: number };
  /** SPEC S3.6; SECURITY.md 18: at most 10 minutes. */
  mail_otp: Profile & { code: string; expiresMinutes: number };
  /** SECURITY.md 27: completing a reset notifies the user. */
  password_changed: AccountEvent;
  /** SECURITY.md 17: re-enrolment notifies the user. */
  totp_enrolled: AccountEvent;
  /** SECURITY.md 20: using a backup code notifies the user. */
  backup_code_used: AccountEvent;
  backup_codes_regenerated: AccountEvent;
  /** S9: the provider answered a ticket; to its author. The link needs a login, the mail carries no reply text. */
  ticket_reply: Profile & {
    userName: string; ticketNumber: string; subject: string; ticketUrl: string;
    /** Issue 26: an answer (default), a request for information (the ticket waits for the customer), or the resolution. */
    purpose?: 'reply' | 'ask' | 'resolve';
    /** Issue 24: the mail carries the recipient's reply address: they may answer by replying to it. */
    replyByMail?: boolean;
  };
  /** Issue 24 item 5: an order the recipient may see got a new planned date or reached a step. */
  order_update: Profile & {
    userName: string; orderNumber: string; serviceName: string; orderUrl: string;
    what: 'planned_date' | 'milestone';
    /** The step's code (received | reviewing | arranging | constructing | opened). */
    step: string;
    /** The new planned date (YYYY-MM-DD) of the step, for 'planned_date'. */
    plannedDate?: string | null;
  };
  /**
   * Issue 24: a maintenance or outage notice aimed at contracts was published or changed status;
   * to each user who may see an affected contract, naming only those. The .ics rides along.
   */
  maintenance_notice: MaintenanceMail & {
    /** published: a new notice; status: its status changed; changed: its period changed (issue 24 item 2). */
    reason: 'published' | 'status' | 'changed';
  };
  /**
   * Issue 24 item 2: a reminder of a maintenance or outage notice aimed at contracts: `leadHours`
   * before it starts, when it starts, when it ends. To subscribed users and technical contacts.
   */
  maintenance_reminder: MaintenanceMail & { moment: 'before' | 'start' | 'end'; leadHours: number };
}

/** What the maintenance mails share: one recipient's contracts of one notice, and where to read or stop it. */
interface MaintenanceMail extends Profile {
  userName: string; title: string; status: 'tentative' | 'confirmed' | 'in_progress' | 'completed' | 'cancelled';
  startsAt: number; endsAt: number | null;
  contracts: ReadonlyArray<{ number: string; impact: 'outage' | 'degraded' | 'reduced_redundancy' | 'none' }>;
  /** The portal page; null for a technical contact (no login). */
  noticeUrl: string | null;
  /** A technical contact's one-click way out (issue 24 item 2); null for users (their subscription page). */
  unsubscribeUrl: string | null;
  /** A user's subscription page; null for a contact. */
  settingsUrl: string | null;
}

export type MailKind = keyof MailParams;
export interface RenderedMail { subject: string; bodyText: string }
/** One language's templates: every kind, no partials. */
export type LangTemplates = { [K in MailKind]: (p: MailParams[K]) => RenderedMail };

const templates: Record<MailLang, LangTemplates> = { ja, en };

/** Every kind, for tests and admin listings. */
export const MAIL_KINDS = Object.keys(ja) as MailKind[];

/** Issue 20: what a mail shows of the recipient's brand (the portal name goes in as profileName). */
export interface MailBrand {
  name: string | null;
  footerCompany: string | null;
  support: { email: string | null; phone: string | null; url: string | null; hours: string | null };
}

/** `brand`: the recipient organisation's support contact and company, as a block under the footer. */
export function renderMail<K extends MailKind>(kind: K, lang: MailLang, params: MailParams[K], brand?: MailBrand | null): RenderedMail {
  const mail = templates[lang][kind](params);
  // A profile name with a line break must not reach the Subject header as one.
  return { subject: mail.subject.replace(/[\r\n]+/g, ' '), bodyText: mail.bodyText + (brand ? brandFooter(brand, lang) : '') };
}
