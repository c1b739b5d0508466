// Contracts (S8): creation by operators, group view permissions; the list a viewer sees is list.ts's
// (re-exported here, the module's one face).
// Every read takes a ContractScope (access.ts); nothing here decides visibility itself.
import type { Db } from '../../db/index.ts';
import type { ContractStatus, Lang } from '../../db/schema.ts';
import { newId } from '../../lib/index.ts';
import { findOrganisation, isCustomerKind } from '../../auth/service.ts';
import { DomainError, type FieldErrors } from '../../errors.ts';
import { auditOperator, type OperatorActor } from '../../audit/log.ts';
import { PortalInputError } from '../errors.ts';
import { findService, findServiceByCode } from '../catalogue/store.ts';
import { contractSearchText, foldText, searchTerms } from '../search.ts';
import type { ContractScope } from '../access.ts';
import {
  contractsOfGroup, findContractByNumber, grantAccess, insertContract, revokeAccess, servicesWithVisibleContracts, updateContractRow, visibleContract,
  type ContractFilter, type ContractRow, type ListedContract,
} from './store.ts';

export type { ContractRow, ListedContract, ContractFilter };
export { servicesWithVisibleContracts, visibleServicesQuery, groupsOfContract } from './store.ts';
export * from './list.ts';
import { CONTRACT_STATUSES, isContractStatus } from './list.ts';

const NUMBER_RE = /^N\d{9}$/;
const MAX_TEXT = 200;
/** The actor of a change made by no signed-in person (the CLI, the demo). */
export const SYSTEM: OperatorActor = { userId: null, ip: 'cli' };

/** «N» + 9 digits; full-width input (Ｎ１２３…) and a lower-case n are accepted and folded. */
export function normaliseContractNumber(raw: string): string | null {
  const n = raw.trim().normalize('NFKC').toUpperCase();
  return NUMBER_RE.test(n) ? n : null;
}

export interface NewContract {
  organisationId: string; number: string; serviceCode: string; groupNumber?: string | undefined; site?: string | undefined; memo?: string | undefined; status?: string | undefined;
}

/** The operator's columns of a contract (site, memo, group number, status), checked per field. */
export function checkContractTexts(input: { groupNumber?: string | undefined; site?: string | undefined; memo?: string | undefined; status?: string | undefined }, fields: FieldErrors) {
  const text = (raw: string | undefined, field: string): string | undefined => {
    if (raw === undefined) return undefined;
    const v = raw.trim();
    if (v.length > MAX_TEXT) fields[field] = [{ key: 'contracts.text_too_long', params: { max: MAX_TEXT } }];
    return v;
  };
  const status = input.status?.trim();
  if (status !== undefined && !isContractStatus(status)) {
    fields.status = [{ key: 'contracts.status_invalid', params: { allowed: CONTRACT_STATUSES.join(', '), value: status } }];
  }
  return {
    groupNumber: text(input.groupNumber, 'group_number'), site: text(input.site, 'site'), memo: text(input.memo, 'memo'),
    status: status as ContractStatus | undefined,
  };
}

function refuseIf(fields: FieldErrors): void {
  if (Object.keys(fields).length) throw new DomainError('common.field_errors', {}, fields);
}

/** The organisation a contract may belong to: a customer organisation (never the provider's own). */
async function customerOrganisation(db: Db, id: string, fields: FieldErrors): Promise<void> {
  const org = id.length <= 64 ? await findOrganisation(db, id) : undefined;
  if (!org) fields.org = [{ key: 'contracts.org_unknown', params: { id } }];
  else if (!isCustomerKind(org.kind)) fields.org = [{ key: 'contracts.org_not_customer' }];
}

/** The search text of a contract after a change of its columns or service (S8 keyword rule). */
function searchTextOf(c: Pick<ContractRow, 'number' | 'group_number' | 'site' | 'memo'>, service: { name_ja: string; name_en: string }): string {
  return contractSearchText({ number: c.number, groupNumber: c.group_number, site: c.site, memo: c.memo, serviceNameJa: service.name_ja, serviceNameEn: service.name_en });
}

