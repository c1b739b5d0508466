// Pieces shared by the portal pages: status badges, the page links, translated names.
import type { ContractStatus, Lang } from '../../db/schema.ts';
import type { T } from '../../i18n/index.ts';

export function StatusBadge({ t, status }: { t: T; status: ContractStatus }) {
  // The text carries the meaning; the colour only repeats it (WCAG 1.4.1).
  return <span class={`badge status-${status}`}>{t(`portal.status.${status}`)}</span>;
}

export function nameOf(row: { name_ja: string; name_en: string }, lang: Lang): string {
  return lang === 'ja' ? row.name_ja : row.name_en;
}

/** A list URL with some parameters changed; empty values are left out so links stay short. */
export function withParams(base: string, params: Record<string, string | number | undefined>, changes: Record<string, string | number | undefined>): string {
  const u = new URLSearchParams();
  for (const [k, v] of Object.entries({ ...params, ...changes })) if (v !== undefined && v !== '') u.set(k, String(v));
  const s = u.toString();
  return s ? `${base}?${s}` : base;
}

/** Page links: the design system's pager (src/web/views/pager.tsx). */
export { Pager } from '../../web/views/pager.tsx';
