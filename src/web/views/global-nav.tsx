// The global navigation of signed-in pages: a row of plain links under the header that wraps on a
// phone. No menu button: with four entries a wrapping row is shorter than a menu and needs no
// script (a closed <details> hides its content from wide screens too).
import type { T } from '../../i18n/index.ts';

export interface NavItem {
  label: string;
  href: string;
  /** Path prefixes that mark this item current (default: href's path; '/' only matches itself). */
  match?: string[];
}

/** Whether `path` (path + query) falls under `prefix`: '/' only for itself, others for the subtree. */
export function pathUnder(path: string, prefix: string): boolean {
  const p = path.split(/[?#]/)[0] ?? '/';
  if (prefix === '/') return p === '/';
  return p === prefix || p.startsWith(`${prefix}/`);
}

/** The item whose longest prefix matches the path, so /admin/users marks "admin" not "home". */
export function currentItem(items: NavItem[], path: string): NavItem | undefined {
  let best: { item: NavItem; len: number } | undefined;
  for (const item of items) {
    for (const m of item.match ?? [item.href.split('?')[0]!]) {
      if (pathUnder(path, m) && (!best || m.length > best.len)) best = { item, len: m.length };
    }
  }
  return best?.item;
}

/** Props: `items` in order, `path` (the request's) for aria-current, `label` (the nav's name). */
export function GlobalNav({ t, items, path, label }: { t: T; items: NavItem[]; path: string; label?: string }) {
  if (items.length === 0) return null;
  const current = currentItem(items, path);
  return (
    <nav class="global" aria-label={label ?? t('ui.nav_main')}>
      <ul>
        {items.map((i) => <li><a href={i.href} aria-current={i === current ? 'page' : undefined}>{i.label}</a></li>)}
      </ul>
    </nav>
  );
}
