// S8 settings-site list (seed 003 «… 設定変更一覧»): contract number, memo and «設定を変更する» per
// contract of the services that have a Web settings site. The button is the OpenID Connect
// provider's hand-off (src/oidc/routes.tsx).
import { Layout, type PageCtx } from '../../web/views/layout.tsx';
import { Breadcrumbs, Button, ButtonLink, DataTable, EmptyState, PageHeader, type Column } from '../../web/views/components.ts';
import type { ContractPage, ListedContract } from '../contracts/service.ts';
import { KeywordField, PageSizeField, TotalLine, filterParams } from './contracts.tsx';
import { Pager, withParams } from './parts.tsx';

function siteColumns(ctx: PageCtx): Column<ListedContract>[] {
  const { t } = ctx;
  return [
    { label: t('portal.col.number'), rowHeader: true, cell: (r) => <code>{r.number}</code> },
    { label: t('portal.col.memo'), cell: (r) => r.memo },
    {
      label: t('portal.col.settings'),
      // The accessible name carries the contract number: a list of identical «設定を変更する» links says nothing.
      cell: (r) => <ButtonLink small href={`/portal/contracts/${r.id}/settings-site`} aria-label={t('portal.change_settings_of', { number: r.number })}>{t('portal.change_settings')}</ButtonLink>,
    },
  ];
}

export function SettingsSitesPage({ ctx, p, serviceName }: { ctx: PageCtx; p: ContractPage; serviceName: string | null }) {
  const { t } = ctx;
  const params = filterParams(p);
  const title = serviceName ? t('portal.settings_sites', { service: serviceName }) : t('portal.settings_sites_all');
  return (
    <Layout ctx={ctx} title={title} wide>
      <PageHeader title={title} lead={t('portal.settings_sites_intro', { service: serviceName ?? t('portal.menu.settings_site') })}
        breadcrumbs={<Breadcrumbs t={t} items={[{ label: t('portal.dashboard'), href: '/' }, { label: title }]} />} />
      <form method="get" action="/portal/settings-sites" class="filters card" role="search">
        {p.serviceId && <input type="hidden" name="service" value={p.serviceId} />}
        <div class="row">
          <KeywordField ctx={ctx} value={p.q} />
          <PageSizeField ctx={ctx} value={p.pageSize} />
        </div>
        <Button variant="primary">{t('portal.filter')}</Button>
      </form>
      <TotalLine ctx={ctx} p={p} />
      {p.rows.length === 0
        ? <EmptyState heading={p.terms.length ? t('portal.no_match') : t('portal.no_contracts')} />
        : <DataTable caption={title} captionHidden columns={siteColumns(ctx)} rows={p.rows} />}
      <Pager t={t} page={p.page} pages={p.pages} href={(n) => withParams('/portal/settings-sites', params, { page: n === 1 ? undefined : n })} />
      <p class="muted">{t('portal.visibility_note')}</p>
    </Layout>
  );
}
