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
import { termsGuide } from '../first-login/service.ts';
import { attempt } from './shared.ts';
import { returnTarget, RETURN_TO_MAX } from '../flows/return-to.ts';

export function sessionRoutes(ctx: AppContext): FastifyPluginAsyncTypebox {
  return async (app) => {
    // Declared guards (decision 041): the terms pages need a session, not accepted terms; logout
    // declares none (it clears the cookie whatever state the session is in).
    guardRoutes(app as unknown as FastifyInstance, ctx, null);

    // ?return_to: where to go once accepted (a same-origin path, e.g. an OpenID Connect
    // interaction waiting for the terms; return-to.ts refuses anything else).
    const ReturnTo = Type.Optional(Type.String({ maxLength: RETURN_TO_MAX }));
    app.get('/terms', { config: { auth: requireSession }, schema: { querystring: Type.Object({ return_to: ReturnTo }) } }, async (req, reply) => {
      const auth = authOf(req);
      const terms = await currentTerms(ctx.db);
      const back = returnTarget(req.query.return_to);
      if (!terms || (await termsAccepted(ctx.db, auth.user.id))) return reply.redirect(back, 303);
      return sendPage(reply, TermsPage({ ctx: req.pageCtx(), terms, returnTo: back, guide: termsGuide(auth) }));
    });

    app.post('/terms', { config: { auth: requireSession }, schema: { body: Type.Object({ versionId: Type.String({ maxLength: 64 }), accept: Type.Optional(Type.String({ maxLength: 5 })), return_to: ReturnTo, _csrf: Type.Optional(Type.String({ maxLength: 128 })) }) } }, async (req, reply) => {
      const auth = authOf(req);
      const r = await attempt(() => acceptTerms(ctx, auth.user.id, auth.user.organisation_id, req.body.versionId, req.body.accept === '1', req.ip));
      const back = returnTarget(req.body.return_to);
      if (r.ok) return reply.redirect(back, 303);
      const terms = await currentTerms(ctx.db);
      if (!terms) return reply.redirect(back, 303);
      return sendPage(reply, TermsPage({ ctx: req.pageCtx(), terms, error: { key: r.err.code }, returnTo: back, guide: termsGuide(auth) }), r.err.status);
    });

    app.post('/logout', { schema: { body: Type.Object({ _csrf: Type.Optional(Type.String({ maxLength: 128 })) }) } }, async (req, reply) => {
      const names = cookieNames(ctx.config);
      const token = req.cookies[names.session];
      if (token) await revokeSessionByToken(ctx.db, token, ctx.now());
      // What else ends with the portal session (the OpenID Connect provider's session and its
      // clients' back-channel logout, issue 18): a failure there never keeps the user signed in.
      if (req.auth) {
        for (const hook of ctx.signOutHooks ?? []) {
          try {
            await hook({ userId: req.auth.user.id, cookies: req.cookies, ip: req.ip });
          } catch (err) {
            req.log.error({ err }, 'sign-out hook failed');
          }
        }
      }
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
