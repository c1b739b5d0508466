// Pieces the orders, notices and tickets pages share: a date-time element, the sub-navigation
// between them, and a pager over a total (the shared Pager in parts.tsx draws the links).
import type { Lang, T } from '../../i18n/index.ts';
import { formatDateTime } from '../../i18n/index.ts';
import { Pager, withParams } from './parts.tsx';

export function When({ ms, lang }: { ms: number; lang: Lang }) {
  return <time dateTime={new Date(ms).toISOString()}>{formatDateTime(ms, lang)}</time>;
}

export function PortalNav({ t, current }: { t: T; current: 'orders' | 'notices' | 'tickets' | 'calendar' | 'subscriptions' }) {
  const items = [['orders', '/portal/orders', t('orders.title')], ['tickets', '/portal/tickets', t('tickets.title')], ['notices', '/portal/notices', t('notices.title')], ['calendar', '/portal/calendar', t('calendar.title')], ['subscriptions', '/portal/subscriptions', t('subscriptions.title')]] as const;
  return (
    <nav class="subnav" aria-label={t('ops.menu')}>
      <a href="/">{t('home.title')}</a>
      {items.map(([k, href, label]) => <a href={href} aria-current={k === current ? 'page' : undefined}>{label}</a>)}
    </nav>
  );
}

/** Page links over `total` rows, keeping the other query parameters. */
export function ListPager({ t, path, query, page, total, size }: { t: T; path: string; query: Record<string, string | undefined>; page: number; total: number; size: number }) {
  return <Pager t={t} page={page} pages={Math.max(1, Math.ceil(total / size))} href={(p) => withParams(path, query, { page: p })} />;
}
