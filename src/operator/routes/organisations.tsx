// Organisations in the provider's console (issue 26 item 3): pages under /operator/organisations,
// the same operations as JSON under /api/operator/organisations, over auth's tenancy services (the
// CLI's `org create|list|show` call them too). Listing and reading: service_manager; creating an
// organisation and registering its first portal admin: operator_admin (src/operator/route-list.ts).
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { AppContext } from '../../context.ts';
import { DomainError } from '../../errors.ts';
import { attempt } from '../../web/attempt.ts';
import { sendPage } from '../../web/render.ts';
import {
  PROFILES, createCustomerOrganisation, organisationDetail, passwordPolicies, registerFirstPortalAdmin, searchOrganisations,
  type Organisation,
} from '../../auth/service.ts';
import { csrf, Id, operatorOf, sendJsonError } from '../guard.ts';
import { OrganisationPage, OrganisationsPage } from '../views/organisations.tsx';
import type { FormState } from '../views/customer-parts.tsx';

const ListQuery = Type.Object({
  q: Type.Optional(Type.String({ maxLength: 1000 })), kind: Type.Optional(Type.String({ maxLength: 20 })),
  page: Type.Optional(Type.String({ maxLength: 9 })), done: Type.Optional(Type.String({ maxLength: 20 })),
});
const OrgBody = Type.Object({
  name: Type.String({ maxLength: 1000 }), kind: Type.String({ maxLength: 20 }), parent: Type.Optional(Type.String({ maxLength: 100 })),
  profile: Type.Optional(Type.String({ maxLength: 40 })), password_policy: Type.Optional(Type.String({ maxLength: 40 })), ...csrf,
});
const AdminBody = Type.Object({
  email: Type.String({ maxLength: 320 }), name: Type.String({ maxLength: 300 }), phone: Type.String({ maxLength: 100 }),
  loginId: Type.Optional(Type.String({ maxLength: 320 })), lang: Type.Optional(Type.Union([Type.Literal('ja'), Type.Literal('en')])), ...csrf,
});
const OrgParams = Type.Object({ orgId: Id });

/** An organisation as the JSON API shows it. */
export function orgJson(o: Organisation) {
  return { id: o.id, name: o.name, kind: o.kind, parentId: o.parent_id, profile: o.profile, passwordPolicy: o.password_policy, createdAt: o.created_at };
}

function input(b: { name: string; kind: string; parent?: string | undefined; profile?: string | undefined; password_policy?: string | undefined }) {
  return { name: b.name, kind: b.kind, parentId: b.parent, profile: b.profile, passwordPolicy: b.password_policy };
}

export function organisationConsoleRoutes(ctx: AppContext): FastifyPluginAsyncTypebox {
  return async (app) => {
    async function listPage(req: FastifyRequest, reply: FastifyReply, query: { q?: string | undefined; kind?: string | undefined; page?: string | undefined }, form: FormState, status = 200) {
      const op = operatorOf(req);
      const p = await searchOrganisations(ctx.db, query);
      return sendPage(reply, OrganisationsPage({ ctx: req.pageCtx(), role: op.role, p, profiles: Object.keys(PROFILES), policies: Object.keys(passwordPolicies), form }), status);
    }

    async function detailPage(req: FastifyRequest, reply: FastifyReply, orgId: string, form: FormState, status = 200) {
      const d = await organisationDetail(ctx.db, orgId);
      if (!d) throw new DomainError('common.not_found');
      return sendPage(reply, OrganisationPage({ ctx: req.pageCtx(), role: operatorOf(req).role, d, form }), status);
    }

    app.get('/operator/organisations', { schema: { querystring: ListQuery } }, async (req, reply) =>
      listPage(req, reply, req.query, {}));

    app.post('/operator/organisations', { schema: { body: OrgBody } }, async (req, reply) => {
      const r = await attempt(() => createCustomerOrganisation(ctx.db, input(req.body), operatorOf(req).actor, ctx.now()));
      if (!r.ok) {
        const { _csrf, ...values } = req.body;
        return listPage(req, reply, {}, { error: r.err.code === 'common.field_errors' ? null : { key: r.err.code, params: r.err.params }, fields: r.err.fields, values: values as Record<string, string> }, r.err.status);
      }
      return reply.redirect(`/operator/organisations/${r.value.id}?done=created`, 303);
    });

    app.get('/operator/organisations/:orgId', { schema: { params: OrgParams, querystring: Type.Object({ done: Type.Optional(Type.String({ maxLength: 20 })), admin: Type.Optional(Type.String({ maxLength: 254 })) }) } }, async (req, reply) => {
      const notice = req.query.done === 'created' ? req.t('cc.orgs.created')
        : req.query.done === 'admin' ? req.t('cc.admin.registered', { loginId: req.query.admin ?? '' }) : null;
      return detailPage(req, reply, req.params.orgId, { notice });
    });

    app.post('/operator/organisations/:orgId/first-admin', { schema: { params: OrgParams, body: AdminBody } }, async (req, reply) => {
      const { _csrf, ...b } = req.body;
      const r = await attempt(() => registerFirstPortalAdmin(ctx, req.params.orgId, b, operatorOf(req).actor));
      if (!r.ok) {
        if (r.err.code === 'portal.unknown_organisation') throw new DomainError('common.not_found');
        return detailPage(req, reply, req.params.orgId, { error: { key: r.err.code, params: r.err.params }, fields: r.err.fields, values: b as Record<string, string> }, r.err.status);
      }
      return reply.redirect(`/operator/organisations/${req.params.orgId}?done=admin&admin=${encodeURIComponent(r.value.login_id)}`, 303);
    });

    // ---- JSON (same services) ----

    app.get('/api/operator/organisations', { schema: { querystring: ListQuery } }, async (req, reply) => {
      const p = await searchOrganisations(ctx.db, req.query);
      return reply.send({ organisations: p.rows.map((o) => ({ ...orgJson(o), parentName: o.parent_name })), total: p.total, page: p.page, pages: p.pages });
    });

    app.post('/api/operator/organisations', { schema: { body: OrgBody } }, async (req, reply) => {
      const r = await attempt(() => createCustomerOrganisation(ctx.db, input(req.body), operatorOf(req).actor, ctx.now()));
      if (!r.ok) return sendJsonError(req, reply, r.err);
      return reply.code(201).send({ organisation: orgJson(r.value) });
    });

    app.get('/api/operator/organisations/:orgId', { schema: { params: OrgParams } }, async (req, reply) => {
      const d = await organisationDetail(ctx.db, req.params.orgId);
      if (!d) throw new DomainError('common.not_found');
      return reply.send({ organisation: orgJson(d.org), parent: d.parent && orgJson(d.parent), children: d.children.map(orgJson), users: d.users, portalAdmins: d.admins });
    });

    app.post('/api/operator/organisations/:orgId/first-admin', { schema: { params: OrgParams, body: AdminBody } }, async (req, reply) => {
      const { _csrf, ...b } = req.body;
      const r = await attempt(() => registerFirstPortalAdmin(ctx, req.params.orgId, b, operatorOf(req).actor));
      if (!r.ok) return sendJsonError(req, reply, r.err);
      return reply.code(201).send({ user: { id: r.value.id, loginId: r.value.login_id, email: r.value.email, name: r.value.name, role: r.value.role }, startingGuide: 'queued' });
    });
  };
}
