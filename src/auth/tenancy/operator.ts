// The provider's operators on organisations (S0, issue 26 item 3): create a customer organisation
// (kind, parent, preset, password policy) with every problem named per field; find organisations by
// keywords, a page at a time; one organisation with its family; its first portal admin. Audited with
// the operator as actor. The console, its JSON API and the CLI call these same functions.
import { sql } from 'kysely';
import type { AppContext } from '../../context.ts';
import type { Db } from '../../db/index.ts';
import type { OrgKind } from '../../db/schema.ts';
import { DomainError, type FieldErrors } from '../../errors.ts';
import { auditOperator, type OperatorActor } from '../../audit/log.ts';
import { policies } from '../password/policy.ts';
import { PROFILES } from './presets.ts';
import { createOrganisation, findOrganisation, type Organisation } from './organisations.ts';
import { registerUser, type Actor } from '../registration/service.ts';
import type { UserRow } from '../users/store.ts';

/** The kinds of customer organisation (S0); the provider's own organisation is none of them. */
export const CUSTOMER_KINDS: readonly OrgKind[] = ['direct', 'partner', 'child'];
export const ORG_PAGE_SIZE = 20;
const MAX_NAME = 200;
const MAX_TERMS = 10;

export function isCustomerKind(kind: string): kind is OrgKind {
  return (CUSTOMER_KINDS as readonly string[]).includes(kind);
}

export interface NewOrganisation { name: string; kind: string; parentId?: string | null | undefined; profile?: string | undefined; passwordPolicy?: string | undefined }

/** Checks every field at once (form, JSON and CLI get the same per-field answer), then inserts and audits. */
export async function createCustomerOrganisation(db: Db, input: NewOrganisation, actor: OperatorActor, now: number): Promise<Organisation> {
  const fields: FieldErrors = {};
  const name = input.name.trim();
  if (!name || name.length > MAX_NAME) fields.name = [{ key: 'orgs.name_invalid', params: { max: MAX_NAME } }];
  const kind = input.kind.trim();
  if (!isCustomerKind(kind)) fields.kind = [{ key: 'orgs.kind_invalid', params: { allowed: CUSTOMER_KINDS.join(', ') } }];
  const parentId = input.parentId?.trim() || null;
  // S0: only a child belongs to a parent, and every child has one, a partner.
  if (kind === 'child' && !parentId) fields.parent = [{ key: 'orgs.parent_required' }];
  else if (kind !== 'child' && parentId && isCustomerKind(kind)) fields.parent = [{ key: 'orgs.parent_not_allowed' }];
  else if (parentId) {
    const parent = parentId.length <= 64 ? await findOrganisation(db, parentId) : undefined;
    if (!parent) fields.parent = [{ key: 'orgs.parent_unknown', params: { id: parentId } }];
    else if (parent.kind !== 'partner') fields.parent = [{ key: 'orgs.parent_not_partner', params: { name: parent.name, kind: parent.kind } }];
  }
  const profile = input.profile?.trim() || undefined;
  if (profile !== undefined && !Object.hasOwn(PROFILES, profile)) fields.profile = [{ key: 'orgs.profile_unknown', params: { allowed: Object.keys(PROFILES).join(', ') } }];
  const policy = input.passwordPolicy?.trim() || undefined;
  if (policy !== undefined && !Object.hasOwn(policies, policy)) fields.password_policy = [{ key: 'orgs.policy_unknown', params: { allowed: Object.keys(policies).join(', ') } }];
  if (Object.keys(fields).length) throw new DomainError('common.field_errors', {}, fields);
  return db.transaction().execute(async (trx) => {
    const org = await createOrganisation(trx, { name, kind: kind as OrgKind, parentId, ...(profile ? { profile } : {}), passwordPolicy: policy ?? null }, now);
    await auditOperator(trx, actor, 'org.created', { organisationId: org.id, detail: { kind: org.kind, profile: org.profile, parent: org.parent_id } }, now);
    return org;
  });
}

/** A LIKE pattern that finds `term` anywhere, its own %, _ and ! matched literally (ESCAPE '!'). */
function contains(term: string): string {
  return `%${term.replace(/[!%_]/g, (c) => `!${c}`)}%`;
}

