// The session a request's cookie names, with its user, their organisation and whether they have
// accepted the current terms. Called by the web session plugin on every request through
// src/auth/service.ts, so the web layer reads no auth store itself. Two statements (issue 19 §2):
// the session row (built once per handle, store.ts), then one row for everything else — the
// terms gate and the operator check read what this brought instead of asking again.
import { sql } from 'kysely';
import type { AppContext } from '../../context.ts';
import type { OrgKind } from '../../db/schema.ts';
import { findLiveSession, type SessionRow } from './store.ts';
import type { UserRow } from '../users/store.ts';
import { TOTP_COLUMNS } from '../factors/rows.ts';

/** What a page needs of the user's organisation. */
export interface SessionOrganisation { id: string; name: string; kind: OrgKind; profile: string }
export interface ResolvedSession {
  session: SessionRow; user: UserRow; organisation: SessionOrganisation | undefined;
  /** S6: the newest published terms version accepted (true when none is published). */
  termsAccepted: boolean;
}

export async function resolveSession(ctx: AppContext, token: string): Promise<ResolvedSession | null> {
  const times = { idleMs: ctx.config.sessionIdleMs, absoluteMs: ctx.config.sessionAbsoluteMs };
  const session = await findLiveSession(ctx.db, token, times, ctx.now());
  if (!session) return null;
  const found = await ctx.db.selectFrom('app_user').leftJoin('organisation', 'organisation.id', 'app_user.organisation_id')
    .selectAll('app_user').select(TOTP_COLUMNS)
    .select(['organisation.name as session_org_name', 'organisation.kind as session_org_kind', 'organisation.profile as session_org_profile'])
    // The newest version (by number) accepted, or none published: one correlated probe each.
    .select(sql<number>`case when exists (select 1 from terms_acceptance ta where ta.user_id = app_user.id
      and ta.terms_version_id = (select tv.id from terms_version tv order by tv.version desc limit 1))
      or not exists (select 1 from terms_version) then 1 else 0 end`.as('session_terms_ok'))
    .where('app_user.id', '=', session.user_id)
    .executeTakeFirst();
  if (!found) return null;
  const { session_org_name: orgName, session_org_kind: orgKind, session_org_profile: orgProfile, session_terms_ok: termsOk, ...user } = found;
  // A disabled user's sessions end on every node at once: the check is on each request (item 31),
  // as is the security epoch: a password, lock or 2-step change ends older sessions (item 38).
  if (user.disabled_at !== null || user.security_epoch !== session.security_epoch) return null;
  const organisation = orgName !== null && orgKind !== null && orgProfile !== null
    ? { id: user.organisation_id, name: orgName, kind: orgKind, profile: orgProfile } : undefined;
  return { session, user: user as UserRow, organisation, termsAccepted: Number(termsOk) === 1 };
}
