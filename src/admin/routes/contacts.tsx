// Technical contacts per contract (issue 24 item 2; docs/notices.md): a portal admin lists, adds and
// removes the contacts of the contracts of an organisation they manage (a partner admin: of a
// child organisation too). The organisation check is targetOrg's (403 for a foreign one).
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
import { addContact, listContacts, removeContact } from '../../portal/notices/contacts.ts';
import { actorOf, csrf, Id, rethrowForbidden, sendJsonError } from '../guard.ts';
import { AdminContactsPage } from '../views/contacts.tsx';

const Org = Type.Optional(Type.String({ maxLength: 64 }));

export function contactRoutes(ctx: AppContext): FastifyPluginAsyncTypebox {
  return async (app) => {
    async function contactsPage(req: FastifyRequest, reply: FastifyReply, auth: AuthState, orgId: string | undefined,
      extra: { err?: DomainError; values?: { number: string; name: string; email: string }; notice?: string; status?: number } = {}) {
      if (extra.err && req.wantsJson()) return sendJsonError(req, reply, extra.err);
      const { organisationId, contacts } = await listContacts(ctx, actorOf(req, auth), orgId);
      if (req.wantsJson()) {
        return reply.code(extra.status ?? 200).send({
          organisation: organisationId,
          contacts: contacts.map((c) => ({ id: c.id, contract: c.number, name: c.name, email: c.email, createdAt: c.created_at })),
        });
      }
      const orgs = await manageableOrgs(ctx, auth.user);
      const org = orgs.find((o) => o.id === organisationId) ?? { id: organisationId, name: '' };
      return sendPage(reply, AdminContactsPage({
        ctx: req.pageCtx(), org, orgs, contacts, notice: extra.notice ?? null,
        ...(extra.values ? { values: extra.values } : {}), fields: extra.err?.fields ?? {},
      }), extra.err?.status ?? 200);
    }

    app.get('/admin/contacts', { schema: { querystring: Type.Object({ org: Org }) } }, async (req, reply) => contactsPage(req, reply, authOf(req), req.query.org));

    app.post('/admin/contacts', {
      schema: { body: Type.Object({ org: Org, number: Type.String({ maxLength: 40 }), name: Type.String({ maxLength: 300 }), email: Type.String({ maxLength: 320 }), ...csrf }) },
    }, async (req, reply) => {
      const auth = authOf(req);
      const values = { number: req.body.number, name: req.body.name, email: req.body.email };
      const r = await attempt(() => addContact(ctx, actorOf(req, auth), req.body.org, values));
      if (!r.ok) { rethrowForbidden(r.err); return contactsPage(req, reply, auth, req.body.org, { err: r.err, values }); }
      return contactsPage(req, reply, auth, r.value.organisationId, { notice: req.t('contacts.added_done'), status: 201 });
    });

    app.post('/admin/contacts/:contactId/remove', { schema: { params: Type.Object({ contactId: Id }), body: Type.Object({ ...csrf }) } }, async (req, reply) => {
      const auth = authOf(req);
      const orgId = await removeContact(ctx, actorOf(req, auth), req.params.contactId);
      return contactsPage(req, reply, auth, orgId, { notice: req.t('contacts.removed_done') });
    });
  };
}
