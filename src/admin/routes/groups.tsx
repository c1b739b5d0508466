// User groups (S0, S13): list + create, one group with members, rename, delete.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { AppContext } from '../../context.ts';
import type { DomainError } from '../../errors.ts';
import { sendPage } from '../../web/render.ts';
import type { AuthState } from '../../auth/index.ts';
import { attempt } from '../../web/attempt.ts';
import { findOrganisation, manageableOrgs, manageableUser } from '../../auth/service.ts';
import { actorOf, csrf, Id, rethrowForbidden, sendJsonError } from '../guard.ts';
import {
  addMember, createGroup, deleteGroup, groupMembers, listGroups, manageableGroup, memberCandidates, removeMember, renameGroup,
} from '../../portal/groups/service.ts';
import { AdminGroupPage, AdminGroupsPage } from '../views/groups.tsx';
import { grantGroupContracts, groupContracts, revokeGroupContract } from '../../portal/groups/contract-access.ts';
import { authOf } from '../../auth/index.ts';
import { DomainError as Refusal } from '../../errors.ts';
import { AdminConfirmPage } from '../views/confirm.tsx';
import { Confirmed } from './user-actions.tsx';

const GroupParams = Type.Object({ groupId: Id });
const NameBody = Type.Object({ name: Type.String({ maxLength: 200 }), ...csrf });
const MemberQ = Type.String({ maxLength: 200 });
type GroupPageExtra = { notice?: string; err?: DomainError; nameValue?: string; numbersValue?: string; memberQ?: string | undefined };
type Attempted<T> = { ok: true; value: T } | { ok: false; err: DomainError };

