// Everything a signed-in page needs to know about its session, in ONE statement (issue 19: ≤ 3
// statements per page): the session row by its token hash, the user, their organisation, whether
// the current terms are accepted, the user's groups and a partner's child organisations. Built once
// per database handle and run with the token hash as its only parameter: on PostgreSQL it is a
// named statement, planned once per connection (src/db/statements.ts), which is what the wide join
// tried before lacked (docs/performance.md). The session rules are applied by the caller (store.ts).
import { createQueryId, sql, type CompiledQuery } from 'kysely';
import type { Db } from '../../db/index.ts';
import type { OrgKind, SessionTable } from '../../db/schema.ts';
import { joinedIds, splitIds } from '../../db/dialect.ts';
import type { UserRow } from '../users/store.ts';
import { TOTP_COLUMNS } from '../factors/rows.ts';

/** Every session column, spelt out because they come prefixed (the user row has id, created_at …). */
const SESSION_COLUMNS = Object.keys({
  id: 0, user_id: 0, aal: 0, skip_reason: 0, created_at: 0, last_seen_at: 0, idle_expires_at: 0, expires_at: 0,
  ip: 0, user_agent: 0, revoked_at: 0, security_epoch: 0, factor: 0,
} satisfies Record<keyof SessionTable, 0>) as (keyof SessionTable)[];
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

const compiled = new WeakMap<Db, CompiledQuery<FlatRow>>();

function pageRowQuery(db: Db): CompiledQuery<FlatRow> {
  let q = compiled.get(db);
  if (q) return q;
  q = db.selectFrom('session').innerJoin('app_user', 'app_user.id', 'session.user_id')
    .leftJoin('organisation', 'organisation.id', 'app_user.organisation_id')
    .select(SESSION_COLUMNS.map((c) => sql.ref(`session.${c}`).as(PREFIX + c)))
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
    .where('session.id', '=', '')
    .compile() as CompiledQuery<FlatRow>;
  if (q.parameters.length !== 1) throw new Error('session page row: expected exactly one parameter');
  compiled.set(db, q);
  return q;
}

/** The page row of a session by its token hash, rules not yet applied; undefined when unknown. */
export async function findPageRow(db: Db, tokenHash: string): Promise<PageRow | undefined> {
  const result = await db.executeQuery<FlatRow>({ ...pageRowQuery(db), queryId: createQueryId(), parameters: [tokenHash] });
  const flat = result.rows[0];
  if (!flat) return undefined;
  const session = {} as Record<string, unknown>;
  for (const c of SESSION_COLUMNS) { session[c] = flat[PREFIX + c]; delete flat[PREFIX + c]; }
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
