// The maintenance page (S10), the announcement banner shown before a window on the login page, and
// the dashboard's slot for it. The console's preview (issue 26) renders these same components, so
// what an operator previews is what customers will see.
import { formatDateTime } from '../../i18n/index.ts';
import { Layout, MaintenanceBanner, type PageCtx } from '../../web/views/layout.tsx';
import { Alert } from '../../web/views/alert.tsx';
import type { MaintenanceWindow } from './store.ts';

/** The login page's announcement (signed-out pages; drawn by the layout from `ctx.announcement`). */
export function LoginAnnouncement({ ctx, window: w }: { ctx: PageCtx; window: Pick<MaintenanceWindow, 'starts_at' | 'ends_at' | 'message_ja' | 'message_en'> }) {
  return <MaintenanceBanner ctx={{ ...ctx, announcement: { startsAt: w.starts_at, endsAt: w.ends_at, message: ctx.lang === 'en' ? w.message_en : w.message_ja } }} />;
}

/** The dashboard's slot for an announced or running window (S7, S10). */
export function DashboardMaintenance({ ctx, window: m }: { ctx: PageCtx; window: Pick<MaintenanceWindow, 'starts_at' | 'ends_at' | 'message_ja' | 'message_en'> }) {
  const { t, lang } = ctx;
  return (
    <Alert kind="warning">
      <p><strong>{t('portal.maintenance')}</strong>: {t('portal.maintenance_when', { from: formatDateTime(m.starts_at, lang), to: formatDateTime(m.ends_at, lang) })}</p>
      <p>{lang === 'ja' ? m.message_ja : m.message_en}</p>
    </Alert>
  );
}

/** What every page answers during a window (503); `heading` lets the console's preview nest it. */
export function MaintenanceNotice({ ctx, startsAt, endsAt, message, heading = 'h1' }: { ctx: PageCtx; startsAt: number; endsAt: number; message: string; heading?: 'h1' | 'h4' }) {
  const { t, lang } = ctx;
  const H = heading;
  const id = heading === 'h1' ? 'maint-h' : `maint-h-${lang}`;
  return (
    <section class="maintenance" aria-labelledby={id}>
      <H id={id}>{t('maintenance.title')}</H>
      <p class="lead">{t('maintenance.lead')}</p>
      <dl class="facts">
        <dt>{t('maintenance.period')}</dt>
        <dd><time dateTime={new Date(startsAt).toISOString()}>{formatDateTime(startsAt, lang)}</time> – <time dateTime={new Date(endsAt).toISOString()}>{formatDateTime(endsAt, lang)}</time></dd>
      </dl>
      <p class="message">{message}</p>
      <p class="muted">{t('maintenance.come_back')}</p>
    </section>
  );
}

export function MaintenancePage({ ctx, startsAt, endsAt, message }: { ctx: PageCtx; startsAt: number; endsAt: number; message: string }) {
  return (
    <Layout ctx={{ ...ctx, announcement: null }} title={ctx.t('maintenance.title')}>
      <MaintenanceNotice ctx={ctx} startsAt={startsAt} endsAt={endsAt} message={message} />
    </Layout>
  );
}
