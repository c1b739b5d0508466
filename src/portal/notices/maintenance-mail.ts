// The maintenance mail (issue 24 item 3): when a maintenance or outage notice aimed at contracts is
// published or changes status, every enabled user who may see at least one affected contract gets
// one mail naming only those contracts, with the same .ics the calendar feed serves. Who may see is
// the contract rule (access.ts, contractScope per user); a user who sees none of them gets nothing.
// Per-user subscriptions are issue 24 item 2: until then, every such user is mailed.
import type { Db } from '../../db/index.ts';
import { findOrganisation, profileFor, publicUsersOfOrganisation, type PublicUser } from '../../auth/service.ts';
import { queueMail } from '../../mail/service.ts';
import { contractScope } from '../access.ts';
import { findNotice } from './store.ts';
import { contractOrganisationsOf } from './targets-store.ts';
import { MAINT_KINDS, maintCalendar, maintEvents, type MaintSetting } from './maintnote.ts';

/** Users looked at per organisation: far above any customer's portal users. */
const MAX_USERS_PER_ORG = 100_000;

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

/** Queues the mails inside the caller's transaction; returns how many were queued. */
export async function mailAffectedUsers(db: Db, noticeId: string, reason: 'published' | 'status', s: MaintSetting, now: number): Promise<number> {
  const notice = await findNotice(db, noticeId);
  if (!notice || notice.withdrawn_at !== null || !MAINT_KINDS.has(notice.kind)) return 0;
  let queued = 0;
  for (const u of await candidates(db, noticeId)) {
    const scope = await contractScope(db, { userId: u.id, organisationId: u.organisation_id, role: u.role });
    const { events, affected } = await maintEvents(db, scope, [notice], s, u.lang);
    if (!events.length) continue;
    const org = await findOrganisation(db, u.organisation_id);
    const ics = maintCalendar(u.lang === 'en' ? notice.title_en : notice.title_ja, events);
    await queueMail(db, { to: u.email, userId: u.id, lang: u.lang }, 'maintenance_notice', {
      profileName: profileFor(org?.profile ?? 'business').displayName[u.lang], userName: u.name,
      title: u.lang === 'en' ? notice.title_en : notice.title_ja, status: notice.status, reason,
      startsAt: notice.starts_at, endsAt: notice.ends_at,
      contracts: affected.map((a) => ({ number: a.number, impact: a.impact })),
      noticeUrl: new URL(`/portal/notices/${notice.id}`, s.publicUrl).toString(),
    }, now, { attachment: { filename: `maintenance-${notice.id}.ics`, contentType: 'text/calendar; charset=utf-8; method=PUBLISH', content: Buffer.from(ics, 'utf8') } });
    queued++;
  }
  return queued;
}