export interface OrganisationPage {
  rows: (Organisation & { parent_name: string | null })[];
  total: number; page: number; pages: number; q: string; kind: OrgKind | '';
}

/**
 * Organisations by keywords (S8's rule: terms split on full- or half-width spaces, all must match,
 * case-insensitive; a term also matches an exact id), and kind, in name order, ORG_PAGE_SIZE a page.
 */
export async function searchOrganisations(db: Db, query: { q?: string | undefined; kind?: string | undefined; page?: string | undefined }): Promise<OrganisationPage> {
  const q = (query.q ?? '').slice(0, 1000);
  const terms = [...new Set(q.normalize('NFKC').split(/\s+/u).filter(Boolean))].slice(0, MAX_TERMS).map((x) => x.slice(0, 100));
  const kind = query.kind && isCustomerKind(query.kind) ? query.kind : '';
  let base = db.selectFrom('organisation as o').leftJoin('organisation as p', 'p.id', 'o.parent_id');
  if (kind) base = base.where('o.kind', '=', kind);
  for (const term of terms) {
    base = base.where((eb) => eb.or([sql<boolean>`lower(o.name) like lower(${contains(term)}) escape '!'`, eb('o.id', '=', term)]));
  }
  const n = Number((await base.select((e) => e.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
  const pages = Math.max(1, Math.ceil(n / ORG_PAGE_SIZE));
  const asked = query.page && /^\d{1,9}$/.test(query.page) ? Number(query.page) : 1;
  const page = Math.min(Math.max(asked, 1), pages);
  const rows = await base.selectAll('o').select('p.name as parent_name')
    .orderBy('o.name').orderBy('o.id').limit(ORG_PAGE_SIZE).offset((page - 1) * ORG_PAGE_SIZE).execute();
  return { rows, total: n, page, pages, q, kind };
}

export interface OrganisationDetail {
  org: Organisation; parent: Organisation | null; children: Organisation[]; admins: number; users: number;
}

/** One organisation with its parent, its children and how many users and portal admins it has. */
export async function organisationDetail(db: Db, id: string): Promise<OrganisationDetail | undefined> {
  const org = id.length <= 64 ? await findOrganisation(db, id) : undefined;
  if (!org) return undefined;
  const parent = org.parent_id ? (await findOrganisation(db, org.parent_id)) ?? null : null;
  const children = await db.selectFrom('organisation').selectAll().where('parent_id', '=', org.id).orderBy('name').orderBy('id').execute();
  const counts = await db.selectFrom('app_user').select(['role', (e) => e.fn.countAll<number>().as('n')])
    .where('organisation_id', '=', org.id).groupBy('role').execute();
  const of = (role: string) => Number(counts.find((c) => c.role === role)?.n ?? 0);
  return { org, parent, children, admins: of('admin'), users: of('admin') + of('general') };
}

export interface FirstAdminInput { email: string; name: string; phone: string; loginId?: string | undefined; lang?: 'ja' | 'en' | undefined }

/**
 * S0/S1: the first portal admin of a customer organisation, registered as every user is (the
 * starting guide is queued; the setup link is never shown to the operator). Refused once the
 * organisation has a portal admin: from then on its own admins register users (S13).
 */
export async function registerFirstPortalAdmin(ctx: AppContext, organisationId: string, input: FirstAdminInput, actor: Actor): Promise<UserRow> {
  const org = organisationId.length <= 64 ? await findOrganisation(ctx.db, organisationId) : undefined;
  if (!org) throw new DomainError('portal.unknown_organisation', { id: organisationId });
  if (!isCustomerKind(org.kind)) throw new DomainError('orgs.not_customer');
  const admin = await ctx.db.selectFrom('app_user').select('id').where('organisation_id', '=', org.id).where('role', '=', 'admin').executeTakeFirst();
  if (admin) throw new DomainError('orgs.has_admin');
  const { user } = await registerUser(ctx, { organisationId: org.id, ...input, role: 'admin' }, actor);
  return user;
}
