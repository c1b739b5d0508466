// The admin user list that scales (issue 20 item 5) and the admin overview's counts (item 4).
// One count query and one page query: the state (active / waiting / locked / disabled) is computed
// in SQL, the live lockouts read from the throttle table by their keys (throttle/keys.ts: `pw:` +
// canonical login ID, `otp:` + user id), so no per-user lock lookup. With REDIS_URL the counters
// live in Redis, which SQL cannot read: the list then marks locks per listed user (one page), and
// the «locked» filter and count find none (docs/admin.md).
import { sql, type Expression, type ExpressionBuilder, type SqlBool } from 'kysely';
import type { AppContext } from '../../context.ts';
import type { Database } from '../../db/schema.ts';
import { TOTP_COLUMNS } from '../factors/rows.ts';
import { toPublicUser, type PublicUser } from '../public-user.ts';
import { orgScope, type AdminRef } from '../tenancy/admin-scope.ts';
import { likeContains, lockoutsOf, PAGE_SIZE } from './users.ts';

export const USER_SORTS = ['name', 'login_id', 'last_login', 'created'] as const;
export const USER_STATES = ['active', 'waiting', 'locked', 'disabled'] as const;
export const USER_METHODS = ['totp', 'mail_otp', 'none'] as const;
export type UserSort = (typeof USER_SORTS)[number];
export type ListedUserState = (typeof USER_STATES)[number];
export type UserMethodFilter = (typeof USER_METHODS)[number];

export interface UserListFilter {
  q?: string | undefined; orgId?: string | undefined; role?: 'admin' | 'general' | undefined;
  state?: ListedUserState | undefined; method?: UserMethodFilter | undefined;
  /** Only users whose starting-guide link expires within GUIDE_EXPIRY_WINDOW_MS (the overview's card). */
  guideExpiring?: boolean | undefined;
  sort?: UserSort | undefined; dir?: 'asc' | 'desc' | undefined; page: number;
}

export type StatedUser = PublicUser & { organisation_name: string; state: ListedUserState; locked_until: number | null };
export interface UserListPage { users: StatedUser[]; total: number; page: number; pageSize: number; pages: number }

/** «Links that expire soon» on the overview: a starting guide valid for less than this. */
export const GUIDE_EXPIRY_WINDOW_MS = 48 * 3_600_000;

type UserEb = ExpressionBuilder<Database, 'app_user'>;

/** Login ID, name or e-mail contains `q`, case-insensitive on both databases (lower() on both sides, no ILIKE). */
function textMatch(q: string) {
  const pattern = likeContains(q);
  return (eb: ExpressionBuilder<Database, 'app_user'>) => eb.or((['app_user.login_id', 'app_user.name', 'app_user.email'] as const)
    .map((col) => sql<SqlBool>`lower(${sql.ref(col)}) like lower(${pattern}) escape '!'`));
}

/** A listed user's state, in the order the list's filters decide it. */
export function userState(u: Pick<PublicUser, 'disabled_at' | 'first_login_done'>, lockedUntil: number | null): ListedUserState {
  return u.disabled_at !== null ? 'disabled' : lockedUntil ? 'locked' : !u.first_login_done ? 'waiting' : 'active';
}

/** The live lock end of the password counter (0 = none); the key is throttleKeys.password's. */
function pwLock(now: number) {
  return sql<number>`coalesce((select t.locked_until from throttle t where t.key = 'pw:' || substr(app_user.login_id_canonical, 1, 254) and t.locked_until > ${now}), 0)`;
}
function otpLock(now: number) {
  return sql<number>`coalesce((select t.locked_until from throttle t where t.key = 'otp:' || app_user.id and t.locked_until > ${now}), 0)`;
}
const totpEnrolled = sql<SqlBool>`exists (select 1 from factor f where f.user_id = app_user.id and f.kind = 'totp')`;

