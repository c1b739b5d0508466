// The viewer of the pages of orders, notices and tickets: the portal session their plugins require
// (auth's declared requirePortal guard, S6) and the viewer's contract scope (S8), once per request.
import type { FastifyRequest } from 'fastify';
import type { AppContext } from '../context.ts';
import type { AuthState } from '../auth/index.ts';
import { authOf } from '../auth/index.ts';
import { contractScope, type ContractScope } from './access.ts';

export interface PortalViewer { auth: AuthState; scope: ContractScope }

/** The viewer of a guarded portal route (the plugin declares requirePortal, so the session is there). */
export async function portalViewer(ctx: AppContext, req: FastifyRequest): Promise<PortalViewer> {
  const auth = authOf(req);
  const scope = await contractScope(ctx.db, { userId: auth.user.id, organisationId: auth.user.organisation_id, role: auth.user.role });
  return { auth, scope };
}

/** A service or contract name in the viewer's language. */
export function nameIn(lang: 'ja' | 'en', ja: string, en: string): string {
  return lang === 'en' ? en : ja;
}
