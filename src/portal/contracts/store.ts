// Contracts and group view permissions (S8). Kysely only; every read for a viewer takes the
// ContractScope and applies contractVisible (src/portal/access.ts) — the rule is never rewritten.
import { sql, type SelectQueryBuilder } from 'kysely';
import type { Db } from '../../db/index.ts';
import type { ContractStatus, ContractTable, Database } from '../../db/schema.ts';
import { contractVisible, grantVisible, type ContractScope } from '../access.ts';
import { containsPattern } from '../search.ts';

export type ContractRow = ContractTable;

/** A contract as the list shows it: the row's columns and its service. */
export interface ListedContract {
  id: string; number: string; group_number: string; site: string; memo: string; status: ContractStatus;
  organisation_id: string; service_id: string; service_code: string; service_name_ja: string; service_name_en: string;
  settings_site_url: string | null;
}

export interface ContractFilter { terms: string[]; serviceId?: string | undefined; status?: ContractStatus | undefined; settingsSiteOnly?: boolean }

export async function insertContract(db: Db, row: ContractRow): Promise<void> {
  await db.insertInto('contract').values(row).execute();
}

/** Writes a contract's editable columns (the grant table's copy follows by trigger, migration 012). */
export async function updateContractRow(db: Db, c: ContractRow): Promise<void> {
  await db.updateTable('contract').set({
    group_number: c.group_number, site: c.site, memo: c.memo, status: c.status, service_id: c.service_id,
    search_text: c.search_text, updated_at: c.updated_at,
  }).where('id', '=', c.id).execute();
}

export async function findContractByNumber(db: Db, number: string): Promise<ContractRow | undefined> {
  return db.selectFrom('contract').selectAll().where('number', '=', number).executeTakeFirst();
}

export async function findContract(db: Db, id: string): Promise<ContractRow | undefined> {
  if (id.length > 64) return undefined;
  return db.selectFrom('contract').selectAll().where('id', '=', id).executeTakeFirst();
}

type Filtered = SelectQueryBuilder<Database, 'contract' | 'service', object>;

/**
 * The visible contracts matching the filter, as one query builder (list, count and export share
 * it), with the columns of its (number, id) order. An admin's query reads `contract` (they see by
 * organisation); a general user's reads the grant table (grantVisible, migration 012) and joins
 * `contract` and `service` only when it needs their columns (`withRows`) or the settings-site flag:
 * their capped count and first page are then index walks of (group_id, number, contract_id). With
 * keyword terms everyone takes the contract table path (below).
 */
function filtered(db: Db, scope: ContractScope, f: ContractFilter, withRows: boolean): { q: Filtered; number: string; id: string } {
  // Keyword terms go the contract way for everyone: the trigram index finds the few candidates and
  // each probes its grant (EXPLAIN at 1,000,000 contracts: 20–25 ms, against 55–60 ms for the grant
  // walk hash-joined to the trigram candidates).
  const grants = f.terms.length ? null : grantVisible(scope);
  if (!grants) {
    // `service` only when its columns are read or filtered on: a count of 10,001 rows joined to it
    // for nothing cost a hash join (EXPLAIN at 1,000,000 contracts: 10 ms against 8.7 ms).
    let q = db.selectFrom('contract').where(contractVisible(scope)) as unknown as SelectQueryBuilder<any, any, object>;
    if (withRows || f.settingsSiteOnly) q = q.innerJoin('service', 'service.id', 'contract.service_id');
    if (f.serviceId) q = q.where('contract.service_id', '=', f.serviceId);
    if (f.status) q = q.where('contract.status', '=', f.status);
    if (f.settingsSiteOnly) q = q.where('service.settings_site_url', 'is not', null);
    // S8: every term must match (AND); search_text and terms are folded alike (search.ts).
    for (const term of f.terms) q = q.where(sql<boolean>`contract.search_text like ${containsPattern(term)} escape '\\'`);
    return { q: q as unknown as Filtered, number: 'contract.number', id: 'contract.id' };
  }
  let g = db.selectFrom('contract_group_access').where(grants);
  if (f.serviceId) g = g.where('contract_group_access.service_id', '=', f.serviceId);
  if (f.status) g = g.where('contract_group_access.status', '=', f.status);
  // Kysely's types do not follow joins added conditionally; the columns used below exist when used.
  let q = g as unknown as SelectQueryBuilder<any, any, object>;
  if (withRows) q = q.innerJoin('contract', 'contract.id', 'contract_group_access.contract_id');
  if (withRows || f.settingsSiteOnly) q = q.innerJoin('service', 'service.id', 'contract_group_access.service_id');
  if (f.settingsSiteOnly) q = q.where('service.settings_site_url', 'is not', null);
  return { q: q as unknown as Filtered, number: 'contract_group_access.number', id: 'contract_group_access.contract_id' };
}

