// Organisations (S0): direct, partner (parent contract) and child (a partner's customer). Tenancy
// lives inside identity (decision 041): the portal and admin reach it through src/auth/service.ts.
import type { Db } from '../../db/index.ts';
import type { OrgKind, OrganisationTable } from '../../db/schema.ts';
import { newId } from '../../lib/index.ts';
import { prefixedColumns, takePrefixed } from '../../db/prefixed.ts';

export type Organisation = OrganisationTable;

// Every column, checked by the compiler (src/db/prefixed.ts).
const ORG_COLUMN_SET: Record<keyof OrganisationTable, true> = {
  id: true, name: true, kind: true, parent_id: true, profile: true, password_policy: true,
  trusted_browsers_enabled_at: true, mail_otp_disabled_at: true, created_at: true,
};
const ORG_PREFIX = 'org__';

/** The organisation's columns, for a query that reads an organisation with another row in one statement (issue 19). */
export const ORG_COLUMNS_ALIASED = prefixedColumns<OrganisationTable>('organisation', ORG_COLUMN_SET, ORG_PREFIX);

/** Takes the organisation out of a row that selected ORG_COLUMNS_ALIASED (undefined when the join found none). */
export function takeOrganisation(row: Record<string, unknown>): Organisation | undefined {
  const org = takePrefixed(row, ORG_PREFIX);
  return org.id === null || org.id === undefined ? undefined : org as unknown as Organisation;
}

export async function createOrganisation(db: Db, o: { name: string; kind: OrgKind; parentId?: string | null; profile?: string; passwordPolicy?: string | null }, now: number): Promise<Organisation> {
  const row: Organisation = {
    id: newId(),
    name: o.name,
    kind: o.kind,
    parent_id: o.parentId ?? null,
    profile: o.profile ?? (o.kind === 'child' ? 'partner-child' : 'business'),
    password_policy: o.passwordPolicy ?? null,
    trusted_browsers_enabled_at: null,
    mail_otp_disabled_at: null,
    created_at: now,
  };
  await db.insertInto('organisation').values(row).execute();
  return row;
}

/** Operator settings of an organisation (`org set`); only the given ones change. */
export async function updateOrganisationSettings(db: Db, id: string, s: { profile?: string; passwordPolicy?: string | null }): Promise<boolean> {
  const set: Partial<Pick<Organisation, 'profile' | 'password_policy'>> = {};
  if (s.profile !== undefined) set.profile = s.profile;
  if (s.passwordPolicy !== undefined) set.password_policy = s.passwordPolicy;
  const r = await db.updateTable('organisation').set(set).where('id', '=', id).executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function findOrganisation(db: Db, id: string): Promise<Organisation | undefined> {
  return db.selectFrom('organisation').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function listOrganisations(db: Db): Promise<Organisation[]> {
  return db.selectFrom('organisation').selectAll().orderBy('created_at').orderBy('id').execute();
}

export async function countOrganisations(db: Db): Promise<number> {
  const r = await db.selectFrom('organisation').select((e) => e.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(r.n);
}

/** Names of the given organisations by id (lists that show where a row belongs). */
export async function organisationNames(db: Db, ids: readonly string[]): Promise<Map<string, string>> {
  if (!ids.length) return new Map();
  const rows = await db.selectFrom('organisation').select(['id', 'name']).where('id', 'in', [...new Set(ids)]).execute();
  return new Map(rows.map((r) => [r.id, r.name]));
}
