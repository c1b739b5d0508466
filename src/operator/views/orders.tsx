// Orders in the provider's console (issue 26 item 3, S7 «お申し込みの進捗»): the list (every
// organisation's or one's, newest first, page links), recording an order, and one order with its
// milestones (mark the next one done, set a planned date) and its opening notice («開通案内»).
import type { OperatorRole, OrderStatus } from '../../db/schema.ts';
import type { OrderView } from '../../portal/orders/service.ts';
import type { ServiceRow } from '../../portal/catalogue/service.ts';
import { formatDateTime } from '../../i18n/index.ts';
import type { MessageKey } from '../../i18n/index.ts';
import type { PageCtx } from '../../web/views/layout.tsx';
import { Csrf, ErrorSummary, Field, Notice } from '../../web/views/form.tsx';
import { nameOf, Pager, withParams } from '../../portal/views/parts.tsx';
import { Button, ButtonLink, DataTable, EmptyState } from '../../web/views/components.ts';
import { OperatorPage } from './layout.tsx';
import { SelectField, TextAreaField, type FormState } from './customer-parts.tsx';

export interface ListedOrder {
  id: string; number: string; organisation_id: string; status: OrderStatus; applied_at: number; planned_opening_date: string | null;
  service_code: string; contract_number: string | null;
}

export function OrdersPage({ ctx, role, p, orgNames, services, form }: {
  ctx: PageCtx; role: OperatorRole; p: { rows: ListedOrder[]; total: number; page: number; pages: number; org: string };
  orgNames: Map<string, string>; services: readonly Pick<ServiceRow, 'code' | 'name_ja' | 'name_en'>[]; form: FormState;
}) {
  const { t, lang } = ctx;
  const v = form.values ?? {};
  return (
    <OperatorPage ctx={ctx} role={role} current="orders" title={t('console.area.orders')}>
      {form.notice && <Notice>{form.notice}</Notice>}
      <form method="get" action="/operator/orders" class="filters card" role="search" aria-label={t('console.area.orders')}>
        <div class="row">
          <div class="field grow">
            <label for="f-org-filter">{t('cc.orders.org_filter')}</label>
            {p.org && <p class="hint" id="f-org-filter-hint">{orgNames.get(p.org) ?? p.org}</p>}
            <input id="f-org-filter" name="org" value={p.org} maxLength={64} aria-describedby={p.org ? 'f-org-filter-hint' : undefined} />
          </div>
        </div>
        <div class="actions"><Button variant="primary">{t('portal.filter')}</Button> <ButtonLink href="/operator/orders">{t('portal.clear')}</ButtonLink></div>
      </form>
      <p class="total" role="status"><strong>{t('portal.total', { n: p.total })}</strong></p>
      {p.rows.length === 0 ? <EmptyState heading={t('cc.orders.none')} /> : (
        <DataTable caption={t('console.area.orders')} captionHidden rows={p.rows} columns={[
          { label: t('orders.number'), rowHeader: true, cell: (o) => <a href={`/operator/orders/${o.number}`}><code>{o.number}</code></a> },
          { label: t('cc.contracts.org'), cell: (o) => <a href={`/operator/organisations/${o.organisation_id}`}>{orgNames.get(o.organisation_id) ?? o.organisation_id}</a> },
          { label: t('ops.service'), cell: (o) => <code>{o.service_code}</code> },
          { label: t('ops.contract'), cell: (o) => o.contract_number ?? t('orders.no_contract') },
          { label: t('orders.status'), cell: (o) => t(`orders.status.${o.status}`) },
          { label: t('orders.applied_at'), cell: (o) => formatDateTime(o.applied_at, lang) },
          { label: t('orders.planned_opening'), cell: (o) => o.planned_opening_date ?? t('orders.not_fixed') },
        ]} />
      )}
      <Pager t={t} page={p.page} pages={p.pages} href={(n) => withParams('/operator/orders', { org: p.org || undefined }, { page: n === 1 ? undefined : n })} />
      <form method="post" action="/operator/orders" class="card" novalidate>
        <Csrf token={ctx.csrf} />
        <h2>{t('cc.orders.create')}</h2>
        <ErrorSummary t={t} error={form.error} />
        <Field t={t} name="org" label={t('cc.orders.org')} hint={t('cc.contracts.org_id_hint')} errors={form.fields} value={v.org ?? p.org} required maxLength={64} />
        <SelectField t={t} name="service" label={t('cc.orders.service')} errors={form.fields} value={v.service} required
          options={services.map((s) => ({ value: s.code, label: `${nameOf(s, lang)} (${s.code})` }))} />
        <Field t={t} name="contract" label={t('cc.orders.contract')} hint={t('cc.orders.contract_hint')} errors={form.fields} value={v.contract ?? ''} maxLength={40} />
        <Field t={t} name="planned" type="date" label={t('cc.orders.planned')} errors={form.fields} value={v.planned ?? ''} />
        <NoticeFields ctx={ctx} form={form} ja={v.notice_ja ?? ''} en={v.notice_en ?? ''} />
        <Button variant="primary">{t('cc.orders.create')}</Button>
      </form>
    </OperatorPage>
  );
}

