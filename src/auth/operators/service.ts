// Operators (issue 26; SPEC S0 "Operator"): the provider's staff are users of the provider's own
// organisation (organisation.kind = 'provider', exactly one: migration 030's unique index) with an
// operator role. Identity owns them like every user: created through registration (the starting
// guide, first login, 2-step setup), listed and re-roled here, reached through src/auth/service.ts.
import type { AppContext } from '../../context.ts';
import type { Db } from '../../db/index.ts';
import type { Lang, OperatorRole } from '../../db/schema.ts';
import { DomainError } from '../../errors.ts';
import { audit } from '../../audit/log.ts';
import { createOrganisation, findOrganisation, type Organisation } from '../tenancy/organisations.ts';
import { registerUser, type Actor } from '../registration/service.ts';
import { findUserById } from '../users/store.ts';
import { TOTP_COLUMNS } from '../factors/rows.ts';
import { toPublicUser, type PublicUser } from '../public-user.ts';

/** Ordered: each role has every power of the ones before it. */
export const OPERATOR_ROLES: readonly OperatorRole[] = ['agent', 'service_manager', 'operator_admin'];

export function isOperatorRole(v: unknown): v is OperatorRole {
  return typeof v === 'string' && (OPERATOR_ROLES as readonly string[]).includes(v);
}

/** Whether `role` is at least `min` (agent < service_manager < operator_admin); null is no role. */
export function roleAtLeast(role: OperatorRole | null | undefined, min: OperatorRole): boolean {
  return role != null && OPERATOR_ROLES.indexOf(role) >= OPERATOR_ROLES.indexOf(min);
}

export async function providerOrganisation(db: Db): Promise<Organisation | undefined> {
  return db.selectFrom('organisation').selectAll().where('kind', '=', 'provider').executeTakeFirst();
}

/** Whether an organisation is the provider's own (no customer organisation ever is). */
export async function isProviderOrganisation(db: Db, orgId: string): Promise<boolean> {
  return (await findOrganisation(db, orgId))?.kind === 'provider';
}

function isUniqueViolation(err: unknown): boolean {
  const e = err as { code?: unknown } | null;
  return e?.code === '23505' || e?.code === 'SQLITE_CONSTRAINT_UNIQUE';
}

/**
 * The provider organisation, created on first call and only then (bootstrap, `bizportal init`,
 * `bizportal operator org`). Two callers at once: the unique index lets one insert, the other reads it.
 */
export async function ensureProviderOrganisation(ctx: AppContext, name: string, actor: Actor): Promise<{ org: Organisation; created: boolean }> {
  const found = await providerOrganisation(ctx.db);
  if (found) return { org: found, created: false };
  const clean = name.trim();
  if (!clean || clean.length > 200) throw new DomainError('common.field_errors', {}, { name: [{ key: 'common.field_required' }] });
  try {
    const now = ctx.now();
    const org = await ctx.db.transaction().execute(async (trx) => {
      const o = await createOrganisation(trx, { name: clean, kind: 'provider', profile: 'business' }, now);
      await audit(trx, { event: 'org.created', actorUserId: actor.userId, organisationId: o.id, ip: actor.ip, detail: { kind: 'provider' } }, now);
      return o;
    });
    return { org, created: true };
  } catch (err) {
    if (!isUniqueViolation(err)) throw err;
    const org = await providerOrganisation(ctx.db);
    if (!org) throw err;
    return { org, created: false };
  }
}

export interface NewOperator { email: string; name: string; role: OperatorRole; phone?: string; loginId?: string; lang?: Lang }

/**
 * An operator: a user of the provider organisation with an operator role, registered like any user
 * (S1: the starting guide mail, first login, TOTP — a general user's method, S3.3). Returns the setup URL.
 */
export async function addOperator(ctx: AppContext, input: NewOperator, actor: Actor): Promise<{ user: PublicUser; setupUrl: string }> {
  if (!isOperatorRole(input.role)) throw new DomainError('common.field_errors', {}, { role: [{ key: 'common.field_invalid' }] });
  const org = await providerOrganisation(ctx.db);
  if (!org) throw new DomainError('operator.no_provider_org');
  const { user, setupUrl } = await registerUser(ctx, {
    organisationId: org.id, email: input.email, name: input.name, phone: input.phone ?? '0000',
    role: 'general', loginId: input.loginId, lang: input.lang, operatorRole: input.role,
  }, actor);
  return { user: toPublicUser(user), setupUrl };
}

/** Every user of the provider organisation with an operator role, by login ID. */
export async function listOperators(db: Db): Promise<PublicUser[]> {
  const rows = await db.selectFrom('app_user').innerJoin('organisation as o', 'o.id', 'app_user.organisation_id')
    .selectAll('app_user').select(TOTP_COLUMNS)
    .where('o.kind', '=', 'provider').where('app_user.operator_role', 'is not', null)
    .orderBy('app_user.login_id').orderBy('app_user.id').execute();
  return rows.map(toPublicUser);
}

/** An operator (of the provider organisation, with a role) by id; undefined for anyone else. */
export async function findOperator(db: Db, userId: string): Promise<PublicUser | undefined> {
  if (userId.length > 64) return undefined;
  const u = await findUserById(db, userId);
  if (!u || !u.operator_role || !(await isProviderOrganisation(db, u.organisation_id))) return undefined;
  return toPublicUser(u);
}

/**
 * Gives a user of the provider organisation an operator role, changes it, or (null) takes it away.
 * A user of any other organisation is refused: operator powers never reach a customer.
 */
export async function setOperatorRole(ctx: AppContext, userId: string, role: OperatorRole | null, actor: Actor): Promise<PublicUser> {
  if (role !== null && !isOperatorRole(role)) throw new DomainError('common.field_errors', {}, { role: [{ key: 'common.field_invalid' }] });
  const u = await findUserById(ctx.db, userId);
  if (!u) throw new DomainError('common.not_found');
  if (!(await isProviderOrganisation(ctx.db, u.organisation_id))) throw new DomainError('operator.not_provider_user');
  const now = ctx.now();
  await ctx.db.transaction().execute(async (trx) => {
    await trx.updateTable('app_user').set({ operator_role: role, updated_at: now }).where('id', '=', u.id).execute();
    await audit(trx, {
      event: 'operator.role_changed', actorUserId: actor.userId, subjectUserId: u.id, organisationId: u.organisation_id, ip: actor.ip,
      detail: { from: u.operator_role ?? null, to: role },
    }, now);
  });
  return toPublicUser({ ...u, operator_role: role, updated_at: now });
}
