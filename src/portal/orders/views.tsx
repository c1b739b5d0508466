// Order pages (S7 «お申し込みの進捗»): a list, and one order with its progress as a timeline — an
// ordered list whose items say their state and date in words, with aria-current="step" on the
// current one, so the progress is never told by colour alone.
import type { Lang, T } from '../../i18n/index.ts';
import { Layout, type PageCtx } from '../../web/views/layout.tsx';
import { Card, DataTable, EmptyState, PageHeader, type Column } from '../../web/views/components.ts';
import { ListPager, PortalNav, When } from '../views/ops-parts.tsx';
import { nameIn } from '../viewer.ts';
import { PAGE_SIZE, type OrderStep, type OrderView } from './service.ts';

function stepLabel(t: T, code: string): string {
  return ['received', 'reviewing', 'arranging', 'constructing', 'opened'].includes(code) ? t(`orders.step.${code}` as 'orders.step.received') : code;
}
function statusLabel(t: T, o: OrderView): string {
  return t(`orders.status.${o.status}`);
}
function currentStep(t: T, o: OrderView): string {
  const c = o.steps.find((s) => s.state === 'current');
  return c ? stepLabel(t, c.code) : statusLabel(t, o);
}

function orderColumns(t: T, lang: Lang): Column<OrderView>[] {
  return [
    { label: t('orders.number'), rowHeader: true, cell: (o) => <a href={`/portal/orders/${o.id}`}>{o.number}</a> },
    { label: t('ops.service'), cell: (o) => nameIn(lang, o.serviceNameJa, o.serviceNameEn) },
    { label: t('ops.contract'), cell: (o) => o.contractNumber ?? '—' },
    { label: t('orders.applied_at'), sort: 'descending', cell: (o) => <When ms={o.appliedAt} lang={lang} /> },
    { label: t('orders.planned_opening'), cell: (o) => o.plannedOpeningDate ?? t('orders.not_fixed') },
    { label: t('orders.progress'), cell: (o) => <span class={`badge order-${o.status}`}>{currentStep(t, o)}</span> },
  ];
}

export function OrdersPage({ ctx, orders, total, page, serviceId }: { ctx: PageCtx; orders: OrderView[]; total: number; page: number; serviceId?: string | undefined }) {
  const { t, lang } = ctx;
  return (
    <Layout ctx={ctx} title={t('orders.title')} wide>
      <PortalNav t={t} current="orders" />
      <PageHeader title={t('orders.title')} />
      <p class="muted" role="status">{t('ops.count', { count: total })}</p>
      {orders.length === 0
        ? <EmptyState heading={t('orders.none')} />
        : <DataTable caption={t('orders.title')} captionHidden class="list" columns={orderColumns(t, lang)} rows={orders} />}
      <ListPager t={t} path="/portal/orders" query={{ service: serviceId }} page={page} total={total} size={PAGE_SIZE} />
    </Layout>
  );
}

function StepItem({ t, lang, s }: { t: T; lang: Lang; s: OrderStep }) {
  return (
    <li class={`step ${s.state}`} aria-current={s.state === 'current' ? 'step' : undefined}>
      <span class="marker" aria-hidden="true" />
      <span class="step-name">{stepLabel(t, s.code)}</span>
      <span class="step-state">{t(`orders.state.${s.state}`)}</span>
      <span class="step-date">
        {s.doneAt !== null ? <>{t('orders.done_on')} <When ms={s.doneAt} lang={lang} /></> : s.plannedDate ? t('orders.planned_on', { date: s.plannedDate }) : ''}
      </span>
    </li>
  );
}

export function OrderPage({ ctx, order }: { ctx: PageCtx; order: OrderView }) {
  const { t, lang } = ctx;
  const notice = lang === 'en' ? order.openingNoticeEn ?? order.openingNoticeJa : order.openingNoticeJa ?? order.openingNoticeEn;
  const current = order.steps.find((s) => s.state === 'current');
  return (
    <Layout ctx={ctx} title={`${t('orders.order')} ${order.number}`} wide>
      <PortalNav t={t} current="orders" />
      <PageHeader title={<>{t('orders.order')} {order.number}</>} />
      <dl class="facts">
        <dt>{t('ops.service')}</dt><dd>{nameIn(lang, order.serviceNameJa, order.serviceNameEn)}</dd>
        <dt>{t('ops.contract')}</dt><dd>{order.contractNumber ?? t('orders.no_contract')}</dd>
        <dt>{t('orders.applied_at')}</dt><dd><When ms={order.appliedAt} lang={lang} /></dd>
        <dt>{t('orders.planned_opening')}</dt><dd>{order.plannedOpeningDate ?? t('orders.not_fixed')}</dd>
        <dt>{t('orders.status')}</dt><dd>{statusLabel(t, order)}</dd>
      </dl>
      <section aria-labelledby="progress-h">
        <h2 id="progress-h">{t('orders.progress')}</h2>
        <p class="current-step">{current ? t('orders.current_is', { step: stepLabel(t, current.code) }) : statusLabel(t, order)}</p>
        <ol class="timeline">
          {order.steps.map((s) => <StepItem t={t} lang={lang} s={s} />)}
        </ol>
      </section>
      {notice && (
        <Card class="opening-notice" title={t('orders.opening_notice')} labelledBy="notice-h">
          <p class="pre">{notice}</p>
        </Card>
      )}
      <p><a href="/portal/orders">{t('orders.back')}</a></p>
    </Layout>
  );
}