function NoticeFields({ ctx, form, ja, en }: { ctx: PageCtx; form: FormState; ja: string; en: string }) {
  const { t } = ctx;
  return (
    <>
      <TextAreaField t={t} name="notice_ja" label={t('cc.orders.notice_ja')} hint={t('cc.orders.notice_hint')} errors={form.fields} value={ja} rows={3} maxLength={5000} />
      <TextAreaField t={t} name="notice_en" label={t('cc.orders.notice_en')} errors={form.fields} value={en} rows={3} maxLength={5000} />
    </>
  );
}

export function OrderPage({ ctx, role, o, orgName, form }: { ctx: PageCtx; role: OperatorRole; o: OrderView & { organisationId: string }; orgName: string; form: FormState }) {
  const { t, lang } = ctx;
  const base = `/operator/orders/${o.number}`;
  const v = form.values ?? {};
  const inProgress = o.status === 'in_progress';
  return (
    <OperatorPage ctx={ctx} role={role} current="orders" title={`${t('orders.order')} ${o.number}`} up={{ label: t('console.area.orders'), href: '/operator/orders' }}>
      {form.notice && <Notice>{form.notice}</Notice>}
      <ErrorSummary t={t} error={form.error} />
      <dl class="facts card">
        <dt>{t('cc.contracts.org')}</dt><dd><a href={`/operator/organisations/${o.organisationId}`}>{orgName}</a></dd>
        <dt>{t('ops.service')}</dt><dd>{lang === 'ja' ? o.serviceNameJa : o.serviceNameEn}</dd>
        <dt>{t('ops.contract')}</dt><dd>{o.contractNumber ?? t('orders.no_contract')}</dd>
        <dt>{t('orders.status')}</dt><dd>{t(`orders.status.${o.status}`)}</dd>
        <dt>{t('orders.applied_at')}</dt><dd>{formatDateTime(o.appliedAt, lang)}</dd>
        <dt>{t('orders.planned_opening')}</dt><dd>{o.plannedOpeningDate ?? t('orders.not_fixed')}</dd>
      </dl>
      <section aria-labelledby="h-steps">
        <h2 id="h-steps">{t('cc.orders.steps')}</h2>
        {o.steps.length === 0 ? <EmptyState level={3} heading={t('cc.orders.steps_none')} /> : (
          <ol class="steps">
            {o.steps.map((s) => {
              const label = t(`orders.step.${s.code}` as MessageKey);
              return (
                <li class={`step-${s.state}`} aria-current={s.state === 'current' ? 'step' : undefined}>
                  <strong>{label}</strong> — {t(`orders.state.${s.state}`)}
                  {s.doneAt !== null && <> ({t('cc.orders.done_at')} {formatDateTime(s.doneAt, lang)})</>}
                  {s.plannedDate && s.doneAt === null && <> ({t('orders.planned_on', { date: s.plannedDate })})</>}
                  {inProgress && s.doneAt === null && (
                    <div class="step-actions">
                      {s.state === 'current' && (
                        <form method="post" action={`${base}/steps/${s.code}`} class="inline">
                          <Csrf token={ctx.csrf} /><input type="hidden" name="action" value="done" />
                          <Button aria-label={`${t('cc.orders.mark_done')}: ${label}`}>{t('cc.orders.mark_done')}</Button>
                        </form>
                      )}
                      <form method="post" action={`${base}/steps/${s.code}`} class="inline" novalidate>
                        <Csrf token={ctx.csrf} /><input type="hidden" name="action" value="plan" />
                        <label for={`f-date-${s.code}`}>{t('cc.orders.date', { step: label })}</label>{' '}
                        <input id={`f-date-${s.code}`} name="date" type="date" value={v.step === s.code ? v.date ?? '' : s.plannedDate ?? ''}
                          aria-invalid={v.step === s.code && form.fields?.date ? 'true' : undefined} aria-describedby={v.step === s.code && form.fields?.date ? `f-date-${s.code}-err` : undefined} />{' '}
                        <Button>{t('cc.orders.set_date')}</Button>
                        {v.step === s.code && form.fields?.date && <p class="field-error" id={`f-date-${s.code}-err`}>{form.fields.date.map((e) => t(e.key, e.params)).join(' ')}</p>}
                      </form>
                    </div>
                  )}
                </li>
              );
            })}
          </ol>
        )}
      </section>
      <form method="post" action={`${base}/notice`} class="card" novalidate>
        <Csrf token={ctx.csrf} />
        <h2>{t('orders.opening_notice')}</h2>
        <NoticeFields ctx={ctx} form={form} ja={v.notice_ja ?? o.openingNoticeJa ?? ''} en={v.notice_en ?? o.openingNoticeEn ?? ''} />
        <Button variant="primary">{t('cc.orders.save_notice')}</Button>
      </form>
    </OperatorPage>
  );
}
