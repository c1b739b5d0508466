// The session a request's cookie names, with its user and their organisation: one indexed row per
// table. Called by the web session plugin on every request through src/auth/service.ts, so the web
// layer reads no auth store itself.
import type { AppContext } from '../../context.ts';
import { findLiveSession, type SessionRow } from './store.ts';
import { findUserById, type UserRow } from '../users/store.ts';
import { findOrganisation, type Organisation } from '../tenancy/organisations.ts';

export interface ResolvedSession { session: SessionRow; user: UserRow; organisation: Organisation | undefined }

export async function resolveSession(ctx: AppContext, token: string): Promise<ResolvedSession | null> {
  const times = { idleMs: ctx.config.sessionIdleMs, absoluteMs: ctx.config.sessionAbsoluteMs };
  const session = await findLiveSession(ctx.db, token, times, ctx.now());
  if (!session) return null;
  const user = await findUserById(ctx.db, session.user_id);
  // A disabled user's sessions end on every node at once: the check is on each request (item 31),
  // as is the security epoch: a password, lock or 2-step change ends older sessions (item 38).
  if (!user || user.disabled_at !== null || user.security_epoch !== session.security_epoch) return null;
  return { session, user, organisation: await findOrganisation(ctx.db, user.organisation_id) };
}
