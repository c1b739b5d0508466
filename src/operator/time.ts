// The console's date-time fields (<input type="datetime-local">) carry no offset; operators and
// customers work in Japan time, as every time the portal shows (formatDateTime: Asia/Tokyo, "JST"),
// so a field's value is read and written as JST (UTC+9, no daylight saving).
const JST_MS = 9 * 3_600_000;
const LOCAL = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/;

/** 'YYYY-MM-DDTHH:MM[:SS]' in JST → epoch ms; null for anything else or an impossible date (02-30). */
export function parseJstLocal(value: string): number | null {
  const m = LOCAL.exec(value.trim());
  if (!m) return null;
  const [y, mo, d, h, mi, s] = [m[1], m[2], m[3], m[4], m[5], m[6] ?? '0'].map(Number) as [number, number, number, number, number, number];
  const utc = Date.UTC(y, mo - 1, d, h, mi, s);
  const back = new Date(utc);
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d || back.getUTCHours() !== h || back.getUTCMinutes() !== mi) return null;
  return utc - JST_MS;
}

/** epoch ms → the value of a datetime-local field in JST ('YYYY-MM-DDTHH:MM'). */
export function toJstLocal(ms: number): string {
  return new Date(ms + JST_MS).toISOString().slice(0, 16);
}

const ISO_OFFSET = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::\d{2}(?:\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/;

/**
 * A time from a console form or the operator API: a datetime-local value (JST), or ISO 8601 with an
 * offset (2026-03-03T15:00:00Z) for API clients; null for anything else.
 */
export function parseConsoleTime(value: string): number | null {
  const v = value.trim();
  const m = ISO_OFFSET.exec(v);
  if (!m) return parseJstLocal(v);
  const ms = Date.parse(v);
  if (Number.isNaN(ms)) return null;
  // Date.parse rolls 02-30 over to March: the fields must survive the round trip in their own offset.
  const off = m[6] === 'Z' ? 0 : (m[6]![0] === '-' ? -1 : 1) * (Number(m[6]!.slice(1, 3)) * 60 + Number(m[6]!.slice(4, 6)));
  const local = new Date(ms + off * 60_000);
  const same = local.getUTCFullYear() === Number(m[1]) && local.getUTCMonth() + 1 === Number(m[2]) && local.getUTCDate() === Number(m[3])
    && local.getUTCHours() === Number(m[4]) && local.getUTCMinutes() === Number(m[5]);
  return same ? ms : null;
}
