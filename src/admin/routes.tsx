// Admin pages and their JSON twins (Accept: application/json) for portal admins (S13, S14).
// Every route needs a full 2-step admin session (guard.ts, SECURITY.md item 34) and is listed in
// route-list.ts, which the authorisation matrix test walks.
import type { FastifyInstance } from 'fastify';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AppContext } from '../context.ts';
import { Type } from '@sinclair/typebox';
import { requireAdmin } from './guard.ts';
import { orgScope } from './scope.ts';
import { ADMIN_ROUTES, enforceRouteList } from './route-list.ts';
import { userRoutes } from './routes/users.tsx';
import { userActionRoutes } from './routes/user-actions.tsx';
import { groupRoutes } from './routes/groups.tsx';
import { auditRoutes } from './routes/audit.tsx';
import { settingsRoutes } from './routes/settings.tsx';

export function adminRoutes(ctx: AppContext): FastifyPluginAsyncTypebox {
  return async (app) => {
    enforceRouteList(app as unknown as FastifyInstance);

    app.get('/admin', { schema: { querystring: Type.Object({ org: Type.Optional(Type.String({ maxLength: 64 })) }) } }, async (req, reply) => {
      const auth = await requireAdmin(ctx, req, reply);
      if (!auth) return reply;
      const [org] = req.query.org ? await orgScope(ctx, auth.user, req.query.org) : []; // a foreign organisation: 403
      if (req.wantsJson()) return reply.send({ routes: ADMIN_ROUTES });
      return reply.redirect(org ? `/admin/users?org=${encodeURIComponent(org)}` : '/admin/users', 303);
    });

    await app.register(userRoutes(ctx));
    await app.register(userActionRoutes(ctx));
    await app.register(groupRoutes(ctx));
    await app.register(auditRoutes(ctx));
    await app.register(settingsRoutes(ctx));
  };
}
