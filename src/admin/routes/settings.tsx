// Organisation security settings (S3.7): trusted networks and trusted browsers.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { AppContext } from '../../context.ts';
import type { DomainError } from '../../errors.ts';
import { sendPage } from '../../web/render.ts';
import type { AuthState } from '../../auth/index.ts';
import { attempt } from '../../web/attempt.ts';
import { actorOf, csrf, Id, rethrowForbidden, sendJsonError } from '../guard.ts';
import { manageableOrgs, addTrustedNetwork, orgSettings, removeTrustedNetwork, setTrustedBrowsers } from '../../auth/service.ts';
import { AdminSettingsPage } from '../views/settings.tsx';
import { authOf } from '../../auth/index.ts';

const Org = Type.Optional(Type.String({ maxLength: 64 }));

export function settingsRoutes(ctx: AppContext): FastifyPluginAsyncTypebox {
  return async (app) => {
    async function settingsPage(req: FastifyRequest, reply: FastifyReply, auth: AuthState, orgId: string | undefined, extra: { notice?: string; err?: DomainError; cidr?: string } = {}) {
      const s = await orgSettings(ctx, auth.user, orgId);
      if (extra.err && req.wantsJson()) return sendJsonError(req, reply, extra.err);
      if (req.wantsJson()) {
        return reply.send({ organisation: { id: s.org.id, name: s.org.name }, trustedNetworks: s.networks, trustedBrowsers: s.org.trusted_browsers_enabled_at !== null });
      }
      return sendPage(reply, AdminSettingsPage({
        ctx: req.pageCtx(), org: { id: s.org.id, name: s.org.name }, orgs: await manageableOrgs(ctx, auth.user), networks: s.networks,
        trustedBrowsers: s.org.trusted_browsers_enabled_at !== null, notice: extra.notice ?? null,
        // The field's own message (e.g. why a range is too wide, item 42), else the error's.
        error: extra.err ? (extra.err.fields.cidr?.[0] ? { key: extra.err.fields.cidr[0].key, params: extra.err.fields.cidr[0].params ?? {} } : { key: extra.err.code }) : null, ...(extra.cidr !== undefined ? { cidrValue: extra.cidr } : {}),
      }), extra.err?.status ?? 200);
    }

    app.get('/admin/settings', { schema: { querystring: Type.Object({ org: Org }) } }, async (req, reply) => {
      return settingsPage(req, reply, authOf(req), req.query.org);
    });

    app.post('/admin/settings/networks', { schema: { body: Type.Object({ org: Org, cidr: Type.String({ maxLength: 64 }), label: Type.Optional(Type.String({ maxLength: 100 })), ...csrf }) } }, async (req, reply) => {
      const auth = authOf(req);
      const r = await attempt(() => addTrustedNetwork(ctx, actorOf(req, auth), req.body.org, req.body.cidr, req.body.label ?? ''));
      if (!r.ok) rethrowForbidden(r.err);
      return settingsPage(req, reply, auth, req.body.org, r.ok ? { notice: req.t('admin.saved') } : { err: r.err, cidr: req.body.cidr });
    });

    app.post('/admin/settings/networks/:networkId/remove', { schema: { params: Type.Object({ networkId: Id }), body: Type.Object({ ...csrf }) } }, async (req, reply) => {
      const auth = authOf(req);
      const orgId = await removeTrustedNetwork(ctx, actorOf(req, auth), req.params.networkId);
      return settingsPage(req, reply, auth, orgId, { notice: req.t('admin.saved') });
    });

    app.post('/admin/settings/trusted-browsers', { schema: { body: Type.Object({ org: Org, enabled: Type.Optional(Type.String({ maxLength: 5 })), ...csrf }) } }, async (req, reply) => {
      const auth = authOf(req);
      await setTrustedBrowsers(ctx, actorOf(req, auth), req.body.org, req.body.enabled === '1');
      return settingsPage(req, reply, auth, req.body.org, { notice: req.t('admin.saved') });
    });
  };
}
