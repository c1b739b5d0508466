// Users: Kysely only; every function takes (db, …, now).
import { sql, type ExpressionBuilder } from 'kysely';
import type { Db } from '../../db/index.ts';
import { precompiled } from '../../db/precompiled.ts';
import type { Database, Lang, OperatorRole, Role, SecondFactor, UserTable } from '../../db/schema.ts';
import { newId } from '../crypto/tokens.ts';
import { canonicalLoginId } from '../identity/canonical.ts';
import { TOTP_COLUMNS, type TotpProjection } from '../factors/rows.ts';
import { ORG_COLUMNS_ALIASED, takeOrganisation, type Organisation } from '../tenancy/organisations.ts';

/**
 * A user as auth reads it: the app_user row plus its TOTP factor seen as the two fields the row
 * carried before migration 022 moved factors into their own table (src/auth/factors/rows.ts).
 */
export type UserRow = UserTable & TotpProjection;

export interface NewUser {
  organisationId: string; loginId: string; email: string; name: string; phone: string;
  role: Role; lang: Lang; origin?: 'portal' | 'legacy';
  /** Issue 26: only for a user of the provider organisation (src/auth/operators/service.ts checks). */
  operatorRole?: OperatorRole | null;
}

export async function insertUser(db: Db, u: NewUser, now: number): Promise<UserRow> {
  const row = newUserRow(u, now);
  await db.insertInto('app_user').values(row).execute();
  return { ...row, totp_secret_enc: null, totp_enrolled_at: null, passkeys_held: 0 };
}

/** The row insertUser writes; the legacy importer (src/migration) writes many in one statement. */
export function newUserRow(u: NewUser, now: number): UserTable {
  return {
    id: newId(),
    organisation_id: u.organisationId,
    login_id: u.loginId,
    login_id_canonical: canonicalLoginId(u.loginId),
    email: u.email,
    name: u.name,
    phone: u.phone,
    role: u.role,
    lang: u.lang,
    password_hash: null,
    password_set_at: null,
    // S3.3: a general user is set to TOTP automatically; an admin chooses at first login.
    second_factor: u.role === 'general' ? 'totp' : null,
    security_epoch: 0,
    disabled_at: null,
    last_login_at: null,
    origin: u.origin ?? 'portal',
    created_at: now,
    updated_at: now,
    operator_role: u.operatorRole ?? null,
  };
}

export async function findUserById(db: Db, id: string): Promise<UserRow | undefined> {
  return db.selectFrom('app_user').selectAll('app_user').select(TOTP_COLUMNS).where('id', '=', id).executeTakeFirst();
}

/**
 * The user a typed login ID names: by the canonical form (item 41: `TARO@example.com` and full-width
 * `ｔａｒｏ@example.com` are `taro@example.com`). One indexed query whatever the outcome. A legacy row
 * that clashed with an older one when migration 020 ran keeps a unique placeholder as its canonical
 * form (decision 020), so it is found by its exact ID only; the exact match wins a tie.
 */
export async function findUserByLoginId(db: Db, loginId: string): Promise<UserRow | undefined> {
  const exact = loginId.trim();
  return db.selectFrom('app_user').selectAll('app_user').select(TOTP_COLUMNS)
    .where(namesLoginId(canonicalLoginId(loginId), exact)).orderBy(exactIdFirst(exact))
    .limit(1).executeTakeFirst();
}

/** Item 41's match of a typed login ID: its canonical form, or the exact ID (a legacy placeholder row). */
function namesLoginId(canonical: string, exact: string) {
  return (eb: ExpressionBuilder<Database, 'app_user'>) => eb.or([eb('app_user.login_id_canonical', '=', canonical), eb('app_user.login_id', '=', exact)]);
}

/** Of two rows a typed ID names, the one it names exactly wins (decision 020). */
function exactIdFirst(exact: string) {
  return (eb: ExpressionBuilder<Database, 'app_user'>) => eb.case().when('app_user.login_id', '=', exact).then(0).else(1).end();
}

