// Building blocks for the password reset tests (S4): the request form, the mailed link, completion.
import type { TestApp } from './app.ts';
import { Browser, formAction, type Res } from './client.ts';
import { lastMail, linkIn, type GivenUser } from './scenario.ts';

export const PW = 'Kx7#mPq2vLa9';
export const NEW_PW = 'Nw8$rTy3uWq5';

export type ResetFields = { loginId: string; email: string; name?: string; phone?: string };

/** The business profile's reset fields, as the user registered them. */
export function resetFields(u: GivenUser): ResetFields {
  return { loginId: u.loginId, email: u.email, name: u.name, phone: u.phone };
}

/** Loads the form (for its CSRF token) and posts it, as a person would. */
export async function postResetForm(b: Browser, fields: ResetFields, headers?: Record<string, string>): Promise<Res> {
  await b.get('/password/reset');
  return b.post('/password/reset', fields, headers ? { headers } : {});
}

/** The URL in the newest reset mail to the user. */
export async function resetLinkFor(app: TestApp, u: GivenUser): Promise<string> {
  const mail = await lastMail(app.ctx, u.email, 'password_reset');
  if (!mail) throw new Error(`no reset mail to ${u.email}`);
  return linkIn(mail.body_text, '/password/reset/');
}

export async function countMails(app: TestApp, to: string, kind = 'password_reset'): Promise<number> {
  const rows = await app.ctx.db.selectFrom('mail_outbox').select('id').where('to_addr', '=', to).where('kind', '=', kind).execute();
  return rows.length;
}

/** Opens the link (the browser lands on the password step), returns the flow's password action. */
export async function openResetLink(b: Browser, link: string): Promise<string> {
  const page = await b.follow(await b.get(link));
  return formAction(page.body, '/password');
}

/** Opens the link and sets a new password; returns the completion page. */
export async function completeReset(b: Browser, link: string, password = NEW_PW): Promise<Res> {
  const action = await openResetLink(b, link);
  return b.follow(await b.post(action, { password, confirm: password }));
}

/** The first verification: ID + password; returns the page the login continues on. */
export async function loginPage(b: Browser, u: GivenUser, password: string): Promise<Res> {
  await b.get('/login');
  return b.post('/login', { loginId: u.loginId, password });
}
