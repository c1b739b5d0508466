// Typed translation: t(key, params). en defines the keys, ja satisfies them.
import { en, type MessageKey } from './en.ts';
import { ja } from './ja.ts';
import type { Lang } from '../db/schema.ts';

export type { MessageKey, Lang };
export type MessageParams = Record<string, string | number>;
export type T = (key: MessageKey, params?: MessageParams) => string;

const catalogs = { en, ja } as const;
export const LANGS: readonly Lang[] = ['ja', 'en'];

/**
 * t(key, params) for one language. `overrides` replaces some texts: a portal profile's own name and
 * wording (src/auth/profiles.ts), so a page says what that profile's screens say (seed 004).
 */
export function translator(lang: Lang, overrides?: Partial<Record<MessageKey, string>>): T {
  const cat = catalogs[lang];
  return (key, params) => {
    const text: string = overrides?.[key] ?? cat[key] ?? en[key] ?? key;
    return params ? text.replace(/\{(\w+)\}/g, (m, p: string) => (p in params ? String(params[p]) : m)) : text;
  };
}

export function isLang(v: unknown): v is Lang {
  return v === 'ja' || v === 'en';
}

/** Picks ja or en from an Accept-Language header by quality (S14: default from the browser). */
export function langFromAcceptLanguage(header: string | undefined): Lang {
  if (!header) return 'ja';
  let best: { lang: Lang; q: number } | null = null;
  for (const part of header.split(',').slice(0, 20)) {
    const [tag = '', ...rest] = part.trim().split(';');
    const qParam = rest.find((r) => r.trim().startsWith('q='));
    const q = qParam ? Number(qParam.trim().slice(2)) : 1;
    const base = tag.toLowerCase().split('-')[0];
    if ((base === 'ja' || base === 'en') && Number.isFinite(q) && (!best || q > best.q)) best = { lang: base, q };
  }
  return best?.lang ?? 'ja';
}

/** Formats an epoch-ms time for display in Japan time with the zone named (the portal's users are in JST). */
export function formatDateTime(ms: number, lang: Lang): string {
  const s = new Intl.DateTimeFormat(lang === 'ja' ? 'ja-JP' : 'en-GB', {
    timeZone: 'Asia/Tokyo', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit',
  }).format(new Date(ms));
  return `${s} JST`;
}
