// Operators (issue 26 item 1), for operator admins: list, add (registration with the starting
// guide, through auth's front door), change a role. The same services as `bizportal operator …`.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { AppContext } from '../../context.ts';
import type { Lang, OperatorRole } from '../../db/schema.ts';
import { DomainError } from '../../errors.ts';
import { attempt } from '../../web/attempt.ts';
import { sendPage } from '../../web/render.ts';
import { addOperator, isOperatorRole, listOperators, providerOrganisation, setOperatorRole } from '../../auth/service.ts';
import { csrf, Id, operatorOf, sendJsonError, type Operator } from '../guard.ts';
import { OperatorsPage, type OperatorValues } from '../views/operators.tsx';

const Str = (max: number) => Type.String({ maxLength: max });
const AddBody = Type.Object({
  email: Str(254), name: Str(100), phone: Str(40), role: Str(20), loginId: Type.Optional(Str(254)), lang: Type.Optional(Str(5)), ...csrf,
});
const RoleBody = Type.Object({ role: Str(20), ...csrf });
const UserParams = Type.Object({ userId: Id });

function jsonOperator(u: Awaited<ReturnType<typeof listOperators>>[number]) {
  return {
    id: u.id, loginId: u.login_id, name: u.name, email: u.email, role: u.operator_role, disabled: u.disabled_at !== null,
    firstLoginDone: u.first_login_done, lastLoginAt: u.last_login_at,
  };
}

export function operatorAdminRoutes(ctx: AppContext): FastifyPluginAsyncTypebox {
  return async (app) => {
    async function page(req: FastifyRequest, reply: FastifyReply, op: Operator, extra: { notice?: string; err?: DomainError; values?: OperatorValues } = {}) {
      const org = await providerOrganisation(ctx.db);
      return sendPage(reply, OperatorsPage({
        ctx: req.pageCtx(), role: op.role, me: op.user.id, providerName: org?.name ?? '', operators: await listOperators(ctx.db),
        notice: extra.notice ?? null, error: extra.err && extra.err.code !== 'common.field_errors' ? { key: extra.err.code, params: extra.err.params } : null,
        errors: extra.err?.fields ?? {}, values: extra.values ?? {},
      }), extra.err?.status ?? 200);
    }

    app.get('/operator/operators', { schema: { querystring: Type.Object({ done: Type.Optional(Str(20)), lang: Type.Optional(Str(5)) }) } }, async (req, reply) => {
      const op = operatorOf(req);
      const done = req.query.done;
      return page(req, reply, op, done === 'added' ? { notice: req.t('console.ops.added') } : done === 'role' ? { notice: req.t('console.ops.role_saved') } : {});
    });
    app.get('/api/operator/operators', async (req, reply) => {
      operatorOf(req);
      return reply.send({ operators: (await listOperators(ctx.db)).map(jsonOperator) });
    });

    const add = async (req: FastifyRequest, reply: FastifyReply) => {
      const op = operatorOf(req);
      const b = req.body as { email: string; name: string; phone: string; role: string; loginId?: string; lang?: string };
      const json = req.url.startsWith('/api/');
      const r = await attempt(async () => {
        if (!isOperatorRole(b.role)) throw new DomainError('common.field_errors', {}, { role: [{ key: 'common.field_invalid' }] });
        const lang: Lang = b.lang === 'en' ? 'en' : 'ja';
        return addOperator(ctx, { email: b.email, name: b.name, phone: b.phone, role: b.role, lang, ...(b.loginId?.trim() ? { loginId: b.loginId } : {}) }, { userId: op.user.id, ip: req.ip });
      });
      if (!r.ok) {
        if (json) return sendJsonError(req, reply, r.err);
        const { email, name, phone, role, loginId, lang } = b;
        return page(req, reply, op, { err: r.err, values: { email, name, phone, role, lang, ...(loginId ? { loginId } : {}) } });
      }
      // The setup link is a credential: it goes by mail only (the CLI prints it, for an operator at the server).
      if (json) return reply.code(201).send({ operator: jsonOperator(r.value.user) });
      return reply.redirect('/operator/operators?done=added', 303);
    };
    app.post('/operator/operators', { schema: { body: AddBody } }, add);
    app.post('/api/operator/operators', { schema: { body: AddBody } }, add);

    const role = async (req: FastifyRequest, reply: FastifyReply) => {
      const op = operatorOf(req);
      const { userId } = req.params as { userId: string };
      const { role: wanted } = req.body as { role: string };
      const json = req.url.startsWith('/api/');
      const r = await attempt(async () => {
        if (userId === op.user.id) throw new DomainError('console.ops.self');
        const next: OperatorRole | null = wanted === 'none' ? null : isOperatorRole(wanted) ? wanted : (() => { throw new DomainError('common.field_errors', {}, { role: [{ key: 'common.field_invalid' }] }); })();
        return setOperatorRole(ctx, userId, next, { userId: op.user.id, ip: req.ip });
      });
      if (!r.ok) {
        if (r.err.code === 'common.not_found') throw r.err;
        if (json) return sendJsonError(req, reply, r.err);
        return page(req, reply, op, { err: r.err });
      }
      if (json) return reply.send({ operator: jsonOperator(r.value) });
      return reply.redirect('/operator/operators?done=role', 303);
    };
    app.post('/operator/operators/:userId/role', { schema: { params: UserParams, body: RoleBody } }, role);
    app.post('/api/operator/operators/:userId/role', { schema: { params: UserParams, body: RoleBody } }, role);
  };
}
