// One contract (S8) with its orders, current notices of its service and its tickets.
import { formatDateTime } from '../../i18n/index.ts';
import { Layout, type PageCtx } from '../../web/views/layout.tsx';
import type { ListedContract } from '../contracts/service.ts';
import type { ContractRelated } from '../contracts/detail.ts';
import { StatusBadge } from './parts.tsx';

export function ContractPage({ ctx, c, related }: { ctx: PageCtx; c: ListedContract; related: ContractRelated }) {
  const { t, lang } = ctx;
  const service = lang === 'ja' ? c.service_name_ja : c.service_name_en;
  return (
    <Layout ctx={ctx} title={t('portal.contract', { number: c.number })} wide>
      <nav class="crumbs" aria-label="breadcrumb"><a href="/">{t('portal.dashboard')}</a> › <a href={`/portal/contracts?service=${encodeURIComponent(c.service_id)}`}>{t('portal.contracts')}</a></nav>
      <h1>{t('portal.contract', { number: c.number })}</h1>
      <dl class="facts card">
        <dt>{t('portal.col.status')}</dt><dd><StatusBadge t={t} status={c.status} /></dd>
        <dt>{t('portal.col.number')}</dt><dd><code>{c.number}</code></dd>
        <dt>{t('portal.col.group_number')}</dt><dd>{c.group_number}</dd>
        <dt>{t('portal.col.service')}</dt><dd>{service}</dd>
        <dt>{t('portal.col.site')}</dt><dd>{c.site}</dd>
        <dt>{t('portal.col.memo')}</dt><dd>{c.memo}</dd>
      </dl>
      {c.settings_site_url && <p><a class="button primary" href={`/portal/contracts/${c.id}/settings-site`}>{t('portal.change_settings')}</a></p>}
      <section aria-labelledby="h-orders">
        <h2 id="h-orders">{t('portal.orders')}</h2>
        {related.orders.length === 0 ? <p class="muted">{t('portal.no_orders')}</p> : (
          <div class="table-wrap"><table>
            <thead><tr><th scope="col">{t('portal.order_number')}</th><th scope="col">{t('portal.applied_at')}</th><th scope="col">{t('portal.planned_opening')}</th><th scope="col">{t('portal.state')}</th></tr></thead>
            <tbody>{related.orders.map((o) => (
              <tr><td><code>{o.number}</code></td><td>{formatDateTime(o.applied_at, lang)}</td><td>{o.planned_opening_date ?? ''}</td><td>{t(`portal.order_status.${o.status}`)}</td></tr>
            ))}</tbody>
          </table></div>
        )}
      </section>
      <section aria-labelledby="h-notices">
        <h2 id="h-notices">{t('portal.notices')}</h2>
        {related.notices.length === 0 ? <p class="muted">{t('portal.no_notices')}</p> : (
          <ul class="plain">{related.notices.map((n) => (
            <li><span class={`badge kind-${n.kind}`}>{t(`portal.notice_kind.${n.kind}`)}</span> {lang === 'ja' ? n.title_ja : n.title_en}
              <span class="muted"> ({formatDateTime(n.starts_at, lang)}{n.ends_at ? ` – ${formatDateTime(n.ends_at, lang)}` : ''})</span></li>
          ))}</ul>
        )}
      </section>
      <section aria-labelledby="h-tickets">
        <h2 id="h-tickets">{t('portal.tickets')}</h2>
        {related.tickets.length === 0 ? <p class="muted">{t('portal.no_tickets')}</p> : (
          <div class="table-wrap"><table>
            <thead><tr><th scope="col">{t('portal.ticket_number')}</th><th scope="col">{t('portal.ticket_subject')}</th><th scope="col">{t('portal.state')}</th><th scope="col">{t('portal.ticket_updated')}</th></tr></thead>
            <tbody>{related.tickets.map((k) => (
              <tr><td><code>{k.number}</code></td><td>{k.subject}</td><td>{t(`portal.ticket_status.${k.status}`)}</td><td>{formatDateTime(k.updated_at, lang)}</td></tr>
            ))}</tbody>
          </table></div>
        )}
      </section>
    </Layout>
  );
}
