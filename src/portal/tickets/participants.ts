// Issue 24 item 4: who takes part in a ticket. Its author and the colleagues in copy (ticket_cc):
// each gets the provider's mails about it and may answer by mail from their own address. Only
// users of the ticket's organisation can be in copy (the whole organisation reads its tickets
// anyway, S9); a disabled user stays listed but gets no mail and no mail reply is taken from them.
import type { Db } from '../../db/index.ts';
import { DomainError } from '../../errors.ts';
import { publicUsersByIds, publicUsersOfOrganisation, type PublicUser } from '../../auth/service.ts';

/** Colleagues one ticket may have in copy (a small team, not a mailing list). */
export const MAX_CC = 10;

export async function ccUserIds(db: Db, ticketId: string): Promise<string[]> {
  return (await db.selectFrom('ticket_cc').select('user_id').where('ticket_id', '=', ticketId).orderBy('added_at').orderBy('user_id').execute()).map((r) => r.user_id);
}

/** The author first, then the colleagues in copy, as users (unknown ids left out). */
export async function participants(db: Db, ticket: { id: string; author_user_id: string }): Promise<PublicUser[]> {
  const cc = await ccUserIds(db, ticket.id);
  const users = await publicUsersByIds(db, [ticket.author_user_id, ...cc]);
  const byId = new Map(users.map((u) => [u.id, u]));
  return [ticket.author_user_id, ...cc].flatMap((id) => (byId.has(id) ? [byId.get(id)!] : []));
}

/** The colleagues a user may put in copy: active users of the organisation but the author. */
export async function ccChoices(db: Db, orgId: string, authorId: string): Promise<PublicUser[]> {
  return (await publicUsersOfOrganisation(db, orgId, 500)).filter((u) => u.id !== authorId && u.disabled_at === null);
}

/**
 * Checks a list of user ids to put in copy: each an active user of the organisation, not the author,
 * at most MAX_CC. An id that is not such a user answers like an unknown one (no enumeration of other
 * organisations' users).
 */
export async function checkCc(db: Db, orgId: string, authorId: string, ids: readonly string[]): Promise<string[]> {
  const unique = [...new Set(ids.filter(Boolean))].filter((id) => id !== authorId);
  if (unique.length > MAX_CC) throw new DomainError('common.field_errors', {}, { cc: [{ key: 'tickets.cc_too_many', params: { max: MAX_CC } }] });
  const users = await publicUsersByIds(db, unique);
  const ok = new Set(users.filter((u) => u.organisation_id === orgId && u.disabled_at === null).map((u) => u.id));
  if (unique.some((id) => !ok.has(id))) throw new DomainError('common.field_errors', {}, { cc: [{ key: 'tickets.unknown_choice' }] });
  return unique;
}

export async function addCc(db: Db, ticketId: string, userIds: readonly string[], addedBy: string | null, now: number): Promise<void> {
  const have = new Set(await ccUserIds(db, ticketId));
  for (const id of userIds) {
    if (have.has(id)) continue;
    await db.insertInto('ticket_cc').values({ ticket_id: ticketId, user_id: id, added_by: addedBy, added_at: now })
      .onConflict((oc) => oc.columns(['ticket_id', 'user_id']).doNothing()).execute();
  }
}

export async function removeCc(db: Db, ticketId: string, userId: string): Promise<boolean> {
  const r = await db.deleteFrom('ticket_cc').where('ticket_id', '=', ticketId).where('user_id', '=', userId).executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}