export function groupRoutes(ctx: AppContext): FastifyPluginAsyncTypebox {
  return async (app) => {
    async function listPage(req: FastifyRequest, reply: FastifyReply, auth: AuthState, org: string | undefined, extra: { notice?: string; err?: DomainError; nameValue?: string } = {}) {
      const groups = await listGroups(ctx, auth.user, org);
      if (req.wantsJson()) {
        return reply.send({ groups: groups.map((g) => ({ id: g.id, name: g.name, organisationId: g.organisation_id, organisation: g.organisation_name, members: g.members })) });
      }
      return sendPage(reply, AdminGroupsPage({
        ctx: req.pageCtx(), groups, orgs: await manageableOrgs(ctx, auth.user), org, notice: extra.notice ?? null,
        error: extra.err ? { key: extra.err.code } : null, fieldErrors: extra.err?.fields ?? {}, ...(extra.nameValue !== undefined ? { nameValue: extra.nameValue } : {}),
      }), extra.err?.status ?? 200);
    }

    async function groupPage(req: FastifyRequest, reply: FastifyReply, auth: AuthState, groupId: string, extra: GroupPageExtra = {}) {
      const group = await manageableGroup(ctx, auth.user, groupId);
      const members = await groupMembers(ctx, group.id);
      const contracts = await groupContracts(ctx, auth.user, group.id);
      if (req.wantsJson()) {
        return reply.send({
          group: { id: group.id, name: group.name, organisationId: group.organisation_id }, members: members.map((u) => ({ id: u.id, loginId: u.login_id, name: u.name })),
          contracts: contracts.rows.map((c) => ({ id: c.id, number: c.number, memo: c.memo, site: c.site, grantedAt: c.granted_at })), contractsTotal: contracts.total,
        });
      }
      const org = await findOrganisation(ctx.db, group.organisation_id);
      return sendPage(reply, AdminGroupPage({
        ctx: req.pageCtx(), group, organisationName: org?.name ?? '', members, contracts,
        // The picker lists users only once asked (?member_q=, empty: the first ones by login ID).
        ...(extra.memberQ !== undefined ? { memberQ: extra.memberQ, candidates: await memberCandidates(ctx, group, extra.memberQ) } : {}),
        notice: extra.notice ?? null, error: extra.err ? { key: extra.err.code } : null, fieldErrors: extra.err?.fields ?? {},
        ...(extra.nameValue !== undefined ? { nameValue: extra.nameValue } : {}), ...(extra.numbersValue !== undefined ? { numbersValue: extra.numbersValue } : {}),
      }), extra.err?.status ?? 200);
    }

    /** After a change on one group: the group page with a notice or the error, or JSON. */
    async function answer(req: FastifyRequest, reply: FastifyReply, auth: AuthState, groupId: string, r: Attempted<unknown>, nameValue?: string, memberQ?: string) {
      if (!r.ok) {
        rethrowForbidden(r.err);
        if (req.wantsJson()) return sendJsonError(req, reply, r.err);
        return groupPage(req, reply, auth, groupId, { err: r.err, memberQ, ...(nameValue !== undefined ? { nameValue } : {}) });
      }
      if (req.wantsJson()) return reply.send({ status: 'ok' });
      return groupPage(req, reply, auth, groupId, { notice: req.t('admin.saved'), memberQ });
    }

    /** Confirmation pages of deleting a group and removing a member (issue 20 item 5). */
    async function confirmDelete(req: FastifyRequest, reply: FastifyReply, auth: AuthState, groupId: string) {
      const group = await manageableGroup(ctx, auth.user, groupId);
      const members = await groupMembers(ctx, group.id);
      const t = req.t;
      const base = `/admin/groups/${group.id}`;
      return sendPage(reply, AdminConfirmPage({
        ctx: req.pageCtx(), crumbs: [{ href: '/admin/groups', label: t('admin.groups') }, { href: base, label: group.name }, { label: t('admin.confirm.group.do') }],
        title: t('admin.confirm.group.title', { name: group.name }), what: t('admin.confirm.group.what', { count: members.length }),
        action: `${base}/delete`, confirmLabel: t('admin.confirm.group.do'), cancelHref: base,
      }));
    }

    async function confirmRemove(req: FastifyRequest, reply: FastifyReply, auth: AuthState, groupId: string, userId: string) {
      const group = await manageableGroup(ctx, auth.user, groupId);
      const user = await manageableUser(ctx, auth.user, userId);
      const t = req.t;
      const base = `/admin/groups/${group.id}`;
      return sendPage(reply, AdminConfirmPage({
        ctx: req.pageCtx(), crumbs: [{ href: '/admin/groups', label: t('admin.groups') }, { href: base, label: group.name }, { label: t('admin.confirm.member.do') }],
        title: t('admin.confirm.member.title', { user: user.name, group: group.name }), what: t('admin.confirm.member.what'),
        action: `${base}/members/${user.id}/remove`, confirmLabel: t('admin.confirm.member.do'), cancelHref: base,
      }));
    }

    app.get('/admin/groups', { schema: { querystring: Type.Object({ org: Type.Optional(Type.String({ maxLength: 64 })), done: Type.Optional(Type.String({ maxLength: 20 })) }) } }, async (req, reply) => {
      const auth = authOf(req);
      return listPage(req, reply, auth, req.query.org || undefined, req.query.done === 'deleted' ? { notice: req.t('admin.group_deleted') } : {});
    });

    app.post('/admin/groups', { schema: { body: Type.Object({ org: Type.Optional(Type.String({ maxLength: 64 })), name: Type.String({ maxLength: 200 }), ...csrf }) } }, async (req, reply) => {
      const auth = authOf(req);
      const r = await attempt(() => createGroup(ctx, actorOf(req, auth), req.body.org, req.body.name));
      if (!r.ok) {
        rethrowForbidden(r.err);
        if (req.wantsJson()) return sendJsonError(req, reply, r.err);
        return listPage(req, reply, auth, undefined, { err: r.err, nameValue: req.body.name });
      }
      if (req.wantsJson()) return reply.code(201).send({ group: { id: r.value.id, name: r.value.name, organisationId: r.value.organisation_id } });
      return reply.redirect(`/admin/groups/${r.value.id}?done=created`, 303);
    });

    app.get('/admin/groups/:groupId', { schema: { params: GroupParams, querystring: Type.Object({ done: Type.Optional(Type.String({ maxLength: 20 })), member_q: Type.Optional(MemberQ) }) } }, async (req, reply) => {
      const auth = authOf(req);
      return groupPage(req, reply, auth, req.params.groupId, { ...(req.query.done === 'created' ? { notice: req.t('admin.group_created') } : {}), memberQ: req.query.member_q });
    });

    app.post('/admin/groups/:groupId/rename', { schema: { params: GroupParams, body: NameBody } }, async (req, reply) => {
      const auth = authOf(req);
      const r = await attempt(() => renameGroup(ctx, actorOf(req, auth), req.params.groupId, req.body.name));
      return answer(req, reply, auth, req.params.groupId, r, req.body.name);
    });

    app.get('/admin/groups/:groupId/delete', { schema: { params: GroupParams } }, async (req, reply) => {
      const auth = authOf(req);
      if (req.wantsJson()) { await manageableGroup(ctx, auth.user, req.params.groupId); return sendJsonError(req, reply, new Refusal('admin.confirm_required')); }
      return confirmDelete(req, reply, auth, req.params.groupId);
    });

    app.post('/admin/groups/:groupId/delete', { schema: { params: GroupParams, body: Confirmed } }, async (req, reply) => {
      const auth = authOf(req);
      // Without confirm=yes nothing is deleted: the confirmation page again (JSON: 409).
      if (req.body.confirm !== 'yes') {
        await manageableGroup(ctx, auth.user, req.params.groupId);
        if (req.wantsJson()) return sendJsonError(req, reply, new Refusal('admin.confirm_required'));
        return confirmDelete(req, reply, auth, req.params.groupId);
      }
      await deleteGroup(ctx, actorOf(req, auth), req.params.groupId);
      if (req.wantsJson()) return reply.send({ status: 'ok' });
      return reply.redirect('/admin/groups?done=deleted', 303);
    });

    app.post('/admin/groups/:groupId/members', { schema: { params: GroupParams, body: Type.Object({ userId: Id, member_q: Type.Optional(MemberQ), ...csrf }) } }, async (req, reply) => {
      const auth = authOf(req);
      const r = await attempt(() => addMember(ctx, actorOf(req, auth), req.params.groupId, req.body.userId));
      // The search the admin added from stays on the page, so several users are added in a row.
      return answer(req, reply, auth, req.params.groupId, r, undefined, req.body.member_q);
    });

    // S13: which contracts the group may view (the rule and writes live in the portal service).
    app.post('/admin/groups/:groupId/contracts', { schema: { params: GroupParams, body: Type.Object({ numbers: Type.String({ maxLength: 4000 }), ...csrf }) } }, async (req, reply) => {
      const auth = authOf(req);
      const r = await attempt(() => grantGroupContracts(ctx, actorOf(req, auth), req.params.groupId, req.body.numbers));
      if (!r.ok) {
        rethrowForbidden(r.err);
        if (req.wantsJson()) return sendJsonError(req, reply, r.err);
        return groupPage(req, reply, auth, req.params.groupId, { err: r.err, numbersValue: req.body.numbers });
      }
      if (req.wantsJson()) return reply.send({ status: 'ok', granted: r.value });
      return groupPage(req, reply, auth, req.params.groupId, { notice: req.t('portal.admin.granted_n', { n: r.value }) });
    });

    app.post('/admin/groups/:groupId/contracts/:contractId/revoke', { schema: { params: Type.Object({ groupId: Id, contractId: Id }), body: Type.Object({ ...csrf }) } }, async (req, reply) => {
      const auth = authOf(req);
      const r = await attempt(() => revokeGroupContract(ctx, actorOf(req, auth), req.params.groupId, req.params.contractId));
      return answer(req, reply, auth, req.params.groupId, r);
    });

    app.get('/admin/groups/:groupId/members/:userId/remove', { schema: { params: Type.Object({ groupId: Id, userId: Id }) } }, async (req, reply) => {
      const auth = authOf(req);
      if (req.wantsJson()) { await manageableGroup(ctx, auth.user, req.params.groupId); return sendJsonError(req, reply, new Refusal('admin.confirm_required')); }
      return confirmRemove(req, reply, auth, req.params.groupId, req.params.userId);
    });

    app.post('/admin/groups/:groupId/members/:userId/remove', { schema: { params: Type.Object({ groupId: Id, userId: Id }), body: Confirmed } }, async (req, reply) => {
      const auth = authOf(req);
      if (req.body.confirm !== 'yes') {
        if (req.wantsJson()) { await manageableGroup(ctx, auth.user, req.params.groupId); return sendJsonError(req, reply, new Refusal('admin.confirm_required')); }
        return confirmRemove(req, reply, auth, req.params.groupId, req.params.userId);
      }
      const r = await attempt(() => removeMember(ctx, actorOf(req, auth), req.params.groupId, req.params.userId));
      return answer(req, reply, auth, req.params.groupId, r);
    });
  };
}
