// Page frame: skip link, header with the language switch, main, footer. No inline scripts or styles
// (CSP without 'unsafe-inline'); one stylesheet of our own.
import type { ComponentChildren } from 'preact';
import { formatDateTime, type Lang, type T } from '../../i18n/index.ts';
import { DEFAULT_BRAND, type Brand } from '../brand.ts';
import { GlobalNav, type NavItem } from './global-nav.tsx';

export interface PageCtx {
  t: T;
  lang: Lang;
  /** Current path + query, for the language links. */
  path: string;
  csrf: string;
  /** `isAdmin`: the customer organisation's admin (role 'admin'), for the ポータル管理 navigation entry. */
  user?: { name: string; organisation: string; isAdmin?: boolean } | null;
  /** S10: an announced maintenance window, shown above every page's content (login, dashboard …). */
  announcement?: { startsAt: number; endsAt: number; message: string } | null;
  /** The portal profile shown: its id, the `?portal=` query that keeps it on links, its help URL. */
  portal: { id: string; query: string; helpUrl: string };
  /** Issue 20: the brand this page is served under (DEFAULT_BRAND unless the branding module set one). */
  brand?: Brand;
  /** The request's id, as the logs have it (error pages show it so support can find the request). */
  requestId?: string;
}

/** S10: the announcement above signed-out pages (the login page); the console's preview renders this same component. */
export function MaintenanceBanner({ ctx }: { ctx: PageCtx }) {
  const a = ctx.announcement;
  if (!a) return null;
  const { t, lang } = ctx;
  return (
    <aside class="alert warn maintenance-banner" aria-label={t('maintenance.announce_label')}>
      <p><strong>{t('maintenance.announce', { from: formatDateTime(a.startsAt, lang), to: formatDateTime(a.endsAt, lang) })}</strong></p>
      <p>{a.message}</p>
    </aside>
  );
}

/**
 * A link to one help topic: our own pages keep the profile (?portal=); a provider's own help
 * (HELP_URL_<PROFILE>) is linked as configured, since its topics are not ours to name.
 */
export function helpHref(ctx: PageCtx, topic?: string, anchor?: string): string {
  const own = ctx.portal.helpUrl.startsWith('/help');
  if (!own) return ctx.portal.helpUrl;
  return `/help${topic ? `/${topic}` : ''}${ctx.portal.query}${anchor ? `#${anchor}` : ''}`;
}

/** The customer's global navigation: ホーム / セキュリティ設定 / ポータル管理 (admins) / ヘルプ. */
export function customerNav(ctx: PageCtx): NavItem[] {
  const { t } = ctx;
  const items: NavItem[] = [
    { label: t('nav.home'), href: '/' },
    { label: t('nav.security'), href: '/profile' },
  ];
  if (ctx.user?.isAdmin) items.push({ label: t('nav.admin'), href: '/admin' });
  items.push({ label: t('nav.help'), href: helpHref(ctx), match: ['/help'] });
  return items;
}

function langHref(path: string, lang: Lang): string {
  const u = new URL(path, 'http://x');
  u.searchParams.set('lang', lang);
  return u.pathname + u.search;
}

/** `refreshTo`: a page that goes on by itself (meta refresh), e.g. the OpenID Connect provider's continue page. */
/**
 * `scripts`: extra script modules of this page under /static/ (progressive enhancement only; the
 * page works without them; CSP script-src 'self').
 * `nav`: the global navigation's items; default the customer's for a signed-in user (none when
 * signed out); `false` for none (pages inside a flow); the operator console passes its own.
 */
export function Layout({ ctx, title, children, wide, refreshTo, scripts, nav, navLabel }: { ctx: PageCtx; title: string; children: ComponentChildren; wide?: boolean; refreshTo?: string; scripts?: string[]; nav?: NavItem[] | false; navLabel?: string }) {
  const { t, lang } = ctx;
  const brand = ctx.brand ?? DEFAULT_BRAND;
  const name = brand.name ?? t('app.name');
  const navItems = nav === false ? [] : nav ?? (ctx.user ? customerNav(ctx) : []);
  return (
    <html lang={lang}>
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="referrer" content="no-referrer" />
        {refreshTo && <meta http-equiv="refresh" content={`0;url=${refreshTo}`} />}
        <title>{`${title} | ${name}`}</title>
        <link rel="stylesheet" href="/static/app.css" />
        {brand.themeUrl && <link rel="stylesheet" href={brand.themeUrl} />}
        {brand.faviconUrl && <link rel="icon" href={brand.faviconUrl} />}
        <script src="/static/app.js" defer />
        {(scripts ?? []).map((s) => <script type="module" src={`/static/${s}`} />)}
      </head>
      <body>
        <a class="skip" href="#main">{t('app.skip_to_content')}</a>
        <header class="site">
          <div class="bar">
            <a class="brand" href={ctx.user ? '/' : `/login${ctx.portal.query}`}>
              {brand.logoUrl ? <img src={brand.logoUrl} alt={name} class="logo" /> : name}
            </a>
            <nav class="lang" aria-label={t('lang.switch_label')}>
              {(['ja', 'en'] as const).map((l) => (
                <a href={langHref(ctx.path, l)} lang={l} aria-current={l === lang ? 'true' : undefined}>{t(`lang.${l}`)}</a>
              ))}
            </nav>
            {ctx.user && (
              <form method="post" action="/logout" class="signout">
                <span class="who">{ctx.user.name}</span>
                <input type="hidden" name="_csrf" value={ctx.csrf} />
                <button type="submit" class="link">{t('common.sign_out')}</button>
              </form>
            )}
          </div>
          <GlobalNav t={t} items={navItems} path={ctx.path} label={navLabel} />
        </header>
        <main id="main" class={wide ? 'wide' : 'narrow'} tabIndex={-1}>
          {/* Signed-in users see the announcement on the dashboard (src/portal/views/dashboard.tsx). */}
          {!ctx.user && <MaintenanceBanner ctx={ctx} />}
          {children}
        </main>
        <footer class="site">
          {/* Signed-in pages have ヘルプ in the global navigation; the footer link is for the others. */}
          {navItems.length === 0 && <nav aria-label={t('common.help')}><a href={ctx.portal.helpUrl}>{t('common.help')}</a></nav>}
          <small>© {brand.footerCompany ?? name}</small>
        </footer>
      </body>
    </html>
  );
}
