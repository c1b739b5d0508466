// Order pages and their JSON twins (S7, S14). Visibility is the service's (decision 031).
import type { FastifyInstance } from 'fastify';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { AppContext } from '../../context.ts';
import { sendPage } from '../../web/render.ts';
import { Id, Page, pageOf } from '../params.ts';
import { enforcePortalRouteList } from '../route-list.ts';
import { portalViewer } from '../viewer.ts';
import { listOrdersFor, orderFor } from './service.ts';
import { OrderPage, OrdersPage } from './views.tsx';
import { guardRoutes, requirePortal } from '../../auth/index.ts';

export function orderRoutes(ctx: AppContext): FastifyPluginAsyncTypebox {
  return async (app) => {
    enforcePortalRouteList(app as unknown as FastifyInstance, 'orders');
    // Every portal page needs a portal session (terms accepted, S6): declared once (decision 041).
    guardRoutes(app as unknown as FastifyInstance, ctx, requirePortal);

    app.get('/portal/orders', { schema: { querystring: Type.Object({ service: Type.Optional(Id), page: Type.Optional(Page), lang: Type.Optional(Type.String({ maxLength: 5 })) }) } }, async (req, reply) => {
      const v = portalViewer(req);
      const page = pageOf(req.query.page);
      const { orders, total } = await listOrdersFor(ctx.db, v.scope, { ...(req.query.service ? { serviceId: req.query.service } : {}), page });
      if (req.wantsJson()) return reply.header('cache-control', 'no-store').send({ total, page, orders });
      return sendPage(reply, OrdersPage({ ctx: req.pageCtx(), orders, total, page, serviceId: req.query.service }));
    });

    app.get('/portal/orders/:orderId', { schema: { params: Type.Object({ orderId: Id }) } }, async (req, reply) => {
      const v = portalViewer(req);
      const order = await orderFor(ctx.db, v.scope, req.params.orderId);
      if (req.wantsJson()) return reply.header('cache-control', 'no-store').send({ order });
      return sendPage(reply, OrderPage({ ctx: req.pageCtx(), order }));
    });
  };
}
