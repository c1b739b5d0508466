// The legacy-user importer (issue 21; SPEC S11; docs/migration.md). Reads the file streamed, checks
// each row (rules.ts), asks the database about a whole batch at once (which legacy keys are in,
// which login IDs are taken, which contracts have organisations), then writes the batch in one
// transaction: organisations, users, their legacy keys and the migration's progress. A crash loses
// at most the batch in flight, wholly; a re-run of the same file continues the same migration and
// passes over the rows already in (their legacy key is unique), so running twice creates nothing
// twice. Every decision goes to the caller (the CLI prints it and writes the report).
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { basename } from 'node:path';
import type { Db } from '../db/index.ts';
import type { LegacyUserTable } from '../db/schema.ts';
import { canonicalLoginId } from '../lib/canonical.ts';
import { createOrganisation, insertUsers, takenLoginIds, type NewUser } from '../auth/service.ts';
import { readLegacyFile, sniffFormat, type FileFormat, type SourceRecord } from './format.ts';
import { checkRow, decideLoginId, suffixedLoginId, type CheckedRow, type PhoneDecision, type RowProblem } from './rules.ts';
import { findMigrationByDigest, insertContract, insertLegacyUsers, knownContracts, knownUsers, openMigration, recordProgress, finishMigration, type MigrationRow } from './store.ts';

export { FileShapeError } from './format.ts';
export type { RowProblem } from './rules.ts';

/** Rows per transaction: one multi-row insert per table stays far below both databases' bind limits. */
export const DEFAULT_BATCH = 1000;

export type OnError = 'skip' | 'stop';
export interface ImportOptions {
  dryRun: boolean;
  onError: OnError;
  batchSize?: number;
  format?: FileFormat;
  /** Tests: runs inside each batch's transaction after its writes; a throw is a crash mid-batch. */
  inTransaction?: (batch: number) => void | Promise<void>;
}

export interface OrgDecision { kind: 'org'; line: number; contract: string; parent: string | null; name: string; orgKind: 'partner' | 'child'; organisationId: string | null; passwordPolicy: string | null }
export interface UserDecision {
  kind: 'user'; line: number; ecid: string; contract: string; organisationId: string | null;
  legacyLoginId: string; loginId: string; loginIdChanged: boolean;
  legacyPhone: string; phone: string; phoneChange: PhoneDecision['change'];
  email: string; emailChanged: boolean; passwordHash: 'bcrypt' | 'pbkdf2_sha256' | null;
}
export interface ExistsDecision { kind: 'exists'; line: number; ecid: string; migrationId: string; sourceLine: number }
export interface ErrorDecision { kind: 'error'; line: number; ecid: string | null; problems: RowProblem[]; detail: string | null }
export type Decision = OrgDecision | UserDecision | ExistsDecision | ErrorDecision;

export interface ImportSummary {
  dryRun: boolean; migrationId: string | null; format: FileFormat;
  created: number; existing: number; errors: number; organisations: number;
  loginIdsChanged: number; phonesChanged: number; stopped: boolean;
}

/** A planned organisation; its id is known once its batch has written it. */
interface PlannedOrg { id: string | null; contract: string; parent: string | null; parentRef: PlannedOrg | null; name: string; orgKind: 'partner' | 'child'; passwordPolicy: string | null; line: number }

export async function fileDigest(path: string): Promise<string> {
  const h = createHash('sha256');
  for await (const chunk of createReadStream(path)) h.update(chunk as Buffer);
  return h.digest('hex');
}

