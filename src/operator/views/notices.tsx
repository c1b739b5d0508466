// Console: notices (issue 26 item 4). The list (running, scheduled, past), the compose form, one
// notice with its change form and the one-action withdraw. The preview draws the customer's own
// components (the dashboard's item, the notice page's facts) in ja and en from the unsaved form.
import type { FieldErrors } from '../../errors.ts';
import { formatDateTime } from '../../i18n/index.ts';
import type { OperatorRole } from '../../db/schema.ts';
import type { PageCtx } from '../../web/views/layout.tsx';
import { Csrf, ErrorSummary, Field, Notice, type FormError } from '../../web/views/form.tsx';
import { DashboardNoticeItem, NoticeFacts, serviceName } from '../../portal/notices/views.tsx';
import type { NoticeView, OperatorNoticeView, OperatorWhen } from '../../portal/notices/service.ts';
import { Alert, Button, ButtonLink, EmptyState } from '../../web/views/components.ts';
import { OperatorPage } from './layout.tsx';
import { PreviewFrame, TextArea, When } from './publish-parts.tsx';

export interface NoticeFormValues {
  kind: string; services: string[]; titleJa: string; titleEn: string; bodyJa: string; bodyEn: string; startsAt: string; endsAt: string;
  /** Issue 24: «number impact» lines; absent (JSON API) keeps the notice's contracts. */
  contracts?: string; status?: string;
}
export interface ServiceChoice { id: string; code: string; nameJa: string; nameEn: string }
/** What the preview shows: the checked notice as customers would see it (phase at the time of preview). */
export type NoticePreview = NoticeView;

const KINDS = ['construction', 'outage', 'information'] as const;
const STATUSES = ['tentative', 'confirmed', 'in_progress', 'completed', 'cancelled'] as const;

export function NoticesListPage({ ctx, role, when, notices, notice }: { ctx: PageCtx; role: OperatorRole; when: OperatorWhen; notices: OperatorNoticeView[]; notice?: string | null }) {
  const { t, lang } = ctx;
  return (
    <OperatorPage ctx={ctx} role={role} current="notices" title={t('console.notices.title')}>
      {notice && <Notice>{notice}</Notice>}
      <p class="actions"><ButtonLink href="/operator/notices/new">{t('console.notices.compose')}</ButtonLink></p>
      <nav class="tabs" aria-label={t('console.notices.period')}>
        {(['current', 'scheduled', 'past'] as const).map((w) => <a href={`/operator/notices?when=${w}`} aria-current={w === when ? 'page' : undefined}>{t(`console.notices.${w}`)}</a>)}
      </nav>
      {notices.length === 0 ? <EmptyState heading={t('console.notices.none')} /> : (
        <ul class="notice-list">
          {notices.map((n) => (
            <li class={`notice ${n.kind}`}>
              <p class="notice-meta"><span class={`badge kind-${n.kind}`}>{t(`notices.kind.${n.kind}`)}</span> {serviceName(t, lang, n)}
                {n.withdrawnAt !== null && <> <span class="badge quiet">{t('console.notices.withdrawn_at', { at: formatDateTime(n.withdrawnAt, lang) })}</span></>}</p>
              <h2><a href={`/operator/notices/${n.id}`}>{lang === 'en' ? n.titleEn : n.titleJa}</a></h2>
              <p class="muted">{formatDateTime(n.startsAt, lang)} – {n.endsAt !== null ? formatDateTime(n.endsAt, lang) : t('notices.until_further')}</p>
            </li>
          ))}
        </ul>
      )}
    </OperatorPage>
  );
}

