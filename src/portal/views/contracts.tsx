// S8 contract list (seed 003 «ご契約・運用状況一覧»): a GET form (the filter lives in the URL: shareable,
// the back button works), the total, 10/20/50/100 per page, page links, CSV of the same filter.
import { Layout, type PageCtx } from '../../web/views/layout.tsx';
import type { ContractPage } from '../contracts/service.ts';
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

export function ContractListPage({ ctx, p, services, serviceName }: { ctx: PageCtx; p: ContractPage; services: ServiceOption[]; serviceName: string | null }) {
  const { t, lang } = ctx;
  const params = filterParams(p);
  const title = serviceName ? t('portal.contracts_of', { service: serviceName }) : t('portal.contracts');
  return (
    <Layout ctx={ctx} title={title} wide>
      <nav class="crumbs" aria-label="breadcrumb"><a href="/">{t('portal.dashboard')}</a></nav>
      <h1>{title}</h1>
      <p class="muted">{t('portal.visibility_note')}</p>
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
          <button type="submit" class="primary">{t('portal.filter')}</button>
          <a class="button" href="/portal/contracts">{t('portal.clear')}</a>
        </div>
      </form>
      <div class="list-head">
        <TotalLine ctx={ctx} p={p} />
        {p.total > 0 && <a class="button" href={withParams('/portal/contracts.csv', params, { size: undefined })} download>{t('portal.csv')}</a>}
      </div>
      {p.rows.length === 0 ? <p class="card empty">{p.terms.length || p.serviceId || p.status ? t('portal.no_match') : t('portal.no_contracts')}</p> : (
        <div class="table-wrap">
          <table class="contracts stack">
            <thead><tr>
              <th scope="col">{t('portal.col.status')}</th><th scope="col">{t('portal.col.number')}</th><th scope="col">{t('portal.col.group_number')}</th>
              <th scope="col">{t('portal.col.service')}</th><th scope="col">{t('portal.col.site')}</th><th scope="col">{t('portal.col.memo')}</th>
            </tr></thead>
            <tbody>
              {p.rows.map((r) => (
                <tr>
                  <td data-label={t('portal.col.status')}><StatusBadge t={t} status={r.status} /></td>
                  <td data-label={t('portal.col.number')}><a href={`/portal/contracts/${r.id}`}><code>{r.number}</code></a></td>
                  <td data-label={t('portal.col.group_number')}>{r.group_number}</td>
                  <td data-label={t('portal.col.service')}>{lang === 'ja' ? r.service_name_ja : r.service_name_en}</td>
                  <td data-label={t('portal.col.site')}>{r.site}</td>
                  <td data-label={t('portal.col.memo')}>{r.memo}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Pager t={t} page={p.page} pages={p.pages} href={(n) => withParams('/portal/contracts', params, { page: n === 1 ? undefined : n })} />
    </Layout>
  );
}
