// Everything a signed-in page needs to know about its session, in ONE statement (issue 19: ≤ 3
// statements per page): the session row by its token hash, the user, their organisation, whether
// the current terms are accepted, the user's groups and a partner's child organisations. Built once
// per database handle (src/db/precompiled.ts) and run with the token hash as its only parameter: on
// PostgreSQL it is a named statement, planned once per connection (src/db/statements.ts), which is
// what the wide join tried before lacked (docs/performance.md). The session rules are applied by the caller (store.ts).
import { sql } from 'kysely';
import type { Db } from '../../db/index.ts';
import { precompiled } from '../../db/precompiled.ts';
import { prefixedColumns, takePrefixed } from '../../db/prefixed.ts';
import type { OrgKind, SessionTable } from '../../db/schema.ts';
import { joinedIds, splitIds } from '../../db/dialect.ts';
import type { UserRow } from '../users/store.ts';
import { TOTP_COLUMNS } from '../factors/rows.ts';

/** Every session column (src/db/prefixed.ts): they come prefixed, as the user row has id, created_at … */
const SESSION_COLUMN_SET: Record<keyof SessionTable, true> = {
  id: true, user_id: true, aal: true, skip_reason: true, created_at: true, last_seen_at: true, idle_expires_at: true, expires_at: true,
  ip: true, user_agent: true, revoked_at: true, security_epoch: true, factor: true, amr: true,
};
const PREFIX = 'session__';

export interface PageOrganisation { id: string; name: string; kind: OrgKind; profile: string }
export interface PageRow {
  session: SessionTable; user: UserRow; organisation: PageOrganisation | undefined;
  /** S6: the newest published terms version accepted (true when none is published). */
  termsAccepted: boolean;
  /** The user's groups of their own organisation (S8: what a general user may see comes through them). */
  groupIds: string[];
  /** The organisation and, for a partner, its children by name (tenancy's organisationFamily); [] without one. */
  organisationFamily: string[];
}

interface Extras {
  page_org_name: string | null; page_org_kind: OrgKind | null; page_org_profile: string | null;
  page_terms_ok: number | string; page_group_ids: string | null; page_child_org_ids: string | null;
}
type FlatRow = UserRow & Extras & Record<string, unknown>;

const pageRowQuery = precompiled(1, (db, [tokenHash]: readonly [string]) => db.selectFrom('session')
  .innerJoin('app_user', 'app_user.id', 'session.user_id')
  .leftJoin('organisation', 'organisation.id', 'app_user.organisation_id')
  .select(prefixedColumns<SessionTable>('session', SESSION_COLUMN_SET, PREFIX))
  .selectAll('app_user').select(TOTP_COLUMNS)
  .select(['organisation.name as page_org_name', 'organisation.kind as page_org_kind', 'organisation.profile as page_org_profile'])
  // The newest version (by number) accepted, or none published: one correlated probe each.
  .select(sql<number>`case when exists (select 1 from terms_acceptance ta where ta.user_id = app_user.id
    and ta.terms_version_id = (select tv.id from terms_version tv order by tv.version desc limit 1))
    or not exists (select 1 from terms_version) then 1 else 0 end`.as('page_terms_ok'))
  // Groups of another organisation give nothing (access.ts); the index of migration 032 serves this.
  .select((eb) => eb.selectFrom('user_group_member as m').innerJoin('user_group as g', 'g.id', 'm.group_id')
    .select(joinedIds(db, 'm.group_id', 'm.group_id').as('ids'))
    .whereRef('m.user_id', '=', 'app_user.id').whereRef('g.organisation_id', '=', 'app_user.organisation_id')
    .as('page_group_ids'))
  .select((eb) => eb.selectFrom('organisation as child').select(joinedIds(db, 'child.id', 'child.name').as('ids'))
    .whereRef('child.parent_id', '=', 'organisation.id').where(sql<boolean>`organisation.kind = 'partner'`)
    .as('page_child_org_ids'))
  .where('session.id', '=', tokenHash));

/** The page row of a session by its token hash, rules not yet applied; undefined when unknown. */
export async function findPageRow(db: Db, tokenHash: string): Promise<PageRow | undefined> {
  const [flat] = await pageRowQuery(db, tokenHash) as FlatRow[];
  if (!flat) return undefined;
  const session = takePrefixed(flat, PREFIX);
  const { page_org_name: name, page_org_kind: kind, page_org_profile: profile, page_terms_ok: termsOk,
    page_group_ids: groupIds, page_child_org_ids: childIds, ...user } = flat;
  const organisation = name !== null && kind !== null && profile !== null ? { id: user.organisation_id, name, kind, profile } : undefined;
  return {
    session: session as unknown as SessionTable, user: user as UserRow, organisation,
    termsAccepted: Number(termsOk) === 1,
    groupIds: splitIds(groupIds),
    organisationFamily: organisation ? [organisation.id, ...splitIds(childIds)] : [],
  };
}
