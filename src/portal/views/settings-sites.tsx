// S8 settings-site list (seed 003 «… 設定変更一覧»): contract number, memo and «設定を変更する» per
// contract of the services that have a Web settings site. The button is the OpenID Connect
// provider's hand-off (src/oidc/routes.tsx).
import { Layout, type PageCtx } from '../../web/views/layout.tsx';
import type { ContractPage } from '../contracts/service.ts';
import { KeywordField, PageSizeField, TotalLine, filterParams } from './contracts.tsx';
import { Pager, withParams } from './parts.tsx';

export function SettingsSitesPage({ ctx, p, serviceName }: { ctx: PageCtx; p: ContractPage; serviceName: string | null }) {
  const { t } = ctx;
  const params = filterParams(p);
  const title = serviceName ? t('portal.settings_sites', { service: serviceName }) : t('portal.settings_sites_all');
  return (
    <Layout ctx={ctx} title={title} wide>
      <nav class="crumbs" aria-label="breadcrumb"><a href="/">{t('portal.dashboard')}</a></nav>
      <h1>{title}</h1>
      <p>{t('portal.settings_sites_intro', { service: serviceName ?? t('portal.menu.settings_site') })}</p>
      <form method="get" action="/portal/settings-sites" class="filters card" role="search">
        {p.serviceId && <input type="hidden" name="service" value={p.serviceId} />}
        <div class="row">
          <KeywordField ctx={ctx} value={p.q} />
          <PageSizeField ctx={ctx} value={p.pageSize} />
        </div>
        <button type="submit" class="primary">{t('portal.filter')}</button>
      </form>
      <TotalLine ctx={ctx} p={p} />
      {p.rows.length === 0 ? <p class="card empty">{p.terms.length ? t('portal.no_match') : t('portal.no_contracts')}</p> : (
        <div class="table-wrap">
          <table class="stack">
            <thead><tr><th scope="col">{t('portal.col.number')}</th><th scope="col">{t('portal.col.memo')}</th><th scope="col">{t('portal.col.settings')}</th></tr></thead>
            <tbody>{p.rows.map((r) => (
              <tr>
                <td data-label={t('portal.col.number')}><code>{r.number}</code></td>
                <td data-label={t('portal.col.memo')}>{r.memo}</td>
                <td data-label={t('portal.col.settings')}><a class="button small" href={`/portal/contracts/${r.id}/settings-site`} aria-label={t('portal.change_settings_of', { number: r.number })}>{t('portal.change_settings')}</a></td>
              </tr>
            ))}</tbody>
          </table>
        </div>
      )}
      <Pager t={t} page={p.page} pages={p.pages} href={(n) => withParams('/portal/settings-sites', params, { page: n === 1 ? undefined : n })} />
      <p class="muted">{t('portal.visibility_note')}</p>
    </Layout>
  );
}
