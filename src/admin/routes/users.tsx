// User list/search, registration, and the user page (S1, S13). TypeBox in → service → page or JSON.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { AppContext } from '../../context.ts';
import type { DomainError, FieldErrors } from '../../errors.ts';
import { sendPage } from '../../web/render.ts';
import type { AuthState } from '../../auth/index.ts';
import { attempt } from '../../web/attempt.ts';
import { actorOf, csrf, Id, PageParam, rethrowForbidden, sendJsonError } from '../guard.ts';
import { listUsers, manageableOrgs, orgScope } from '../../auth/service.ts';
import { createUserInGroups } from '../users-service.ts';
import { listGroups } from '../../portal/groups/service.ts';
import { overviewJson, userJson, userOverview } from '../overview.ts';
import { AdminNewUserPage, AdminUsersPage, type NewUserValues } from '../views/users.tsx';
import { AdminUserPage } from '../views/user.tsx';
import { authOf } from '../../auth/index.ts';

export const UserParams = Type.Object({ userId: Id });
const Role = Type.Union([Type.Literal('general'), Type.Literal('admin')]);
const Lang = Type.Union([Type.Literal('ja'), Type.Literal('en')]);
const CreateBody = Type.Object({
  org: Type.Optional(Type.String({ maxLength: 64 })),
  loginId: Type.Optional(Type.String({ maxLength: 254 })),
  email: Type.String({ maxLength: 254 }),
  name: Type.String({ maxLength: 200 }),
  phone: Type.String({ maxLength: 40 }),
  role: Role,
  lang: Type.Optional(Lang),
  // A form posts one checkbox as a string and several as an array; JSON clients send an array.
  groups: Type.Optional(Type.Union([Id, Type.Array(Id, { maxItems: 200 })])),
  ...csrf,
});

const lit = <T extends string>(values: readonly T[]) => Type.Union(values.map((v) => Type.Literal(v)));
/**
 * The list's query, whitelisted (issue 20 item 5): any other sort, state, method or direction is
 * a 400 from the schema (page or JSON, errors.ts), before a query runs.
 */
export const UserListQuery = Type.Object({
  q: Type.Optional(Type.String({ maxLength: 200 })),
  org: Type.Optional(Type.String({ maxLength: 64 })),
  role: Type.Optional(lit(['', 'admin', 'general'])),
  state: Type.Optional(lit(['', 'active', 'waiting', 'locked', 'disabled'])),
  method: Type.Optional(lit(['', 'totp', 'mail_otp', 'none'])),
  guide: Type.Optional(lit(['', 'expiring'])),
  sort: Type.Optional(lit(['', 'name', 'login_id', 'last_login', 'created'])),
  dir: Type.Optional(lit(['', 'asc', 'desc'])),
  page: Type.Optional(PageParam),
});

export interface UserPageExtra { notice?: string; err?: DomainError; contactValues?: { email: string; name: string; phone: string } }

/** The user page (or its JSON) after a GET or a change; a refused change shows its error in place. */
export async function renderUserPage(ctx: AppContext, req: FastifyRequest, reply: FastifyReply, auth: AuthState, userId: string, extra: UserPageExtra = {}) {
  const o = await userOverview(ctx, auth.user, userId);
  if (req.wantsJson()) return reply.send(overviewJson(o));
  const err = extra.err;
  return sendPage(reply, AdminUserPage({
    ctx: req.pageCtx(), o, self: o.user.id === auth.user.id, notice: extra.notice ?? null,
    error: err ? { key: err.code, params: err.params } : null, fieldErrors: err?.fields ?? {},
    ...(extra.contactValues ? { contactValues: extra.contactValues } : {}),
  }), err?.status ?? 200);
}

