// Who may see which contracts (S8) — the one place the rule lives; every portal query over
// contracts, orders, notices of contracts, ticket service names, exports and counts goes through it.
// «該当のビジネスポータルアカウントが所属するユーザグループで参照・閲覧の権限のある契約が表示されます»:
// a general user sees the contracts one of their groups may view; a portal admin sees every
// contract of the organisation; a partner's portal admin also those of its child organisations.
import type { ExpressionBuilder } from 'kysely';
import type { Db } from '../db/index.ts';
import type { Database, Role } from '../db/schema.ts';
import { organisationFamily } from '../auth/service.ts';

/** The signed-in user, as the portal needs them (no secrets). */
export interface Viewer { userId: string; organisationId: string; role: Role }

/** What a viewer may see, resolved once per request. */
export interface ContractScope {
  viewer: Viewer;
  /** Organisations whose every contract the viewer sees (admins); empty for general users. */
  wholeOrgIds: string[];
  /** The viewer's own organisation (tickets are visible to the whole organisation, S9). */
  organisationId: string;
  /**
   * A general user's groups, read once per request: the condition then probes one table
   * (contract_group_access by contract, group) instead of joining memberships on every row, which
   * lets PostgreSQL walk contracts in list order and stop at the page (decision 030).
   */
  groupIds: string[];
}

/** What the signed-in session read with the user (src/auth/sessions/page-row.ts): the scope then costs no query. */
export interface ScopeSource { groupIds: readonly string[]; organisationFamily: readonly string[] }

/** The scope from its source: a general user sees through their groups, an admin the organisation family. */
export function scopeFrom(viewer: Viewer, read: ScopeSource): ContractScope {
  if (viewer.role !== 'admin') return { viewer, wholeOrgIds: [], organisationId: viewer.organisationId, groupIds: [...read.groupIds] };
  return { viewer, wholeOrgIds: [...read.organisationFamily], organisationId: viewer.organisationId, groupIds: [] };
}

/** The scope of a viewer without a session at hand (the provider's claims, the CLI): read here. */
export async function contractScope(db: Db, viewer: Viewer): Promise<ContractScope> {
  if (viewer.role !== 'admin') {
    const groups = await db.selectFrom('user_group_member as m').innerJoin('user_group as g', 'g.id', 'm.group_id')
      .select('m.group_id').where('m.user_id', '=', viewer.userId).where('g.organisation_id', '=', viewer.organisationId).execute();
    return scopeFrom(viewer, { groupIds: groups.map((g) => g.group_id), organisationFamily: [] });
  }
  // The organisation and, for a partner, its children: tenancy's rule, asked of identity.
  return scopeFrom(viewer, { groupIds: [], organisationFamily: await organisationFamily(db, viewer.organisationId) });
}

/**
 * A WHERE condition for a query that has `contract` in scope (selectFrom('contract') or a join):
 * true for the rows the scope may see. A general user's rows come through their groups, and only
 * contracts of their own organisation (a group of org A granted a contract of org B shows nothing).
 */
export function contractVisible(scope: ContractScope) {
  return (eb: ExpressionBuilder<Database, 'contract'>) => {
    if (scope.wholeOrgIds.length) return eb('contract.organisation_id', 'in', scope.wholeOrgIds);
    // No group: nothing (and no query that could match by accident).
    if (!scope.groupIds.length) return eb('contract.id', 'is', null);
    return eb.and([
      eb('contract.organisation_id', '=', scope.organisationId),
      eb.exists(
        eb.selectFrom('contract_group_access as cga')
          .select('cga.contract_id')
          .whereRef('cga.contract_id', '=', 'contract.id')
          .where('cga.group_id', 'in', scope.groupIds),
      ),
    ]);
  };
}

/**
 * The same rule read from the grant table alone, for a general user's list, capped count and
 * services (issue 17): contract_group_access carries its contract's organisation, service, status
 * and number (migration 012, kept in step by the database), so a page is an index walk of
 * (group_id, number, contract_id) with no reads of `contract`. A WHERE condition for a query over
 * `contract_group_access`: true for the grant rows through which the scope sees a contract, one row
 * per contract (a contract granted to two of the user's groups counts once: the grant of the
 * smallest group id stands for it). Null for admins, who keep the contract table path
 * (contractVisible): they see by organisation, not by grant.
 */
export function grantVisible(scope: ContractScope) {
  if (scope.wholeOrgIds.length) return null;
  return (eb: ExpressionBuilder<Database, 'contract_group_access'>) => {
    if (!scope.groupIds.length) return eb('contract_group_access.contract_id', 'is', null);
    const own = [
      eb('contract_group_access.group_id', 'in', scope.groupIds),
      eb('contract_group_access.organisation_id', '=', scope.organisationId),
    ];
    if (scope.groupIds.length === 1) return eb.and(own);
    return eb.and([...own, eb.not(eb.exists(
      eb.selectFrom('contract_group_access as other').select('other.contract_id')
        .whereRef('other.contract_id', '=', 'contract_group_access.contract_id')
        .where('other.group_id', 'in', scope.groupIds)
        .whereRef('other.group_id', '<', 'contract_group_access.group_id'),
    ))]);
  };
}

/** True when the scope may see this one contract (detail pages, ticket and order links). */
export async function mayViewContract(db: Db, scope: ContractScope, contractId: string): Promise<boolean> {
  if (contractId.length > 64) return false;
  const row = await db.selectFrom('contract').select('contract.id')
    .where('contract.id', '=', contractId).where(contractVisible(scope)).executeTakeFirst();
  return row !== undefined;
}
