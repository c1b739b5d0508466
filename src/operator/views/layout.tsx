// The console's frame (issue 26): the site layout, wide, with the console navigation. A nav entry is
// shown when its page is in src/operator/route-list.ts and the operator's role reaches its minimum,
// so entries for pages not built (or not allowed) never lead to a 404 or a 403.
import type { ComponentChildren } from 'preact';
import type { OperatorRole } from '../../db/schema.ts';
import { roleAtLeast } from '../../auth/service.ts';
import { Layout, type PageCtx } from '../../web/views/layout.tsx';
import type { NavItem } from '../../web/views/global-nav.tsx';
import { Breadcrumbs, PageHeader } from '../../web/views/page-header.tsx';
import { listedOperatorRoute } from '../route-list.ts';

export type ConsoleArea = 'home' | 'tickets' | 'organisations' | 'contracts' | 'orders' | 'notices' | 'maintenance' | 'terms' | 'migrations' | 'operators' | 'branding';

/** The console's areas in nav order; helpers add a page by listing its route, not by editing here. */
export const CONSOLE_AREAS: readonly { area: ConsoleArea; href: string }[] = [
  { area: 'home', href: '/operator' },
  { area: 'tickets', href: '/operator/tickets' },
  { area: 'organisations', href: '/operator/organisations' },
  { area: 'contracts', href: '/operator/contracts' },
  { area: 'orders', href: '/operator/orders' },
  { area: 'notices', href: '/operator/notices' },
  { area: 'maintenance', href: '/operator/maintenance' },
  { area: 'terms', href: '/operator/terms' },
  { area: 'migrations', href: '/operator/migrations' },
  { area: 'operators', href: '/operator/operators' },
  { area: 'branding', href: '/operator/branding' },
];

/** The areas this role may open that exist (a GET route listed for the href). */
export function areasFor(role: OperatorRole): { area: ConsoleArea; href: string; minRole: OperatorRole }[] {
  return CONSOLE_AREAS.flatMap((a) => {
    const r = listedOperatorRoute('GET', a.href);
    return r && roleAtLeast(role, r.minRole) ? [{ ...a, minRole: r.minRole }] : [];
  });
}

/** The console's areas as the site layout's global navigation (the same look as the customer's). */
export function operatorNavItems(ctx: PageCtx, role: OperatorRole, current: ConsoleArea): NavItem[] {
  return areasFor(role).map((a) => ({ label: ctx.t(`console.area.${a.area}`), href: a.href, current: a.area === current }));
}

/** The console navigation as a row inside a page (the layout's global navigation is the usual place). */
export function OperatorNav({ ctx, role, current }: { ctx: PageCtx; role: OperatorRole; current: ConsoleArea }) {
  const { t } = ctx;
  return (
    <nav class="subnav console-nav" aria-label={t('console.nav')}>
      {areasFor(role).map((a) => <a href={a.href} aria-current={a.area === current ? 'page' : undefined}>{t(`console.area.${a.area}`)}</a>)}
    </nav>
  );
}

/**
 * A console page: title (h1), navigation, content. `role` is the signed-in operator's; `lead`,
 * `actions` and `breadcrumbs` go to the page's PageHeader. `up` (the list a detail page belongs
 * to) is the short form of breadcrumbs: that list, then this page.
 */
export function OperatorPage({ ctx, role, current, title, lead, actions, breadcrumbs, up, children }: {
  ctx: PageCtx; role: OperatorRole; current: ConsoleArea; title: string; lead?: ComponentChildren; actions?: ComponentChildren; breadcrumbs?: ComponentChildren;
  up?: { label: string; href: string }; children: ComponentChildren;
}) {
  const crumbs = breadcrumbs ?? (up && <Breadcrumbs t={ctx.t} items={[up, { label: title }]} />);
  return (
    <Layout ctx={ctx} title={`${title} | ${ctx.t('console.title')}`} wide nav={operatorNavItems(ctx, role, current)} navLabel={ctx.t('console.nav')}>
      <p class="console-badge"><span class="badge">{ctx.t('console.title')}</span> <span class="muted">{ctx.t(`console.role.${role}`)}</span></p>
      <PageHeader title={title} lead={lead} actions={actions} breadcrumbs={crumbs} />
      {children}
    </Layout>
  );
}
