// What every admin route shares: the actor, ids, and the JSON form of an error. The guard itself is
// declared once for the whole admin plugin (src/admin/routes.tsx, auth's requireAdmin).
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from '@sinclair/typebox';
import { DomainError } from '../errors.ts';
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

/** A refused change as JSON: code, message, and each field's messages in the user's language. */
export function sendJsonError(req: FastifyRequest, reply: FastifyReply, err: DomainError): FastifyReply {
  const fields = Object.fromEntries(Object.entries(err.fields).map(([k, v]) => [k, v.map((e) => req.t(e.key, e.params))]));
  return reply.code(err.status).send({ error: err.code, message: req.t(err.code, err.params), ...(Object.keys(fields).length ? { fields } : {}) });
}

/** Authorisation errors are never turned into a form message: the error handler answers 403/404 as-is. */
export function rethrowForbidden(err: DomainError | undefined): void {
  if (err?.code === 'common.forbidden' || err?.code === 'admin.user_not_found') throw err;
}