const LISTED = [
  'contract.id', 'contract.number', 'contract.group_number', 'contract.site', 'contract.memo', 'contract.status',
  'contract.organisation_id', 'contract.service_id', 'service.code as service_code', 'service.name_ja as service_name_ja',
  'service.name_en as service_name_en', 'service.settings_site_url',
] as const;

/** One page in the stable order (number, id). */
export async function pageOfContracts(db: Db, scope: ContractScope, f: ContractFilter, offset: number, limit: number): Promise<ListedContract[]> {
  const { q, number, id } = filtered(db, scope, f, true);
  return q.select(LISTED).orderBy(sql.ref(number)).orderBy(sql.ref(id)).limit(limit).offset(offset).execute() as Promise<ListedContract[]>;
}

/** Rows after a (number, id) key, for exports that walk everything without OFFSET. */
export async function contractsAfter(db: Db, scope: ContractScope, f: ContractFilter, after: { number: string; id: string } | null, limit: number): Promise<ListedContract[]> {
  let { q, number, id } = filtered(db, scope, f, true);
  if (after) {
    q = q.where((eb) => eb.or([
      sql<boolean>`${sql.ref(number)} > ${after.number}`,
      eb.and([sql<boolean>`${sql.ref(number)} = ${after.number}`, sql<boolean>`${sql.ref(id)} > ${after.id}`]),
    ]));
  }
  return q.select(LISTED).orderBy(sql.ref(number)).orderBy(sql.ref(id)).limit(limit).execute() as Promise<ListedContract[]>;
}

