// Maintenance notices as BCOP MAINTNOTE calendar events (issue 24 item 3), for one reader: only the
// affected contracts the reader's scope may see (access.ts) become OBJECT-IDs, and a notice with
// none of them is no event at all. The calendar feed and the maintenance mail's .ics both come from
// here, so they cannot disagree with each other or with the portal's pages.
import type { Db } from '../../db/index.ts';
import type { NoticeImpact, NoticeStatus } from '../../db/schema.ts';
import type { ContractScope } from '../access.ts';
import { calendarText, type MaintEvent, type MaintImpact, type MaintStatus } from '../calendar/ical.ts';
import type { NoticeRow } from './store.ts';
import { statusEventCounts, visibleAffectedOf, type AffectedRow } from './targets-store.ts';
import { NOTICE_IMPACTS } from './targets.ts';

/** Where links point and who the provider is (from the configuration: PUBLIC_URL, MAIL_FROM). */
export interface MaintSetting { publicUrl: string; mailFrom: string }

const IMPACT: Record<NoticeImpact, MaintImpact> = { outage: 'OUTAGE', degraded: 'DEGRADED', reduced_redundancy: 'REDUCED-REDUNDANCY', none: 'NO-IMPACT' };
const STATUS: Record<NoticeStatus, MaintStatus> = { tentative: 'TENTATIVE', confirmed: 'CONFIRMED', in_progress: 'IN-PROCESS', completed: 'COMPLETED', cancelled: 'CANCELLED' };
const DAY = 86_400_000;

/** Kinds that are maintenance in the BCOP's sense: planned work and outages, not information. */
export const MAINT_KINDS = new Set(['construction', 'outage']);

export function providerOf(s: MaintSetting): string { return new URL(s.publicUrl).hostname; }
function organizerOf(s: MaintSetting): string {
  const addr = /<([^<>]+)>\s*$/.exec(s.mailFrom)?.[1] ?? s.mailFrom.trim();
  return `mailto:${addr}`;
}

/** The most severe impact among these rows (MAINTNOTE has one IMPACT per event). */
export function worstImpact(rows: ReadonlyArray<{ impact: NoticeImpact }>): NoticeImpact {
  return NOTICE_IMPACTS.find((i) => rows.some((r) => r.impact === i)) ?? 'none';
}

/**
 * One event per notice that affects a contract the scope sees. SEQUENCE counts status changes and
 * edits (seconds since publication of the last change: only ever grows); an open end is shown as
 * one day (MAINTNOTE requires DTEND; the description says «until further notice»). `keep` narrows
 * the contracts further (a user's subscription, issue 24 item 2); it never widens the scope.
 */
export async function maintEvents(db: Db, scope: ContractScope, rows: readonly NoticeRow[], s: MaintSetting, lang: 'ja' | 'en', keep?: (a: AffectedRow) => boolean): Promise<{ events: MaintEvent[]; affected: AffectedRow[] }> {
  const maint = rows.filter((r) => MAINT_KINDS.has(r.kind));
  const ids = maint.map((r) => r.id);
  const [visible, counts] = await Promise.all([visibleAffectedOf(db, scope, ids), statusEventCounts(db, ids)]);
  const affected = keep ? visible.filter(keep) : visible;
  const events: MaintEvent[] = [];
  for (const r of maint) {
    const mine = affected.filter((a) => a.notice_id === r.id);
    if (mine.length) events.push(maintEvent(r, mine, counts.get(r.id) ?? 0, s, lang, scope.organisationId));
  }
  return { events, affected };
}

/** One notice's event naming exactly `mine` (contracts already decided for the reader) under `account`. */
export function maintEvent(r: NoticeRow, mine: readonly AffectedRow[], statusEvents: number, s: MaintSetting, lang: 'ja' | 'en', account: string): MaintEvent {
  const provider = providerOf(s);
  const changed = r.updated_at ?? r.published_at;
  const lines = mine.map((a) => `${a.number}: ${IMPACT[a.impact]}`).join('\n');
  const body = lang === 'en' ? r.body_en : r.body_ja;
  return {
    uid: `${r.id}@${provider}`,
    sequence: Math.max(0, Math.floor((changed - r.published_at) / 1000)) + statusEvents,
    stamp: changed, start: r.starts_at, end: r.ends_at ?? r.starts_at + DAY,
    summary: lang === 'en' ? r.title_en : r.title_ja,
    description: `${body}\n\n${lines}${r.ends_at === null ? (lang === 'en' ? '\n(until further notice)' : '\n（終了未定）') : ''}`,
    url: new URL(`/portal/notices/${r.id}`, s.publicUrl).toString(),
    organizer: organizerOf(s), provider, account, maintenanceId: r.id,
    objectIds: mine.map((a) => a.number), impact: IMPACT[worstImpact(mine)], status: STATUS[r.status],
  };
}

export function maintCalendar(name: string, events: readonly MaintEvent[]): string {
  return calendarText({ name, events });
}
