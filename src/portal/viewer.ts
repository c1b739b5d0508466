// The portal's guard for the pages of orders, notices and tickets: a portal session (terms
// accepted, S6) and the viewer's contract scope (S8), resolved once per request.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../context.ts';
import { requirePortal, type AuthState } from '../web/session-plugin.ts';
import { contractScope, type ContractScope } from './access.ts';

export interface PortalViewer { auth: AuthState; scope: ContractScope }

export async function portalViewer(ctx: AppContext, req: FastifyRequest, reply: FastifyReply): Promise<PortalViewer | null> {
  const auth = await requirePortal(ctx, req, reply);
  if (!auth) return null;
  const scope = await contractScope(ctx.db, { userId: auth.user.id, organisationId: auth.user.organisation_id, role: auth.user.role });
  return { auth, scope };
}

/** A service or contract name in the viewer's language. */
export function nameIn(lang: 'ja' | 'en', ja: string, en: string): string {
  return lang === 'en' ? en : ja;
}
