// The provider's pages (issue 18), in the portal's layout and language: consent for a client that
// is not first-party, a refused contract, a request the provider cannot accept, sign-out.
import { Layout, type PageCtx } from '../../web/views/layout.tsx';
import { Csrf } from '../../web/views/form.tsx';
import { Alert, Button, Card, PageHeader } from '../../web/views/components.ts';

export function ConsentPage({ ctx, uid, clientName, scopes, contract, user }: {
  ctx: PageCtx; uid: string; clientName: string; scopes: string[]; contract: string | null; user: { name: string; organisation: string };
}) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('oidc.consent.title')}>
      <PageHeader title={t('oidc.consent.title')} lead={t('oidc.consent.intro', { client: clientName })} />
      <p class="muted">{t('oidc.consent.as', { name: user.name, organisation: user.organisation })}</p>
      <Card as="div">
        <p>{t('oidc.consent.shares')}</p>
        <ul>
          {scopes.map((s) => s === 'contract'
            ? (contract ? <li>{t('oidc.consent.scope.contract', { contract })}</li> : null)
            : <li>{t(`oidc.consent.scope.${s}` as 'oidc.consent.scope.openid')}</li>)}
        </ul>
      </Card>
      <form method="post" action={`/oidc/interaction/${uid}/consent`} class="actions">
        <Csrf token={ctx.csrf} />
        <Button name="decision" value="allow" variant="primary">{t('oidc.consent.allow')}</Button>
        <Button name="decision" value="deny">{t('oidc.consent.deny')}</Button>
      </form>
    </Layout>
  );
}

export function RefusedPage({ ctx, reason }: { ctx: PageCtx; reason: 'contract' | 'malformed' }) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('oidc.refused.title')}>
      <PageHeader title={t('oidc.refused.title')} />
      <Alert kind="error"><p>{t(reason === 'malformed' ? 'oidc.refused.malformed' : 'oidc.refused.contract')}</p></Alert>
      <p><a href="/portal/settings-sites">{t('oidc.refused.back')}</a></p>
    </Layout>
  );
}

export function ProviderErrorPage({ ctx, code }: { ctx: PageCtx; code: string }) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('oidc.error.title')}>
      <PageHeader title={t('oidc.error.title')} />
      <Alert kind="error">
        <p>{t('oidc.error.intro')}</p>
        <p><code>{t('oidc.error.code', { code })}</code></p>
      </Alert>
      <p><a href="/">{t('portal.dashboard')}</a></p>
    </Layout>
  );
}

/**
 * RP-initiated logout's confirmation. The provider gives the form (its action and anti-forgery
 * field); the buttons are ours and submit it with or without `logout=yes` (also the portal).
 */
export function LogoutPage({ ctx, clientName, formHtml }: { ctx: PageCtx; clientName: string | null; formHtml: string }) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('oidc.logout.title')}>
      <PageHeader title={t('oidc.logout.title')} lead={clientName ? t('oidc.logout.intro', { client: clientName }) : t('oidc.logout.intro_any')} />
      <div dangerouslySetInnerHTML={{ __html: formHtml }} />
      <div class="actions">
        <Button form="op.logoutForm" name="logout" value="yes" variant="primary">{t('oidc.logout.everywhere')}</Button>
        <Button form="op.logoutForm">{t('oidc.logout.site_only')}</Button>
      </div>
    </Layout>
  );
}

export function LoggedOutPage({ ctx }: { ctx: PageCtx }) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('oidc.logged_out.title')}>
      <PageHeader title={t('oidc.logged_out.title')} />
      <p role="status">{t('oidc.logged_out.intro')}</p>
      <p><a href="/login">{t('oidc.logged_out.login')}</a></p>
    </Layout>
  );
}

export function NoSsoPage({ ctx, url }: { ctx: PageCtx; url: string }) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('portal.settings_site_title')}>
      <PageHeader title={t('portal.settings_site_title')} lead={t('oidc.handoff.no_sso')} />
      <p><a href={url} rel="noopener noreferrer">{url}</a></p>
      <p><a href="/portal/settings-sites">{t('oidc.refused.back')}</a></p>
    </Layout>
  );
}
