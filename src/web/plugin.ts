// Shared web infrastructure (fastify-plugin, so every module sees it): language, CSRF, the page
// context, and the error mapping. Domain modules stay encapsulated plugins of their own.
import fp from 'fastify-plugin';
import { randomToken, ServiceBusy as HashPoolBusy } from '../lib/index.ts';
import type { Config } from '../config.ts';
import { DomainError, errorBody, errorBodyOf, retryAfterSeconds, UNAVAILABLE_RETRY_SECONDS, type ErrorBody, type FieldErrors } from '../errors.ts';
import { isDatabaseUnavailable } from '../db/index.ts';
import { isLang, langFromAcceptLanguage, type Lang, type MessageKey, type T, type Translator } from '../i18n/index.ts';
import { cookieNames, cookieOptions } from './cookies.ts';
import { csrfTokenFor, csrfTokenValid, sameOriginRequest } from './csrf.ts';
import { sendPage } from './render.ts';
import type { PageCtx } from './views/layout.tsx';
import { DEFAULT_BRAND, type Brand } from './brand.ts';
import { ErrorPage } from './views/error-page.tsx';

declare module 'fastify' {
  interface FastifyRequest {
    lang: Lang;
    t: T;
    csrfToken: string;
    /** Filled by the session plugin; null when anonymous. */
    pageUser: PageCtx['user'];
    /** S10: an announced, not yet started maintenance window (set by src/portal/maintenance/plugin.ts). */
    maintenanceAnnouncement: PageCtx['announcement'];
    /**
     * The portal profile whose name and wording the page shows: the signed-in user's (session
     * plugin), a flow's user (flow routes pass it to pageCtx), or an anonymous `?portal=<profile>`.
     */
    portalId: string | null;
    /** Issue 20: the brand of this request's page, set by the branding module (null: DEFAULT_BRAND). */
    pageBrand: Brand | null;
    /**
     * Flow pages know their user only once the flow is read: this sets `pageBrand` to that user's
     * organisation's brand (over its preset's) before the page is rendered. No statement: the brand
     * rows are held by the branding module (src/branding/cache.ts).
     */
    useBrandOf(orgId: string | null, presetId: string): Promise<void>;
    pageCtx(portalId?: string | null): PageCtx;
    /** The page context in another language (the console previews customer texts in ja and en). */
    pageCtxIn(lang: Lang): PageCtx;
    wantsJson(): boolean;
  }
  interface FastifyContextConfig {
    /** Routes for non-browser clients (bearer token) opt out of the cookie CSRF check. */
    csrf?: boolean;
  }
}

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** A portal preset as pages show it: its id, `?portal=` query, help URL and wording overrides. */
export interface PresetLook { id: string; query: string; helpUrl: string; texts: Partial<Record<MessageKey, string>> }
/** Presets are identity's tenancy; the app hands their page side to the web layer (presetPages). */
export interface PresetPages {
  /** A public preset name from `?portal=`, or null. */
  known(v: unknown): string | null;
  look(portalId: string | null, lang: Lang): PresetLook;
}

/**
 * `translator` and `presets` come from the app (src/messages.ts assembles the modules' catalogs;
 * auth's tenancy owns presets), so the web layer imports no domain module.
 */
/** Where a page's brand comes from (the app hands in the branding module's cache; none: the defaults). */
export interface BrandSource {
  brandFor(orgId: string | null, presetId: string, lang: Lang): Promise<Brand | null>;
}

