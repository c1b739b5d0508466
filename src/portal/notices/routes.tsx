// Notice pages and their JSON twins (S7, S10, S14).
import type { FastifyInstance } from 'fastify';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { AppContext } from '../../context.ts';
import { sendPage } from '../../web/render.ts';
import { Id, Page, pageOf } from '../params.ts';
import { enforcePortalRouteList } from '../route-list.ts';
import { nameIn, portalViewer } from '../viewer.ts';
import { visibleServices } from '../visible.ts';
import { listNoticesFor, noticeFor, noticeReportFor } from './service.ts';
import { sendAttachment } from '../tickets/attachments.ts';
import { NoticePage, NoticesPage } from './views.tsx';
import { guardRoutes, requirePortal } from '../../auth/index.ts';

export function noticeRoutes(ctx: AppContext): FastifyPluginAsyncTypebox {
  return async (app) => {
    enforcePortalRouteList(app as unknown as FastifyInstance, 'notices');
    // Every portal page needs a portal session (terms accepted, S6): declared once (decision 041).
    guardRoutes(app as unknown as FastifyInstance, ctx, requirePortal);

    const query = Type.Object({
      when: Type.Optional(Type.Union([Type.Literal('current'), Type.Literal('past')])), service: Type.Optional(Id), page: Type.Optional(Page),
      lang: Type.Optional(Type.String({ maxLength: 5 })),
    });
    app.get('/portal/notices', { schema: { querystring: query } }, async (req, reply) => {
      const v = portalViewer(req);
      const when = req.query.when ?? 'current';
      const page = pageOf(req.query.page);
      const serviceId = req.query.service;
      const { notices, total } = await listNoticesFor(ctx.db, v.scope, { now: ctx.now(), when, page, ...(serviceId ? { serviceId } : {}) });
      if (req.wantsJson()) return reply.header('cache-control', 'no-store').send({ when, total, page, notices });
      const svc = serviceId ? (await visibleServices(ctx.db, v.scope)).find((s) => s.id === serviceId) : undefined;
      return sendPage(reply, NoticesPage({
        ctx: req.pageCtx(), notices, total, page, when, serviceId,
        serviceName: svc ? nameIn(req.lang, svc.nameJa, svc.nameEn) : undefined,
      }));
    });

    app.get('/portal/notices/:noticeId', { schema: { params: Type.Object({ noticeId: Id }) } }, async (req, reply) => {
      const v = portalViewer(req);
      const notice = await noticeFor(ctx.db, v.scope, req.params.noticeId, ctx.now());
      if (req.wantsJson()) return reply.header('cache-control', 'no-store').send({ notice });
      return sendPage(reply, NoticePage({ ctx: req.pageCtx(), notice }));
    });

    // Issue 24: the post-incident report, for whoever may see the notice (the same rule), as a download.
    app.get('/portal/notices/:noticeId/report', { schema: { params: Type.Object({ noticeId: Id }) } }, async (req, reply) => {
      const v = portalViewer(req);
      return sendAttachment(reply, await noticeReportFor(ctx.db, v.scope, req.params.noticeId, ctx.now()));
    });
  };
}
