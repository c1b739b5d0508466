// A session's or trusted browser's user agent as people say it: «Chrome / Windows» (issue 20 item 3).
// bowser (MIT, maintained) reads the string; the raw user agent stays in the database for the audit.
import Bowser from 'bowser';
import type { Lang } from '../../db/schema.ts';

const UNKNOWN: Record<Lang, string> = { ja: '不明なブラウザ', en: 'Unknown browser' };

/** "Chrome / Windows", "Safari / iOS", just "Firefox" when the system is not told; unknown → «不明なブラウザ». */
export function describeDevice(userAgent: string | null | undefined, lang: Lang): string {
  const ua = (userAgent ?? '').trim();
  if (!ua) return UNKNOWN[lang];
  let browser = '';
  let os = '';
  try {
    const p = Bowser.getParser(ua);
    browser = p.getBrowserName();
    os = p.getOSName();
  } catch {
    // bowser throws on input it cannot take (e.g. not a string); such an agent is simply unknown.
  }
  if (!browser) return UNKNOWN[lang];
  return os ? `${browser} / ${os}` : browser;
}
