// The maintenance-mail subscription page (issue 24 item 2) and the technical contact's unsubscribe
// page. Work without JavaScript; every field labelled, each error next to its field.
import type { NoticeImpact } from '../../db/schema.ts';
import type { FieldErrors } from '../../errors.ts';
import type { T } from '../../i18n/index.ts';
import { Layout, type PageCtx } from '../../web/views/layout.tsx';
import { Button, Card, PageHeader } from '../../web/views/components.ts';
import { Csrf, ErrorSummary, Notice } from '../../web/views/form.tsx';
import { PortalNav } from '../views/ops-parts.tsx';
import { NOTICE_IMPACTS } from './targets.ts';
import { SUBSCRIPTION_EVENTS, SUBSCRIPTION_SCOPES, type Subscription } from './subscriptions.ts';

export interface SubscriptionChoices {
  services: Array<{ id: string; name: string }>;
  contracts: Array<{ id: string; number: string; service: string }>;
  /** More contracts than listed exist (the list stops at `max`). */
  capped: boolean; max: number;
}

function FieldErr({ t, id, fields, name }: { t: T; id: string; fields: FieldErrors; name: string }) {
  const errs = fields[name] ?? [];
  return errs.length ? <p class="field-error" id={id}>{errs.map((e) => <span>{t(e.key, e.params)}</span>)}</p> : null;
}

export function SubscriptionPage({ ctx, sub, choices, leadHours, fields, saved }: {
  ctx: PageCtx; sub: Subscription; choices: SubscriptionChoices; leadHours: number; fields?: FieldErrors; saved?: boolean;
}) {
  const { t } = ctx;
  const f = fields ?? {};
  const invalid = (name: string) => ((f[name]?.length ?? 0) > 0 ? 'true' : undefined);
  return (
    <Layout ctx={ctx} title={t('subscriptions.title')} wide>
      <PortalNav t={t} current="subscriptions" />
      <PageHeader title={t('subscriptions.title')} />
      {saved && <Notice>{t('subscriptions.saved')}</Notice>}
      <ErrorSummary t={t} error={Object.keys(f).length ? { key: 'common.field_errors' } : null} />
      <p>{t('subscriptions.lead')}</p>
      <form method="post" action="/portal/subscriptions" class="card" novalidate>
        <Csrf token={ctx.csrf} />
        <fieldset class={f.scope ? 'field invalid' : 'field'} aria-describedby={f.scope ? 'f-scope-err' : undefined}>
          <legend>{t('subscriptions.scope_legend')}</legend>
          {SUBSCRIPTION_SCOPES.map((s) => (
            <div class="check"><input type="radio" id={`f-scope-${s}`} name="scope" value={s} checked={sub.scope === s} /><label for={`f-scope-${s}`}>{t(`subscriptions.scope.${s}`)}</label></div>
          ))}
          <FieldErr t={t} id="f-scope-err" fields={f} name="scope" />
        </fieldset>
        <fieldset class={f.services ? 'field invalid' : 'field'} aria-describedby={f.services ? 'f-services-err' : undefined}>
          <legend>{t('subscriptions.services_legend')}</legend>
          {choices.services.length === 0 && <p class="hint">{t('subscriptions.none_visible')}</p>}
          {choices.services.map((s) => (
            <div class="check"><input type="checkbox" id={`f-service-${s.id}`} name="services" value={s.id} checked={sub.serviceIds.includes(s.id)} /><label for={`f-service-${s.id}`}>{s.name}</label></div>
          ))}
          <FieldErr t={t} id="f-services-err" fields={f} name="services" />
        </fieldset>
        <fieldset class={f.contracts ? 'field invalid' : 'field'} aria-describedby={f.contracts ? 'f-contracts-err' : undefined}>
          <legend>{t('subscriptions.contracts_legend')}</legend>
          {choices.contracts.length === 0 && <p class="hint">{t('subscriptions.none_visible')}</p>}
          {choices.capped && <p class="hint">{t('subscriptions.contracts_capped', { max: choices.max })}</p>}
          {choices.contracts.map((c) => (
            <div class="check"><input type="checkbox" id={`f-contract-${c.id}`} name="contracts" value={c.id} checked={sub.contractIds.includes(c.id)} /><label for={`f-contract-${c.id}`}>{c.number} ({c.service})</label></div>
          ))}
          <FieldErr t={t} id="f-contracts-err" fields={f} name="contracts" />
        </fieldset>
        <div class={f.minImpact ? 'field invalid' : 'field'}>
          <label for="f-minImpact">{t('subscriptions.impact_label')}</label>
          <select id="f-minImpact" name="minImpact" aria-invalid={invalid('minImpact')} aria-describedby={f.minImpact ? 'f-minImpact-err' : undefined}>
            {NOTICE_IMPACTS.map((i: NoticeImpact) => <option value={i} selected={sub.minImpact === i}>{t(`subscriptions.impact.${i}`)}</option>)}
          </select>
          <FieldErr t={t} id="f-minImpact-err" fields={f} name="minImpact" />
        </div>
        <fieldset class={f.events ? 'field invalid' : 'field'} aria-describedby={f.events ? 'f-events-err' : undefined}>
          <legend>{t('subscriptions.events_legend')}</legend>
          {SUBSCRIPTION_EVENTS.map((e) => (
            <div class="check"><input type="checkbox" id={`f-event-${e}`} name="events" value={e} checked={sub.events.includes(e)} /><label for={`f-event-${e}`}>{t(`subscriptions.event.${e}`, { hours: leadHours })}</label></div>
          ))}
          <FieldErr t={t} id="f-events-err" fields={f} name="events" />
        </fieldset>
        <Button>{t('subscriptions.save')}</Button>
      </form>
    </Layout>
  );
}

/** The contact's page behind the mailed link: a confirmation (GET changes nothing), then done. */
export function UnsubscribePage({ ctx, email, token, done }: { ctx: PageCtx; email: string | null; token: string; done: boolean }) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('contacts.unsubscribe.title')}>
      <PageHeader title={t('contacts.unsubscribe.title')} />
      <Card as="div">
        {done ? <p role="status">{t('contacts.unsubscribe.done')}</p> : (
          <form method="post" action={`/notices/unsubscribe/${token}`}>
            <Csrf token={ctx.csrf} />
            <p>{t('contacts.unsubscribe.lead', { email: email ?? '' })}</p>
            <Button>{t('contacts.unsubscribe.confirm')}</Button>
          </form>
        )}
      </Card>
    </Layout>
  );
}
