// Loads the session of the request's cookie with its user and what pages need of them, in one
// statement (src/auth/sessions/page-row.ts). Part of auth's front door (src/auth/index.ts),
// registered by the app for every route; the declared guards (guards.ts) turn "no session" into a
// redirect to the login page (pages) or 401 (API).
import fp from 'fastify-plugin';
import type { FastifyRequest } from 'fastify';
import type { AppContext } from '../context.ts';
import { resolveSession } from './sessions/resolve.ts';
import type { SessionRow } from './sessions/store.ts';
import { toPublicUser, type PublicUser } from './public-user.ts';
import type { UserRow } from './users/store.ts';
import type { OrgKind } from '../db/schema.ts';
import { cookieNames } from '../web/cookies.ts';

/** The signed-in session as every module sees it: the user is a PublicUser, never the row. */
export interface AuthState {
  session: SessionRow; user: PublicUser; sessionToken: string;
  /** Read with the user (resolve.ts): the guards decide from these without asking the database again. */
  termsAccepted: boolean; organisationKind: OrgKind | null;
  /** Read with the session too, for the portal's contract scope (S8): the user's groups of their own organisation. */
  groupIds: readonly string[];
  /** The user's organisation and, for a partner, its children (what an admin sees, S0, S13); [] without one. */
  organisationFamily: readonly string[];
  /** S3.8: the newest login other than this session's (the dashboard); null before a second login. */
  previousLoginAt: number | null;
}

/**
 * The row behind req.auth.user, for auth's own routes (security settings need the password hash
 * and factors). Not exported through the front door; held per request, never on the request.
 */
const rows = new WeakMap<object, UserRow>();
export function sessionUserRow(req: FastifyRequest): UserRow {
  const row = rows.get(req);
  if (!row) throw new Error('no signed-in user on this request');
  return row;
}

declare module 'fastify' {
  interface FastifyRequest { auth: AuthState | null }
}

export const sessionPlugin = fp<{ ctx: AppContext }>(async (app, { ctx }) => {
  const names = cookieNames(ctx.config);
  app.decorateRequest('auth', null);
  app.addHook('preHandler', async (req) => {
    const token = req.cookies[names.session];
    if (!token || req.url.startsWith('/static/')) return;
    // Disabled users and older security epochs are refused inside (items 31, 38).
    const found = await resolveSession(ctx, token);
    if (!found) return;
    const { session, user, organisation: org, termsAccepted, groupIds, organisationFamily, previousLoginAt } = found;
    req.auth = {
      session, user: toPublicUser(user), sessionToken: token, termsAccepted, organisationKind: org?.kind ?? null,
      groupIds, organisationFamily, previousLoginAt,
    };
    rows.set(req, user);
    req.pageUser = { name: user.name, organisation: org?.name ?? '', isAdmin: user.role === 'admin' };
    // Every page of a signed-in user shows their organisation's profile (its name and wording).
    req.portalId = org?.profile ?? null;
  });
});
