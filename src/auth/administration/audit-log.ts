// The audit log as admins read it (S13): rows of their manageable organisations only, filtered by
// user, event and a date range in Japan time, newest first in a stable order, 50 per page, and a
// CSV export of the same filter. The export itself is audited (who took which rows out, and when).
// In auth because it joins users and organisations (identity's tables) and applies the admin's
// organisation scope; admin's pages call it through src/auth/service.ts.
import { sql } from 'kysely';
import type { AppContext } from '../../context.ts';
import { DomainError, type FieldErrors } from '../../errors.ts';
import { AUDIT_EVENTS, audit, type AuditEvent } from '../../audit/log.ts';
import type { AdminRef } from '../tenancy/admin-scope.ts';
import { orgScope, type AdminActor } from '../tenancy/admin-scope.ts';

export const AUDIT_PAGE_SIZE = 50;
/** Asia/Tokyo is UTC+9 all year (no daylight saving since 1951), so a fixed offset is exact. */
const JST_OFFSET_MS = 9 * 3_600_000;
const DAY_MS = 86_400_000;
const MAX_PAGE = 10_000;

export interface AuditFilterInput { user?: string | undefined; event?: string | undefined; from?: string | undefined; to?: string | undefined; org?: string | undefined; page?: string | undefined }
export interface AuditFilter { loginId?: string; event?: AuditEvent; fromMs?: number; toMs?: number; orgId?: string; page: number }

export interface AuditListRow {
  id: string; at: number; event: string; factor: string | null; ip: string; detail: string;
  /** Aggregated rows (item 43): how many times, and the last time (null for a single event). */
  repeat_count: number; last_at: number | null;
  actor_login_id: string | null; subject_login_id: string | null; organisation_name: string | null;
}

/** Midnight (00:00 JST) of a yyyy-mm-dd day as epoch ms; null for anything that is not a real date. */
export function jstDayStart(day: string): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const utc = Date.UTC(y, mo - 1, d);
  const back = new Date(utc);
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d) return null; // 2024-02-30
  return utc - JST_OFFSET_MS;
}

/** ISO 8601 in Japan time, e.g. 2025-04-01T09:30:00+09:00 (what a spreadsheet user expects). */
export function jstIso(ms: number): string {
  return new Date(ms + JST_OFFSET_MS).toISOString().slice(0, 19) + '+09:00';
}

export function parseAuditFilter(raw: AuditFilterInput): AuditFilter {
  const fields: FieldErrors = {};
  const f: AuditFilter = { page: 1 };
  const loginId = raw.user?.trim();
  if (loginId) f.loginId = loginId;
  if (raw.event) {
    if ((AUDIT_EVENTS as readonly string[]).includes(raw.event)) f.event = raw.event as AuditEvent;
    else fields.event = [{ key: 'admin.audit.event_invalid' }];
  }
  if (raw.from) {
    const ms = jstDayStart(raw.from);
    if (ms === null) fields.from = [{ key: 'admin.audit.date_invalid' }];
    else f.fromMs = ms;
  }
  if (raw.to) {
    const ms = jstDayStart(raw.to);
    if (ms === null) fields.to = [{ key: 'admin.audit.date_invalid' }];
    else f.toMs = ms + DAY_MS; // the whole "to" day is included: exclusive end at the next midnight
  }
  if (f.fromMs !== undefined && f.toMs !== undefined && f.fromMs >= f.toMs) fields.to = [{ key: 'admin.audit.range_invalid' }];
  if (raw.org) f.orgId = raw.org;
  if (raw.page) {
    const p = Number(raw.page);
    if (!Number.isInteger(p) || p < 1 || p > MAX_PAGE) fields.page = [{ key: 'common.bad_request' }];
    else f.page = p;
  }
  if (Object.keys(fields).length) throw new DomainError('common.field_errors', {}, fields);
  return f;
}

