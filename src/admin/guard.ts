// What every admin route shares: the actor, ids, and the JSON form of an error. The guard itself is
// declared once for the whole admin plugin (src/admin/routes.tsx, auth's requireAdmin).
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from '@sinclair/typebox';
import { DomainError, errorBody } from '../errors.ts';
import type { AuthState } from '../auth/index.ts';
import type { AdminActor } from '../auth/service.ts';

export const csrf = { _csrf: Type.Optional(Type.String({ maxLength: 128 })) };
/** App-generated ids; longer input is refused by the schema before any lookup. */
export const Id = Type.String({ minLength: 1, maxLength: 64 });
export const PageParam = Type.String({ pattern: '^[0-9]{1,5}$' });

/** S13: who (the admin), from where (the client address, via trusted proxies only: item 23). */
export function actorOf(req: FastifyRequest, auth: AuthState): AdminActor {
  return { user: auth.user, ip: req.ip, sessionId: auth.session.id };
}

/** A refused change as JSON in the one error shape (errors.ts errorBody): code, message, each field's messages. */
export function sendJsonError(req: FastifyRequest, reply: FastifyReply, err: DomainError): FastifyReply {
  return reply.code(err.status).send(errorBody(req.t, err));
}

/** Authorisation errors are never turned into a form message: the error handler answers 403/404 as-is. */
export function rethrowForbidden(err: DomainError | undefined): void {
  if (err?.code === 'common.forbidden' || err?.code === 'admin.user_not_found') throw err;
}