/** The number of matches, counted up to `cap` + 1 (an exact count of a million rows is slow: decision 030). */
export async function countContracts(db: Db, scope: ContractScope, f: ContractFilter, cap: number): Promise<number> {
  const { q } = filtered(db, scope, f, false);
  let sub = q.select(sql<number>`1`.as('one')).limit(cap + 1);
  // One organisation, no keyword: in the order of its (organisation_id, number) index, so PostgreSQL
  // counts index entries (an index-only scan, 2.5 ms at 10,001 rows) instead of reading the rows in
  // table order, which it prefers when the organisation holds most of the table (7–8 ms).
  if (scope.wholeOrgIds.length === 1 && !f.terms.length) sub = sub.orderBy('contract.organisation_id').orderBy('contract.number');
  const r = await db.selectFrom(sub.as('m')).select((e) => e.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(r.n);
}

/**
 * A keyword-filtered list in one statement: the matches (up to `cap` + 1, in no order) are collected
 * once into a materialised CTE — one trigram index scan on PostgreSQL — then counted, and the page is
 * sorted out of them. Two statements (a capped count, then an ordered page) scanned the trigram index
 * twice, and the ordered page let PostgreSQL walk `contract_number_key` in list order filtering every
 * row, which is slow when the matches sit far down the order (a contract number term: 120,000 rows
 * read for 10; docs/performance.md). Only exact while the matches fit under the cap: the caller asks
 * for the ordered page (pageOfContracts) when `counted` > cap, where matches are many and the
 * ordered walk finds a page quickly. `rows` is empty when `offset` is past the matches.
 */
export async function keywordMatchesAndPage(db: Db, scope: ContractScope, f: ContractFilter, cap: number, offset: number, limit: number): Promise<{ counted: number; rows: ListedContract[] }> {
  const { q, number, id } = filtered(db, scope, f, false);
  const matches = q.select([sql<string>`${sql.ref(id)}`.as('id'), sql<string>`${sql.ref(number)}`.as('number')]).limit(cap + 1);
  const rows = await db.with((cte) => cte('m').materialized(), () => matches)
    .selectFrom((eb) => eb.selectFrom('m').select((e) => e.fn.countAll<number>().as('counted')).as('c'))
    .leftJoin(
      (eb) => eb.selectFrom('m').innerJoin('contract', 'contract.id', 'm.id').innerJoin('service', 'service.id', 'contract.service_id')
        .select([...LISTED, 'm.number as sort_number', 'm.id as sort_id']).orderBy('m.number').orderBy('m.id').limit(limit).offset(offset).as('p'),
      (join) => join.onTrue(),
    )
    .selectAll('p').select('c.counted')
    .orderBy('p.sort_number').orderBy('p.sort_id')
    .execute();
  const counted = Number(rows[0]?.counted ?? 0);
  const page = rows.filter((r) => r.id !== null).map(({ counted: _c, sort_number: _s, sort_id: _i, ...r }) => r as unknown as ListedContract);
  return { counted, rows: page };
}

/**
 * The provider's view (issue 26): every organisation's contracts, or one organisation's, with the
 * customer list's filter (the same keyword rule over search_text, service, status) and order.
 * Never reached by a customer: the console's guard admits operators only.
 */
function everyContract(db: Db, f: ContractFilter & { organisationId?: string | undefined }) {
  let q = db.selectFrom('contract').innerJoin('service', 'service.id', 'contract.service_id');
  if (f.organisationId) q = q.where('contract.organisation_id', '=', f.organisationId);
  if (f.serviceId) q = q.where('contract.service_id', '=', f.serviceId);
  if (f.status) q = q.where('contract.status', '=', f.status);
  for (const term of f.terms) q = q.where(sql<boolean>`contract.search_text like ${containsPattern(term)} escape '\\'`);
  return q;
}

export async function operatorPageOfContracts(db: Db, f: ContractFilter & { organisationId?: string | undefined }, offset: number, limit: number): Promise<ListedContract[]> {
  return everyContract(db, f).select(LISTED).orderBy('contract.number').orderBy('contract.id').limit(limit).offset(offset).execute() as Promise<ListedContract[]>;
}

export async function operatorCountContracts(db: Db, f: ContractFilter & { organisationId?: string | undefined }, cap: number): Promise<number> {
  const sub = everyContract(db, f).select(sql<number>`1`.as('one')).limit(cap + 1);
  const r = await db.selectFrom(sub.as('m')).select((e) => e.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(r.n);
}

/** One contract by id, whatever its organisation (the console's detail page). */
export async function anyContract(db: Db, id: string): Promise<ListedContract | undefined> {
  if (id.length > 64) return undefined;
  return db.selectFrom('contract').innerJoin('service', 'service.id', 'contract.service_id').select(LISTED).where('contract.id', '=', id).executeTakeFirst() as Promise<ListedContract | undefined>;
}

export async function visibleContract(db: Db, scope: ContractScope, id: string): Promise<ListedContract | undefined> {
  if (id.length > 64) return undefined;
  return filtered(db, scope, { terms: [] }, true).q.select(LISTED).where('contract.id', '=', id).executeTakeFirst() as Promise<ListedContract | undefined>;
}

/** Services with at least one contract the scope may see (an EXISTS per service: cheap at any size). */
export async function servicesWithVisibleContracts(db: Db, scope: ContractScope) {
  return visibleServicesQuery(db, scope).execute();
}

/** The query of servicesWithVisibleContracts, not run: the dashboard joins the viewer's shortcuts to it (one statement). */
export function visibleServicesQuery(db: Db, scope: ContractScope) {
  return db.selectFrom('service').innerJoin('service_category as c', 'c.id', 'service.category_id')
    .selectAll('service')
    .select(['c.code as category_code', 'c.name_ja as category_name_ja', 'c.name_en as category_name_en', 'c.position as category_position'])
    .where((eb) => {
      // A general user: one probe of (group_id, service_id) per service (migration 012).
      const grants = grantVisible(scope);
      if (grants) {
        return eb.exists(eb.selectFrom('contract_group_access').select('contract_group_access.contract_id')
          .whereRef('contract_group_access.service_id', '=', 'service.id').where(grants));
      }
      return eb.exists(eb.selectFrom('contract').select('contract.id')
        .whereRef('contract.service_id', '=', 'service.id').where(contractVisible(scope)));
    })
    .orderBy('c.position').orderBy('c.code').orderBy('service.code');
}

export async function grantAccess(db: Db, groupId: string, contractId: string, now: number): Promise<boolean> {
  const r = await db.insertInto('contract_group_access').values({ group_id: groupId, contract_id: contractId, granted_at: now })
    .onConflict((oc) => oc.columns(['group_id', 'contract_id']).doNothing()).executeTakeFirst();
  return Number(r.numInsertedOrUpdatedRows ?? 0) > 0;
}

export async function revokeAccess(db: Db, groupId: string, contractId: string): Promise<boolean> {
  const r = await db.deleteFrom('contract_group_access').where('group_id', '=', groupId).where('contract_id', '=', contractId).executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}

/** The contracts a group may view (admin page), in number order, with the total. */
export async function contractsOfGroup(db: Db, groupId: string, limit: number) {
  const rows = await db.selectFrom('contract_group_access as a').innerJoin('contract', 'contract.id', 'a.contract_id')
    .innerJoin('service', 'service.id', 'contract.service_id')
    .select(['contract.id', 'contract.number', 'contract.memo', 'contract.site', 'service.name_ja as service_name_ja', 'service.name_en as service_name_en', 'a.granted_at'])
    .where('a.group_id', '=', groupId).orderBy('contract.number').limit(limit).execute();
  const n = await db.selectFrom('contract_group_access').select((e) => e.fn.countAll<number>().as('n')).where('group_id', '=', groupId).executeTakeFirstOrThrow();
  return { rows, total: Number(n.n) };
}

export async function groupsOfContract(db: Db, contractId: string) {
  return db.selectFrom('contract_group_access as a').innerJoin('user_group as g', 'g.id', 'a.group_id')
    .select(['g.id', 'g.name', 'g.organisation_id']).where('a.contract_id', '=', contractId).orderBy('g.name').execute();
}
