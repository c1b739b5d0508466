// Bulk import of contracts from CSV (issue 26 item 3), with a dry run. Every line is checked
// against the file and the database and reported: what would be created or changed, or each of its
// problems with a reason (unknown organisation, a number that is not «N» + 9 digits, unknown
// service, a number twice in the file or already another organisation's). Nothing is written unless
// every line is good, and then everything in one transaction that checks again inside itself.
// Format and example: docs/operator-console.md, "Customers and contracts".
import type { Db } from '../../db/index.ts';
import type { ContractStatus } from '../../db/schema.ts';
import type { MessageKey, MessageParams } from '../../i18n/index.ts';
import { newId } from '../../lib/index.ts';
import { DomainError, type FieldErrors } from '../../errors.ts';
import { auditOperator, type OperatorActor } from '../../audit/log.ts';
import { findOrganisation, isCustomerKind } from '../../auth/service.ts';
import { CsvSyntaxError, parseCsv } from '../../web/csv.ts';
import { listServices, type ServiceRow } from '../catalogue/store.ts';
import { contractSearchText } from '../search.ts';
import { checkContractTexts, normaliseContractNumber } from './service.ts';
import { insertContract, updateContractRow, type ContractRow } from './store.ts';

export const IMPORT_COLUMNS = ['organisation', 'number', 'service', 'group_number', 'site', 'memo', 'status'] as const;
export const REQUIRED_COLUMNS = ['organisation', 'number', 'service'] as const;
export const MAX_IMPORT_LINES = 10_000;
type Column = (typeof IMPORT_COLUMNS)[number];

export interface Problem { field: string; key: MessageKey; params?: MessageParams }
export interface Change { field: 'group_number' | 'site' | 'memo' | 'status' | 'service'; from: string; to: string }
export type ImportLine =
  | { line: number; number: string; organisationId: string; service: string; action: 'create' }
  | { line: number; number: string; organisationId: string; service: string; action: 'change'; changes: Change[] }
  | { line: number; number: string; organisationId: string; service: string; action: 'unchanged' }
  | { line: number; number: string; action: 'error'; problems: Problem[] };

export interface ImportReport {
  lines: ImportLine[];
  created: number; changed: number; unchanged: number; errors: number;
  /** A problem of the whole file (header, syntax, size): no line is looked at. */
  fileProblem: Problem | null;
  /** True only when the import was not a dry run and everything was written. */
  applied: boolean;
}

interface Planned { row: ContractRow; current: ContractRow | undefined; serviceCode: string; changes: Change[] }

function report(lines: ImportLine[], fileProblem: Problem | null, applied: boolean): ImportReport {
  const n = (a: ImportLine['action']) => lines.filter((l) => l.action === a).length;
  return { lines, created: n('create'), changed: n('change'), unchanged: n('unchanged'), errors: n('error') + (fileProblem ? 1 : 0), fileProblem, applied };
}

/** The header's columns by name (case and spaces ignored), or the file's problem. */
function columnsOf(header: string[]): Map<Column, number> | Problem {
  const names = header.map((h) => h.trim().toLowerCase().replace(/[\s-]+/g, '_'));
  const map = new Map<Column, number>();
  names.forEach((n, i) => { if ((IMPORT_COLUMNS as readonly string[]).includes(n) && !map.has(n as Column)) map.set(n as Column, i); });
  const missing = REQUIRED_COLUMNS.filter((c) => !map.has(c));
  if (missing.length) return { field: 'file', key: 'contracts.csv_header', params: { columns: IMPORT_COLUMNS.join(','), missing: missing.join(', ') } };
  return map;
}

