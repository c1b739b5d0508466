import { Layout, type PageCtx } from '../../web/views/layout.tsx';
import { Csrf, ErrorSummary, Field, Notice, type FormError } from '../../web/views/form.tsx';

export function LoginPage({ ctx, error, loginId, notice }: { ctx: PageCtx; error?: FormError | null; loginId?: string; notice?: string | null }) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('login.title')}>
      <h1>{t('login.heading')}</h1>
      {notice && <Notice>{notice}</Notice>}
      <ErrorSummary t={t} error={error} />
      <form method="post" action="/login" class="card" novalidate>
        <Csrf token={ctx.csrf} />
        <Field t={t} name="loginId" label={t('login.login_id')} value={loginId ?? ''} autocomplete="username" required maxLength={254}
          autoFocus={!loginId} spellcheck={false} autocapitalize="none" />
        <Field t={t} name="password" type="password" label={t('login.password')} autocomplete="current-password" required maxLength={1024}
          autoFocus={!!loginId} />
        <button type="submit" class="primary">{t('login.submit')}</button>
      </form>
      <p class="aside"><a href="/password/reset">{t('login.forgot')}</a></p>
    </Layout>
  );
}
