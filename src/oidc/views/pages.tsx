// The provider's pages (issue 18), in the portal's layout and language: consent for a client that
// is not first-party, a refused contract, a request the provider cannot accept, sign-out.
import { Layout, type PageCtx } from '../../web/views/layout.tsx';

export function ConsentPage({ ctx, uid, clientName, scopes, contract, user }: {
  ctx: PageCtx; uid: string; clientName: string; scopes: string[]; contract: string | null; user: { name: string; organisation: string };
}) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('oidc.consent.title')}>
      <h1>{t('oidc.consent.title')}</h1>
      <p>{t('oidc.consent.intro', { client: clientName })}</p>
      <p class="muted">{t('oidc.consent.as', { name: user.name, organisation: user.organisation })}</p>
      <div class="card">
        <p>{t('oidc.consent.shares')}</p>
        <ul>
          {scopes.map((s) => s === 'contract'
            ? (contract ? <li>{t('oidc.consent.scope.contract', { contract })}</li> : null)
            : <li>{t(`oidc.consent.scope.${s}` as 'oidc.consent.scope.openid')}</li>)}
        </ul>
      </div>
      <form method="post" action={`/oidc/interaction/${uid}/consent`} class="actions">
        <input type="hidden" name="_csrf" value={ctx.csrf} />
        <button type="submit" name="decision" value="allow" class="primary">{t('oidc.consent.allow')}</button>
        <button type="submit" name="decision" value="deny" class="secondary">{t('oidc.consent.deny')}</button>
      </form>
    </Layout>
  );
}

export function RefusedPage({ ctx, reason }: { ctx: PageCtx; reason: 'contract' | 'malformed' }) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('oidc.refused.title')}>
      <h1>{t('oidc.refused.title')}</h1>
      <div class="alert error" role="alert"><p>{t(reason === 'malformed' ? 'oidc.refused.malformed' : 'oidc.refused.contract')}</p></div>
      <p><a href="/portal/settings-sites">{t('oidc.refused.back')}</a></p>
    </Layout>
  );
}

export function ProviderErrorPage({ ctx, code }: { ctx: PageCtx; code: string }) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('oidc.error.title')}>
      <h1>{t('oidc.error.title')}</h1>
      <div class="alert error" role="alert">
        <p>{t('oidc.error.intro')}</p>
        <p><code>{t('oidc.error.code', { code })}</code></p>
      </div>
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
      <h1>{t('oidc.logout.title')}</h1>
      <p>{clientName ? t('oidc.logout.intro', { client: clientName }) : t('oidc.logout.intro_any')}</p>
      <div dangerouslySetInnerHTML={{ __html: formHtml }} />
      <div class="actions">
        <button type="submit" form="op.logoutForm" name="logout" value="yes" class="primary">{t('oidc.logout.everywhere')}</button>
        <button type="submit" form="op.logoutForm" class="secondary">{t('oidc.logout.site_only')}</button>
      </div>
    </Layout>
  );
}

export function LoggedOutPage({ ctx }: { ctx: PageCtx }) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('oidc.logged_out.title')}>
      <h1>{t('oidc.logged_out.title')}</h1>
      <p role="status">{t('oidc.logged_out.intro')}</p>
      <p><a href="/login">{t('oidc.logged_out.login')}</a></p>
    </Layout>
  );
}

export function NoSsoPage({ ctx, url }: { ctx: PageCtx; url: string }) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('portal.settings_site_title')}>
      <h1>{t('portal.settings_site_title')}</h1>
      <p>{t('oidc.handoff.no_sso')}</p>
      <p><a href={url} rel="noopener noreferrer">{url}</a></p>
      <p><a href="/portal/settings-sites">{t('oidc.refused.back')}</a></p>
    </Layout>
  );
}