function NoticeForm({ ctx, action, previewAction, submit, values, services, errors, compose }: {
  ctx: PageCtx; action: string; previewAction: string; submit: string; values: NoticeFormValues; services: ServiceChoice[]; errors: FieldErrors; compose?: boolean;
}) {
  const { t, lang } = ctx;
  const svcErr = errors.services ?? [];
  return (
    <form method="post" action={action} class="console-form" noValidate>
      <Csrf token={ctx.csrf} />
      <div class={errors.kind?.length ? 'field invalid' : 'field'}>
        <label for="f-kind">{t('console.notices.kind')}</label>
        <select id="f-kind" name="kind" aria-invalid={errors.kind?.length ? 'true' : undefined} aria-describedby={errors.kind?.length ? 'f-kind-err' : undefined}>
          {KINDS.map((k) => <option value={k} selected={values.kind === k}>{t(`notices.kind.${k}`)}</option>)}
        </select>
        {errors.kind?.length ? <p class="field-error" id="f-kind-err">{errors.kind.map((e) => <span>{t(e.key, e.params)}</span>)}</p> : null}
      </div>
      <fieldset class={svcErr.length ? 'field invalid' : 'field'} aria-describedby={['f-services-hint', svcErr.length ? 'f-services-err' : ''].filter(Boolean).join(' ')}>
        <legend>{t('console.notices.services')}</legend>
        <p class="hint" id="f-services-hint">{t('console.notices.services_hint')}</p>
        <ul class="plain checks">
          {services.map((s) => (
            <li><input type="checkbox" id={`f-svc-${s.id}`} name="services" value={s.id} checked={values.services.includes(s.id)} />
              <label for={`f-svc-${s.id}`}>{lang === 'en' ? s.nameEn : s.nameJa} <span class="muted">({s.code})</span></label></li>
          ))}
        </ul>
        {svcErr.length > 0 && <p class="field-error" id="f-services-err">{svcErr.map((e) => <span>{t(e.key, e.params)}</span>)}</p>}
      </fieldset>
      <TextArea t={t} name="contracts" label={t('console.notices.contracts')} hint={t('console.notices.contracts_hint')} value={values.contracts ?? ''} errors={errors} rows={4} />
      {compose && (
        <div class="field">
          <label for="f-status">{t('notices.status_label')}</label>
          <select id="f-status" name="status">
            {STATUSES.map((st) => <option value={st} selected={(values.status ?? 'confirmed') === st}>{t(`notices.status.${st}`)}</option>)}
          </select>
        </div>
      )}
      <Field t={t} name="titleJa" label={t('console.notices.title_ja')} value={values.titleJa} errors={errors} required maxLength={200} />
      <Field t={t} name="titleEn" label={t('console.notices.title_en')} value={values.titleEn} errors={errors} required maxLength={200} />
      <TextArea t={t} name="bodyJa" label={t('console.notices.body_ja')} value={values.bodyJa} errors={errors} required rows={5} />
      <TextArea t={t} name="bodyEn" label={t('console.notices.body_en')} value={values.bodyEn} errors={errors} required rows={5} />
      <p class="hint">{t('console.jst')}</p>
      <When t={t} name="startsAt" label={t('console.notices.starts_at')} value={values.startsAt} errors={errors} required />
      <When t={t} name="endsAt" label={t('console.notices.ends_at')} value={values.endsAt} hint={t('console.notices.ends_at_hint')} errors={errors} />
      <p class="actions">
        <Button formAction={previewAction}>{t('console.preview')}</Button>
        <Button>{submit}</Button>
      </p>
    </form>
  );
}

function NoticePreviewSection({ ctx, ctxs, preview, action }: { ctx: PageCtx; ctxs: PageCtx[]; preview: NoticePreview; action: string }) {
  const row = { kind: preview.kind, title_ja: preview.titleJa, title_en: preview.titleEn, starts_at: preview.startsAt, ends_at: preview.endsAt };
  return (
    <PreviewFrame ctx={ctx} ctxs={ctxs} action={action}>
      {(c) => (
        <>
          <h4>{ctx.t('console.notices.dashboard_preview')}</h4>
          <section class="notices card"><ul class="plain"><DashboardNoticeItem ctx={c} notice={row} /></ul></section>
          <h4>{ctx.t('console.notices.page_preview')}</h4>
          <p class="preview-title">{c.lang === 'en' ? preview.titleEn : preview.titleJa}</p>
          <NoticeFacts ctx={c} notice={preview} />
        </>
      )}
    </PreviewFrame>
  );
}

export interface NoticeFormPageProps {
  ctx: PageCtx; role: OperatorRole; values: NoticeFormValues; services: ServiceChoice[];
  error?: FormError | null; errors?: FieldErrors; preview?: { ctxs: PageCtx[]; notice: NoticePreview } | null;
}

