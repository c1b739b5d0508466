// The session a request's cookie names, with its user, their organisation, whether they have
// accepted the current terms, their groups and their previous login. Called by the web session
// plugin on every request through src/auth/service.ts, so the web layer reads no auth store itself.
// One statement (issue 19: ≤ 3 per page; page-row.ts): the terms gate, the operator check, the
// portal's contract scope and the dashboard read what this brought instead of asking again.
import type { AppContext } from '../../context.ts';
import { findLivePageRow, type SessionRow } from './store.ts';
import type { PageOrganisation } from './page-row.ts';
import type { UserRow } from '../users/store.ts';

/** What a page needs of the user's organisation. */
export type SessionOrganisation = PageOrganisation;
export interface ResolvedSession {
  session: SessionRow; user: UserRow; organisation: SessionOrganisation | undefined;
  /** S6: the newest published terms version accepted (true when none is published). */
  termsAccepted: boolean;
  /** The user's groups of their own organisation (S8). */
  groupIds: string[];
  /** The organisation and, for a partner, its children (tenancy's organisationFamily). */
  organisationFamily: string[];
  /** S3.8: the newest login other than this session's; null before a second login. */
  previousLoginAt: number | null;
}

export async function resolveSession(ctx: AppContext, token: string): Promise<ResolvedSession | null> {
  const times = { idleMs: ctx.config.sessionIdleMs, absoluteMs: ctx.config.sessionAbsoluteMs };
  const found = await findLivePageRow(ctx.db, token, times, ctx.now());
  if (!found) return null;
  const { session, user } = found;
  // A disabled user's sessions end on every node at once: the check is on each request (item 31),
  // as is the security epoch: a password, lock or 2-step change ends older sessions (item 38).
  if (user.disabled_at !== null || user.security_epoch !== session.security_epoch) return null;
  return { ...found, previousLoginAt: previousLogin(user, session) };
}

/**
 * The newest login other than this session's own. A session is made by a login and recordLogin
 * writes the same time (src/auth/login/service.ts issueSession), so when last_login_at is this
 * session's the previous one is the login before it; otherwise another login came after this one.
 */
function previousLogin(user: UserRow, session: SessionRow): number | null {
  if (user.last_login_at !== null && user.last_login_at !== session.created_at) return user.last_login_at;
  return user.previous_login_at ?? null;
}
