// The hop from a finished interaction back to the provider. A page, not a redirect: the browser
// got here from a form (the login, the terms, the consent, the sign-out), and Chromium applies the
// page's CSP `form-action 'self'` to every redirect of a form's navigation, so a redirect chain
// that ends at the settings site would be blocked. A meta refresh is a new navigation; the link is
// for anyone whose browser does not follow it.
import { Layout, type PageCtx } from '../../web/views/layout.tsx';
import { ButtonLink, PageHeader } from '../../web/views/components.ts';

export function ContinuePage({ ctx, url }: { ctx: PageCtx; url: string }) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('oidc.continue.title')} refreshTo={url}>
      <PageHeader title={t('oidc.continue.title')} />
      <p><ButtonLink href={url} variant="primary">{t('oidc.continue.link')}</ButtonLink></p>
    </Layout>
  );
}
