// Page links: previous/next, first, a window around the current page, last; "n–m of total" when
// the total is known. The current page is a span with aria-current="page" (not a link to itself).
import type { T } from '../../i18n/index.ts';

/** The page numbers to show, with 'gap' where some are left out. */
export function pagerItems(page: number, pages: number, around = 2): (number | 'gap')[] {
  const shown = new Set([1, pages]);
  for (let p = Math.max(1, page - around); p <= Math.min(pages, page + around); p++) shown.add(p);
  const list = [...shown].sort((a, b) => a - b);
  const items: (number | 'gap')[] = [];
  list.forEach((p, i) => { if (i > 0 && p - list[i - 1]! > 1) items.push('gap'); items.push(p); });
  return items;
}

/**
 * Props: `page` (1-based), `pages`, `href(p)`, optional `total` + `pageSize` for the range line,
 * `label` (the nav's name; default «ページ» / "Pages").
 */
export function Pager({ t, page, pages, href, total, pageSize, label }: { t: T; page: number; pages: number; href: (p: number) => string; total?: number; pageSize?: number; label?: string }) {
  const range = total !== undefined && pageSize !== undefined && total > 0
    ? <p class="pager-range muted">{t('ui.pager_range', { from: (page - 1) * pageSize + 1, to: Math.min(total, page * pageSize), total })}</p>
    : null;
  if (pages <= 1) return range;
  return (
    <nav class="pager" aria-label={label ?? t('ui.pages')}>
      {range}
      <ul>
        {page > 1 && <li><a href={href(page - 1)} rel="prev">{t('ui.prev')}</a></li>}
        {pagerItems(page, pages).map((p) => p === 'gap' ? <li class="gap" aria-hidden="true">…</li> : (
          <li>{p === page
            ? <span aria-current="page" class="current">{p}</span>
            : <a href={href(p)} aria-label={t('ui.page_n', { n: p })}>{p}</a>}</li>
        ))}
        {page < pages && <li><a href={href(page + 1)} rel="next">{t('ui.next')}</a></li>}
      </ul>
    </nav>
  );
}