/** Operator: a contract of an organisation. Every field checked (all problems at once) before the single insert. */
/** `actor` null: written without an audit row (the demo's bulk fill). */
export async function createContract(db: Db, input: NewContract, now: number, actor: OperatorActor | null = SYSTEM): Promise<ContractRow> {
  const fields: FieldErrors = {};
  const number = normaliseContractNumber(input.number);
  if (!number) fields.number = [{ key: 'contracts.number_invalid', params: { value: input.number } }];
  const t = checkContractTexts(input, fields);
  await customerOrganisation(db, input.organisationId, fields);
  const service = await findServiceByCode(db, input.serviceCode.trim());
  if (!service) fields.service = [{ key: 'contracts.service_unknown', params: { code: input.serviceCode } }];
  if (number && (await findContractByNumber(db, number))) fields.number = [{ key: 'contracts.number_taken', params: { number } }];
  refuseIf(fields);
  const base = { number: number!, group_number: t.groupNumber ?? '', site: t.site ?? '', memo: t.memo ?? '' };
  const row: ContractRow = {
    id: newId(), organisation_id: input.organisationId, ...base, service_id: service!.id, status: t.status ?? 'normal',
    search_text: searchTextOf(base, service!), created_at: now, updated_at: now,
  };
  try {
    await db.transaction().execute(async (trx) => {
      await insertContract(trx, row);
      if (actor) await auditOperator(trx, actor, 'contract.created', { organisationId: row.organisation_id, detail: { number: row.number, service: service!.code, status: row.status } }, now);
    });
  } catch (err) {
    // The same number registered at the same moment by someone else: the unique index decides.
    const code = (err as { code?: unknown } | null)?.code;
    if (code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE') throw new DomainError('common.field_errors', {}, { number: [{ key: 'contracts.number_taken', params: { number: row.number } }] });
    throw err;
  }
  return row;
}

export interface ContractChange {
  groupNumber?: string | undefined; site?: string | undefined; memo?: string | undefined; status?: string | undefined;
  /** Move the contract to another service (its grants follow: migration 012's trigger). */
  serviceCode?: string | undefined;
}

/**
 * Operator: edits a contract (site, memo, group number), changes its status or moves it to another
 * service, in one UPDATE that also renews its search text; the grant table's copy of status and
 * service follows in the same statement (migration 012's trigger), so every customer list is right
 * at once. Returns the row after the change and the columns that changed.
 */
export async function updateContract(db: Db, rawNumber: string, change: ContractChange, now: number, actor: OperatorActor = SYSTEM): Promise<{ contract: ContractRow; changed: string[] }> {
  const number = normaliseContractNumber(rawNumber);
  const current = number ? await findContractByNumber(db, number) : undefined;
  if (!current) throw new DomainError('contracts.unknown', { number: rawNumber.slice(0, 20) });
  const fields: FieldErrors = {};
  const t = checkContractTexts(change, fields);
  let service = await findService(db, current.service_id);
  if (change.serviceCode !== undefined) {
    service = await findServiceByCode(db, change.serviceCode.trim());
    if (!service) fields.service = [{ key: 'contracts.service_unknown', params: { code: change.serviceCode } }];
  }
  refuseIf(fields);
  const next: ContractRow = {
    ...current, group_number: t.groupNumber ?? current.group_number, site: t.site ?? current.site, memo: t.memo ?? current.memo,
    status: t.status ?? current.status, service_id: service!.id,
  };
  const changed = (['group_number', 'site', 'memo', 'status', 'service_id'] as const).filter((k) => next[k] !== current[k]);
  if (!changed.length) return { contract: current, changed: [] };
  next.search_text = searchTextOf(next, service!);
  next.updated_at = now;
  await db.transaction().execute(async (trx) => {
    await updateContractRow(trx, next);
    await auditOperator(trx, actor, 'contract.updated', { organisationId: next.organisation_id, detail: { number: next.number, changed: changed.join(','), status: next.status, service: service!.code } }, now);
  });
  return { contract: next, changed };
}

export async function contractByNumber(db: Db, raw: string): Promise<ContractRow | undefined> {
  const n = normaliseContractNumber(raw);
  return n ? findContractByNumber(db, n) : undefined;
}

/** S8 permission: a group may view a contract of its own organisation; false when it already could. */
export async function grantContract(db: Db, group: { id: string; organisation_id: string }, contract: ContractRow, now: number): Promise<boolean> {
  if (group.organisation_id !== contract.organisation_id) {
    throw new PortalInputError(`contract ${contract.number} belongs to another organisation than the group`);
  }
  return grantAccess(db, group.id, contract.id, now);
}

export async function revokeContract(db: Db, groupId: string, contractId: string): Promise<boolean> {
  return revokeAccess(db, groupId, contractId);
}

/** Every grant of a group goes with it (the admin's group deletion). */
export async function revokeAllOfGroup(db: Db, groupId: string): Promise<number> {
  const r = await db.deleteFrom('contract_group_access').where('group_id', '=', groupId).executeTakeFirst();
  return Number(r.numDeletedRows);
}

export async function grantedContracts(db: Db, groupId: string, limit = 200) {
  return contractsOfGroup(db, groupId, limit);
}

// ---- The list a viewer sees (S8): list.ts ----

/** One contract if the scope may see it; undefined otherwise (the route answers 404 either way). */
export async function contractFor(db: Db, scope: ContractScope, id: string): Promise<ListedContract | undefined> {
  return visibleContract(db, scope, id);
}

/** The service list of the dashboard and the list's service filter: services the viewer has contracts of. */
export async function visibleServices(db: Db, scope: ContractScope) {
  return servicesWithVisibleContracts(db, scope);
}

export function serviceName(row: { service_name_ja: string; service_name_en: string }, lang: Lang): string {
  return lang === 'ja' ? row.service_name_ja : row.service_name_en;
}

export { foldText };

// ---- Permissions as portal admins give them (S13 «manage groups and contract permissions») ----

export const MAX_NUMBERS_AT_ONCE = 100;

/** Contract numbers typed by an admin: split on spaces (full- or half-width), commas and new lines. */
export function parseNumbers(raw: string): { numbers: string[]; invalid: string[] } {
  const words = raw.normalize('NFKC').split(/[\s,、]+/u).filter(Boolean);
  const numbers: string[] = [];
  const invalid: string[] = [];
  for (const w of words) {
    const n = normaliseContractNumber(w);
    if (n) { if (!numbers.includes(n)) numbers.push(n); } else invalid.push(w);
  }
  return { numbers, invalid };
}

/**
 * Grants a group the contracts with these numbers, all or none: every number must be a contract of
 * the group's own organisation (another organisation's number is reported like an unknown one).
 */
export async function grantNumbers(db: Db, group: { id: string; organisation_id: string }, numbers: string[], now: number): Promise<{ granted: ContractRow[]; unknown: string[] }> {
  const found = numbers.length ? await db.selectFrom('contract').selectAll().where('number', 'in', numbers).where('organisation_id', '=', group.organisation_id).execute() : [];
  const unknown = numbers.filter((n) => !found.some((c) => c.number === n));
  if (unknown.length) return { granted: [], unknown };
  const granted: ContractRow[] = [];
  await db.transaction().execute(async (trx) => {
    for (const c of found) if (await grantAccess(trx, group.id, c.id, now)) granted.push(c);
  });
  return { granted, unknown: [] };
}

/** A contract of the group's organisation, by id (the admin's revoke button). */
export async function contractOfGroupOrg(db: Db, group: { organisation_id: string }, contractId: string): Promise<ContractRow | undefined> {
  if (contractId.length > 64) return undefined;
  return db.selectFrom('contract').selectAll().where('id', '=', contractId).where('organisation_id', '=', group.organisation_id).executeTakeFirst();
}
