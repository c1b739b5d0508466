// S4 password reset routes: HTTP in → service call → page or redirect out; no rules. The new-password
// step and its completion page are the shared flow routes (GET /auth/flows/:id, POST …/password).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { AppContext } from '../../context.ts';
import { errorBody } from '../../errors.ts';
import { sendPage } from '../../web/render.ts';
import { openLink } from '../first-login/service.ts';
import { attempt, formError, redirectIntoNewFlow } from '../routes/shared.ts';
import { LinkInvalidPage } from '../views/first-login.tsx';
import { requestReset } from './service.ts';
import { ResetRequestPage, ResetRequestedPage } from './views.tsx';

// Printable text only: a NUL or control character is bad input (400), never a database error.
const FormText = Type.String({ maxLength: 254, pattern: '^[^\\x00-\\x1f\\x7f]*$' });
const RequestBody = Type.Object({
  loginId: FormText, email: FormText, name: Type.Optional(FormText), phone: Type.Optional(FormText),
  _csrf: Type.Optional(Type.String({ maxLength: 128 })),
});

export function resetRoutes(ctx: AppContext): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get('/password/reset', async (req, reply) => sendPage(reply, ResetRequestPage({ ctx: req.pageCtx() })));

    app.post('/password/reset', { schema: { body: RequestBody } }, async (req, reply) => {
      const { _csrf, ...answers } = req.body;
      const r = await attempt(() => requestReset(ctx, answers, req.ip));
      if (!r.ok) {
        // Only input errors come back (empty required fields): they depend on the input, not the account.
        if (req.wantsJson()) return reply.code(r.err.status).send(errorBody(req.t, r.err));
        return sendPage(reply, ResetRequestPage({ ctx: req.pageCtx(), values: answers, ...formError(r.err) }), 422);
      }
      const minutes = Math.round(ctx.config.resetLinkMs / 60_000);
      if (req.wantsJson()) return reply.send({ status: 'requested', message: req.t('reset.requested_body', { minutes }) });
      return sendPage(reply, ResetRequestedPage({ ctx: req.pageCtx(), minutes }));
    });

    // The mailed link: a reset flow bound to this browser starts at the new password (identity was
    // checked by the request form), and the browser moves on to a URL without the token (item 26).
    app.get('/password/reset/:token', { schema: { params: Type.Object({ token: Type.String({ maxLength: 200 }) }) } }, async (req, reply) => {
      const r = await attempt(() => openLink(ctx, req.params.token));
      if (!r.ok) return sendPage(reply, LinkInvalidPage({ ctx: req.pageCtx() }), 410);
      return redirectIntoNewFlow(ctx, reply, r.value);
    });
  };
}
