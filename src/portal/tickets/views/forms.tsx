// Ticket forms (S9): open a ticket, reply. multipart/form-data so attachments work without
// JavaScript; the limits are stated next to the file input (docs/decisions/031).
import type { FieldErrors } from '../../../errors.ts';
import type { T } from '../../../i18n/index.ts';
import { Layout, type PageCtx } from '../../../web/views/layout.tsx';
import { Csrf, ErrorSummary, Field, type FormError } from '../../../web/views/form.tsx';
import { Button, PageHeader } from '../../../web/views/components.ts';
import { PortalNav } from '../../views/ops-parts.tsx';
import type { VisibleService } from '../../visible.ts';
import { ALLOWED_EXTENSIONS, MAX_FILES } from '../attachments.ts';
import { CATEGORIES, CUSTOMER_SEVERITIES, MAX_BODY } from '../service.ts';
import type { TicketSeverity } from '../../../db/schema.ts';
import { categoryLabel } from './list.tsx';

export interface ContractChoice { id: string; number: string; service_id: string; name_ja: string; name_en: string }
export interface NewTicketValues {
  category?: string; serviceId?: string; contractId?: string; subject?: string; body?: string;
  /** Issue 24: urgency, the notice it is about, colleagues in copy. */
  severity?: string; noticeId?: string; cc?: string[];
}

/** «4時間» / «1 days»: a response target in the largest whole unit. */
export function targetText(t: T, minutes: number): string {
  if (minutes % 1440 === 0) return t('tickets.days', { n: minutes / 1440 });
  if (minutes % 60 === 0) return t('tickets.hours', { n: minutes / 60 });
  return t('tickets.minutes', { n: minutes });
}

/** Issue 24: the urgency choice with each level's first-response target. */
export function SeveritySelect({ t, value, targets, errors }: { t: T; value: string; targets: Record<TicketSeverity, number>; errors?: FieldErrors | undefined }) {
  const bad = !!errors?.severity?.length;
  return (
    <div class={bad ? 'field invalid' : 'field'}>
      <label for="f-severity">{t('tickets.severity_label')}</label>
      <p class="hint" id="f-severity-hint">{t('tickets.severity_hint')}</p>
      <select id="f-severity" name="severity" aria-describedby={bad ? 'f-severity-hint f-severity-err' : 'f-severity-hint'} aria-invalid={bad ? 'true' : undefined}>
        {CUSTOMER_SEVERITIES.map((s) => (
          <option value={s} selected={value === s}>{t(`tickets.severity.${s}`)} — {t('tickets.response_target')} {targetText(t, targets[s])}</option>
        ))}
      </select>
      <FieldMessage t={t} id="f-severity-err" errors={errors} name="severity" />
    </div>
  );
}

/** Issue 24: colleagues of the organisation in copy (a multiple select: works without JavaScript). */
export function CcSelect({ t, colleagues, chosen, errors }: { t: T; colleagues: { id: string; name: string }[]; chosen: readonly string[]; errors?: FieldErrors | undefined }) {
  const bad = !!errors?.cc?.length;
  return (
    <div class={bad ? 'field invalid' : 'field'}>
      <label for="f-cc">{t('tickets.cc_label')}</label>
      <p class="hint" id="f-cc-hint">{t('tickets.cc_hint')}</p>
      <select id="f-cc" name="cc" multiple size={Math.min(6, Math.max(3, colleagues.length))} aria-describedby={bad ? 'f-cc-hint f-cc-err' : 'f-cc-hint'} aria-invalid={bad ? 'true' : undefined}>
        {colleagues.map((c) => <option value={c.id} selected={chosen.includes(c.id)}>{c.name}</option>)}
      </select>
      <FieldMessage t={t} id="f-cc-err" errors={errors} name="cc" />
    </div>
  );
}

function FieldMessage({ t, id, errors, name }: { t: T; id: string; errors?: FieldErrors | undefined; name: string }) {
  const errs = errors?.[name] ?? [];
  if (!errs.length) return null;
  return <p class="field-error" id={id}>{errs.map((e) => <span>{t(e.key, e.params)}</span>)}</p>;
}

export function AttachmentInput({ t, errors }: { t: T; errors?: FieldErrors | undefined }) {
  const bad = !!errors?.attachments?.length;
  return (
    <div class={bad ? 'field invalid' : 'field'}>
      <label for="f-attachments">{t('tickets.attachments')}</label>
      <p class="hint" id="f-attachments-hint">{t('tickets.attachments_hint', { max: MAX_FILES, types: ALLOWED_EXTENSIONS.join(', ') })}</p>
      <input type="file" id="f-attachments" name="attachments" multiple accept={ALLOWED_EXTENSIONS.map((e) => `.${e}`).join(',')}
        aria-describedby={bad ? 'f-attachments-hint f-attachments-err' : 'f-attachments-hint'} aria-invalid={bad ? 'true' : undefined} />
      <FieldMessage t={t} id="f-attachments-err" errors={errors} name="attachments" />
    </div>
  );
}

