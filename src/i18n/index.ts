// Typed translation: t(key, params). i18n imports no domain module: each module keeps its own texts
// and adds their keys to `Messages` (declare module '…/i18n/index.ts'); src/messages.ts, at the
// app level, assembles the catalogs and checks that en and ja define every key (decision 041).
import type { Lang } from '../db/schema.ts';
import { commonEn } from './common.ts';

export type { Lang };
/** A module's catalog type: every key of its English texts, as a string. */
export type MessagesOf<C> = { readonly [K in keyof C]: string };
/** Every message key of the app; modules augment it with their own keys. */
export interface Messages extends MessagesOf<typeof commonEn> {}
export type MessageKey = keyof Messages & string;
export type Catalog = { readonly [K in MessageKey]: string };
export type MessageParams = Record<string, string | number>;
export type T = (key: MessageKey, params?: MessageParams) => string;
/** t() for a language, with a preset's own wording laid over the catalog. */
export type Translator = (lang: Lang, overrides?: Partial<Record<MessageKey, string>>) => T;

export const LANGS: readonly Lang[] = ['ja', 'en'];

/**
 * Builds translator(lang, overrides) over the assembled catalogs. `overrides` replaces some texts: a
 * portal preset's own name and wording (src/auth/tenancy/presets.ts), so a page says what that
 * preset's screens say (seed 004).
 */
/** `{name}` placeholders filled from params; an unknown one stays as it is (catalogs and audit words). */
export function fillParams(text: string, params: Readonly<Record<string, string | number>>): string {
  return text.replace(/\{(\w+)\}/g, (m, p: string) => (p in params ? String(params[p]) : m));
}

export function createTranslator(catalogs: Readonly<Record<Lang, Catalog>>): Translator {
  return (lang, overrides) => {
    const cat = catalogs[lang];
    return (key, params) => {
      const text: string = overrides?.[key] ?? cat[key] ?? catalogs.en[key] ?? key;
      return params ? fillParams(text, params) : text;
    };
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
  return `${DATE_TIME[lang].format(new Date(ms))} JST`;
}

// Made once per language: building an Intl.DateTimeFormat costs ~0.1 ms, formatting with one a few µs (issue 19).
const dateTimeFormat = (locale: string) => new Intl.DateTimeFormat(locale, {
  timeZone: 'Asia/Tokyo', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit',
});
const DATE_TIME: Record<Lang, Intl.DateTimeFormat> = { ja: dateTimeFormat('ja-JP'), en: dateTimeFormat('en-GB') };
