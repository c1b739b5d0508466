// Portal pages (S7, S8): the dashboard at /, pinning services, and the contract pages.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { AppContext } from '../context.ts';
import { sendPage } from '../web/render.ts';
import type { FastifyInstance } from 'fastify';
import { authOf, guardRoutes, requirePortal } from '../auth/index.ts';
import { DashboardPage } from './views/dashboard.tsx';
import { dashboardServices, pinService } from './dashboard/service.ts';
import { dashboardNotices } from './notices/service.ts';
import { upcomingMaintenance } from './maintenance/service.ts';
import { contractRoutes } from './contracts/routes.tsx';
import { sessionScope } from './viewer.ts';
import { DomainError } from '../errors.ts';

export function portalRoutes(ctx: AppContext): FastifyPluginAsyncTypebox {
  return async (app) => {
    // Every portal page needs a portal session (terms accepted, S6): declared once (decision 041);
    // the contract pages registered below inherit it.
    guardRoutes(app as unknown as FastifyInstance, ctx, requirePortal);
    app.get('/', { schema: { querystring: Type.Object({ done: Type.Optional(Type.String({ maxLength: 20 })) }) } }, async (req, reply) => {
      if (!req.auth) return reply.redirect('/login', 303);
      const auth = authOf(req);
      // The scope and the previous login (S3.8) came with the session (src/auth/sessions/page-row.ts).
      const scope = sessionScope(auth);
      const prev = auth.previousLoginAt;
      const now = ctx.now();
      const [services, notices, maintenance] = await Promise.all([
        dashboardServices(ctx.db, scope),
        dashboardNotices(ctx.db, scope, now),
        // Read by the maintenance plugin for this request already (issue 19: nothing read twice).
        req.maintenanceWindows ?? upcomingMaintenance(ctx.db, now),
      ]);
      // The organisation's name came with the session (src/auth/sessions/resolve.ts).
      const organisation = req.pageUser?.organisation ?? '';
      if (req.wantsJson()) {
        return reply.send({
          name: auth.user.name, organisation, previousLoginAt: prev,
          services: services.map((s) => ({ id: s.id, code: s.code, name: req.lang === 'ja' ? s.name_ja : s.name_en, category: s.category_code, hasSettingsSite: s.settings_site_url !== null, pinned: s.pinned })),
          notices: notices.map((n) => ({ id: n.id, kind: n.kind, title: req.lang === 'ja' ? n.title_ja : n.title_en, startsAt: n.starts_at, endsAt: n.ends_at })),
          maintenance: maintenance.map((m) => ({ id: m.id, startsAt: m.starts_at, endsAt: m.ends_at, message: req.lang === 'ja' ? m.message_ja : m.message_en })),
        });
      }
      const notice = req.query.done === 'pinned' ? req.t('portal.pinned_done') : req.query.done === 'unpinned' ? req.t('portal.unpinned_done') : null;
      return sendPage(reply, DashboardPage({
        ctx: req.pageCtx(), name: auth.user.name, organisation, previousLoginAt: prev,
        skipReason: auth.session.skip_reason, isAdmin: auth.user.role === 'admin', services, notices, maintenance, notice,
      }));
    });

    // S7 «ピン留め»: a form POST (CSRF-checked by the web plugin); only a service the viewer sees.
    app.post('/portal/services/:serviceId/pin', {
      schema: {
        summary: 'Pin (pinned=1) or unpin (pinned=0) a service on the dashboard', tags: ['portal'],
        params: Type.Object({ serviceId: Type.String({ minLength: 1, maxLength: 64 }) }),
        body: Type.Object({ pinned: Type.Union([Type.Literal('0'), Type.Literal('1')]), _csrf: Type.Optional(Type.String({ maxLength: 128 })) }),
      },
    }, async (req, reply) => {
      const auth = authOf(req);
      const pinned = req.body.pinned === '1';
      if (!(await pinService(ctx.db, sessionScope(auth), req.params.serviceId, pinned, ctx.now()))) throw new DomainError('common.not_found');
      if (req.wantsJson()) return reply.send({ status: 'ok', pinned });
      return reply.redirect(`/?done=${pinned ? 'pinned' : 'unpinned'}`, 303);
    });

    await app.register(contractRoutes(ctx));
  };
}
