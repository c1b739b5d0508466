// iCalendar (RFC 5545) text for maintenance notices in the BCOP «MAINTNOTE» format (the Maintenance
// Notification BCOP of the NANOG/EuroIX community): one VEVENT per maintenance, with
// X-MAINTNOTE-PROVIDER, -ACCOUNT, -MAINTENANCE-ID, one -OBJECT-ID per affected object (here the
// contract number), -IMPACT and -STATUS, which circuit-maintenance parsers read. Pure: text in,
// text out; escaping (§3.3.11), line folding at 75 octets (§3.1) and UTC times (§3.3.5) live here.

export type MaintImpact = 'NO-IMPACT' | 'REDUCED-REDUNDANCY' | 'DEGRADED' | 'OUTAGE';
export type MaintStatus = 'TENTATIVE' | 'CONFIRMED' | 'CANCELLED' | 'IN-PROCESS' | 'COMPLETED';

export interface MaintEvent {
  /** Globally unique and stable across updates (RFC 5545 §3.8.4.7). */
  uid: string;
  /** Increases with every change the recipient should apply (§3.8.7.4). */
  sequence: number;
  /** When this text was made or the notice last changed (epoch ms). */
  stamp: number;
  start: number;
  /** A notice «until further notice» has no end; MAINTNOTE needs one (see docs/notices.md). */
  end: number;
  summary: string;
  description: string;
  url?: string;
  /** mailto: URI of the provider's contact (ORGANIZER is required by the BCOP). */
  organizer: string;
  provider: string;
  account: string;
  maintenanceId: string;
  objectIds: string[];
  impact: MaintImpact;
  status: MaintStatus;
}

/** TEXT value escaping, RFC 5545 §3.3.11: backslash, semicolon, comma, newline. */
export function escapeText(s: string): string {
  return s.replace(/\\/g, '\\\\').replace(/;/g, '\\;').replace(/,/g, '\\,').replace(/\r\n|\r|\n/g, '\\n')
    // Other control characters are not allowed in TEXT (§3.3.11 ESCAPED-CHAR / TSAFE-CHAR).
    .replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, '');
}

/**
 * Folds a content line at 75 octets (§3.1): continuation lines start with one space. Splits between
 * characters, never inside a UTF-8 sequence (a surrogate pair counts as one character).
 */
export function foldLine(line: string): string {
  const out: string[] = [];
  let cur = '';
  let octets = 0;
  for (const ch of line) {
    const n = Buffer.byteLength(ch, 'utf8');
    const limit = out.length === 0 ? 75 : 74; // a continuation's leading space is one of its 75
    if (octets + n > limit) { out.push(cur); cur = ''; octets = 0; }
    cur += ch; octets += n;
  }
  out.push(cur);
  return out.join('\r\n ');
}

/** DATE-TIME in UTC form, §3.3.5: 20261203T060000Z. */
export function utc(ms: number): string {
  return new Date(ms).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

const STANDARD_STATUS: Record<MaintStatus, 'TENTATIVE' | 'CONFIRMED' | 'CANCELLED'> = {
  TENTATIVE: 'TENTATIVE', CONFIRMED: 'CONFIRMED', 'IN-PROCESS': 'CONFIRMED', COMPLETED: 'CONFIRMED', CANCELLED: 'CANCELLED',
};

function eventLines(e: MaintEvent): string[] {
  const lines = [
    'BEGIN:VEVENT',
    `UID:${escapeText(e.uid)}`,
    `SEQUENCE:${e.sequence}`,
    `DTSTAMP:${utc(e.stamp)}`,
    `DTSTART:${utc(e.start)}`,
    `DTEND:${utc(e.end)}`,
    `SUMMARY:${escapeText(e.summary)}`,
    `DESCRIPTION:${escapeText(e.description)}`,
    `ORGANIZER:${e.organizer}`,
    // The calendar's own STATUS (VEVENT allows three values); MAINTNOTE's carries the detail.
    `STATUS:${STANDARD_STATUS[e.status]}`,
    'TRANSP:TRANSPARENT',
  ];
  if (e.url) lines.push(`URL:${e.url}`);
  lines.push(
    `X-MAINTNOTE-PROVIDER:${escapeText(e.provider)}`,
    `X-MAINTNOTE-ACCOUNT:${escapeText(e.account)}`,
    `X-MAINTNOTE-MAINTENANCE-ID:${escapeText(e.maintenanceId)}`,
    ...e.objectIds.map((o) => `X-MAINTNOTE-OBJECT-ID:${escapeText(o)}`),
    `X-MAINTNOTE-IMPACT:${e.impact}`,
    `X-MAINTNOTE-STATUS:${e.status}`,
    'END:VEVENT',
  );
  return lines;
}

/** A whole VCALENDAR (METHOD:PUBLISH), CRLF line ends, every line folded. */
export function calendarText(o: { name: string; events: readonly MaintEvent[] }): string {
  const lines = [
    'BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//bizportal//maintenance calendar//EN', 'CALSCALE:GREGORIAN', 'METHOD:PUBLISH',
    `X-WR-CALNAME:${escapeText(o.name)}`,
    ...o.events.flatMap(eventLines),
    'END:VCALENDAR',
  ];
  return lines.map(foldLine).join('\r\n') + '\r\n';
}
