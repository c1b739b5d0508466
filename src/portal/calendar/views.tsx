// The maintenance calendar's settings page (issue 24 item 3): create the secret address (shown
// once), see when it was made and last used, revoke it. Works without JavaScript.
import { formatDateTime } from '../../i18n/index.ts';
import { Layout, type PageCtx } from '../../web/views/layout.tsx';
import { Alert, Button, Card, PageHeader } from '../../web/views/components.ts';
import { Csrf, Notice } from '../../web/views/form.tsx';
import { PortalNav } from '../views/ops-parts.tsx';
import type { CalendarTokenMeta } from './service.ts';

export function CalendarPage({ ctx, token, urls, notice }: {
  ctx: PageCtx; token: CalendarTokenMeta | null; urls?: { ics: string; atom: string } | null; notice?: string | null;
}) {
  const { t, lang } = ctx;
  return (
    <Layout ctx={ctx} title={t('calendar.title')} wide>
      <PortalNav t={t} current="calendar" />
      <PageHeader title={t('calendar.title')} />
      {notice && <Notice>{notice}</Notice>}
      <p>{t('calendar.lead')}</p>
      {urls && (
        <Alert kind="info">
          <p>{t('calendar.created')}</p>
          <p><label for="ics-url">{t('calendar.ics_url')}</label><br /><input id="ics-url" class="wide" readOnly value={urls.ics} /></p>
          <p><label for="atom-url">{t('calendar.atom_url')}</label><br /><input id="atom-url" class="wide" readOnly value={urls.atom} /></p>
        </Alert>
      )}
      <Card as="div">
        <p class="muted">{t('calendar.secret')}</p>
        {token
          ? <p>{t('calendar.active', { created: formatDateTime(token.createdAt, lang), used: token.lastUsedAt ? formatDateTime(token.lastUsedAt, lang) : t('calendar.never_used') })}</p>
          : <p>{t('calendar.none')}</p>}
        <form method="post" action="/portal/calendar">
          <Csrf token={ctx.csrf} />
          {token && <p class="hint">{t('calendar.replace_note')}</p>}
          <Button>{t('calendar.create')}</Button>
        </form>
        {token && (
          <form method="post" action="/portal/calendar/revoke">
            <Csrf token={ctx.csrf} />
            <Button variant="danger">{t('calendar.revoke')}</Button>
          </form>
        )}
      </Card>
    </Layout>
  );
}