function stateWhere(eb: UserEb, state: ListedUserState, now: number, sqlLocks: boolean): Expression<SqlBool> {
  const locked = sqlLocks ? sql<SqlBool>`(${pwLock(now)} > 0 or ${otpLock(now)} > 0)` : sql<SqlBool>`1 = 0`;
  const notLocked = sqlLocks ? sql<SqlBool>`not ${locked}` : sql<SqlBool>`1 = 1`;
  if (state === 'disabled') return eb('app_user.disabled_at', 'is not', null);
  const enabled = eb('app_user.disabled_at', 'is', null);
  if (state === 'locked') return eb.and([enabled, locked]);
  if (state === 'waiting') return eb.and([enabled, notLocked, eb('app_user.password_hash', 'is', null)]);
  return eb.and([enabled, notLocked, eb('app_user.password_hash', 'is not', null)]);
}

function methodWhere(eb: UserEb, method: UserMethodFilter): Expression<SqlBool> {
  if (method === 'mail_otp') return eb('app_user.second_factor', '=', 'mail_otp');
  if (method === 'totp') return eb.and([eb('app_user.second_factor', '=', 'totp'), totpEnrolled]);
  // «none»: no second step the user can use yet (no method, or TOTP assigned but not enrolled).
  return eb.or([eb('app_user.second_factor', 'is', null), eb.and([eb('app_user.second_factor', '=', 'totp'), sql<SqlBool>`not ${totpEnrolled}`])]);
}

function guideExpiringWhere(now: number) {
  return sql<SqlBool>`exists (select 1 from link_token l where l.user_id = app_user.id and l.purpose = 'setup' and l.used_at is null
    and l.superseded_at is null and l.expires_at > ${now} and l.expires_at <= ${now + GUIDE_EXPIRY_WINDOW_MS})`;
}

/** The list's base query: the organisations in scope and every filter, shared by the count and the page. */
function filtered(ctx: AppContext, ids: string[], f: UserListFilter, now: number, sqlLocks: boolean) {
  let query = ctx.db.selectFrom('app_user').innerJoin('organisation', 'organisation.id', 'app_user.organisation_id')
    .where('app_user.organisation_id', 'in', ids);
  const q = f.q?.trim();
  if (q) query = query.where((eb) => textMatch(q)(eb as unknown as UserEb));
  if (f.role) query = query.where('app_user.role', '=', f.role);
  const state = f.state;
  if (state) query = query.where((eb) => stateWhere(eb as unknown as UserEb, state, now, sqlLocks));
  const method = f.method;
  if (method) query = query.where((eb) => methodWhere(eb as unknown as UserEb, method));
  if (f.guideExpiring) query = query.where(guideExpiringWhere(now));
  return query;
}

const SORT_COLUMNS = {
  name: sql`app_user.name`, login_id: sql`app_user.login_id`,
  // Never logged in sorts as the oldest on both databases (NULL order differs between them).
  last_login: sql`coalesce(app_user.last_login_at, 0)`, created: sql`app_user.created_at`,
} as const;

/**
 * S13 user list: search, filters, sort and page in the organisations this admin manages (a named
 * foreign organisation: 403 from orgScope). Returns the page and the total the filters match.
 */
