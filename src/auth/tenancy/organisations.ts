// Organisations (S0): direct, partner (parent contract) and child (a partner's customer). Tenancy
// lives inside identity (decision 041): the portal and admin reach it through src/auth/service.ts.
import { sql } from 'kysely';
import type { Db } from '../../db/index.ts';
import type { OrgKind, OrganisationTable } from '../../db/schema.ts';
import { newId } from '../../lib/index.ts';
import { prefixedColumns, takePrefixed } from '../../db/prefixed.ts';

export type Organisation = OrganisationTable;

// Every column, checked by the compiler (src/db/prefixed.ts).
const ORG_COLUMN_SET: Record<keyof OrganisationTable, true> = {
  id: true, name: true, kind: true, parent_id: true, profile: true, password_policy: true,
  trusted_browsers_enabled_at: true, mail_otp_disabled_at: true, created_at: true, first_factor: true,
  passkey_policy: true, passkey_signin_enabled_at: true, passkey_aaguids: true,
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
/** What `org set` may change (issue 20 item 9). Undefined: unchanged. */
export interface OrganisationChanges {
  name?: string;
  profile?: string;
  /** null: back to the profile's own policy. */
  passwordPolicy?: string | null;
  /** S3.7: trusted browsers allowed (SECURITY.md stance 3: off unless the organisation turns them on). */
  trustedBrowsers?: boolean;
  /** Stance 2: an organisation may refuse MailOTP. */
  mailOtp?: boolean;
  /** Issue 22: the first factor, a typed password or the matrix password (S12). */
  firstFactor?: 'password' | 'matrix';
  /** Issue 23: passkeys as a 2-step method ('on' / 'off'; null: the profile's default). */
  passkeys?: 'on' | 'off' | null;
  /** Issue 23: passwordless sign-in with a passkey (off by default). */
  passkeySignin?: boolean;
  /** Issue 23: the AAGUIDs a new passkey must have (comma-separated); null or '': any. */
  passkeyAaguids?: string | null;
}

/**
 * Applies the changes; returns false for an unknown id. A switch that is already in the asked state
 * keeps its timestamp (when it was turned on/off stays true).
 */
export async function updateOrganisationSettings(db: Db, id: string, s: OrganisationChanges, now = Date.now()): Promise<boolean> {
  const current = await findOrganisation(db, id);
  if (!current) return false;
  const set: Partial<Pick<Organisation, 'name' | 'profile' | 'password_policy' | 'trusted_browsers_enabled_at' | 'mail_otp_disabled_at' | 'first_factor' | 'passkey_policy' | 'passkey_signin_enabled_at' | 'passkey_aaguids'>> = {};
  if (s.name !== undefined) set.name = s.name;
  if (s.profile !== undefined) set.profile = s.profile;
  if (s.passwordPolicy !== undefined) set.password_policy = s.passwordPolicy;
  if (s.trustedBrowsers !== undefined && s.trustedBrowsers !== (current.trusted_browsers_enabled_at !== null)) set.trusted_browsers_enabled_at = s.trustedBrowsers ? now : null;
  if (s.mailOtp !== undefined && s.mailOtp !== (current.mail_otp_disabled_at === null)) set.mail_otp_disabled_at = s.mailOtp ? null : now;
  if (s.firstFactor !== undefined) set.first_factor = s.firstFactor === 'matrix' ? 'matrix' : null;
  if (s.passkeys !== undefined) set.passkey_policy = s.passkeys;
  if (s.passkeySignin !== undefined && s.passkeySignin !== ((current.passkey_signin_enabled_at ?? null) !== null)) set.passkey_signin_enabled_at = s.passkeySignin ? now : null;
  if (s.passkeyAaguids !== undefined) set.passkey_aaguids = s.passkeyAaguids?.trim() ? s.passkeyAaguids.trim().toLowerCase() : null;
  if (Object.keys(set).length === 0) return true;
  await db.updateTable('organisation').set(set).where('id', '=', id).execute();
  return true;
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

/**
 * What the login page offers beside the password, in one statement (the login's statement budget,
 * docs/performance.md): the matrix login's link when an organisation uses the matrix password
 * (issue 22), the passkey sign-in when an organisation turned it on (issue 23). Not cached per
 * node: `org set` on another node shows on the next page.
 */
export async function loginPageOffers(db: Db): Promise<{ matrix: boolean; passkeySignin: boolean }> {
  const r = await sql<{ matrix: unknown; passkey: unknown }>`select
    exists (select 1 from organisation where first_factor = 'matrix') as matrix,
    exists (select 1 from organisation where passkey_signin_enabled_at is not null) as passkey`.execute(db);
  const row = r.rows[0];
  const yes = (v: unknown) => v === true || Number(v) === 1;
  return { matrix: yes(row?.matrix), passkeySignin: yes(row?.passkey) };
}
