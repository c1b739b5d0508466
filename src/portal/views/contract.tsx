// One contract (S8) with its orders, current notices of its service and its tickets.
import { formatDateTime } from '../../i18n/index.ts';
import { Layout, type PageCtx } from '../../web/views/layout.tsx';
import { Breadcrumbs, ButtonLink, DataTable, EmptyState, PageHeader, type Column } from '../../web/views/components.ts';
import type { ListedContract } from '../contracts/service.ts';
import type { ContractRelated } from '../contracts/detail.ts';
import { DashboardNoticeItem } from '../notices/views.tsx';
import { StatusBadge } from './parts.tsx';

type Order = ContractRelated['orders'][number];
type Ticket = ContractRelated['tickets'][number];

function orderColumns(ctx: PageCtx): Column<Order>[] {
  const { t, lang } = ctx;
  return [
    { label: t('portal.order_number'), rowHeader: true, cell: (o) => <code>{o.number}</code> },
    { label: t('portal.applied_at'), sort: 'descending', cell: (o) => formatDateTime(o.applied_at, lang) },
    { label: t('portal.planned_opening'), cell: (o) => o.planned_opening_date ?? '' },
    { label: t('portal.state'), cell: (o) => t(`portal.order_status.${o.status}`) },
  ];
}

function ticketColumns(ctx: PageCtx): Column<Ticket>[] {
  const { t, lang } = ctx;
  return [
    { label: t('portal.ticket_number'), cell: (k) => <code>{k.number}</code> },
    { label: t('portal.ticket_subject'), rowHeader: true, cell: (k) => k.subject },
    { label: t('portal.state'), cell: (k) => t(`portal.ticket_status.${k.status}`) },
    { label: t('portal.ticket_updated'), sort: 'descending', cell: (k) => formatDateTime(k.updated_at, lang) },
  ];
}

export function ContractPage({ ctx, c, related }: { ctx: PageCtx; c: ListedContract; related: ContractRelated }) {
  const { t, lang } = ctx;
  const service = lang === 'ja' ? c.service_name_ja : c.service_name_en;
  const title = t('portal.contract', { number: c.number });
  return (
    <Layout ctx={ctx} title={title} wide>
      <PageHeader title={title}
        breadcrumbs={<Breadcrumbs t={t} items={[
          { label: t('portal.dashboard'), href: '/' },
          { label: t('portal.contracts'), href: `/portal/contracts?service=${encodeURIComponent(c.service_id)}` },
          { label: title },
        ]} />}
        actions={<>
          {c.settings_site_url && <ButtonLink variant="primary" href={`/portal/contracts/${c.id}/settings-site`}>{t('portal.change_settings')}</ButtonLink>}
          {/* Issue 24: a ticket opened from here names this contract. */}
          <ButtonLink href={`/portal/tickets/new?contract=${encodeURIComponent(c.id)}`}>{t('tickets.ask_about_contract')}</ButtonLink>
        </>} />
      <dl class="facts card">
        <dt>{t('portal.col.status')}</dt><dd><StatusBadge t={t} status={c.status} /></dd>
        <dt>{t('portal.col.number')}</dt><dd><code>{c.number}</code></dd>
        <dt>{t('portal.col.group_number')}</dt><dd>{c.group_number}</dd>
        <dt>{t('portal.col.service')}</dt><dd>{service}</dd>
        <dt>{t('portal.col.site')}</dt><dd>{c.site}</dd>
        <dt>{t('portal.col.memo')}</dt><dd>{c.memo}</dd>
      </dl>
      <section aria-labelledby="h-orders">
        <h2 id="h-orders">{t('portal.orders')}</h2>
        {related.orders.length === 0
          ? <EmptyState level={3} heading={t('portal.no_orders')} />
          : <DataTable caption={t('portal.orders')} captionHidden columns={orderColumns(ctx)} rows={related.orders} />}
      </section>
      <section aria-labelledby="h-notices">
        <h2 id="h-notices">{t('portal.notices')}</h2>
        {related.notices.length === 0 ? <EmptyState level={3} heading={t('portal.no_notices')} /> : (
          <ul class="plain">{related.notices.map((n) => <DashboardNoticeItem ctx={ctx} notice={n} />)}</ul>
        )}
      </section>
      <section aria-labelledby="h-affecting">
        <h2 id="h-affecting">{t('notices.of_contract')}</h2>
        {related.affecting.length === 0 ? <EmptyState level={3} heading={t('notices.of_contract_none')} /> : (
          <ul class="plain notice-list">
            {related.affecting.map((n) => (
              <li>
                <p><span class={`badge kind-${n.kind}`}>{t(`notices.kind.${n.kind}`)}</span> <a href={`/portal/notices/${n.id}`}>{lang === 'en' ? n.title_en : n.title_ja}</a>
                  <span class="muted"> ({formatDateTime(n.starts_at, lang)}{n.ends_at !== null ? ` – ${formatDateTime(n.ends_at, lang)}` : ''})</span></p>
                <p>{t('notices.impact_label')}: {t(`notices.impact.${n.impact}`)} · {t('notices.status_label')}: {t(`notices.status.${n.status}`)}</p>
                <p class="muted">{t('notices.history')}: {n.history.map((h) => `${t(`notices.status.${h.status}`)} (${formatDateTime(h.at, lang)})`).join(' → ')}</p>
              </li>
            ))}
          </ul>
        )}
      </section>
      <section aria-labelledby="h-tickets">
        <h2 id="h-tickets">{t('portal.tickets')}</h2>
        {related.tickets.length === 0
          ? <EmptyState level={3} heading={t('portal.no_tickets')} />
          : <DataTable caption={t('portal.tickets')} captionHidden columns={ticketColumns(ctx)} rows={related.tickets} />}
      </section>
    </Layout>
  );
}
