// A page's or a mail's brand from the rows that apply, most specific first (an organisation's row,
// then its preset's): every field is taken from the first row that sets it (docs/branding.md).
import type { Brand } from '../web/brand.ts';
import type { Lang } from '../db/schema.ts';
import type { BrandMeta } from './store.ts';

/** Bumped when theme.css is built differently, so browsers holding the old one (immutable) fetch it again. */
const THEME_REVISION = '1';

export function brandPath(row: Pick<BrandMeta, 'scope' | 'scope_id'>, file: 'logo' | 'favicon' | 'theme.css'): string {
  return `/brand/${row.scope}/${encodeURIComponent(row.scope_id)}/${file}`;
}

export function themeVersion(colour: string): string {
  return `${colour.slice(1).toLowerCase()}-${THEME_REVISION}`;
}

export function resolveBrand(rows: readonly (BrandMeta | undefined)[], lang: Lang): Brand | null {
  const present = rows.filter((r): r is BrandMeta => r !== undefined);
  if (!present.length) return null;
  const first = <K extends keyof BrandMeta>(k: K): NonNullable<BrandMeta[K]> | null => {
    for (const r of present) if (r[k] !== null && r[k] !== '') return r[k] as NonNullable<BrandMeta[K]>;
    return null;
  };
  const logo = present.find((r) => r.logo_hash);
  const favicon = present.find((r) => r.favicon_hash);
  const theme = present.find((r) => r.colour);
  return {
    name: first(lang === 'ja' ? 'name_ja' : 'name_en') ?? first(lang === 'ja' ? 'name_en' : 'name_ja'),
    logoUrl: logo ? `${brandPath(logo, 'logo')}?v=${logo.logo_hash}` : null,
    faviconUrl: favicon ? `${brandPath(favicon, 'favicon')}?v=${favicon.favicon_hash}` : null,
    themeUrl: theme?.colour ? `${brandPath(theme, 'theme.css')}?v=${themeVersion(theme.colour)}` : null,
    footerCompany: first(lang === 'ja' ? 'footer_ja' : 'footer_en') ?? first(lang === 'ja' ? 'footer_en' : 'footer_ja'),
    support: {
      email: first('support_email'), phone: first('support_phone'), url: first('support_url'),
      hours: first(lang === 'ja' ? 'support_hours_ja' : 'support_hours_en') ?? first(lang === 'ja' ? 'support_hours_en' : 'support_hours_ja'),
    },
  };
}
