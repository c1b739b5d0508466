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

/** Page links: first, a window around the current page, last; previous/next. */
export function Pager({ t, page, pages, href }: { t: T; page: number; pages: number; href: (p: number) => string }) {
  if (pages <= 1) return null;
  const shown = new Set([1, pages]);
  for (let p = Math.max(1, page - 2); p <= Math.min(pages, page + 2); p++) shown.add(p);
  const list = [...shown].sort((a, b) => a - b);
  const items: (number | 'gap')[] = [];
  list.forEach((p, i) => { if (i > 0 && p - list[i - 1]! > 1) items.push('gap'); items.push(p); });
  return (
    <nav class="pager" aria-label={t('portal.pages')}>
      <ul>
        {page > 1 && <li><a href={href(page - 1)} rel="prev">{t('portal.prev')}</a></li>}
        {items.map((p) => p === 'gap' ? <li class="gap" aria-hidden="true">…</li> : (
          <li>{p === page
            ? <span aria-current="page" class="current">{p}</span>
            : <a href={href(p)} aria-label={t('portal.page_n', { n: p })}>{p}</a>}</li>
        ))}
        {page < pages && <li><a href={href(page + 1)} rel="next">{t('portal.next')}</a></li>}
      </ul>
    </nav>
  );
}