// Every login runs it: compiled once per handle (src/db/precompiled.ts).
const userForLogin = precompiled(2, (db, [canonical, exact]: readonly [string, string]) => db.selectFrom('app_user')
  .innerJoin('organisation', 'organisation.id', 'app_user.organisation_id')
  .selectAll('app_user').select(TOTP_COLUMNS).select(ORG_COLUMNS_ALIASED)
  .select(sql<number>`case when exists (select 1 from trusted_network tn where tn.organisation_id = app_user.organisation_id) then 1 else 0 end`.as('login__trusted_networks'))
  .where(namesLoginId(canonical, exact)).orderBy(exactIdFirst(exact))
  .limit(1));

/**
 * The login's one read of the person behind a typed login ID (issue 19): the user as
 * findUserByLoginId finds them, their organisation, and whether it has trusted networks at all (the
 * skip check then reads them; most organisations have none), in one statement.
 */
export async function findUserForLogin(db: Db, loginId: string): Promise<{ user: UserRow; org: Organisation; hasTrustedNetworks: boolean } | undefined> {
  const [row] = await userForLogin(db, canonicalLoginId(loginId), loginId.trim()) as Record<string, unknown>[];
  if (!row) return undefined;
  const org = takeOrganisation(row);
  const { login__trusted_networks: trusted, ...user } = row;
  return { user: user as unknown as UserRow, org: org!, hasTrustedNetworks: Number(trusted) === 1 };
}

/** Whether a login ID is taken in any organisation, compared by the canonical form (item 41). */
export async function loginIdTaken(db: Db, loginId: string): Promise<boolean> {
  return (await db.selectFrom('app_user').select('id')
    .where(namesLoginId(canonicalLoginId(loginId), loginId.trim()))
    .executeTakeFirst()) !== undefined;
}

/** Sets a new password hash. Callers bump the security epoch in the same transaction (item 38). */
export async function setPasswordHash(db: Db, userId: string, hash: string, now: number): Promise<void> {
  await db.updateTable('app_user').set({ password_hash: hash, password_set_at: now, updated_at: now }).where('id', '=', userId).execute();
}

/**
 * Issue 21: an imported user's legacy password, verified once at a legacy login, becomes their
 * password (argon2id). Guarded: only while they have none, so a first login that set one wins.
 */
export async function adoptLegacyPassword(db: Db, userId: string, hash: string, now: number): Promise<boolean> {
  const r = await db.updateTable('app_user').set({ password_hash: hash, password_set_at: now, updated_at: now })
    .where('id', '=', userId).where('password_hash', 'is', null).executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

/** Rehash on login when parameters changed (ASVS 11.4.2); guarded so a concurrent reset wins. */
export async function upgradePasswordHash(db: Db, userId: string, oldHash: string, newHash: string, now: number): Promise<void> {
  await db.updateTable('app_user').set({ password_hash: newHash, updated_at: now })
    .where('id', '=', userId).where('password_hash', '=', oldHash).execute();
}

/**
 * A login at `now`: last_login_at moves to it and the one it replaces becomes previous_login_at, so
 * the two newest logins are on the user row (the dashboard's previous login, S3.8, needs no query
 * of its own). One guarded statement: of two logins committed out of time order, the newer stays
 * last and the older becomes previous (SET expressions read the row as it was).
 */
export async function recordLogin(db: Db, userId: string, now: number): Promise<void> {
  const newest = sql<boolean>`(last_login_at is null or last_login_at <= ${now})`;
  await db.updateTable('app_user').set({
    previous_login_at: sql<number | null>`case when ${newest} then last_login_at
      when previous_login_at is null or previous_login_at < ${now} then ${now} else previous_login_at end`,
    last_login_at: sql<number>`case when ${newest} then ${now} else last_login_at end`,
  }).where('id', '=', userId).execute();
}

export async function setSecondFactor(db: Db, userId: string, factor: SecondFactor | null, now: number): Promise<void> {
  await db.updateTable('app_user').set({ second_factor: factor, updated_at: now }).where('id', '=', userId).execute();
}

export async function countUsers(db: Db): Promise<number> {
  const r = await db.selectFrom('app_user').select((e) => e.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(r.n);
}
