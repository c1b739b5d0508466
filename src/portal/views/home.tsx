import { formatDateTime } from '../../i18n/index.ts';
import { Layout, type PageCtx } from '../../web/views/layout.tsx';

export interface HomeProps { ctx: PageCtx; name: string; organisation: string; previousLoginAt: number | null; skipReason: string | null; isAdmin: boolean }

export function HomePage({ ctx, name, organisation, previousLoginAt, skipReason, isAdmin }: HomeProps) {
  const { t, lang } = ctx;
  return (
    <Layout ctx={ctx} title={t('home.title')} wide>
      <h1>{t('home.welcome', { name })}</h1>
      {skipReason && <div class="alert info" role="status"><p>{t('home.skipped', { reason: skipReason })}</p></div>}
      <dl class="facts">
        <dt>{t('home.organisation')}</dt>
        <dd>{organisation}</dd>
        <dt>{t('home.last_login')}</dt>
        <dd>{previousLoginAt ? formatDateTime(previousLoginAt, lang) : t('home.first_login')}</dd>
      </dl>
      <p class="muted">{t('home.dashboard_soon')}</p>
      <p class="actions">
        <a class="button" href="/profile">{t('home.profile')}</a>
        {isAdmin && <a class="button" href="/admin/users">{t('admin.title')}</a>}
      </p>
    </Layout>
  );
}