/** Checks every line against the file and the database; returns the report and what would be written. */
async function plan(db: Db, csv: string, now: number): Promise<{ lines: ImportLine[]; planned: Planned[]; fileProblem: Problem | null }> {
  let records: { line: number; cells: string[] }[];
  try {
    records = parseCsv(csv);
  } catch (err) {
    if (err instanceof CsvSyntaxError) return { lines: [], planned: [], fileProblem: { field: 'file', key: 'contracts.csv_unreadable', params: { reason: `${err.reason.replace('_', ' ')}, line ${err.line}` } } };
    throw err;
  }
  const [header, ...rows] = records;
  if (!header || !rows.length) return { lines: [], planned: [], fileProblem: { field: 'file', key: 'contracts.import_empty' } };
  if (rows.length > MAX_IMPORT_LINES) return { lines: [], planned: [], fileProblem: { field: 'file', key: 'contracts.import_too_many', params: { max: MAX_IMPORT_LINES } } };
  const cols = columnsOf(header.cells);
  if (!(cols instanceof Map)) return { lines: [], planned: [], fileProblem: cols };

  const services = new Map<string, ServiceRow>((await listServices(db)).map((s) => [s.code, s]));
  const orgOk = new Map<string, boolean>();
  const numbers = rows.map((r) => normaliseContractNumber(r.cells[cols.get('number')!] ?? '')).filter((n): n is string => n !== null);
  const existing = new Map<string, ContractRow>();
  for (let i = 0; i < numbers.length; i += 500) {
    const batch = numbers.slice(i, i + 500);
    for (const c of await db.selectFrom('contract').selectAll().where('number', 'in', batch).execute()) existing.set(c.number, c);
  }
  const firstLine = new Map<string, number>();
  const lines: ImportLine[] = [];
  const planned: Planned[] = [];
  for (const r of rows) {
    const cell = (c: Column): string | undefined => (cols.has(c) ? (r.cells[cols.get(c)!] ?? '') : undefined);
    const rawNumber = cell('number')!.trim();
    const problems: Problem[] = [];
    if (r.cells.length !== header.cells.length) problems.push({ field: 'line', key: 'contracts.csv_columns', params: { count: r.cells.length, expected: header.cells.length } });
    const orgId = cell('organisation')!.trim();
    if (!orgOk.has(orgId)) {
      const org = orgId && orgId.length <= 64 ? await findOrganisation(db, orgId) : undefined;
      orgOk.set(orgId, !!org && isCustomerKind(org.kind));
    }
    if (!orgOk.get(orgId)) problems.push({ field: 'organisation', key: 'contracts.org_unknown', params: { id: orgId } });
    const number = normaliseContractNumber(rawNumber);
    if (!number) problems.push({ field: 'number', key: 'contracts.number_invalid', params: { value: rawNumber.slice(0, 40) } });
    const serviceCode = cell('service')!.trim();
    const service = services.get(serviceCode);
    if (!service) problems.push({ field: 'service', key: 'contracts.service_unknown', params: { code: serviceCode.slice(0, 60) } });
    const fields: FieldErrors = {};
    const status = cell('status')?.trim();
    const t = checkContractTexts({ groupNumber: cell('group_number'), site: cell('site'), memo: cell('memo'), status: status || undefined }, fields);
    for (const [field, ps] of Object.entries(fields)) for (const p of ps) problems.push({ field, key: p.key, ...(p.params ? { params: p.params } : {}) });
    const current = number ? existing.get(number) : undefined;
    if (number) {
      const first = firstLine.get(number);
      if (first !== undefined) problems.push({ field: 'number', key: 'contracts.duplicate_in_file', params: { number, line: first } });
      else firstLine.set(number, r.line);
      if (current && current.organisation_id !== orgId) problems.push({ field: 'number', key: 'contracts.number_other_org', params: { number } });
    }
    if (problems.length || !number || !service) { lines.push({ line: r.line, number: number ?? rawNumber.slice(0, 40), action: 'error', problems }); continue; }
    const row: ContractRow = current
      ? { ...current, group_number: t.groupNumber ?? current.group_number, site: t.site ?? current.site, memo: t.memo ?? current.memo,
        status: t.status ?? current.status, service_id: service.id, updated_at: now }
      : { id: newId(), organisation_id: orgId, number, group_number: t.groupNumber ?? '', site: t.site ?? '', memo: t.memo ?? '',
        status: t.status ?? ('normal' as ContractStatus), service_id: service.id, search_text: '', created_at: now, updated_at: now };
    row.search_text = contractSearchText({ number, groupNumber: row.group_number, site: row.site, memo: row.memo, serviceNameJa: service.name_ja, serviceNameEn: service.name_en });
    const base = { line: r.line, number, organisationId: orgId, service: service.code };
    if (!current) { lines.push({ ...base, action: 'create' }); planned.push({ row, current, serviceCode: service.code, changes: [] }); continue; }
    const changes: Change[] = [];
    for (const f of ['group_number', 'site', 'memo', 'status'] as const) if (row[f] !== current[f]) changes.push({ field: f, from: current[f], to: row[f] });
    if (row.service_id !== current.service_id) {
      changes.push({ field: 'service', from: [...services.values()].find((s) => s.id === current.service_id)?.code ?? current.service_id, to: service.code });
    }
    if (changes.length) { lines.push({ ...base, action: 'change', changes }); planned.push({ row, current, serviceCode: service.code, changes }); } else lines.push({ ...base, action: 'unchanged' });
  }
  return { lines, planned, fileProblem: null };
}

/**
 * Imports contracts from CSV text. A dry run reports and writes nothing; otherwise the lines are
 * checked again inside one transaction and written only if every one is good (a refused file
 * leaves the database as it was). The report says which, line by line.
 */
export async function importContracts(db: Db, csv: string, o: { dryRun: boolean }, actor: OperatorActor, now: number): Promise<ImportReport> {
  if (o.dryRun) {
    const p = await plan(db, csv, now);
    return report(p.lines, p.fileProblem, false);
  }
  return db.transaction().execute(async (trx) => {
    const p = await plan(trx, csv, now);
    const r = report(p.lines, p.fileProblem, false);
    if (r.errors) return r;
    for (const x of p.planned) {
      if (x.current) await updateContractRow(trx, x.row);
      else await insertContract(trx, x.row);
    }
    const byOrg = new Map<string, { created: number; changed: number }>();
    for (const x of p.planned) {
      const c = byOrg.get(x.row.organisation_id) ?? { created: 0, changed: 0 };
      if (x.current) c.changed++; else c.created++;
      byOrg.set(x.row.organisation_id, c);
    }
    for (const [orgId, c] of byOrg) {
      await auditOperator(trx, actor, 'contracts.imported', { organisationId: orgId, detail: c }, now);
    }
    return { ...r, applied: true };
  });
}

/** The refusal of a file with problems, for callers that answer with an error (JSON 422, CLI exit 1). */
export function importRefusal(r: ImportReport, field = 'file'): DomainError {
  if (r.fileProblem) return new DomainError('common.field_errors', {}, { [field]: [{ key: r.fileProblem.key, ...(r.fileProblem.params ? { params: r.fileProblem.params } : {}) }] });
  return new DomainError('contracts.import_refused', { count: r.errors });
}
