// The maintenance mail (issue 24 items 2 and 3): when a maintenance or outage notice aimed at
// contracts is published, changes status or period, or reaches a reminder time, each recipient gets
// one mail naming only their contracts, with the same .ics the calendar feed serves.
// - Users: every enabled user who may see at least one affected contract (access.ts, contractScope
//   per user, read now), narrowed by their subscription (subscriptions.ts): scope, impact, events.
//   A subscription never widens what the contract rule allows.
// - Technical contacts (contacts.ts): for the contracts they were added to, still of the
//   organisation they were added for; one mail per address and organisation listing those contracts,
//   in the organisation's language, with an unsubscribe link. They are not users (no portal link).
// Queued in the caller's transaction (the outbox, SPEC S1).
import type { Db } from '../../db/index.ts';
import { findOrganisation, profileFor, publicUsersOfOrganisation, type PublicUser } from '../../auth/service.ts';
import { queueMail, type MailLang } from '../../mail/service.ts';
import { contractScope } from '../access.ts';
import { findNotice, type NoticeRow } from './store.ts';
import { affectedOf, contractOrganisationsOf, statusEventCounts, type AffectedRow } from './targets-store.ts';
import { MAINT_KINDS, maintCalendar, maintEvent, maintEvents, type MaintSetting } from './maintnote.ts';
import { eventOf, subscriptionKeeps, subscriptionsOf, type MailEvent } from './subscriptions.ts';
import { contactsOfNotice } from './subscriptions-store.ts';
import { unsubscribeToken } from './contacts.ts';
import type { ReminderMoment } from '../../db/schema.ts';

/** Users looked at per organisation: far above any customer's portal users. */
const MAX_USERS_PER_ORG = 100_000;

/** What mailing needs beyond the calendar's setting: the key the contacts' unsubscribe links are signed with (SECRET_KEY). */
export interface NoticeMailSetting extends MaintSetting { secretKey: Buffer }

/** Which mail: a publication, a status change, a change of period, or a reminder. */
export type NoticeMailEvent = { kind: 'published' | 'status' | 'changed' } | { kind: 'reminder'; moment: ReminderMoment; leadHours: number };

/** The affected contracts' organisations and their parents (a partner's admins see their children's contracts). */
async function candidates(db: Db, noticeId: string): Promise<PublicUser[]> {
  const orgIds = new Set(await contractOrganisationsOf(db, noticeId));
  for (const id of [...orgIds]) {
    const parent = (await findOrganisation(db, id))?.parent_id;
    if (parent) orgIds.add(parent);
  }
  const users: PublicUser[] = [];
  for (const id of orgIds) users.push(...await publicUsersOfOrganisation(db, id, MAX_USERS_PER_ORG));
  return users.filter((u) => u.disabled_at === null);
}

/**
 * An organisation's language for people who are not users (its technical contacts): English when
 * most of its enabled users chose English, else Japanese (the portal's default). Decision 063.
 */
function organisationLang(users: readonly PublicUser[], orgId: string): MailLang {
  const own = users.filter((u) => u.organisation_id === orgId);
  return own.filter((u) => u.lang === 'en').length * 2 > own.length ? 'en' : 'ja';
}

async function queueOne(db: Db, to: { to: string; userId: string | null; lang: MailLang }, ev: NoticeMailEvent, notice: NoticeRow, base: {
  profileName: string; userName: string; contracts: readonly AffectedRow[]; noticeUrl: string | null; settingsUrl: string | null; unsubscribeUrl: string | null; ics: string;
}, now: number): Promise<void> {
  const common = {
    profileName: base.profileName, userName: base.userName, title: to.lang === 'en' ? notice.title_en : notice.title_ja, status: notice.status,
    startsAt: notice.starts_at, endsAt: notice.ends_at, contracts: base.contracts.map((a) => ({ number: a.number, impact: a.impact })),
    noticeUrl: base.noticeUrl, settingsUrl: base.settingsUrl, unsubscribeUrl: base.unsubscribeUrl,
  };
  const attachment = {
    attachment: { filename: `maintenance-${notice.id}.ics`, contentType: 'text/calendar; charset=utf-8; method=PUBLISH', content: Buffer.from(base.ics, 'utf8') },
    // A contact's mail: the mail provider's «unsubscribe» button posts to the one-click address (RFC 8058).
    listUnsubscribe: base.unsubscribeUrl ? `${base.unsubscribeUrl}/one-click` : null,
  };
  if (ev.kind === 'reminder') await queueMail(db, to, 'maintenance_reminder', { ...common, moment: ev.moment, leadHours: ev.leadHours }, now, attachment);
  else await queueMail(db, to, 'maintenance_notice', { ...common, reason: ev.kind }, now, attachment);
}

