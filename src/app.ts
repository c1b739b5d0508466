// Builds the Fastify app: infrastructure plugins, domain modules, error mapping. server.ts listens.
import Fastify, { type FastifyInstance } from 'fastify';
import cookie from '@fastify/cookie';
import formbody from '@fastify/formbody';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { fileURLToPath } from 'node:url';
import { dirname } from 'node:path';
import type { Config } from './config.ts';
import type { AppContext } from './context.ts';
import { migrateToLatest, openDb, type DbHandle } from './db/index.ts';
import { DbThrottle, HashPool, presetPages, useLegacyCredentials } from './auth/service.ts';
import { RedisThrottle } from './auth/throttle/redis-throttle.ts';
import { systemClock } from './lib/index.ts';
import { translator } from './messages.ts';
import { webPlugin } from './web/plugin.ts';
import { precomputedSecurityHeaders } from './web/security-headers.ts';
import { authRoutes, sessionPlugin, sweeperPlugin } from './auth/index.ts';
import { portalRoutes } from './portal/routes.tsx';
import { maintenancePlugin } from './portal/maintenance/plugin.ts';
import { orderRoutes } from './portal/orders/routes.tsx';
import { noticeRoutes } from './portal/notices/routes.tsx';
import { ticketRoutes } from './portal/tickets/routes.tsx';
import { calendarFeedRoutes, calendarRoutes } from './portal/calendar/routes.tsx';
import { subscriptionRoutes, unsubscribeRoutes } from './portal/notices/subscription-routes.tsx';
import { adminRoutes } from './admin/routes.tsx';
import { operatorRoutes } from './operator/routes/index.tsx';
import { oidcModule, sweepOidcArtefacts } from './oidc/index.ts';
import { devRoutes } from './mail/dev-routes.tsx';
import { helpRoutes } from './help/routes.tsx';
import { brandingPlugin } from './branding/routes.ts';
import { brandCacheFor } from './branding/cache.ts';
import { mailBrand } from './branding/service.ts';
import { legacyCredentials } from './migration/legacy-credentials.ts';
import { sweepEndedLegacyHashes } from './migration/store.ts';
import { useMailBrandLookup } from './mail/service.ts';
import { opsRoutes } from './ops/routes.ts';
import { Metrics, metricsPlugin } from './ops/metrics.ts';
import { loggerOptions } from './ops/logging.ts';
import { apiRoutes } from './api/routes.ts';
import { enqueuePortalEvent } from './api/hub.ts';
import { usePortalEventListener } from './portal/events.ts';

/** A registered route, as the fuzz suite and the authorisation matrix walk them. */
export interface RouteInfo { method: string; url: string; schema: unknown }
export interface BuiltApp { app: FastifyInstance; ctx: AppContext; handle: DbHandle; routes: RouteInfo[] }

export interface BuildOptions {
  /** Use an already open database (tests); otherwise DATABASE_URL is opened and migrated. */
  handle?: DbHandle;
  now?: () => number;
  /** Extra pino options (tests capture log lines). */
  logStream?: NodeJS.WritableStream;
  /** Set by the server on SIGTERM: /readyz turns red and answers close their connections. */
  lifecycle?: Lifecycle;
}

export interface Lifecycle { draining: boolean }

