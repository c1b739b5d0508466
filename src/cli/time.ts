// Instants on the command line: ISO 8601 with an explicit offset (2026-03-03T15:00:00Z,
// 2026-03-04T00:00+09:00), never a zone-less local time the operator's shell would guess.
import { optional } from './args.ts';
import { type ParsedValues, UsageError } from './command.ts';

const ISO = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?(Z|[+-]\d{2}:\d{2})$/;

export function parseInstant(raw: string): number | null {
  const m = ISO.exec(raw);
  if (!m) return null;
  const ms = Date.parse(raw);
  if (Number.isNaN(ms)) return null;
  // Date.parse rolls 02-30 over to March: compare the fields back in the given offset.
  const off = m[8] === 'Z' ? 0 : (m[8]![0] === '-' ? -1 : 1) * (Number(m[8]!.slice(1, 3)) * 60 + Number(m[8]!.slice(4, 6)));
  const local = new Date(ms + off * 60_000);
  if (local.getUTCFullYear() !== Number(m[1]) || local.getUTCMonth() + 1 !== Number(m[2]) || local.getUTCDate() !== Number(m[3])
    || local.getUTCHours() !== Number(m[4]) || local.getUTCMinutes() !== Number(m[5])) return null;
  return ms;
}

export function instant(values: ParsedValues, name: string): number | undefined {
  const raw = optional(values, name);
  if (raw === undefined) return undefined;
  const ms = parseInstant(raw);
  if (ms === null) throw new UsageError(`--${name} must be an ISO 8601 time with an offset, e.g. 2026-03-03T15:00:00Z or 2026-03-04T00:00+09:00 (got "${raw}")`);
  return ms;
}

export function requiredInstant(values: ParsedValues, name: string): number {
  const ms = instant(values, name);
  if (ms === undefined) throw new UsageError(`missing --${name}`);
  return ms;
}

export function iso(ms: number | null): string {
  return ms === null ? '-' : new Date(ms).toISOString().replace(/\.000Z$/, 'Z');
}

/** Both texts of a ja/en pair, or neither. */
export function textPair(values: ParsedValues, ja: string, en: string, max: number): { ja: string; en: string } | undefined {
  const a = optional(values, ja)?.trim();
  const b = optional(values, en)?.trim();
  if (a === undefined && b === undefined) return undefined;
  if (!a || !b) throw new UsageError(`--${ja} and --${en} go together, both not empty`);
  if (a.length > max || b.length > max) throw new UsageError(`--${ja} and --${en} must be at most ${max} characters`);
  return { ja: a, en: b };
}

/** The operator's time zone: the process's TZ (as the web UI shows JST to its readers). */
export function operatorTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

const two = (n: number) => String(n).padStart(2, '0');

/** An instant as the operator reads it: `2026-03-04 09:00 +09:00` in the process's TZ; '-' for none. */
export function localTime(ms: number | null): string {
  if (ms === null) return '-';
  const d = new Date(ms);
  const off = -d.getTimezoneOffset();
  const sign = off < 0 ? '-' : '+';
  return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())} ${two(d.getHours())}:${two(d.getMinutes())} ${sign}${two(Math.floor(Math.abs(off) / 60))}:${two(Math.abs(off) % 60)}`;
}