/** Queues the mails of one event inside the caller's transaction; returns how many were queued. */
export async function mailNoticeEvent(db: Db, noticeId: string, ev: NoticeMailEvent, s: NoticeMailSetting, now: number): Promise<number> {
  const notice = await findNotice(db, noticeId);
  if (!notice || notice.withdrawn_at !== null || !MAINT_KINDS.has(notice.kind)) return 0;
  let queued = 0;
  const users = await candidates(db, noticeId);
  const subs = await subscriptionsOf(db, users.map((u) => u.id));
  const wanted = eventOf(ev.kind === 'reminder' ? 'reminder' : ev.kind as MailEvent);
  const title = (lang: MailLang) => (lang === 'en' ? notice.title_en : notice.title_ja);
  const orgs = new Map<string, Awaited<ReturnType<typeof findOrganisation>>>();
  const orgOf = async (id: string) => { if (!orgs.has(id)) orgs.set(id, await findOrganisation(db, id)); return orgs.get(id); };

  for (const u of users) {
    const sub = subs.get(u.id)!;
    if (!sub.events.includes(wanted)) continue;
    const scope = await contractScope(db, { userId: u.id, organisationId: u.organisation_id, role: u.role });
    // The contracts the user may see now, then only those the subscription keeps.
    const { events, affected } = await maintEvents(db, scope, [notice], s, u.lang, (a) => subscriptionKeeps(sub, a));
    if (!events.length) continue;
    const org = await orgOf(u.organisation_id);
    await queueOne(db, { to: u.email, userId: u.id, lang: u.lang }, ev, notice, {
      profileName: profileFor(org?.profile ?? 'business').displayName[u.lang], userName: u.name, contracts: affected,
      noticeUrl: new URL(`/portal/notices/${notice.id}`, s.publicUrl).toString(), settingsUrl: new URL('/portal/subscriptions', s.publicUrl).toString(),
      unsubscribeUrl: null, ics: maintCalendar(title(u.lang), events),
    }, now);
    queued++;
  }

  // Technical contacts: one mail per (organisation, address), naming only their contracts.
  const contacts = await contactsOfNotice(db, noticeId);
  if (contacts.length) {
    const affected = await affectedOf(db, [noticeId]);
    const statusEvents = (await statusEventCounts(db, [noticeId])).get(noticeId) ?? 0;
    const groups = new Map<string, typeof contacts>();
    for (const c of contacts) groups.set(`${c.organisation_id}\n${c.email}`, [...(groups.get(`${c.organisation_id}\n${c.email}`) ?? []), c]);
    for (const group of groups.values()) {
      const first = group[0]!;
      const ids = new Set(group.map((c) => c.contract_id));
      const mine = affected.filter((a) => ids.has(a.contract_id) && a.organisation_id === first.organisation_id);
      if (!mine.length) continue;
      const lang = organisationLang(users, first.organisation_id);
      const org = await orgOf(first.organisation_id);
      const event = maintEvent(notice, mine, statusEvents, s, lang, first.organisation_id);
      await queueOne(db, { to: first.email, userId: null, lang }, ev, notice, {
        profileName: profileFor(org?.profile ?? 'business').displayName[lang], userName: first.name, contracts: mine,
        noticeUrl: null, settingsUrl: null,
        unsubscribeUrl: new URL(`/notices/unsubscribe/${unsubscribeToken(s.secretKey, first.id)}`, s.publicUrl).toString(),
        ics: maintCalendar(title(lang), [event]),
      }, now);
      queued++;
    }
  }
  return queued;
}
