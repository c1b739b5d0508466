// S8 contract list (seed 003 «ご契約・運用状況一覧»): a GET form (the filter lives in the URL: shareable,
// the back button works), the total, 10/20/50/100 per page, page links, CSV of the same filter.
import { Layout, type PageCtx } from '../../web/views/layout.tsx';
import { Breadcrumbs, Button, ButtonLink, DataTable, EmptyState, PageHeader, type Column } from '../../web/views/components.ts';
import type { ContractPage, ListedContract } from '../contracts/service.ts';
import { CONTRACT_STATUSES, PAGE_SIZES } from '../contracts/service.ts';
import { nameOf, Pager, StatusBadge, withParams } from './parts.tsx';

export interface ServiceOption { id: string; name_ja: string; name_en: string }

export function filterParams(p: ContractPage): Record<string, string | number | undefined> {
  return { q: p.q || undefined, service: p.serviceId || undefined, status: p.status || undefined, size: p.pageSize === 10 ? undefined : p.pageSize };
}

export function TotalLine({ ctx, p }: { ctx: PageCtx; p: ContractPage }) {
  const { t } = ctx;
  const from = p.total === 0 ? 0 : (p.page - 1) * p.pageSize + 1;
  const to = Math.min(p.page * p.pageSize, p.total);
  return (
    <p class="total" role="status">
      <strong>{p.capped ? t('portal.total_capped', { n: p.total.toLocaleString('en') }) : t('portal.total', { n: p.total.toLocaleString('en') })}</strong>
      {p.total > 0 && <span class="muted"> {t('portal.showing', { from, to })}</span>}
    </p>
  );
}

export function KeywordField({ ctx, value }: { ctx: PageCtx; value: string }) {
  const { t } = ctx;
  return (
    <div class="field grow">
      <label for="f-q">{t('portal.filter_keyword')}</label>
      <p class="hint" id="f-q-hint">{t('portal.filter_keyword_hint')}</p>
      <input id="f-q" name="q" type="search" value={value} maxLength={1000} aria-describedby="f-q-hint" />
    </div>
  );
}

export function PageSizeField({ ctx, value }: { ctx: PageCtx; value: number }) {
  return (
    <div class="field">
      <label for="f-size">{ctx.t('portal.page_size')}</label>
      <select id="f-size" name="size">{PAGE_SIZES.map((n) => <option value={String(n)} selected={n === value}>{n}</option>)}</select>
    </div>
  );
}

/** The list's columns, declared once (the heading is each cell's label on a phone too); the store sorts by number. */
function contractColumns(ctx: PageCtx): Column<ListedContract>[] {
  const { t, lang } = ctx;
  return [
    { label: t('portal.col.status'), cell: (r) => <StatusBadge t={t} status={r.status} /> },
    { label: t('portal.col.number'), rowHeader: true, sort: 'ascending', cell: (r) => <a href={`/portal/contracts/${r.id}`}><code>{r.number}</code></a> },
    { label: t('portal.col.group_number'), cell: (r) => r.group_number },
    { label: t('portal.col.service'), cell: (r) => (lang === 'ja' ? r.service_name_ja : r.service_name_en) },
    { label: t('portal.col.site'), cell: (r) => r.site },
    { label: t('portal.col.memo'), cell: (r) => r.memo },
  ];
}

export function ContractListPage({ ctx, p, services, serviceName }: { ctx: PageCtx; p: ContractPage; services: ServiceOption[]; serviceName: string | null }) {
  const { t, lang } = ctx;
  const params = filterParams(p);
  const title = serviceName ? t('portal.contracts_of', { service: serviceName }) : t('portal.contracts');
  return (
    <Layout ctx={ctx} title={title} wide>
      <PageHeader title={title} lead={t('portal.visibility_note')}
        breadcrumbs={<Breadcrumbs t={t} items={[{ label: t('portal.dashboard'), href: '/' }, { label: title }]} />} />
      <form method="get" action="/portal/contracts" class="filters card" role="search">
        <KeywordField ctx={ctx} value={p.q} />
        <div class="row">
          <div class="field">
            <label for="f-service">{t('portal.filter_service')}</label>
            <select id="f-service" name="service">
              <option value="">{t('portal.all_services')}</option>
              {services.map((s) => <option value={s.id} selected={s.id === p.serviceId}>{nameOf(s, lang)}</option>)}
            </select>
          </div>
          <div class="field">
            <label for="f-status">{t('portal.filter_status')}</label>
            <select id="f-status" name="status">
              <option value="">{t('portal.all_statuses')}</option>
              {CONTRACT_STATUSES.map((s) => <option value={s} selected={s === p.status}>{t(`portal.status.${s}`)}</option>)}
            </select>
          </div>
          <PageSizeField ctx={ctx} value={p.pageSize} />
        </div>
        <div class="actions">
          <Button variant="primary">{t('portal.filter')}</Button>
          <ButtonLink href="/portal/contracts">{t('portal.clear')}</ButtonLink>
        </div>
      </form>
      <div class="list-head">
        <TotalLine ctx={ctx} p={p} />
        {p.total > 0 && <ButtonLink href={withParams('/portal/contracts.csv', params, { size: undefined })} download>{t('portal.csv')}</ButtonLink>}
      </div>
      {p.rows.length === 0
        ? <EmptyState heading={p.terms.length || p.serviceId || p.status ? t('portal.no_match') : t('portal.no_contracts')} />
        : <DataTable caption={title} captionHidden class="contracts" columns={contractColumns(ctx)} rows={p.rows} />}
      <Pager t={t} page={p.page} pages={p.pages} href={(n) => withParams('/portal/contracts', params, { page: n === 1 ? undefined : n })} />
    </Layout>
  );
}
