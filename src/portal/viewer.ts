// The viewer of the pages of orders, notices and tickets: the portal session their plugins require
// (auth's declared requirePortal guard, S6) and the viewer's contract scope (S8), built from what the
// session read with the user (groups, organisation family): no query of its own (issue 19).
import type { FastifyRequest } from 'fastify';
import type { AuthState } from '../auth/index.ts';
import { authOf } from '../auth/index.ts';
import { scopeFrom, type ContractScope } from './access.ts';

export interface PortalViewer { auth: AuthState; scope: ContractScope }

/** The contract scope of a signed-in user, from their session. */
export function sessionScope(auth: AuthState): ContractScope {
  return scopeFrom({ userId: auth.user.id, organisationId: auth.user.organisation_id, role: auth.user.role }, auth);
}

/** The viewer of a guarded portal route (the plugin declares requirePortal, so the session is there). */
export function portalViewer(req: FastifyRequest): PortalViewer {
  const auth = authOf(req);
  return { auth, scope: sessionScope(auth) };
}

/** A service or contract name in the viewer's language. */
export function nameIn(lang: 'ja' | 'en', ja: string, en: string): string {
  return lang === 'en' ? en : ja;
}
