// The contract list a viewer sees (S8) and the provider's list (issue 26): keyword (search.ts),
// service and status filters, a total counted up to a cap, pages of 10/20/50/100 in a stable
// order, and the CSV export's batches. Every read takes a ContractScope (access.ts) or is the
// operator's; nothing here decides visibility itself.
import type { Db } from '../../db/index.ts';
import type { ContractStatus } from '../../db/schema.ts';
import { searchTerms } from '../search.ts';
import type { ContractScope } from '../access.ts';
import {
  anyContract, contractsAfter, countContracts, keywordMatchesAndPage, operatorCountContracts, operatorPageOfContracts, pageOfContracts,
  type ContractFilter, type ListedContract,
} from './store.ts';

export const PAGE_SIZES = [10, 20, 50, 100] as const;
export const DEFAULT_PAGE_SIZE = 10;
/** Counts stop here: "10,000+" (docs/decisions/030-contract-search.md); pages go as far as the cap. */
export const COUNT_CAP = 10_000;
export const CONTRACT_STATUSES: readonly ContractStatus[] = ['normal', 'failure', 'maintenance', 'suspended'];

export function isContractStatus(v: string | undefined): v is ContractStatus {
  return v !== undefined && (CONTRACT_STATUSES as readonly string[]).includes(v);
}

/** The list's input as it comes from the URL: strings, all optional, sanitised here. */
export interface ContractQuery { q?: string | undefined; service?: string | undefined; status?: string | undefined; page?: string | undefined; size?: string | undefined }

export interface ContractPage {
  rows: ListedContract[];
  /** Matches counted up to COUNT_CAP + 1; `capped` when there are more than COUNT_CAP. */
  total: number; capped: boolean;
  page: number; pageSize: number; pages: number;
  q: string; terms: string[]; serviceId: string; status: ContractStatus | '';
}

/** A page size from the list (10/20/50/100): other numbers go to the largest allowed size below them. */
export function pageSizeOf(raw: string | undefined): number {
  const n = raw && /^\d{1,9}$/.test(raw) ? Number(raw) : DEFAULT_PAGE_SIZE;
  return [...PAGE_SIZES].reverse().find((s) => s <= n) ?? DEFAULT_PAGE_SIZE;
}

/** A 1-based page: anything but a positive integer is page 1; past the end is the last page. */
export function pageOf(raw: string | undefined, pages: number): number {
  const n = raw && /^\d{1,9}$/.test(raw) ? Number(raw) : 1;
  return Math.min(Math.max(n, 1), Math.max(pages, 1));
}

function filterOf(query: ContractQuery, settingsSiteOnly = false): { filter: ContractFilter; q: string; serviceId: string; status: ContractStatus | '' } {
  const q = (query.q ?? '').slice(0, 1000);
  const serviceId = (query.service ?? '').slice(0, 64);
  const status = isContractStatus(query.status) ? query.status : '';
  return {
    filter: { terms: searchTerms(q), ...(serviceId ? { serviceId } : {}), ...(status ? { status } : {}), settingsSiteOnly },
    q, serviceId, status,
  };
}

