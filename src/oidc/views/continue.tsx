// The hop from a finished interaction back to the provider. A page, not a redirect: the browser
// got here from a form (the login, the terms, the consent), and Chromium applies the page's CSP
// `form-action 'self'` to every redirect of a form's navigation, so a redirect chain that ends at
// the settings site would be blocked. A meta refresh is a new navigation; the link is for anyone
// whose browser does not follow it.
import type { PageCtx } from '../../web/views/layout.tsx';

export function ContinuePage({ ctx, url }: { ctx: PageCtx; url: string }) {
  const { t, lang } = ctx;
  return (
    <html lang={lang}>
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="referrer" content="no-referrer" />
        <meta http-equiv="refresh" content={`0;url=${url}`} />
        <title>{`${t('oidc.continue.title')} | ${t('app.name')}`}</title>
        <link rel="stylesheet" href="/static/app.css" />
      </head>
      <body>
        <main id="main" class="narrow">
          <h1>{t('oidc.continue.title')}</h1>
          <p><a class="button primary" href={url}>{t('oidc.continue.link')}</a></p>
        </main>
      </body>
    </html>
  );
}