export function NoticeComposePage(p: NoticeFormPageProps) {
  const { t } = p.ctx;
  return (
    <OperatorPage ctx={p.ctx} role={p.role} current="notices" title={t('console.notices.compose')}>
      <ErrorSummary t={t} error={p.error ?? null} />
      {p.preview && <NoticePreviewSection ctx={p.ctx} ctxs={p.preview.ctxs} preview={p.preview.notice} action={t('console.notices.publish')} />}
      <NoticeForm ctx={p.ctx} action="/operator/notices" previewAction="/operator/notices/preview" submit={t('console.notices.publish')} values={p.values} services={p.services} errors={p.errors ?? {}} compose />
    </OperatorPage>
  );
}

export function NoticeEditPage(p: NoticeFormPageProps & { notice: OperatorNoticeView; done?: string | null }) {
  const { t, lang } = p.ctx;
  const n = p.notice;
  const base = `/operator/notices/${n.id}`;
  return (
    <OperatorPage ctx={p.ctx} role={p.role} current="notices" title={lang === 'en' ? n.titleEn : n.titleJa}>
      {p.done && <Notice>{p.done}</Notice>}
      <ErrorSummary t={t} error={p.error ?? null} />
      <dl class="facts compact">
        <dt>{t('console.notices.kind')}</dt><dd>{t(`notices.kind.${n.kind}`)} ({t(`notices.phase.${n.phase}`)})</dd>
        <dt>{t('console.notices.services')}</dt><dd>{serviceName(t, lang, n)}</dd>
        <dt>{t('console.notices.period')}</dt><dd>{formatDateTime(n.startsAt, lang)} – {n.endsAt !== null ? formatDateTime(n.endsAt, lang) : t('notices.until_further')}</dd>
        <dt>{t('notices.status_label')}</dt><dd>{t(`notices.status.${n.status}`)}</dd>
        <dt>{t('notices.affected')}</dt><dd>{n.contracts.length ? n.contracts.map((c) => `${c.number} (${t(`notices.impact.${c.impact}`)})`).join(', ') : '—'}</dd>
        {n.report && <><dt>{t('notices.report')}</dt><dd><a href={`${base}/report`}>{t('notices.report_download', { name: n.report.filename, size: n.report.size })}</a></dd></>}
      </dl>
      <p class="muted">{t('console.notices.published_at', { at: formatDateTime(n.publishedAt, lang) })}</p>
      {n.withdrawnAt !== null ? <Alert kind="info"><p>{t('console.notices.withdrawn_at', { at: formatDateTime(n.withdrawnAt, lang) })}</p></Alert> : (
        <>
          {p.preview && <NoticePreviewSection ctx={p.ctx} ctxs={p.preview.ctxs} preview={p.preview.notice} action={t('console.notices.change')} />}
          <NoticeForm ctx={p.ctx} action={base} previewAction={`${base}/preview`} submit={t('console.notices.change')} values={p.values} services={p.services} errors={p.errors ?? {}} />
          <form method="post" action={`${base}/status`} class="console-form">
            <Csrf token={p.ctx.csrf} />
            <div class="field">
              <label for="f-new-status">{t('console.notices.status_change')}</label>
              <select id="f-new-status" name="status">
                {STATUSES.map((st) => <option value={st} selected={n.status === st}>{t(`notices.status.${st}`)}</option>)}
              </select>
            </div>
            <p class="actions"><Button>{t('console.notices.status_change')}</Button></p>
          </form>
          <form method="post" action={`${base}/report`} enctype="multipart/form-data" class="console-form">
            <Csrf token={p.ctx.csrf} />
            <div class="field">
              <label for="f-report">{t('console.notices.report_file')}</label>
              <input type="file" id="f-report" name="report" required />
            </div>
            <p class="actions"><Button>{t('console.notices.report_attach')}</Button></p>
          </form>
          <form method="post" action={`${base}/withdraw`} class="danger-zone">
            <Csrf token={p.ctx.csrf} />
            <p class="hint" id="withdraw-hint">{t('console.notices.withdraw_hint')}</p>
            <Button variant="danger" aria-describedby="withdraw-hint">{t('console.notices.withdraw')}</Button>
          </form>
        </>
      )}
    </OperatorPage>
  );
}