async function filteredQuery(ctx: AppContext, admin: AdminRef, f: AuditFilter) {
  const ids = await orgScope(ctx, admin, f.orgId);
  let q = ctx.db.selectFrom('audit_log')
    .leftJoin('app_user as actor', 'actor.id', 'audit_log.actor_user_id')
    .leftJoin('app_user as subject', 'subject.id', 'audit_log.subject_user_id')
    .leftJoin('organisation', 'organisation.id', 'audit_log.organisation_id')
    .select([
      'audit_log.id', 'audit_log.at', 'audit_log.event', 'audit_log.factor', 'audit_log.ip', 'audit_log.detail',
      'audit_log.repeat_count', 'audit_log.last_at',
      'actor.login_id as actor_login_id', 'subject.login_id as subject_login_id', 'organisation.name as organisation_name',
    ])
    // Tenancy (SECURITY.md item 34): only rows about a manageable organisation or one of its users.
    .where((eb) => ids.length
      ? eb.or([eb('audit_log.organisation_id', 'in', ids), eb('subject.organisation_id', 'in', ids)])
      : sql<boolean>`1 = 0`);
  if (f.loginId) {
    const users = ctx.db.selectFrom('app_user').select('app_user.id')
      .where(sql<boolean>`lower(${sql.ref('app_user.login_id')}) = lower(${f.loginId})`)
      .where('app_user.organisation_id', 'in', ids.length ? ids : ['']);
    q = q.where((eb) => eb.or([eb('audit_log.subject_user_id', 'in', users), eb('audit_log.actor_user_id', 'in', users)]));
  }
  if (f.event) q = q.where('audit_log.event', '=', f.event);
  if (f.fromMs !== undefined) q = q.where('audit_log.at', '>=', f.fromMs);
  if (f.toMs !== undefined) q = q.where('audit_log.at', '<', f.toMs);
  return q;
}

/** One page, newest first; `id` breaks ties so rows never move between pages. */
export async function auditPage(ctx: AppContext, admin: AdminRef, f: AuditFilter): Promise<{ rows: AuditListRow[]; hasNext: boolean }> {
  const q = await filteredQuery(ctx, admin, f);
  const rows = await q.orderBy('audit_log.at', 'desc').orderBy('audit_log.id', 'desc')
    .limit(AUDIT_PAGE_SIZE + 1).offset((f.page - 1) * AUDIT_PAGE_SIZE).execute();
  return { rows: rows.slice(0, AUDIT_PAGE_SIZE), hasNext: rows.length > AUDIT_PAGE_SIZE };
}

const EXPORT_BATCH = 1000;

/**
 * Checks the scope, records the export (S13: who took which rows out, when, from where), and returns
 * every matching row in batches: keyset on (at, id), so the export never holds the whole log in
 * memory and rows written meanwhile do not shift the batches.
 */
export async function startAuditExport(ctx: AppContext, actor: AdminActor, f: AuditFilter): Promise<AsyncGenerator<AuditListRow[]>> {
  const now = ctx.now();
  await orgScope(ctx, actor.user, f.orgId); // a foreign organisation is refused before anything is sent
  await audit(ctx.db, { event: 'audit.exported', actorUserId: actor.user.id, organisationId: actor.user.organisation_id, ip: actor.ip, detail: exportDetail(f) }, now);
  return batches(ctx, actor.user, f, now);
}

async function* batches(ctx: AppContext, admin: AdminRef, f: AuditFilter, until: number): AsyncGenerator<AuditListRow[]> {
  let after: { at: number; id: string } | null = null;
  for (;;) {
    let q = (await filteredQuery(ctx, admin, f)).where('audit_log.at', '<=', until);
    if (after) {
      const a: { at: number; id: string } = after;
      q = q.where((eb) => eb.or([eb('audit_log.at', '<', a.at), eb.and([eb('audit_log.at', '=', a.at), eb('audit_log.id', '<', a.id)])]));
    }
    const rows = await q.orderBy('audit_log.at', 'desc').orderBy('audit_log.id', 'desc').limit(EXPORT_BATCH).execute();
    if (rows.length) yield rows;
    if (rows.length < EXPORT_BATCH) return;
    const last = rows[rows.length - 1]!;
    after = { at: last.at, id: last.id };
  }
}

function exportDetail(f: AuditFilter): Record<string, string | number | null> {
  return { user: f.loginId ?? null, event: f.event ?? null, from: f.fromMs ?? null, to: f.toMs ?? null, org: f.orgId ?? null };
}
