// Calendar feed tokens (issue 24 item 3), Kysely only. The secret is never stored: only its SHA-256.
import type { Db } from '../../db/index.ts';
import type { CalendarTokenTable } from '../../db/schema.ts';

export async function activeTokenOf(db: Db, userId: string): Promise<CalendarTokenTable | undefined> {
  return db.selectFrom('calendar_token').selectAll().where('user_id', '=', userId).where('revoked_at', 'is', null)
    .orderBy('created_at', 'desc').executeTakeFirst();
}

export async function findToken(db: Db, id: string): Promise<CalendarTokenTable | undefined> {
  return db.selectFrom('calendar_token').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function insertToken(db: Db, row: CalendarTokenTable): Promise<void> {
  await db.insertInto('calendar_token').values(row).execute();
}

/** Revokes every live token of the user; the number revoked. */
export async function revokeTokensOf(db: Db, userId: string, now: number): Promise<number> {
  const r = await db.updateTable('calendar_token').set({ revoked_at: now }).where('user_id', '=', userId).where('revoked_at', 'is', null).executeTakeFirst();
  return Number(r.numUpdatedRows);
}

/** Records use at most once an hour (a feed is polled often; one write per poll is waste). */
export async function touchToken(db: Db, id: string, now: number): Promise<void> {
  await db.updateTable('calendar_token').set({ last_used_at: now }).where('id', '=', id).where('revoked_at', 'is', null)
    .where((eb) => eb.or([eb('last_used_at', 'is', null), eb('last_used_at', '<', now - 3_600_000)])).execute();
}
