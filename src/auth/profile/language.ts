// The user's own display language (issue 20 item 7): the one thing of their profile they change
// themselves. app_user.lang is also the language of every mail the portal sends them
// (queueMail(…, { lang: user.lang })), so one choice covers pages and mails.
import type { AppContext } from '../../context.ts';
import { DomainError } from '../../errors.ts';
import { audit } from '../../audit/log.ts';
import { isLang, type Lang } from '../../i18n/index.ts';
import type { UserRow } from '../users/store.ts';

/** Sets the language; refuses anything but ja/en with a field error. Returns the language now in force. */
export async function setOwnLanguage(ctx: AppContext, user: UserRow, lang: string, ip: string): Promise<Lang> {
  if (!isLang(lang)) throw new DomainError('common.field_errors', {}, { lang: [{ key: 'profile.language_invalid' }] });
  if (lang === user.lang) return lang;
  const now = ctx.now();
  await ctx.db.transaction().execute(async (trx) => {
    await trx.updateTable('app_user').set({ lang, updated_at: now }).where('id', '=', user.id).execute();
    await audit(trx, { event: 'profile.language_changed', actorUserId: user.id, subjectUserId: user.id, organisationId: user.organisation_id, ip, detail: { from: user.lang, to: lang } }, now);
  });
  return lang;
}
