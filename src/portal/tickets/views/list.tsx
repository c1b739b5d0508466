// The organisation's tickets (S9) with status, category and service filters (GET form, no script).
import type { T } from '../../../i18n/index.ts';
import type { TicketStatus } from '../../../db/schema.ts';
import { Layout, type PageCtx } from '../../../web/views/layout.tsx';
import { Button, ButtonLink, DataTable, EmptyState, PageHeader, type Column } from '../../../web/views/components.ts';
import { ListPager, PortalNav, When } from '../../views/ops-parts.tsx';
import type { VisibleService } from '../../visible.ts';
import { CATEGORIES, PAGE_SIZE, STATUSES, type TicketSummary } from '../service.ts';

export function categoryLabel(t: T, c: string): string {
  return (CATEGORIES as readonly string[]).includes(c) ? t(`tickets.category.${c}` as 'tickets.category.portal') : c;
}
export function statusLabel(t: T, s: TicketStatus): string {
  return t(`tickets.status.${s}`);
}
export function ServiceCell({ t, lang, s }: { t: T; lang: 'ja' | 'en'; s: TicketSummary }) {
  if (s.service) return <>{lang === 'en' ? s.service.nameEn : s.service.nameJa}{s.contractNumber ? ` (${s.contractNumber})` : ''}</>;
  if (s.restricted) return <span class="muted">{t('tickets.service_hidden')}</span>;
  return <>—</>;
}

export interface TicketFilterValues { status?: string | undefined; category?: string | undefined; service?: string | undefined }

function ticketColumns(t: T, lang: 'ja' | 'en'): Column<TicketSummary>[] {
  return [
    { label: t('tickets.number'), cell: (k) => k.number },
    { label: t('tickets.subject'), rowHeader: true, cell: (k) => <a href={`/portal/tickets/${k.id}`}>{k.subject}</a> },
    { label: t('tickets.category_label'), cell: (k) => categoryLabel(t, k.category) },
    { label: t('ops.service'), cell: (k) => <ServiceCell t={t} lang={lang} s={k} /> },
    { label: t('tickets.status_label'), cell: (k) => <span class={`badge ticket-${k.status}`}>{statusLabel(t, k.status)}</span> },
    { label: t('tickets.updated'), sort: 'descending', cell: (k) => <When ms={k.updatedAt} lang={lang} /> },
  ];
}

/** Issue 24: the CSV of the list as filtered (every page). */
function csvHref(f: TicketFilterValues): string {
  const q = new URLSearchParams();
  if (f.status) q.set('status', f.status);
  if (f.category) q.set('category', f.category);
  if (f.service) q.set('service', f.service);
  const s = q.toString();
  return `/portal/tickets.csv${s ? `?${s}` : ''}`;
}

export function TicketsPage({ ctx, tickets, total, page, filter, services }: { ctx: PageCtx; tickets: TicketSummary[]; total: number; page: number; filter: TicketFilterValues; services: VisibleService[] }) {
  const { t, lang } = ctx;
  return (
    <Layout ctx={ctx} title={t('tickets.title')} wide>
      <PortalNav t={t} current="tickets" />
      <PageHeader title={t('tickets.title')} actions={<>
        <ButtonLink variant="primary" href="/portal/tickets/new">{t('tickets.new')}</ButtonLink>
        {total > 0 && <ButtonLink href={csvHref(filter)} download>{t('tickets.export_csv')}</ButtonLink>}
      </>} />
      <form method="get" action="/portal/tickets" class="filters" role="search" aria-label={t('tickets.filter')}>
        <div class="field">
          <label for="f-status">{t('tickets.status_label')}</label>
          <select id="f-status" name="status">
            <option value="">{t('tickets.any')}</option>
            <option value="active" selected={filter.status === 'active'}>{t('tickets.status.active')}</option>
            {STATUSES.map((s) => <option value={s} selected={filter.status === s}>{statusLabel(t, s)}</option>)}
          </select>
        </div>
        <div class="field">
          <label for="f-category">{t('tickets.category_label')}</label>
          <select id="f-category" name="category">
            <option value="">{t('tickets.any')}</option>
            {CATEGORIES.map((c) => <option value={c} selected={filter.category === c}>{categoryLabel(t, c)}</option>)}
          </select>
        </div>
        <div class="field">
          <label for="f-service">{t('ops.service')}</label>
          <select id="f-service" name="service">
            <option value="">{t('tickets.any')}</option>
            {services.map((s) => <option value={s.id} selected={filter.service === s.id}>{lang === 'en' ? s.nameEn : s.nameJa}</option>)}
          </select>
        </div>
        <Button>{t('tickets.apply_filter')}</Button>
      </form>
      <p class="muted" role="status">{t('ops.count', { count: total })}</p>
      {tickets.length === 0
        ? <EmptyState heading={t('tickets.none')} />
        : <DataTable caption={t('tickets.title')} captionHidden class="list" columns={ticketColumns(t, lang)} rows={tickets} />}
      <ListPager t={t} path="/portal/tickets" query={{ ...filter }} page={page} total={total} size={PAGE_SIZE} />
    </Layout>
  );
}
