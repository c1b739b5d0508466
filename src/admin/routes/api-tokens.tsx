// API tokens (issue 24 item 6; docs/api.md): a portal admin issues, lists and revokes the tokens of
// their organisation (a partner admin: of a child organisation too, each token scoped to one).
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { AppContext } from '../../context.ts';
import type { DomainError } from '../../errors.ts';
import { sendPage } from '../../web/render.ts';
import type { AuthState } from '../../auth/index.ts';
import { authOf } from '../../auth/index.ts';
import { attempt } from '../../web/attempt.ts';
import { manageableOrgs } from '../../auth/service.ts';
import { issueToken, listTokens, recentDeliveries, revokeToken } from '../../api/service.ts';
import { actorOf, csrf, Id, rethrowForbidden, sendJsonError } from '../guard.ts';
import { AdminApiTokensPage } from '../views/api-tokens.tsx';

const Org = Type.Optional(Type.String({ maxLength: 64 }));
const Scopes = Type.Optional(Type.Union([Type.String({ maxLength: 40 }), Type.Array(Type.String({ maxLength: 40 }), { maxItems: 10 })]));

export function apiTokenRoutes(ctx: AppContext): FastifyPluginAsyncTypebox {
  return async (app) => {
    async function tokensPage(req: FastifyRequest, reply: FastifyReply, auth: AuthState, orgId: string | undefined, extra: { issued?: string; notice?: string; err?: DomainError; status?: number } = {}) {
      if (extra.err && req.wantsJson()) return sendJsonError(req, reply, extra.err);
      const actor = actorOf(req, auth);
      const { organisationId, tokens } = await listTokens(ctx, actor, orgId);
      const orgs = await manageableOrgs(ctx, auth.user);
      if (req.wantsJson()) {
        return reply.code(extra.status ?? 200).header('cache-control', 'no-store').send({ organisation: organisationId, tokens, ...(extra.issued ? { token: extra.issued } : {}) });
      }
      const deliveries = await recentDeliveries(ctx, actor, organisationId);
      const org = orgs.find((o) => o.id === organisationId) ?? { id: organisationId, name: '' };
      reply.header('cache-control', 'no-store'); // the token is on this page once
      return sendPage(reply, AdminApiTokensPage({
        ctx: req.pageCtx(), org, orgs, tokens, deliveries, issued: extra.issued ?? null, notice: extra.notice ?? null,
        error: extra.err ? { key: extra.err.fields.scopes?.[0]?.key ?? extra.err.fields.name?.[0]?.key ?? extra.err.code } : null,
      }), extra.err?.status ?? 200);
    }

    app.get('/admin/api-tokens', { schema: { querystring: Type.Object({ org: Org }) } }, async (req, reply) => tokensPage(req, reply, authOf(req), req.query.org));

    app.post('/admin/api-tokens', { schema: { body: Type.Object({ org: Org, name: Type.String({ maxLength: 200 }), scopes: Scopes, ...csrf }) } }, async (req, reply) => {
      const auth = authOf(req);
      const scopes = req.body.scopes === undefined ? [] : [req.body.scopes].flat();
      const r = await attempt(() => issueToken(ctx, actorOf(req, auth), req.body.org, { name: req.body.name, scopes }));
      if (!r.ok) { rethrowForbidden(r.err); return tokensPage(req, reply, auth, req.body.org, { err: r.err }); }
      return tokensPage(req, reply, auth, r.value.organisationId, { issued: r.value.token, status: 201 });
    });

    app.post('/admin/api-tokens/:tokenId/revoke', { schema: { params: Type.Object({ tokenId: Id }), body: Type.Object({ ...csrf }) } }, async (req, reply) => {
      const auth = authOf(req);
      const orgId = await revokeToken(ctx, actorOf(req, auth), req.params.tokenId);
      return tokensPage(req, reply, auth, orgId, { notice: req.t('api.tokens.revoked_done') });
    });
  };
}
