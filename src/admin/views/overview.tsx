// The admin overview at /admin (issue 20 item 4): what needs an admin's eye, each count a link to
// the filtered user list or the audit log. Counts cover the organisations this admin manages.
import { Layout, type PageCtx } from '../../web/views/layout.tsx';
import type { AdminOverviewCounts } from '../../auth/service.ts';
import { PageHeader } from '../../web/views/components.ts';
import { AdminNav, Crumbs, OrgSelect, type OrgOption } from './parts.tsx';
import { Button } from '../../web/views/button.tsx';

export interface OverviewCard { key: 'waiting' | 'locked' | 'failed' | 'expiring'; count: number; href: string; linkLabel: string }

export function AdminOverviewPage({ ctx, cards, orgs, org }: { ctx: PageCtx; cards: OverviewCard[]; orgs: OrgOption[]; org?: string | undefined }) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('admin.title')} wide>
      <AdminNav ctx={ctx} />
      <PageHeader title={t('admin.title')} lead={t('admin.overview.intro')} breadcrumbs={<Crumbs ctx={ctx} trail={[]} />} />
      {orgs.length > 1 && (
        <form method="get" action="/admin" class="card filters">
          <OrgSelect ctx={ctx} orgs={orgs} value={org} allowAll />
          <Button>{t('admin.apply')}</Button>
        </form>
      )}
      <ul class="overview-cards plain">
        {cards.map((c) => (
          <li class={`card overview-card${c.count > 0 ? ' attention' : ''}`}>
            <h2 id={`ov-${c.key}`}>{t(`admin.overview.${c.key}`)}</h2>
            <p class="count">{c.count}</p>
            <a href={c.href} aria-describedby={`ov-${c.key}`}>{c.linkLabel}</a>
          </li>
        ))}
      </ul>
      <p><a href="/admin/users">{t('admin.overview.all_users')}</a></p>
    </Layout>
  );
}

/** The cards' links: the user list or audit log with the filter that shows what was counted. */
export function overviewCards(t: PageCtx['t'], counts: AdminOverviewCounts, org: string | undefined, failedFrom: string): OverviewCard[] {
  const q = (params: Record<string, string>) => new URLSearchParams({ ...params, ...(org ? { org } : {}) }).toString();
  return [
    { key: 'waiting', count: counts.waiting, href: `/admin/users?${q({ state: 'waiting' })}`, linkLabel: t('admin.overview.show_users') },
    { key: 'locked', count: counts.locked, href: `/admin/users?${q({ state: 'locked' })}`, linkLabel: t('admin.overview.show_users') },
    { key: 'failed', count: counts.failedLogins24h, href: `/admin/audit?${q({ event: 'login.failed', from: failedFrom })}`, linkLabel: t('admin.overview.show_audit') },
    { key: 'expiring', count: counts.guidesExpiring, href: `/admin/users?${q({ state: 'waiting', guide: 'expiring' })}`, linkLabel: t('admin.overview.show_users') },
  ];
}