export const webPlugin = fp<{ config: Config; translator: Translator; presets: PresetPages; brands?: BrandSource }>(async (app, { config, translator, presets, brands }) => {
  const names = cookieNames(config);
  const publicOrigin = new URL(config.publicUrl).origin;

  app.decorateRequest('lang', 'ja');
  app.decorateRequest('t', null as unknown as T);
  app.decorateRequest('csrfToken', '');
  app.decorateRequest('pageUser', null);
  app.decorateRequest('maintenanceAnnouncement', null);
  app.decorateRequest('portalId', null);
  app.decorateRequest('pageBrand', null);
  app.decorateRequest('useBrandOf', async function (this: import('fastify').FastifyRequest, orgId: string | null, presetId: string): Promise<void> {
    if (brands) this.pageBrand = await brands.brandFor(orgId, presetId, this.lang);
  });
  app.decorateRequest('pageCtx', function (this: import('fastify').FastifyRequest, portalId?: string | null): PageCtx {
    const look = presets.look(portalId ?? this.portalId, this.lang);
    return {
      t: translator(this.lang, look.texts), lang: this.lang, path: this.url, csrf: this.csrfToken, user: this.pageUser,
      announcement: this.maintenanceAnnouncement ?? null,
      portal: { id: look.id, query: look.query, helpUrl: look.helpUrl },
      brand: this.pageBrand ?? DEFAULT_BRAND, requestId: this.id,
    };
  });
  app.decorateRequest('pageCtxIn', function (this: import('fastify').FastifyRequest, lang: Lang): PageCtx {
    const look = presets.look(this.portalId, lang);
    return { ...this.pageCtx(), t: translator(lang, look.texts), lang };
  });
  app.decorateRequest('wantsJson', function (this: import('fastify').FastifyRequest): boolean {
    return this.url.startsWith('/api/') || (this.headers.accept ?? '').startsWith('application/json');
  });

  app.addHook('onRequest', async (req, reply) => {
    // Language: ?lang= (remembered in a cookie) > cookie > Accept-Language (S14).
    const q = (req.query as Record<string, unknown> | undefined)?.lang;
    let lang: Lang;
    if (isLang(q)) {
      lang = q;
      reply.setCookie(names.lang, q, cookieOptions(config, 365 * 86400));
    } else {
      const c = req.cookies[names.lang];
      lang = isLang(c) ? c : langFromAcceptLanguage(req.headers['accept-language']);
    }
    req.lang = lang;
    req.t = translator(lang);
    // An anonymous visitor reaches a profile's branded login/reset/help pages by ?portal=<profile id>.
    // Only the public profile names are accepted; anything else is the default, silently (decision 011).
    req.portalId = presets.known((req.query as Record<string, unknown> | undefined)?.portal);

    let csrfCookie = req.cookies[names.csrf];
    if (!csrfCookie || csrfCookie.length > 64) {
      csrfCookie = randomToken();
      reply.setCookie(names.csrf, csrfCookie, cookieOptions(config));
      req.cookies[names.csrf] = undefined; // a request without the cookie cannot pass the check below
    }
    req.csrfToken = csrfTokenFor(config.secretKey, csrfCookie);
  });

  // A NUL cannot be stored in PostgreSQL text and is never meaningful in our input: refused up
  // front for every route (params, query, body), so no handler meets it.
  app.addHook('preValidation', async (req) => {
    if (hasNul(req.params) || hasNul(req.query) || hasNul(req.body)) throw new DomainError('common.bad_request');
  });

  app.addHook('preHandler', async (req) => {
    if (!UNSAFE.has(req.method) || req.routeOptions.config?.csrf === false) return;
    const body = req.body as Record<string, unknown> | undefined;
    const token = body?._csrf ?? req.headers['x-csrf-token'];
    if (!sameOriginRequest(req.headers, publicOrigin) || !csrfTokenValid(config.secretKey, req.cookies[names.csrf], token)) {
      throw new DomainError('common.csrf');
    }
  });

  // Every 429 and 503 tells the client when to come back (RFC 9110 §10.2.3); routes that render a
  // lockout on their own form set the exact value, this is the floor for the rest.
  app.addHook('onSend', async (_req, reply) => {
    const s = reply.statusCode;
    if ((s === 429 || s === 503) && !reply.hasHeader('retry-after')) reply.header('retry-after', s === 503 ? String(UNAVAILABLE_RETRY_SECONDS) : '60');
  });

  app.setNotFoundHandler((req, reply) => {
    if (req.wantsJson()) return reply.code(404).send(errorBodyOf(req.t, 'common.not_found'));
    return sendPage(reply, ErrorPage({ ctx: req.pageCtx(), message: req.t('common.not_found'), status: 404 }), 404);
  });

  app.setErrorHandler((err: unknown, req, reply) => {
    const t = req.t ?? translator('ja');
    // One JSON shape for every error answer (issue 13 item 7): errorBody in src/errors.ts.
    let status = 500;
    let body: ErrorBody = errorBodyOf(t, 'common.server_error');
    if (err instanceof DomainError) {
      status = err.status;
      body = errorBody(t, err);
      if (status === 503 || status === 429) reply.header('retry-after', String(retryAfterSeconds(err)));
    } else if (err instanceof HashPoolBusy) {
      // Issue 9 §4: logins beyond the hashing capacity are turned away at once, never queued unboundedly.
      status = 503;
      body = errorBodyOf(t, 'common.busy');
      reply.header('retry-after', String(err.retryAfterSeconds));
    } else if (isDatabaseUnavailable(err)) {
      // Issue 15 §3: the database is restarting or unreachable. Not a bug: a short line in the log,
      // and the client is told to come back (a load balancer or browser retries), never a 500.
      status = 503;
      body = errorBodyOf(t, 'common.unavailable');
      reply.header('retry-after', String(UNAVAILABLE_RETRY_SECONDS));
      req.log.warn({ err: { code: (err as { code?: unknown }).code, message: (err as Error).message } }, 'database unavailable');
    } else if (isValidationError(err)) {
      status = 400;
      const fields: FieldErrors = Object.fromEntries([...new Set(err.validation.map((v) => fieldName(v)))].map((f) => [f, [{ key: 'common.field_invalid' as const }]]));
      body = errorBodyOf(t, 'common.bad_request', {}, fields);
    } else if (isClientError(err)) {
      status = err.statusCode;
      body = errorBodyOf(t, 'common.bad_request');
    } else {
      req.log.error({ err }, 'unhandled error');
    }
    if (req.wantsJson()) return reply.code(status).send(body);
    const ctx: PageCtx = req.pageCtx ? req.pageCtx() : { t, lang: 'ja' as Lang, path: '/', csrf: '', user: null, portal: { id: 'business', query: '', helpUrl: '/help' }, requestId: req.id };
    const names = Object.keys(body.fields);
    return sendPage(reply, ErrorPage({ ctx, message: body.message, fields: names.length ? names : undefined, status }), status);
  });
});

interface ValidationErr { validation: { instancePath?: string; params?: { missingProperty?: string } }[] }
function isValidationError(err: unknown): err is ValidationErr {
  return typeof err === 'object' && err !== null && Array.isArray((err as ValidationErr).validation);
}
function fieldName(v: ValidationErr['validation'][number]): string {
  return v.params?.missingProperty ?? (v.instancePath ?? '').replace(/^\//, '') ?? '';
}
function isClientError(err: unknown): err is { statusCode: number } {
  const s = (err as { statusCode?: unknown })?.statusCode;
  return typeof s === 'number' && s >= 400 && s < 500;
}

function hasNul(v: unknown, depth = 0): boolean {
  if (typeof v === 'string') return v.includes('\u0000');
  if (depth > 8 || v === null || typeof v !== 'object') return false;
  for (const [k, x] of Object.entries(v as Record<string, unknown>)) if (k.includes('\u0000') || hasNul(x, depth + 1)) return true;
  return false;
}