export async function buildApp(config: Config, opts: BuildOptions = {}): Promise<BuiltApp> {
  // Issue 20: mails carry the recipient organisation's brand (mail cannot import branding itself).
  useMailBrandLookup(mailBrand);
  // Issue 21: imported users' legacy passwords work during their migration period (docs/migration.md).
  useLegacyCredentials(legacyCredentials);
  // Issue 24 item 6: the portal's ticket, order and notice events go to the webhook outbox (docs/api.md).
  usePortalEventListener((db, event, at) => enqueuePortalEvent(db, config.publicUrl.replace(/\/$/, ''), event, at));
  const handle = opts.handle ?? openDb(config.databaseUrl, { preparedStatements: config.dbPreparedStatements });
  if (!opts.handle) await migrateToLatest(handle.db);

  const app = Fastify({
    logger: loggerOptions(config, opts.logStream),
    // SECURITY.md item 23: the client address comes only through a configured trusted proxy.
    trustProxy: config.trustedProxies.length ? config.trustedProxies : false,
    bodyLimit: 1_048_576,
    routerOptions: { maxParamLength: 200 },
    genReqId: () => crypto.randomUUID(),
    requestIdHeader: false,
    ajv: { customOptions: { removeAdditional: true, coerceTypes: false, allErrors: false } },
  }).withTypeProvider<TypeBoxTypeProvider>();

  const hashPool = new HashPool({ concurrency: config.hashConcurrency, queueLimit: config.hashQueueLimit });
  const now = opts.now ?? systemClock;
  const metrics = new Metrics({ db: handle.db, now, hashPool });
  handle.observeStatements((sql) => metrics.statement(sql));
  // S15: with REDIS_URL the throttle counters live in Redis (docs/architecture.md), else in the database.
  const redisThrottle = config.redisUrl
    ? new RedisThrottle(config.redisUrl, {
      prefix: config.redisPrefix,
      onError: (message) => app.log.warn(message),
      onCountersLost: () => {
        app.log.error('redis throttle counters lost: Redis came back empty (restarted without persistence?); every lockout and failure count was reset');
        metrics.throttleCountersLost();
      },
    })
    : null;
  if (redisThrottle) app.addHook('onClose', () => redisThrottle.close());
  const ctx: AppContext = {
    config,
    db: handle.db,
    dialect: handle.dialect,
    hashPool,
    throttle: metrics.countLockouts(redisThrottle ?? new DbThrottle(handle.db)),
    now,
    log: app.log,
    metrics,
  };

  const routes: RouteInfo[] = [];
  app.addHook('onRoute', (r) => {
    for (const method of [r.method].flat()) if (method !== 'HEAD') routes.push({ method, url: r.url, schema: r.schema });
  });
  await app.register(swagger, {
    openapi: { info: { title: 'bizportal', version: '0.1.0', description: 'Customer business portal API' } },
  });
  // First, so its request histogram hook applies to every route registered after it.
  await app.register(metricsPlugin, { metrics, config });
  await app.register(cookie);
  await app.register(formbody);
  const securityHeaders = precomputedSecurityHeaders({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        'default-src': ["'none'"], 'script-src': ["'self'"], 'style-src': ["'self'"], 'img-src': ["'self'", 'data:'],
        'font-src': ["'self'"], 'connect-src': ["'self'"], 'form-action': ["'self'"], 'frame-ancestors': ["'none'"],
        'base-uri': ["'none'"], 'object-src': ["'none'"],
      },
    },
    referrerPolicy: { policy: 'no-referrer' },
    strictTransportSecurity: { maxAge: 31_536_000, includeSubDomains: true },
    crossOriginEmbedderPolicy: false,
    frameguard: { action: 'deny' },
  });
  app.addHook('onRequest', (_req, reply, done) => { reply.headers(securityHeaders); done(); });
  await app.register(fastifyStatic, {
    root: fileURLToPath(new URL('./web/static/', import.meta.url)),
    prefix: '/static/',
    maxAge: 3_600_000,
  });
  // Issue 23: @simplewebauthn/browser's ES modules as they are published (its esm/ folder), served
  // from the installed package under our own origin, so the strict CSP (script-src 'self') stays.
  await app.register(fastifyStatic, {
    root: dirname(fileURLToPath(import.meta.resolve('@simplewebauthn/browser'))),
    prefix: '/static/vendor/simplewebauthn/',
    maxAge: 3_600_000,
    decorateReply: false,
  });
  await app.register(webPlugin, { config, translator, presets: presetPages(config.helpUrls), brands: brandCacheFor(ctx.db, config.brandCacheMs) });
  // S10: after the web plugin (language), before every module: a window answers 503 for them all.
  await app.register(maintenancePlugin, { ctx });
  await app.register(sessionPlugin, { ctx });
  // Issue 20: every page's brand (after the session: the user's organisation), and the brand assets.
  await app.register(brandingPlugin, { ctx });
  // Housekeeping (issue 13 §8): expired flows, sessions, links, codes; one node at a time.
  await app.register(sweeperPlugin, { db: handle.db, dialect: handle.dialect, intervalMs: config.sweepIntervalMs, now, extra: { oidcArtefacts: sweepOidcArtefacts, legacyHashes: sweepEndedLegacyHashes } });
  const lifecycle = opts.lifecycle;
  if (lifecycle) {
    // Draining (SIGTERM): every answer closes its connection, so keep-alive clients reconnect to
    // another node before this one stops listening (docs/architecture.md, "A node").
    app.addHook('onSend', async (_req, reply) => { if (lifecycle.draining) reply.header('connection', 'close'); });
  }
  await app.register(opsRoutes(ctx, [
    ...(lifecycle ? [{ name: 'draining', check: async () => { if (lifecycle.draining) throw new Error('draining'); } }] : []),
    ...(redisThrottle ? [{ name: 'redis', check: () => redisThrottle.ping() }] : []),
  ]));
  await app.register(authRoutes(ctx));
  await app.register(portalRoutes(ctx));
  await app.register(orderRoutes(ctx));
  await app.register(noticeRoutes(ctx));
  await app.register(ticketRoutes(ctx));
  await app.register(calendarRoutes(ctx));
  await app.register(calendarFeedRoutes(ctx));
  // Issue 24 item 2: maintenance-mail subscriptions and the technical contacts' unsubscribe link.
  await app.register(subscriptionRoutes(ctx));
  await app.register(unsubscribeRoutes(ctx));
  await app.register(adminRoutes(ctx));
  // Issue 26: the provider's console, /operator and /api/operator (operators of the provider organisation only).
  await app.register(operatorRoutes(ctx));
  // Issue 18: the OpenID Connect provider for the services' settings sites (docs/oidc-provider.md).
  await app.register(oidcModule(ctx));
  // Issue 24 item 6: the TM Forum-shaped API for machine clients, bearer tokens only (docs/api.md).
  await app.register(apiRoutes(ctx));
  await app.register(helpRoutes());
  if (config.devOutbox) await app.register(devRoutes(ctx));
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  return { app, ctx, handle, routes };
}