export async function importLegacyUsers(
  ctx: { db: Db; now: () => number }, path: string, opts: ImportOptions, onDecision: (d: Decision) => void | Promise<void>,
): Promise<ImportSummary> {
  const format = opts.format ?? await sniffFormat(path);
  const digest = await fileDigest(path);
  const size = opts.batchSize ?? DEFAULT_BATCH;
  const s: ImportSummary = { dryRun: opts.dryRun, migrationId: null, format, created: 0, existing: 0, errors: 0, organisations: 0, loginIdsChanged: 0, phonesChanged: 0, stopped: false };
  // Contracts met so far (few next to users): the organisation made or found for each.
  const contracts = new Map<string, PlannedOrg>();
  // A dry run writes nothing, so what earlier batches would have made is remembered here instead
  // (grows with the file: a dry run of a million rows holds a million keys; a real run does not).
  const dry = opts.dryRun ? { ecids: new Map<string, number>(), loginIds: new Set<string>() } : null;
  let migration: MigrationRow | null = opts.dryRun ? (await findMigrationByDigest(ctx.db, digest)) ?? null : null;
  let batchNo = 0;

  const flush = async (records: SourceRecord[]) => {
    if (!records.length) return;
    batchNo++;
    if (!opts.dryRun && !migration) migration = await openMigration(ctx.db, digest, basename(path), ctx.now());
    s.migrationId = migration?.id ?? null;
    const checked = records.map((r) => ('raw' in r
      ? { line: r.line, res: checkRow(r.raw), ecid: r.raw.ecid?.trim() || null, detail: null }
      : { line: r.line, res: { ok: false as const, problems: [r.problem] }, ecid: null, detail: r.detail }));
    const rows = checked.flatMap((c) => (c.res.ok ? [c.res.row] : []));
    const known = await knownUsers(ctx.db, rows.map((r) => r.ecid));
    const taken = await takenLoginIds(ctx.db, rows.flatMap((r) => [canonicalLoginId(r.loginId), canonicalLoginId(suffixedLoginId(r.loginId, r.ecid))]));
    const missing = [...new Set(rows.flatMap((r) => (r.parentContract ? [r.contract, r.parentContract] : [r.contract])))].filter((k) => !contracts.has(k));
    for (const [key, c] of await knownContracts(ctx.db, missing)) {
      contracts.set(key, { id: c.organisation_id, contract: key, parent: c.parent_key, parentRef: null, name: key, orgKind: c.parent_key ? 'child' : 'partner', passwordPolicy: null, line: 0 });
    }
    const batchEcids = new Map<string, number>();
    const assigned = new Set<string>();
    const isTaken = (c: string) => taken.has(c) || assigned.has(c) || (dry?.loginIds.has(c) ?? false);
    const decisions: Decision[] = [];
    const newOrgs: PlannedOrg[] = [];
    const users: { row: CheckedRow; loginId: string; org: PlannedOrg; line: number }[] = [];
    let lastLine = 0;

    const orgFor = (row: CheckedRow, line: number): PlannedOrg | RowProblem => {
      const have = contracts.get(row.contract);
      if (have) return have.parent === row.parentContract ? have : 'contract_parent_mismatch';
      let parentRef: PlannedOrg | null = null;
      if (row.parentContract) {
        const parent = contracts.get(row.parentContract);
        if (parent && parent.parent) return 'contract_parent_mismatch'; // a child's child: the seed has two levels
        // A child met before its partner's own rows: the partner's organisation is made now, named by its key.
        parentRef = parent ?? plan({ id: null, contract: row.parentContract, parent: null, parentRef: null, name: row.parentContract, orgKind: 'partner', passwordPolicy: null, line });
      }
      return plan({ id: null, contract: row.contract, parent: row.parentContract, parentRef, name: row.contractName ?? row.contract, orgKind: row.parentContract ? 'child' : 'partner', passwordPolicy: row.passwordPolicy, line });
    };
    const plan = (o: PlannedOrg): PlannedOrg => {
      contracts.set(o.contract, o);
      newOrgs.push(o);
      return o;
    };

    for (const c of checked) {
      lastLine = c.line;
      const fail = (problems: RowProblem[], ecid: string | null, detail: string | null = null) => {
        decisions.push({ kind: 'error', line: c.line, ecid, problems, detail });
        s.errors++;
        if (opts.onError === 'stop') s.stopped = true;
      };
      if (!c.res.ok) { fail(c.res.problems, c.ecid, c.detail); if (s.stopped) break; continue; }
      const row = c.res.row;
      const before = known.get(row.ecid);
      if (before && (before.migration_id !== migration?.id || before.source_line === c.line)) {
        // In by an earlier file, or by this file's earlier run (resumed): nothing to do.
        decisions.push({ kind: 'exists', line: c.line, ecid: row.ecid, migrationId: before.migration_id, sourceLine: before.source_line });
        s.existing++;
        continue;
      }
      const first = before?.source_line ?? batchEcids.get(row.ecid) ?? dry?.ecids.get(row.ecid);
      if (first !== undefined) { fail(['duplicate'], row.ecid, `line ${first}`); if (s.stopped) break; continue; }
      const login = decideLoginId(row.loginId, row.ecid, isTaken);
      if (!login.ok) { fail([login.problem], row.ecid); if (s.stopped) break; continue; }
      const orgsBefore = newOrgs.length;
      const org = orgFor(row, c.line);
      if (typeof org === 'string') { fail([org], row.ecid); if (s.stopped) break; continue; }
      for (const o of newOrgs.slice(orgsBefore)) decisions.push(orgDecision(o));
      batchEcids.set(row.ecid, c.line);
      assigned.add(canonicalLoginId(login.loginId));
      users.push({ row, loginId: login.loginId, org, line: c.line });
      decisions.push({
        kind: 'user', line: c.line, ecid: row.ecid, contract: row.contract, organisationId: org.id,
        legacyLoginId: row.legacyLoginId, loginId: login.loginId, loginIdChanged: login.changed,
        legacyPhone: row.legacyPhone, phone: row.phone.phone, phoneChange: row.phone.change,
        email: row.email, emailChanged: row.emailChanged, passwordHash: row.passwordHash ? (row.passwordHash.startsWith('$2') ? 'bcrypt' : 'pbkdf2_sha256') : null,
      });
    }

    if (!opts.dryRun && (users.length || newOrgs.length || lastLine)) {
      const now = ctx.now();
      const m = migration!;
      await ctx.db.transaction().execute(async (trx) => {
        for (const o of newOrgs) {
          const parentId = o.parentRef?.id ?? null;
          const made = await createOrganisation(trx, { name: o.name, kind: o.orgKind, parentId, passwordPolicy: o.passwordPolicy }, now);
          o.id = made.id;
          await insertContract(trx, { contract_key: o.contract, organisation_id: made.id, parent_key: o.parent, migration_id: m.id, created_at: now });
        }
        const newUsers: NewUser[] = users.map((u) => ({
          organisationId: u.org.id!, loginId: u.loginId, email: u.row.email, name: u.row.name, phone: u.row.phone.phone,
          role: u.row.role, lang: u.row.lang, origin: 'legacy',
        }));
        const ids = await insertUsers(trx, newUsers, now);
        const legacy: LegacyUserTable[] = users.map((u, i) => ({
          ecid: u.row.ecid, user_id: ids[i]!, migration_id: m.id, contract_key: u.row.contract, source_line: u.line,
          legacy_login_id: u.row.legacyLoginId, legacy_phone: u.row.legacyPhone, legacy_password_hash: u.row.passwordHash, created_at: now,
        }));
        await insertLegacyUsers(trx, legacy);
        await recordProgress(trx, m.id, lastLine, users.length);
        await opts.inTransaction?.(batchNo);
      }).catch((err) => {
        // Nothing of the batch is in: its planned organisations are not made either.
        for (const o of newOrgs) { o.id = null; contracts.delete(o.contract); }
        throw err;
      });
      for (const d of decisions) {
        if (d.kind === 'org') d.organisationId = contracts.get(d.contract)?.id ?? null;
        if (d.kind === 'user') d.organisationId = contracts.get(d.contract)?.id ?? null;
      }
    }
    if (dry) for (const u of users) { dry.ecids.set(u.row.ecid, u.line); dry.loginIds.add(canonicalLoginId(u.loginId)); }
    s.created += users.length;
    s.organisations += newOrgs.length;
    for (const d of decisions) {
      if (d.kind === 'user') { if (d.loginIdChanged) s.loginIdsChanged++; if (d.phoneChange) s.phonesChanged++; }
      await onDecision(d);
    }
  };

  let batch: SourceRecord[] = [];
  for await (const rec of readLegacyFile(path, format)) {
    batch.push(rec);
    if (batch.length >= size) {
      await flush(batch);
      batch = [];
      if (s.stopped) break;
    }
  }
  if (!s.stopped) await flush(batch);
  if (!opts.dryRun && migration && !s.stopped) await finishMigration(ctx.db, (migration as MigrationRow).id, ctx.now());
  return s;
}

function orgDecision(o: PlannedOrg): OrgDecision {
  return { kind: 'org', line: o.line, contract: o.contract, parent: o.parent, name: o.name, orgKind: o.orgKind, organisationId: o.id, passwordPolicy: o.passwordPolicy };
}
