// Maintenance windows (S10): scheduled, changed and cancelled by an operator (CLI, console), announced from announce_from on the
// login page and the dashboard, enforced from starts_at to ends_at by the request hook in
// plugin.ts, over by themselves at ends_at. The database is the truth: every node reads it on each
// request, so every node agrees and nothing stale can extend a window.
import type { Db } from '../../db/index.ts';
import { newId } from '../../lib/index.ts';
import { DomainError, type ErrorCode, type FieldErrors } from '../../errors.ts';
import type { MessageParams } from '../../i18n/index.ts';
import { auditOperator, type OperatorActor } from '../../audit/log.ts';
import { announcedWindows, cancelWindow, findWindow, firstRelevantWindow, insertWindow, listWindows, updateWindow, type MaintenanceWindow } from './store.ts';

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
  return stateOf(await firstRelevantWindow(db, now), now);
}

/** The windows announced now, soonest first, and what the first one means for this request. */
export async function maintenanceNow(db: Db, now: number, limit = 10): Promise<{ state: MaintenanceState; windows: MaintenanceRow[] }> {
  const windows = await announcedWindows(db, now, limit);
  return { state: stateOf(windows[0], now), windows };
}

function stateOf(w: MaintenanceRow | undefined, now: number): MaintenanceState {
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

/** Who did it, for the audit log: an operator (console, API) or the CLI (userId null). */
export type OpsActor = OperatorActor;

/** A checked window, not written: what the console's preview shows and scheduling writes. */
export interface MaintenanceDraft { announceFrom: number; startsAt: number; endsAt: number; messageJa: string; messageEn: string }

/**
 * Checks a window (S10) and gives it back normalised, or throws one DomainError naming every
 * refused field (the first problem's code; `fields` has them all). Writes nothing.
 * `announceFrom` defaults to now (or the start, if that is earlier).
 */
export function checkMaintenance(input: ScheduleInput, now: number): MaintenanceDraft {
  const announceFrom = input.announceFrom ?? Math.min(now, input.startsAt);
  const messageJa = input.messageJa.trim();
  const messageEn = input.messageEn.trim();
  const fields: FieldErrors = {};
  let first: { code: ErrorCode; params: MessageParams } | undefined;
  const refuse = (field: string, code: ErrorCode, params: MessageParams = {}) => {
    (fields[field] ??= []).push({ key: code, params });
    first ??= { code, params };
  };
  if (!(input.endsAt > input.startsAt)) refuse('endsAt', 'portal.end_before_start');
  else if (input.endsAt <= now) refuse('endsAt', 'maintenance.already_over');
  if (announceFrom > input.startsAt) refuse('announceFrom', 'maintenance.announce_after_start');
  for (const [k, v] of [['messageJa', messageJa], ['messageEn', messageEn]] as const) {
    if (!v || v.length > MAX_MESSAGE) refuse(k, 'portal.text_invalid', { max: MAX_MESSAGE });
  }
  if (first) throw new DomainError(first.code, first.params, fields);
  return { announceFrom, startsAt: input.startsAt, endsAt: input.endsAt, messageJa, messageEn };
}

export async function scheduleMaintenance(db: Db, input: ScheduleInput, actor: OpsActor, now: number): Promise<MaintenanceWindow> {
  const d = checkMaintenance(input, now);
  const w: MaintenanceWindow = {
    id: newId(), announce_from: d.announceFrom, starts_at: d.startsAt, ends_at: d.endsAt,
    message_ja: d.messageJa, message_en: d.messageEn, cancelled_at: null, created_at: now,
  };
  await db.transaction().execute(async (trx) => {
    await insertWindow(trx, w);
    await auditOperator(trx, actor, 'maintenance.scheduled', { detail: { window: w.id, startsAt: w.starts_at, endsAt: w.ends_at } }, now);
  });
  return w;
}

/**
 * Changes a window that is neither cancelled nor over (a running one too: extend or shorten it).
 * Without `announceFrom` the window keeps its announcement time (or the start, if that moved
 * before it). One guarded write; every node sees it at the next request (plugin.ts reads no cache).
 */
export async function changeMaintenance(db: Db, id: string, input: ScheduleInput, actor: OpsActor, now: number): Promise<MaintenanceWindow> {
  const current = await findWindow(db, id);
  if (!current) throw new DomainError('common.not_found');
  const d = checkMaintenance({ ...input, announceFrom: input.announceFrom ?? Math.min(current.announce_from, input.startsAt) }, now);
  const changed = await db.transaction().execute(async (trx) => {
    const row = await updateWindow(trx, id, { announce_from: d.announceFrom, starts_at: d.startsAt, ends_at: d.endsAt, message_ja: d.messageJa, message_en: d.messageEn }, now);
    if (row) await auditOperator(trx, actor, 'maintenance.changed', { detail: { window: id, startsAt: d.startsAt, endsAt: d.endsAt } }, now);
    return row;
  });
  if (!changed) throw new DomainError('maintenance.not_changeable');
  return changed;
}

export async function maintenanceWindow(db: Db, id: string): Promise<MaintenanceWindow> {
  const w = await findWindow(db, id);
  if (!w) throw new DomainError('common.not_found');
  return w;
}

export async function listMaintenance(db: Db, now: number, includePast: boolean): Promise<MaintenanceWindow[]> {
  return listWindows(db, { now, includePast });
}

/** Cancels a window that is not over (a running one ends at once); audited. */
export async function cancelMaintenance(db: Db, id: string, actor: OpsActor, now: number): Promise<void> {
  const done = await db.transaction().execute(async (trx) => {
    const ok = await cancelWindow(trx, id, now);
    if (ok) await auditOperator(trx, actor, 'maintenance.cancelled', { detail: { window: id } }, now);
    return ok;
  });
  if (done) return;
  const w = await findWindow(db, id);
  if (!w) throw new DomainError('common.not_found');
  throw new DomainError('maintenance.not_cancellable');
}
