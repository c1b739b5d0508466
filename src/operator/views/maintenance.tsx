// Console: maintenance windows (issue 26 item 4). The list, the schedule form, one window with its
// change form and the one-action cancel. The preview draws the customer-facing components
// themselves (login page banner, dashboard slot, the 503 page's notice) in ja and en, so what an
// operator previews cannot drift from what customers see.
import type { FieldErrors } from '../../errors.ts';
import { formatDateTime } from '../../i18n/index.ts';
import type { OperatorRole } from '../../db/schema.ts';
import type { PageCtx } from '../../web/views/layout.tsx';
import { Csrf, ErrorSummary, Notice, type FormError } from '../../web/views/form.tsx';
import { DashboardMaintenance, LoginAnnouncement, MaintenanceNotice } from '../../portal/maintenance/views.tsx';
import type { MaintenanceDraft, MaintenanceWindow } from '../../portal/maintenance/service.ts';
import { Button, EmptyState } from '../../web/views/components.ts';
import { OperatorPage } from './layout.tsx';
import { PreviewFrame, TextArea, When } from './publish-parts.tsx';

export interface MaintenanceFormValues { announceFrom: string; startsAt: string; endsAt: string; messageJa: string; messageEn: string }
export type WindowState = 'cancelled' | 'over' | 'running' | 'announced' | 'scheduled';

export function windowState(w: MaintenanceWindow, now: number): WindowState {
  if (w.cancelled_at !== null) return 'cancelled';
  if (w.ends_at <= now) return 'over';
  if (w.starts_at <= now) return 'running';
  return w.announce_from <= now ? 'announced' : 'scheduled';
}

function Period({ ctx, w }: { ctx: PageCtx; w: MaintenanceWindow }) {
  return <>{formatDateTime(w.starts_at, ctx.lang)} – {formatDateTime(w.ends_at, ctx.lang)}</>;
}

function WindowList({ ctx, windows, now }: { ctx: PageCtx; windows: MaintenanceWindow[]; now: number }) {
  const { t, lang } = ctx;
  if (!windows.length) return <EmptyState level={3} heading={t('console.maintenance.none')} />;
  return (
    <ul class="plain window-list">
      {windows.map((w) => (
        <li><span class="badge">{t(`console.maintenance.state.${windowState(w, now)}`)}</span> <a href={`/operator/maintenance/${w.id}`}><Period ctx={ctx} w={w} /></a>
          <span class="muted"> {lang === 'en' ? w.message_en : w.message_ja}</span></li>
      ))}
    </ul>
  );
}

function MaintenanceForm({ ctx, action, previewAction, submit, values, errors }: { ctx: PageCtx; action: string; previewAction: string; submit: string; values: MaintenanceFormValues; errors: FieldErrors }) {
  const { t } = ctx;
  return (
    <form method="post" action={action} class="console-form" noValidate>
      <Csrf token={ctx.csrf} />
      <p class="hint">{t('console.jst')}</p>
      <When t={t} name="announceFrom" label={t('console.maintenance.announce_from')} value={values.announceFrom} hint={t('console.maintenance.announce_from_hint')} errors={errors} />
      <When t={t} name="startsAt" label={t('console.maintenance.starts_at')} value={values.startsAt} errors={errors} required />
      <When t={t} name="endsAt" label={t('console.maintenance.ends_at')} value={values.endsAt} errors={errors} required />
      <TextArea t={t} name="messageJa" label={t('console.maintenance.message_ja')} value={values.messageJa} errors={errors} required maxLength={2000} />
      <TextArea t={t} name="messageEn" label={t('console.maintenance.message_en')} value={values.messageEn} errors={errors} required maxLength={2000} />
      <p class="actions">
        <Button formAction={previewAction}>{t('console.preview')}</Button>
        <Button>{submit}</Button>
      </p>
    </form>
  );
}

