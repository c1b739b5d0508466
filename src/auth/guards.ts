// Declared guards (issue 13 §4; decision 041): a module states once what its routes require, and
// one hook enforces it, instead of each handler calling a check and remembering to stop when it
// answered. Weighed against better-auth's per-route middleware: a module-wide hook cannot be
// forgotten on a new route, and a route may still declare a stricter requirement in its config.
//
// Order: the hook is a preHandler, so it runs after the web plugin's CSRF check and the session
// plugin's lookup (both root preHandlers registered earlier), as the hand-called checks did.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../context.ts';
import type { OperatorRole, Role } from '../db/schema.ts';
import { DomainError, errorBodyOf } from '../errors.ts';
import { isSameOriginPath } from './flows/return-to.ts';
import { roleAtLeast } from './operators/service.ts';
import type { AuthState } from './session-plugin.ts';

/** What a route requires. Any requirement implies a live session. */
export interface Requirement {
  /** S6: the current terms accepted (portal pages); otherwise the user is sent to /terms. */
  portal?: boolean;
  role?: Role;
  /** SECURITY.md item 34 stance 3: a session whose second step was skipped is not aal2. */
  aal?: 'aal2';
  /**
   * Issue 26: an operator of at least this role (agent < service_manager < operator_admin), i.e. a
   * user of the provider organisation whose operator_role ranks so. Customers never pass.
   */
  operator?: OperatorRole;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** A route's own requirement, enforced by the module's guard hook (src/auth/guards.ts). */
    auth?: Requirement;
  }
}

export const requireSession: Requirement = Object.freeze({});
export const requirePortal: Requirement = Object.freeze({ portal: true });
/** A session of at least this assurance (aal2: both steps done, none skipped). */
export function requireAal(aal: 'aal2'): Requirement {
  return Object.freeze({ aal });
}

/** Administration: a portal session of an admin with a full 2-step session. */
export const requireAdmin: Requirement = Object.freeze({ portal: true, role: 'admin', aal: 'aal2' } as const);

/**
 * Adds the guard to a module's (encapsulated) plugin: every route it registers requires `base`
 * and, where a route declares one in `config: { auth }`, that requirement too. With a null base
 * only the routes that declare a requirement are guarded.
 */
export function guardRoutes(app: FastifyInstance, ctx: AppContext, base: Requirement | null): void {
  app.addHook('preHandler', async (req, reply) => {
    const own = req.routeOptions.config?.auth;
    if (!base && !own) return;
    const need: Requirement = { ...base, ...own, portal: Boolean(base?.portal || own?.portal) };
    const answered = await enforce(ctx, req, reply, need);
    if (answered) return reply;
  });
}

/**
 * The login page for a page that needs a session: a GET of a page other than the home page carries
 * it as return_to, so the login flow ends where the user was going (a bookmarked contract list, a
 * link in a notice mail). The flow validates it again; only a same-origin path is ever passed on.
 */
function loginUrlFor(req: FastifyRequest): string {
  if (req.method !== 'GET' || req.url === '/' || !isSameOriginPath(req.url)) return '/login';
  return `/login?return_to=${encodeURIComponent(req.url)}`;
}

/** Checks one requirement; true when it has answered (redirect, 401, 403 terms). Throws 403 on role or aal. */
async function enforce(ctx: AppContext, req: FastifyRequest, reply: FastifyReply, need: Requirement): Promise<boolean> {
  const auth = req.auth;
  if (!auth) {
    if (req.wantsJson()) void reply.code(401).send(errorBodyOf(req.t, 'auth.unauthenticated'));
    else void reply.redirect(loginUrlFor(req), 303);
    return true;
  }
  // Both read with the session (sessions/resolve.ts): no statement of their own (issue 19 §2).
  if (need.portal && !auth.termsAccepted) {
    if (req.wantsJson()) void reply.code(403).send(errorBodyOf(req.t, 'terms.must_accept'));
    else void reply.redirect('/terms', 303);
    return true;
  }
  if ((need.role && auth.user.role !== need.role) || (need.aal && auth.session.aal !== need.aal)) throw new DomainError('common.forbidden');
  if (need.operator && !(roleAtLeast(auth.user.operator_role, need.operator) && auth.organisationKind === 'provider')) {
    throw new DomainError('common.forbidden');
  }
  return false;
}

/** The session a guarded route runs with. Outside a guarded plugin it is a programming error. */
export function authOf(req: FastifyRequest): AuthState {
  if (!req.auth) throw new Error(`route ${req.routeOptions.url} reads the session without a guard`);
  return req.auth;
}
