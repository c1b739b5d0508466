// The provider's console (issue 26): pages under /operator, the same operations as JSON under
// /api/operator. One encapsulated plugin: the route list (src/operator/route-list.ts) refuses an
// unlisted route and gives each its guard, requireOperator(minRole), which auth's declared guard
// hook enforces before any handler. Helpers B and C register their route plugins below.
import type { FastifyInstance } from 'fastify';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AppContext } from '../../context.ts';
import { guardRoutes } from '../../auth/index.ts';
import { inboxCounts } from '../../portal/tickets/provider-service.ts';
import { sendPage } from '../../web/render.ts';
import { operatorOf, requireOperator } from '../guard.ts';
import { enforceOperatorRouteList, OPERATOR_ROUTES } from '../route-list.ts';
import { roleAtLeast } from '../../auth/service.ts';
import { OperatorHomePage } from '../views/home.tsx';
import { ticketConsoleRoutes } from './tickets.tsx';
import { noticeConsoleRoutes } from './notices.tsx';
import { maintenanceConsoleRoutes } from './maintenance.tsx';
import { termsConsoleRoutes } from './terms.tsx';
import { migrationConsoleRoutes } from './migrations.tsx';
import { operatorAdminRoutes } from './operators.tsx';
import { organisationConsoleRoutes } from './organisations.tsx';
import { contractConsoleRoutes } from './contracts.tsx';
import { serviceConsoleRoutes } from './services.tsx';
import { orderConsoleRoutes } from './orders.tsx';
import { brandingConsoleRoutes } from './branding.tsx';

export function operatorRoutes(ctx: AppContext): FastifyPluginAsyncTypebox {
  return async (app) => {
    enforceOperatorRouteList(app as unknown as FastifyInstance);
    // Every route at least an agent's full 2-step session; a route's own minimum comes from the list.
    guardRoutes(app as unknown as FastifyInstance, ctx, requireOperator('agent'));

    app.get('/operator', async (req, reply) => {
      const op = operatorOf(req);
      return sendPage(reply, OperatorHomePage({ ctx: req.pageCtx(), role: op.role, counts: await inboxCounts(ctx.db, op.user.id) }));
    });

    app.get('/api/operator', async (req, reply) => {
      const op = operatorOf(req);
      return reply.send({
        operator: { id: op.user.id, loginId: op.user.login_id, name: op.user.name, role: op.role },
        routes: OPERATOR_ROUTES.filter((r) => roleAtLeast(op.role, r.minRole)),
      });
    });

    await app.register(ticketConsoleRoutes(ctx));
    await app.register(operatorAdminRoutes(ctx));
    // Notices, maintenance windows and terms (helper C).
    await app.register(noticeConsoleRoutes(ctx));
    await app.register(maintenanceConsoleRoutes(ctx));
    await app.register(termsConsoleRoutes(ctx));
    // Legacy-user migrations, read-only (issue 21 item 5).
    await app.register(migrationConsoleRoutes(ctx));
    // Customers and contracts (B).
    await app.register(organisationConsoleRoutes(ctx));
    await app.register(contractConsoleRoutes(ctx));
    await app.register(serviceConsoleRoutes(ctx));
    await app.register(orderConsoleRoutes(ctx));
    // Branding per preset and organisation (issue 20 item 2).
    await app.register(brandingConsoleRoutes(ctx));
  };
}
