// The provider's console guard (issue 26): a full 2-step session (aal2: a session whose second step
// was skipped by a trusted network or browser is refused, as for portal admins, SECURITY.md item 34)
// of a user of the provider organisation whose operator role is at least the route's minimum.
// Declared, not called: route-list.ts puts requireOperator(route.minRole) on every operator route,
// and auth's guard hook enforces it (src/auth/guards.ts). Customers (admin or general, any other
// organisation) get 403 common.forbidden, as the admin guard answers a general user.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from '@sinclair/typebox';
import type { OperatorRole } from '../db/schema.ts';
import { DomainError, errorBody } from '../errors.ts';
import type { OperatorActor } from '../audit/log.ts';
import { authOf, type Requirement } from '../auth/index.ts';
import { roleAtLeast, type PublicUser } from '../auth/service.ts';

export function requireOperator(minRole: OperatorRole): Requirement {
  return Object.freeze({ aal: 'aal2', operator: minRole } as const);
}

/** The signed-in operator of a guarded console route. */
export interface Operator { user: PublicUser; role: OperatorRole; actor: OperatorActor }

export function operatorOf(req: FastifyRequest): Operator {
  const auth = authOf(req);
  const role = auth.user.operator_role;
  if (!role) throw new DomainError('common.forbidden'); // the guard let no one else in; never reached
  return { user: auth.user, role, actor: { userId: auth.user.id, ip: req.ip, sessionId: auth.session.id, organisationId: auth.user.organisation_id } };
}

/** Whether the operator may do what a role at least `min` may (hides buttons; the guard decides). */
export function may(op: Pick<Operator, 'role'>, min: OperatorRole): boolean {
  return roleAtLeast(op.role, min);
}

export const csrf = { _csrf: Type.Optional(Type.String({ maxLength: 128 })) };
/** App-generated ids; longer input is refused by the schema before any lookup. */
export const Id = Type.String({ minLength: 1, maxLength: 64 });
export const Page = Type.String({ pattern: '^[1-9][0-9]{0,4}$' });
export function pageOf(p: string | undefined): number { return p ? Number(p) : 1; }

/** A refused change as JSON in the one error shape. */
export function sendJsonError(req: FastifyRequest, reply: FastifyReply, err: DomainError): FastifyReply {
  return reply.code(err.status).send(errorBody(req.t, err));
}
