// Portal pages. The home page is minimal until the dashboard issue (S7).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AppContext } from '../context.ts';
import { sendPage } from '../web/render.ts';
import { requirePortal } from '../web/session-plugin.ts';
import { HomePage } from './views/home.tsx';
import { findOrganisation } from './organisations.ts';
import { previousLoginAt } from '../auth/sessions/store.ts';

export function portalRoutes(ctx: AppContext): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get('/', async (req, reply) => {
      if (!req.auth) return reply.redirect('/login', 303);
      const auth = await requirePortal(ctx, req, reply);
      if (!auth) return reply;
      const org = await findOrganisation(ctx.db, auth.user.organisation_id);
      // The previous login is the session before this one (S3.8: the last-login time shown).
      const prev = await previousLoginAt(ctx.db, auth.user.id, auth.session.id);
      return sendPage(reply, HomePage({
        ctx: req.pageCtx(), name: auth.user.name, organisation: org?.name ?? '', previousLoginAt: prev,
        skipReason: auth.session.skip_reason, isAdmin: auth.user.role === 'admin',
      }));
    });
  };
}