export async function listUsers(ctx: AppContext, admin: AdminRef, f: UserListFilter): Promise<UserListPage> {
  const ids = await orgScope(ctx, admin, f.orgId);
  const now = ctx.now();
  const sqlLocks = !ctx.config.redisUrl; // the throttle is wrapped (metrics): ask the config where counters live
  const empty = { users: [], total: 0, page: f.page, pageSize: PAGE_SIZE, pages: 1 };
  if (!ids.length) return empty;
  const countRow = await filtered(ctx, ids, f, now, sqlLocks).select((eb) => eb.fn.countAll<number | string>().as('n')).executeTakeFirst();
  const total = Number(countRow?.n ?? 0);
  const dir = f.dir === 'desc' ? sql`desc` : sql`asc`;
  const rows = await filtered(ctx, ids, f, now, sqlLocks)
    .selectAll('app_user').select(TOTP_COLUMNS).select('organisation.name as organisation_name')
    .select([pwLock(now).as('pw_locked_until'), otpLock(now).as('otp_locked_until')])
    .orderBy(sql`${SORT_COLUMNS[f.sort ?? 'login_id']} ${dir}`).orderBy('app_user.id')
    .limit(PAGE_SIZE).offset((f.page - 1) * PAGE_SIZE).execute();
  const users: StatedUser[] = [];
  for (const r of rows) {
    let lockedUntil = Math.max(Number(r.pw_locked_until), Number(r.otp_locked_until)) || null;
    if (!sqlLocks) { const l = await lockoutsOf(ctx, r); lockedUntil = Math.max(l.passwordUntil, l.otpUntil) || null; }
    const u = toPublicUser(r);
    users.push({ ...u, organisation_name: r.organisation_name, state: userState(u, lockedUntil), locked_until: lockedUntil });
  }
  return { users, total, page: f.page, pageSize: PAGE_SIZE, pages: Math.max(1, Math.ceil(total / PAGE_SIZE)) };
}

export interface AdminOverviewCounts { waiting: number; locked: number; failedLogins24h: number; guidesExpiring: number }

/** Issue 20 item 4: what needs an admin's eye, in the organisations they manage (or one of them). */
export async function adminOverviewCounts(ctx: AppContext, admin: AdminRef, orgId?: string): Promise<AdminOverviewCounts> {
  const ids = await orgScope(ctx, admin, orgId);
  if (!ids.length) return { waiting: 0, locked: 0, failedLogins24h: 0, guidesExpiring: 0 };
  const now = ctx.now();
  const sqlLocks = !ctx.config.redisUrl; // the throttle is wrapped (metrics): ask the config where counters live
  const count = async (f: Omit<UserListFilter, 'page'>) => {
    const r = await filtered(ctx, ids, { ...f, page: 1 }, now, sqlLocks).select((eb) => eb.fn.countAll<number | string>().as('n')).executeTakeFirst();
    return Number(r?.n ?? 0);
  };
  const failed = await ctx.db.selectFrom('audit_log').select((eb) => eb.fn.countAll<number | string>().as('n'))
    .where('event', '=', 'login.failed').where('organisation_id', 'in', ids).where('at', '>', now - 24 * 3_600_000).executeTakeFirst();
  return {
    waiting: await count({ state: 'waiting' }),
    locked: await count({ state: 'locked' }),
    failedLogins24h: Number(failed?.n ?? 0),
    guidesExpiring: await count({ state: 'waiting', guideExpiring: true }),
  };
}

/** Group member picker (issue 20 item 5): users of one organisation matching `q`, by login ID. */
export async function searchUsersOfOrganisation(ctx: AppContext, orgId: string, q: string, limit: number): Promise<PublicUser[]> {
  let query = ctx.db.selectFrom('app_user').selectAll('app_user').select(TOTP_COLUMNS).where('app_user.organisation_id', '=', orgId);
  const text = q.trim();
  if (text) query = query.where(textMatch(text));
  const rows = await query.orderBy('app_user.login_id').orderBy('app_user.id').limit(limit).execute();
  return rows.map(toPublicUser);
}

/** Trusted browsers the user still has (the admin's «revoke» is shown only when there are some). */
export async function liveTrustedBrowserCount(ctx: AppContext, userId: string): Promise<number> {
  const r = await ctx.db.selectFrom('trusted_device').select((eb) => eb.fn.countAll<number | string>().as('n'))
    .where('user_id', '=', userId).where('revoked_at', 'is', null).where('expires_at', '>', ctx.now()).executeTakeFirst();
  return Number(r?.n ?? 0);
}