export function userRoutes(ctx: AppContext): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get('/admin/users', { schema: { querystring: UserListQuery } }, async (req, reply) => {
      const auth = authOf(req);
      const qs = req.query;
      // Empty values come from the form's «all» choices: the same as leaving the filter out.
      const filter = {
        q: qs.q || undefined, org: qs.org || undefined, role: qs.role || undefined, state: qs.state || undefined, method: qs.method || undefined,
        guide: qs.guide || undefined, sort: qs.sort || undefined, dir: qs.dir || undefined,
      };
      const page = Math.max(1, Number(qs.page ?? 1) || 1);
      const list = await listUsers(ctx, auth.user, {
        q: filter.q, orgId: filter.org, role: filter.role, state: filter.state, method: filter.method, guideExpiring: filter.guide === 'expiring',
        sort: filter.sort, dir: filter.dir, page,
      });
      if (req.wantsJson()) {
        return reply.send({
          users: list.users.map((u) => ({ ...userJson(u), state: u.state, lockedUntil: u.locked_until })),
          total: list.total, page: list.page, pageSize: list.pageSize, pages: list.pages, hasNext: list.page < list.pages,
        });
      }
      return sendPage(reply, AdminUsersPage({ ctx: req.pageCtx(), list, orgs: await manageableOrgs(ctx, auth.user), filter }));
    });

    async function newUserPage(req: FastifyRequest, reply: FastifyReply, auth: AuthState, values: NewUserValues, err?: DomainError) {
      const orgs = await manageableOrgs(ctx, auth.user);
      const groups = await listGroups(ctx, auth.user);
      const fieldErrors: FieldErrors = err?.fields ?? {};
      return sendPage(reply, AdminNewUserPage({ ctx: req.pageCtx(), orgs, groups, values, error: err ? { key: err.code, params: err.params } : null, fieldErrors }), err?.status ?? 200);
    }

    app.get('/admin/users/new', { schema: { querystring: Type.Object({ org: Type.Optional(Type.String({ maxLength: 64 })) }) } }, async (req, reply) => {
      const auth = authOf(req);
      const org = req.query.org;
      await orgScope(ctx, auth.user, org); // a foreign organisation: 403, like every other admin route
      if (req.wantsJson()) return reply.send({ organisations: await manageableOrgs(ctx, auth.user), groups: (await listGroups(ctx, auth.user)).map((g) => ({ id: g.id, name: g.name, organisationId: g.organisation_id })) });
      return newUserPage(req, reply, auth, org ? { org } : {});
    });

    app.post('/admin/users', { schema: { body: CreateBody } }, async (req, reply) => {
      const auth = authOf(req);
      const b = req.body;
      const groupIds = b.groups === undefined ? [] : Array.isArray(b.groups) ? b.groups : [b.groups];
      const r = await attempt(() => createUserInGroups(ctx, actorOf(req, auth), {
        orgId: b.org, loginId: b.loginId, email: b.email, name: b.name, phone: b.phone, role: b.role, lang: b.lang ?? req.lang, groupIds,
      }));
      if (!r.ok) {
        rethrowForbidden(r.err);
        if (req.wantsJson()) return sendJsonError(req, reply, r.err);
        const values: NewUserValues = { loginId: b.loginId ?? '', email: b.email, name: b.name, phone: b.phone, role: b.role, groups: groupIds, ...(b.org ? { org: b.org } : {}), ...(b.lang ? { lang: b.lang } : {}) };
        return newUserPage(req, reply, auth, values, r.err);
      }
      if (req.wantsJson()) return reply.code(201).send({ user: userJson(r.value) });
      // Post/redirect/get: reloading the result page does not register the user twice.
      return reply.redirect(`/admin/users/${r.value.id}?done=created`, 303);
    });

    app.get('/admin/users/:userId', {
      schema: { params: UserParams, querystring: Type.Object({ done: Type.Optional(Type.String({ maxLength: 20 })) }) },
    }, async (req, reply) => {
      const auth = authOf(req);
      return renderUserPage(ctx, req, reply, auth, req.params.userId, req.query.done === 'created' ? { notice: req.t('admin.created') } : {});
    });
  };
}
