// The maintenance page (S10) and the announcement banner shown before a window.
import { formatDateTime } from '../../i18n/index.ts';
import { Layout, type PageCtx } from '../../web/views/layout.tsx';

export function MaintenancePage({ ctx, startsAt, endsAt, message }: { ctx: PageCtx; startsAt: number; endsAt: number; message: string }) {
  const { t, lang } = ctx;
  return (
    <Layout ctx={{ ...ctx, announcement: null }} title={t('maintenance.title')}>
      <section class="maintenance" aria-labelledby="maint-h">
        <h1 id="maint-h">{t('maintenance.title')}</h1>
        <p class="lead">{t('maintenance.lead')}</p>
        <dl class="facts">
          <dt>{t('maintenance.period')}</dt>
          <dd><time dateTime={new Date(startsAt).toISOString()}>{formatDateTime(startsAt, lang)}</time> – <time dateTime={new Date(endsAt).toISOString()}>{formatDateTime(endsAt, lang)}</time></dd>
        </dl>
        <p class="message">{message}</p>
        <p class="muted">{t('maintenance.come_back')}</p>
      </section>
    </Layout>
  );
}
