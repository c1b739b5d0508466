// Terms gate and logout: the pages a logged-in user meets before the portal.
import type { FastifyInstance } from 'fastify';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { AppContext } from '../../context.ts';
import { audit } from '../../audit/log.ts';
import { cookieNames, cookieOptions } from '../../web/cookies.ts';
import { sendPage } from '../../web/render.ts';
import { authOf, guardRoutes, requireSession } from '../guards.ts';
import { revokeSessionByToken } from '../sessions/store.ts';
import { acceptTerms, currentTerms, termsAccepted } from '../terms/service.ts';
import { TermsPage } from '../views/terms.tsx';
import { attempt } from './shared.ts';

export function sessionRoutes(ctx: AppContext): FastifyPluginAsyncTypebox {
  return async (app) => {
    // Declared guards (decision 041): the terms pages need a session, not accepted terms; logout
    // declares none (it clears the cookie whatever state the session is in).
    guardRoutes(app as unknown as FastifyInstance, ctx, null);

    app.get('/terms', { config: { auth: requireSession } }, async (req, reply) => {
      const auth = authOf(req);
      const terms = await currentTerms(ctx.db);
      if (!terms || (await termsAccepted(ctx.db, auth.user.id))) return reply.redirect('/', 303);
      return sendPage(reply, TermsPage({ ctx: req.pageCtx(), terms }));
    });

    app.post('/terms', { config: { auth: requireSession }, schema: { body: Type.Object({ versionId: Type.String({ maxLength: 64 }), accept: Type.Optional(Type.String({ maxLength: 5 })), _csrf: Type.Optional(Type.String({ maxLength: 128 })) }) } }, async (req, reply) => {
      const auth = authOf(req);
      const r = await attempt(() => acceptTerms(ctx, auth.user.id, auth.user.organisation_id, req.body.versionId, req.body.accept === '1', req.ip));
      if (r.ok) return reply.redirect('/', 303);
      const terms = await currentTerms(ctx.db);
      if (!terms) return reply.redirect('/', 303);
      return sendPage(reply, TermsPage({ ctx: req.pageCtx(), terms, error: { key: r.err.code } }), r.err.status);
    });

    app.post('/logout', { schema: { body: Type.Object({ _csrf: Type.Optional(Type.String({ maxLength: 128 })) }) } }, async (req, reply) => {
      const names = cookieNames(ctx.config);
      const token = req.cookies[names.session];
      if (token) await revokeSessionByToken(ctx.db, token, ctx.now());
      if (req.auth) await audit(ctx.db, { event: 'logout', subjectUserId: req.auth.user.id, organisationId: req.auth.user.organisation_id, ip: req.ip }, ctx.now());
      reply.clearCookie(names.session, cookieOptions(ctx.config));
      // Back after logout must show nothing private: Chromium restores no-store pages from its
      // back/forward cache, and "cache" evicts this origin's entries (test/browser/security). Not
      // "cookies": that would also drop the language and trusted-browser cookies.
      reply.header('clear-site-data', '"cache"');
      // Post/redirect/get: a reload does not post again, and the page's language links work.
      return reply.redirect('/login?signed_out=1', 303);
    });
  };
}