function MaintenancePreview({ ctx, ctxs, draft, action }: { ctx: PageCtx; ctxs: PageCtx[]; draft: MaintenanceDraft; action: string }) {
  const w = { starts_at: draft.startsAt, ends_at: draft.endsAt, message_ja: draft.messageJa, message_en: draft.messageEn };
  return (
    <PreviewFrame ctx={ctx} ctxs={ctxs} action={action}>
      {(c) => (
        <>
          <h4>{ctx.t('console.maintenance.login_preview')}</h4>
          <div class="preview-box"><LoginAnnouncement ctx={c} window={w} /></div>
          <h4>{ctx.t('console.maintenance.dashboard_preview')}</h4>
          <div class="preview-box"><DashboardMaintenance ctx={c} window={w} /></div>
          <h4>{ctx.t('console.maintenance.page_preview')}</h4>
          <div class="preview-box"><MaintenanceNotice ctx={c} startsAt={w.starts_at} endsAt={w.ends_at} message={c.lang === 'en' ? w.message_en : w.message_ja} heading="h4" /></div>
        </>
      )}
    </PreviewFrame>
  );
}

export interface MaintenancePageProps {
  ctx: PageCtx; role: OperatorRole; now: number; values: MaintenanceFormValues;
  error?: FormError | null; errors?: FieldErrors; preview?: { ctxs: PageCtx[]; draft: MaintenanceDraft } | null; done?: string | null;
}

export function MaintenanceListPage(p: MaintenancePageProps & { upcoming: MaintenanceWindow[]; past: MaintenanceWindow[] }) {
  const { t } = p.ctx;
  return (
    <OperatorPage ctx={p.ctx} role={p.role} current="maintenance" title={t('console.maintenance.title')}>
      {p.done && <Notice>{p.done}</Notice>}
      <p class="hint">{t('console.maintenance.operators_note')}</p>
      <section aria-labelledby="mw-up"><h2 id="mw-up">{t('console.maintenance.upcoming')}</h2><WindowList ctx={p.ctx} windows={p.upcoming} now={p.now} /></section>
      <section aria-labelledby="mw-new">
        <h2 id="mw-new">{t('console.maintenance.schedule')}</h2>
        <ErrorSummary t={t} error={p.error ?? null} />
        {p.preview && <MaintenancePreview ctx={p.ctx} ctxs={p.preview.ctxs} draft={p.preview.draft} action={t('console.maintenance.submit')} />}
        <MaintenanceForm ctx={p.ctx} action="/operator/maintenance" previewAction="/operator/maintenance/preview" submit={t('console.maintenance.submit')} values={p.values} errors={p.errors ?? {}} />
      </section>
      <section aria-labelledby="mw-past"><h2 id="mw-past">{t('console.maintenance.past')}</h2><WindowList ctx={p.ctx} windows={p.past} now={p.now} /></section>
    </OperatorPage>
  );
}

export function MaintenanceWindowPage(p: MaintenancePageProps & { window: MaintenanceWindow }) {
  const { t, lang } = p.ctx;
  const w = p.window;
  const state = windowState(w, p.now);
  const base = `/operator/maintenance/${w.id}`;
  const editable = state !== 'cancelled' && state !== 'over';
  return (
    <OperatorPage ctx={p.ctx} role={p.role} current="maintenance" title={`${t('console.maintenance.title')}: ${formatDateTime(w.starts_at, lang)}`}>
      {p.done && <Notice>{p.done}</Notice>}
      <ErrorSummary t={t} error={p.error ?? null} />
      <dl class="facts compact">
        <dt>{t('console.maintenance.state')}</dt><dd><span class="badge">{t(`console.maintenance.state.${state}`)}</span></dd>
        <dt>{t('console.maintenance.announce_from')}</dt><dd>{formatDateTime(w.announce_from, lang)}</dd>
        <dt>{t('maintenance.period')}</dt><dd><Period ctx={p.ctx} w={w} /></dd>
      </dl>
      {editable && (
        <>
          {p.preview && <MaintenancePreview ctx={p.ctx} ctxs={p.preview.ctxs} draft={p.preview.draft} action={t('console.maintenance.change')} />}
          <MaintenanceForm ctx={p.ctx} action={base} previewAction={`${base}/preview`} submit={t('console.maintenance.change')} values={p.values} errors={p.errors ?? {}} />
          <form method="post" action={`${base}/cancel`} class="danger-zone">
            <Csrf token={p.ctx.csrf} />
            <p class="hint" id="cancel-hint">{t('console.maintenance.cancel_hint')}</p>
            <Button variant="danger" aria-describedby="cancel-hint">{t('console.maintenance.cancel')}</Button>
          </form>
        </>
      )}
      <p><a href="/operator/maintenance">{t('console.maintenance.title')}</a></p>
    </OperatorPage>
  );
}
