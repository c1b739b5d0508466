// Maintenance windows (S10): scheduled by an operator (CLI), announced from announce_from on the
// login page and the dashboard, enforced from starts_at to ends_at by the request hook in
// plugin.ts, over by themselves at ends_at. The database is the truth: every node reads it on each
// request, so every node agrees and nothing stale can extend a window.
import type { Db } from '../../db/index.ts';
import { newId } from '../../lib/index.ts';
import { DomainError } from '../../errors.ts';
import { announcedWindows, cancelWindow, findWindow, firstRelevantWindow, insertWindow, listWindows, type MaintenanceWindow } from './store.ts';

export type { MaintenanceWindow } from './store.ts';
/** The dashboard's name for a window row. */
export type MaintenanceRow = MaintenanceWindow;

export const MAX_MESSAGE = 2000;

export interface ScheduleInput {
  startsAt: number; endsAt: number;
  /** Default: now (announced at once). */
  announceFrom?: number;
  messageJa: string; messageEn: string;
}

export type MaintenanceState =
  | { kind: 'none' }
  | { kind: 'announced'; window: MaintenanceWindow }
  | { kind: 'active'; window: MaintenanceWindow; retryAfterSeconds: number };

/** What the portal is at `now`: in a window (start <= now < end), announcing one, or neither. */
export async function maintenanceState(db: Db, now: number): Promise<MaintenanceState> {
  const w = await firstRelevantWindow(db, now);
  if (!w) return { kind: 'none' };
  if (w.starts_at <= now) return { kind: 'active', window: w, retryAfterSeconds: Math.max(1, Math.ceil((w.ends_at - now) / 1000)) };
  return { kind: 'announced', window: w };
}

/**
 * For the dashboard: windows not cancelled whose announcement has begun and which have not ended
 * (announce_from <= now < ends_at), soonest first. A running one is listed too, though the portal
 * answers the maintenance page then.
 */
export async function upcomingMaintenance(db: Db, now: number, limit = 10): Promise<MaintenanceRow[]> {
  return announcedWindows(db, now, limit);
}

export async function scheduleMaintenance(db: Db, input: ScheduleInput, now: number): Promise<MaintenanceWindow> {
  const announceFrom = input.announceFrom ?? Math.min(now, input.startsAt);
  const messageJa = input.messageJa.trim();
  const messageEn = input.messageEn.trim();
  if (!(input.endsAt > input.startsAt)) throw new DomainError('portal.end_before_start');
  if (announceFrom > input.startsAt) throw new DomainError('maintenance.announce_after_start');
  if (input.endsAt <= now) throw new DomainError('maintenance.already_over');
  if (!messageJa || !messageEn || messageJa.length > MAX_MESSAGE || messageEn.length > MAX_MESSAGE) throw new DomainError('portal.text_invalid', { max: MAX_MESSAGE });
  const w: MaintenanceWindow = {
    id: newId(), announce_from: announceFrom, starts_at: input.startsAt, ends_at: input.endsAt,
    message_ja: messageJa, message_en: messageEn, cancelled_at: null, created_at: now,
  };
  await insertWindow(db, w);
  return w;
}

export async function listMaintenance(db: Db, now: number, includePast: boolean): Promise<MaintenanceWindow[]> {
  return listWindows(db, { now, includePast });
}

/** Cancels a window that is not over (a running one ends at once). */
export async function cancelMaintenance(db: Db, id: string, now: number): Promise<void> {
  if (await cancelWindow(db, id, now)) return;
  const w = await findWindow(db, id);
  if (!w) throw new DomainError('common.not_found');
  throw new DomainError('maintenance.not_cancellable');
}
