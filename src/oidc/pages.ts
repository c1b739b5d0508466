// oidc-provider renders a few pages itself (its errors, the logout confirmation, the page after a
// logout); these hooks render ours instead. The provider runs inside a Fastify route (routes.tsx),
// which has already worked out the request's language and page context: it is kept here for the
// raw request, so the pages come out in the reader's language and the portal's layout.
import type { IncomingMessage } from 'node:http';
import type { KoaContextWithOIDC } from 'oidc-provider';
import { renderToString } from 'preact-render-to-string';
import type { VNode } from 'preact';
import type { PageCtx } from '../web/views/layout.tsx';
import type { AuthState } from '../auth/index.ts';
import { LoggedOutPage, LogoutPage, ProviderErrorPage } from './views/pages.tsx';
import { ContinuePage } from './views/continue.tsx';

/** What the Fastify route knew about a request the provider now handles (the session plugin's `auth` included). */
export interface RequestInfo { page: PageCtx; ip: string; auth: AuthState | null }
const infos = new WeakMap<IncomingMessage, RequestInfo>();
export function keepRequestInfo(req: IncomingMessage, info: RequestInfo): void { infos.set(req, info); }
export function requestInfo(req: IncomingMessage): RequestInfo | undefined { return infos.get(req); }

function html(kctx: KoaContextWithOIDC, page: (ctx: PageCtx) => VNode): void {
  const ctx = infos.get(kctx.req)?.page;
  if (!ctx) throw new Error('oidc page without a page context');
  kctx.type = 'text/html; charset=utf-8';
  kctx.set('cache-control', 'no-store');
  kctx.body = '<!doctype html>' + renderToString(page(ctx));
}

/**
 * A redirect out of a form's navigation, made a page: the logout confirmation is a form on a page
 * with CSP `form-action 'self'`, which Chromium applies to the redirect to the settings site
 * (views/continue.tsx says more).
 */
export function continueInstead(kctx: KoaContextWithOIDC): void {
  const location = kctx.response.get('location');
  if (!location) return;
  kctx.remove('location');
  kctx.status = 200;
  html(kctx, (ctx) => ContinuePage({ ctx, url: location }));
}

export interface OidcPages {
  renderError(kctx: KoaContextWithOIDC, out: { error: string }, error: Error): Promise<void>;
  logoutSource(kctx: KoaContextWithOIDC, form: string): Promise<void>;
  postLogoutSuccessSource(kctx: KoaContextWithOIDC): Promise<void>;
}

export const oidcPages: OidcPages = {
  async renderError(kctx, out) {
    html(kctx, (ctx) => ProviderErrorPage({ ctx, code: out.error }));
  },
  async logoutSource(kctx, form) {
    const clientName = kctx.oidc.client?.clientName ?? null;
    html(kctx, (ctx) => LogoutPage({ ctx, clientName, formHtml: form }));
  },
  async postLogoutSuccessSource(kctx) {
    html(kctx, (ctx) => LoggedOutPage({ ctx }));
  },
};
