// Admin pages and their JSON twins (Accept: application/json) for portal admins (S13, S14).
// Every route needs a full 2-step admin session (SECURITY.md item 34), declared once below with
// auth's requireAdmin guard, and is listed in route-list.ts, which the authorisation matrix walks.
import type { FastifyInstance } from 'fastify';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AppContext } from '../context.ts';
import { Type } from '@sinclair/typebox';
import { DomainError } from '../errors.ts';
import { auditAggregated } from '../audit/log.ts';
import { adminOverviewCounts, jstIso, manageableOrgs } from '../auth/service.ts';
import { sendPage } from '../web/render.ts';
import { AdminOverviewPage, overviewCards } from './views/overview.tsx';
import { ADMIN_ROUTES, enforceRouteList } from './route-list.ts';
import { userRoutes } from './routes/users.tsx';
import { userActionRoutes } from './routes/user-actions.tsx';
import { groupRoutes } from './routes/groups.tsx';
import { auditRoutes } from './routes/audit.tsx';
import { settingsRoutes } from './routes/settings.tsx';
import { apiTokenRoutes } from './routes/api-tokens.tsx';
import { contactRoutes } from './routes/contacts.tsx';
import { authOf, guardRoutes, requireAdmin } from '../auth/index.ts';

export function adminRoutes(ctx: AppContext): FastifyPluginAsyncTypebox {
  return async (app) => {
    enforceRouteList(app as unknown as FastifyInstance);
    // SECURITY.md item 34: a portal session (terms accepted, S6), the admin role, and a full 2-step
    // session (aal2). A session whose second step was skipped by a trusted network or browser is
    // refused (stance 3): it may read the portal but not administer it.
    guardRoutes(app as unknown as FastifyInstance, ctx, requireAdmin);

    // SECURITY.md item 43: a full admin refused by the organisation check (scope.ts and its peers:
    // the only source of common.forbidden after the guard) is probing another organisation's
    // user, group, network or organisation. Recorded for the operator, aggregated per admin, route,
    // target and hour; the target stays in the detail only, so no organisation's admins see the other's.
    app.addHook('onError', async (req, _reply, err) => {
      // A user elsewhere answers 404 «ユーザーが見つかりません» (issue 16), still a cross-organisation refusal.
      if (!(err instanceof DomainError) || (err.code !== 'common.forbidden' && err.code !== 'admin.user_not_found')) return;
      const auth = req.auth;
      if (!auth || auth.user.role !== 'admin' || auth.session.aal !== 'aal2') return;
      const params = (req.params ?? {}) as Record<string, unknown>;
      const query = (req.query ?? {}) as Record<string, unknown>;
      const body = (typeof req.body === 'object' && req.body !== null ? req.body : {}) as Record<string, unknown>;
      const target = [params.userId, params.groupId, params.networkId, params.tokenId, params.contactId, params.id, query.org, body.org, body.userId]
        .find((v): v is string => typeof v === 'string' && v !== '') ?? '';
      const route = `${req.method} ${req.routeOptions.url ?? req.url.split('?')[0]}`;
      const now = ctx.now();
      try {
        await auditAggregated(ctx.db, {
          event: 'admin.cross_org_refused', actorUserId: auth.user.id, organisationId: auth.user.organisation_id, ip: req.ip,
          detail: { route, target: target.slice(0, 64) },
        }, `${auth.user.id}|${route}|${target.slice(0, 64)}|${Math.floor(now / 3_600_000)}`, now);
      } catch (auditErr) {
        req.log.error({ err: auditErr }, 'could not audit a refused cross-organisation request');
      }
    });

    app.get('/admin', { schema: { querystring: Type.Object({ org: Type.Optional(Type.String({ maxLength: 64 })) }) } }, async (req, reply) => {
      const auth = authOf(req);
      const org = req.query.org || undefined;
      const counts = await adminOverviewCounts(ctx, auth.user, org); // a foreign organisation: 403
      // The audit filter is by JST day: from the day 24 h ago on (a little more than 24 h).
      const cards = overviewCards(req.t, counts, org, jstIso(ctx.now() - 24 * 3_600_000).slice(0, 10));
      if (req.wantsJson()) return reply.send({ overview: { ...counts, links: Object.fromEntries(cards.map((c) => [c.key, c.href])) }, routes: ADMIN_ROUTES });
      return sendPage(reply, AdminOverviewPage({ ctx: req.pageCtx(), cards, orgs: await manageableOrgs(ctx, auth.user), org }));
    });

    await app.register(userRoutes(ctx));
    await app.register(userActionRoutes(ctx));
    await app.register(groupRoutes(ctx));
    await app.register(auditRoutes(ctx));
    await app.register(settingsRoutes(ctx));
    await app.register(apiTokenRoutes(ctx));
    await app.register(contactRoutes(ctx));
  };
}