export async function listContracts(db: Db, scope: ContractScope, query: ContractQuery, o: { settingsSiteOnly?: boolean } = {}): Promise<ContractPage> {
  const { filter, q, serviceId, status } = filterOf(query, o.settingsSiteOnly);
  const pageSize = pageSizeOf(query.size);
  const shape = (counted: number, page: number, rows: ListedContract[]): ContractPage => {
    const total = Math.min(counted, COUNT_CAP);
    return { rows, total, capped: counted > COUNT_CAP, page, pageSize, pages: Math.max(1, Math.ceil(total / pageSize)), q, terms: filter.terms, serviceId, status };
  };
  if (filter.terms.length) {
    // Keyword terms: one statement counts the matches and sorts the page out of them (one trigram
    // scan); a page past the end asks again for the last page, more matches than the cap take the
    // ordered walk below (keywordMatchesAndPage says why).
    const wanted = pageOf(query.page, Number.MAX_SAFE_INTEGER);
    const first = await keywordMatchesAndPage(db, scope, filter, COUNT_CAP, (wanted - 1) * pageSize, pageSize);
    if (first.counted <= COUNT_CAP) {
      const pages = Math.max(1, Math.ceil(first.counted / pageSize));
      if (wanted <= pages || first.counted === 0) return shape(first.counted, Math.min(wanted, pages), first.rows);
      const last = await keywordMatchesAndPage(db, scope, filter, COUNT_CAP, (pages - 1) * pageSize, pageSize);
      return shape(last.counted, pageOf(String(pages), Math.max(1, Math.ceil(last.counted / pageSize))), last.rows);
    }
    const page = pageOf(query.page, Math.ceil(COUNT_CAP / pageSize));
    return shape(first.counted, page, await pageOfContracts(db, scope, filter, (page - 1) * pageSize, pageSize));
  }
  // The count and the page asked for at once (two pooled connections on PostgreSQL: the answer waits
  // for the slower, not for both); a page past the end is asked again as the last page.
  const wanted = pageOf(query.page, Math.ceil(COUNT_CAP / pageSize));
  const [counted, first] = await Promise.all([
    countContracts(db, scope, filter, COUNT_CAP),
    pageOfContracts(db, scope, filter, (wanted - 1) * pageSize, pageSize),
  ]);
  const page = pageOf(String(wanted), Math.max(1, Math.ceil(Math.min(counted, COUNT_CAP) / pageSize)));
  const rows = page === wanted ? first : await pageOfContracts(db, scope, filter, (page - 1) * pageSize, pageSize);
  return shape(counted, page, rows);
}

/**
 * The provider's list (issue 26): every organisation's contracts (or `org`'s), with the customer
 * list's keyword, service and status filter, total, page sizes and order.
 */
export async function listAllContracts(db: Db, query: ContractQuery & { org?: string | undefined }): Promise<ContractPage & { org: string }> {
  const { filter, q, serviceId, status } = filterOf(query);
  const org = (query.org ?? '').slice(0, 64);
  const f = { ...filter, ...(org ? { organisationId: org } : {}) };
  const pageSize = pageSizeOf(query.size);
  const counted = await operatorCountContracts(db, f, COUNT_CAP);
  const capped = counted > COUNT_CAP;
  const total = Math.min(counted, COUNT_CAP);
  const pages = Math.max(1, Math.ceil(total / pageSize));
  const page = pageOf(query.page, pages);
  const rows = total === 0 ? [] : await operatorPageOfContracts(db, f, (page - 1) * pageSize, pageSize);
  return { rows, total, capped, page, pageSize, pages, q, terms: filter.terms, serviceId, status, org };
}

/** One contract by id for the provider, whatever its organisation. */
export async function contractForOperator(db: Db, id: string): Promise<ListedContract | undefined> {
  return anyContract(db, id);
}

/** Every visible match in list order, in batches (CSV export): keyset pagination, no OFFSET. */
export async function* exportContracts(db: Db, scope: ContractScope, query: ContractQuery, batch = 1000): AsyncGenerator<ListedContract[]> {
  const { filter } = filterOf(query);
  let after: { number: string; id: string } | null = null;
  for (;;) {
    const rows = await contractsAfter(db, scope, filter, after, batch);
    if (rows.length) yield rows;
    if (rows.length < batch) return;
    const last = rows[rows.length - 1]!;
    after = { number: last.number, id: last.id };
  }
}

/**
 * A window of the visible contracts by offset and limit (the TM Forum API's paging, issue 24 item 6):
 * the list's order (number, id), a total counted up to COUNT_CAP. Visibility is the scope's (access.ts).
 */
export async function listContractsWindow(db: Db, scope: ContractScope, o: { offset: number; limit: number }): Promise<{ rows: ListedContract[]; total: number }> {
  const filter: ContractFilter = { terms: [] };
  const [total, rows] = await Promise.all([countContracts(db, scope, filter, COUNT_CAP), pageOfContracts(db, scope, filter, o.offset, o.limit)]);
  return { rows, total: Math.min(total, COUNT_CAP) };
}