export function NewTicketPage({ ctx, services, contracts, colleagues = [], notice = null, targets, values = {}, error, errors }: {
  ctx: PageCtx; services: VisibleService[]; contracts: ContractChoice[]; values?: NewTicketValues; error?: FormError | null | undefined; errors?: FieldErrors | undefined;
  colleagues?: { id: string; name: string }[]; notice?: { id: string; titleJa: string; titleEn: string } | null; targets: Record<TicketSeverity, number>;
}) {
  const { t, lang } = ctx;
  const inv = (n: string) => (errors?.[n]?.length ? 'true' : undefined);
  return (
    <Layout ctx={ctx} title={t('tickets.new')} wide>
      <PortalNav t={t} current="tickets" />
      <PageHeader title={t('tickets.new')} />
      <ErrorSummary t={t} error={error} />
      <form method="post" action="/portal/tickets" enctype="multipart/form-data" class="card" novalidate>
        <Csrf token={ctx.csrf} />
        {notice && (
          <div class="field">
            <input type="hidden" name="noticeId" value={notice.id} />
            <p><strong>{t('tickets.notice_label')}:</strong> <a href={`/portal/notices/${notice.id}`}>{lang === 'en' ? notice.titleEn : notice.titleJa}</a></p>
          </div>
        )}
        <div class={inv('category') ? 'field invalid' : 'field'}>
          <label for="f-category">{t('tickets.category_label')}<span class="req"> ({t('common.required')})</span></label>
          <select id="f-category" name="category" required aria-invalid={inv('category')} aria-describedby={inv('category') ? 'f-category-err' : undefined}>
            {CATEGORIES.map((c) => <option value={c} selected={values.category === c}>{categoryLabel(t, c)}</option>)}
          </select>
          <FieldMessage t={t} id="f-category-err" errors={errors} name="category" />
        </div>
        <div class={inv('serviceId') ? 'field invalid' : 'field'}>
          <label for="f-serviceId">{t('ops.service')}</label>
          <p class="hint" id="f-serviceId-hint">{t('tickets.service_hint')}</p>
          <select id="f-serviceId" name="serviceId" aria-invalid={inv('serviceId')} aria-describedby={inv('serviceId') ? 'f-serviceId-hint f-serviceId-err' : 'f-serviceId-hint'}>
            <option value="">{t('tickets.service_none')}</option>
            {services.map((s) => <option value={s.id} selected={values.serviceId === s.id}>{lang === 'en' ? s.nameEn : s.nameJa}</option>)}
          </select>
          <FieldMessage t={t} id="f-serviceId-err" errors={errors} name="serviceId" />
        </div>
        <div class={inv('contractId') ? 'field invalid' : 'field'}>
          <label for="f-contractId">{t('ops.contract')}</label>
          <select id="f-contractId" name="contractId" aria-invalid={inv('contractId')} aria-describedby={inv('contractId') ? 'f-contractId-err' : undefined}>
            <option value="">{t('tickets.contract_none')}</option>
            {contracts.map((c) => <option value={c.id} selected={values.contractId === c.id}>{c.number} — {lang === 'en' ? c.name_en : c.name_ja}</option>)}
          </select>
          <FieldMessage t={t} id="f-contractId-err" errors={errors} name="contractId" />
        </div>
        <SeveritySelect t={t} value={values.severity ?? 'normal'} targets={targets} errors={errors} />
        <Field t={t} name="subject" label={t('tickets.subject')} value={values.subject ?? ''} required maxLength={200} errors={errors} />
        <div class={inv('body') ? 'field invalid' : 'field'}>
          <label for="f-body">{t('tickets.body')}<span class="req"> ({t('common.required')})</span></label>
          <textarea id="f-body" name="body" rows={8} required maxLength={MAX_BODY} aria-invalid={inv('body')} aria-describedby={inv('body') ? 'f-body-err' : undefined}>{values.body ?? ''}</textarea>
          <FieldMessage t={t} id="f-body-err" errors={errors} name="body" />
        </div>
        <AttachmentInput t={t} errors={errors} />
        {colleagues.length > 0 && <CcSelect t={t} colleagues={colleagues} chosen={values.cc ?? []} errors={errors} />}
        <Button variant="primary">{t('tickets.submit')}</Button>
      </form>
      <p><a href="/portal/tickets">{t('tickets.back')}</a></p>
    </Layout>
  );
}
