// `migrate import FILE` and `migrate status` (issue 21; SPEC S11; docs/migration.md): the legacy
// login portal's users into the new portal. The import prints every decision that is not a plain
// copy (organisations made, changed login IDs and phones, refused rows) and writes every decision
// to the report file; a dry run does the same and writes nothing else.
import { existsSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import { audit } from '../../audit/log.ts';
import { CLI_ACTOR } from './user.ts';
import { FileShapeError, importLegacyUsers, type Decision, type ImportSummary } from '../../migration/service.ts';
import { csvLine, describeProblems, ReportWriter } from '../../migration/report.ts';
import { importedUsers, migrationProgress, STATUS_CSV_COLUMNS, statusCsvCells } from '../../migration/status.ts';
import { MigrationRefusal, periodState, sendFirstLoginGuides, setMigrationPeriod } from '../../migration/period.ts';
import { listMigrations } from '../../migration/store.ts';
import { intInRange, oneOf, optional } from '../args.ts';
import { requiredInstant } from '../time.ts';
import { interactive } from '../spinner.ts';
import { CliFailure, UsageError, type CliIo, type Command } from '../command.ts';
import { jsonHelp, printJson, wantsJson, JSON_OPTION } from '../json.ts';
import { table } from '../table.ts';

/** One printed line for a decision the operator must see; null for a plain copy (in the report only). */
export function describeDecision(d: Decision, dryRun: boolean): string | null {
  const will = (done: string, would: string) => (dryRun ? would : done);
  switch (d.kind) {
    case 'org':
      return `line ${d.line}: contract ${d.contract}: ${will('created', 'would create')} ${d.orgKind} organisation "${d.name}"${d.parent ? ` under contract ${d.parent}` : ''}${d.passwordPolicy ? ` (password policy ${d.passwordPolicy})` : ''}`;
    case 'user': {
      const changes = [
        d.loginIdChanged ? `login ID "${d.legacyLoginId}" → "${d.loginId}" (taken in the new portal)` : '',
        d.phoneChange ? `phone "${d.legacyPhone}" → "${d.phone}" (${d.phoneChange === 'default' ? 'not 4–32 digits: the default' : 'non-digits removed'})` : '',
      ].filter(Boolean);
      return changes.length ? `line ${d.line}: ${d.ecid}: ${changes.join(', ')}` : null;
    }
    case 'exists': return null;
    case 'error': return `line ${d.line}: ${d.ecid ?? '-'}: refused: ${describeProblems(d.problems, d.detail)}`;
  }
}

function summaryLine(s: ImportSummary): string {
  const w = s.dryRun ? 'would create' : 'created';
  return `${s.dryRun ? 'dry run: ' : ''}${w} ${s.created} user(s) and ${s.organisations} organisation(s); ${s.loginIdsChanged} login ID(s) and ${s.phonesChanged} phone(s) changed; `
    + `${s.existing} already imported; ${s.errors} refused${s.stopped ? '; stopped at the first refused row (--on-error=stop)' : ''}${s.dryRun ? '; nothing written' : ''}`;
}

export const migrateImportCommand: Command = {
  path: ['migrate', 'import'],
  summary: 'import legacy login-portal users (CSV or JSON); --dry-run reports every decision and writes nothing',
  synopsis: 'FILE [--dry-run] [--on-error=skip|stop] [--report FILE]',
  positionals: ['file'],
  help: [
    'FILE             UTF-8 CSV (a BOM is fine) or a JSON array of objects, columns:',
    '                 ecid, contract, login_id, email, name (required); phone, parent_contract,',
    '                 contract_name, role, lang, password_policy, password_hash (docs/migration.md)',
    '--dry-run        decide every row and report it; write nothing to the database',
    '--on-error=M     skip (default): report a bad row and go on; stop: stop at the first bad row',
    '--report FILE    where the CSV report of every decision goes (default FILE.report.csv,',
    '                 FILE.dry-run-report.csv for a dry run)',
    'One organisation per legacy contract (a row with parent_contract: a child organisation of it).',
    'A login ID taken in the new portal becomes login ID + "_" + ecid; a phone that is not 4–32',
    'digits loses its non-digits, else becomes 0312345678. Running the same file again creates',
    'nothing twice and continues after a crash (rows already in are passed over).',
  ],
  options: { 'dry-run': { type: 'boolean' }, 'on-error': { type: 'string' }, report: { type: 'string' } },
  prepare(values) {
    const file = String(values.file);
    const dryRun = values['dry-run'] === true;
    const onError = oneOf(values, 'on-error', ['skip', 'stop'] as const) ?? 'skip';
    const report = optional(values, 'report') ?? `${file}${dryRun ? '.dry-run-report.csv' : '.report.csv'}`;
    if (!existsSync(file) || !statSync(file).isFile()) throw new UsageError(`FILE: no file "${file}"`);
    if (report === file) throw new UsageError('--report must not be the input FILE');
    return async (ctx, io) => {
      let writer: ReportWriter;
      try { writer = new ReportWriter(report); } catch (err) {
        throw new CliFailure(`--report: cannot write "${report}" (${(err as { code?: string }).code ?? 'error'})`);
      }
      let summary: ImportSummary;
      let rows = 0;
      try {
        summary = await importLegacyUsers(ctx, file, { dryRun, onError }, async (d) => {
          await writer.write(d);
          const line = describeDecision(d, dryRun);
          if (line) io.out(line);
          if (d.kind !== 'org' && ++rows % 10_000 === 0) io.progress?.(`${rows} rows`);
        });
      } catch (err) {
        if (err instanceof FileShapeError) throw new CliFailure(`${file}: ${err.message}; nothing was imported`);
        throw err;
      } finally {
        await writer.close();
      }
      // S13: what an operator does is audited; a dry run changes nothing and is not.
      if (!dryRun && summary.migrationId) {
        await audit(ctx.db, { event: 'migration.imported', ip: CLI_ACTOR.ip, detail: {
          migration: summary.migrationId, file: basename(file), created: summary.created, existing: summary.existing,
          errors: summary.errors, organisations: summary.organisations, stopped: summary.stopped, via: 'cli',
        } }, ctx.now());
      }
      io.out(summaryLine(summary));
      io.out(`report: ${report}`);
      if (summary.stopped) throw new CliFailure('stopped at a refused row; fix it and run the same command again (rows already in are passed over)');
    };
  },
};

function printStatusCsv(io: CliIo, rows: ReturnType<typeof importedUsers>): Promise<void> {
  // The console's CSV (GET /operator/migrations/users.csv) has the same columns and cells.
  io.out(csvLine([...STATUS_CSV_COLUMNS]).trimEnd());
  return (async () => {
    for await (const u of rows) io.out(csvLine(statusCsvCells(u)).trimEnd());
  })();
}

export const migrateStatusCommand: Command = {
  path: ['migrate', 'status'],
  summary: 'first-login progress of imported users per organisation (table, --json, or --csv of every user)',
  synopsis: '[--json|--csv] [--pending]',
  help: [
    'Completed = logged in to the new portal once (password, 2-step setup and terms done).',
    jsonHelp(17),
    `${'--csv'.padEnd(17)}every imported user, one CSV line each: contract, organisation, login ID, e-mail, name, completed or not`,
    `${'--pending'.padEnd(17)}with the table: also list the users who have not completed their first login`,
  ],
  options: { ...JSON_OPTION, csv: { type: 'boolean' }, pending: { type: 'boolean' } },
  prepare(values) {
    if (wantsJson(values) && values.csv === true) throw new UsageError('--json and --csv: choose one');
    const pending = values.pending === true;
    return async (ctx, io) => {
      if (values.csv === true) return printStatusCsv(io, importedUsers(ctx.db));
      const orgs = await migrationProgress(ctx.db);
      if (wantsJson(values)) return printJson(io, orgs);
      table(io, ['CONTRACT', 'PARENT', 'USERS', 'COMPLETED', 'NOT COMPLETED', 'ORGANISATION'],
        orgs.map((o) => [o.contract, o.parentContract ?? '-', String(o.users), String(o.completed), String(o.pending), o.organisation]));
      const total = orgs.reduce((a, o) => ({ users: a.users + o.users, completed: a.completed + o.completed }), { users: 0, completed: 0 });
      io.out(`${orgs.length} organisation(s), ${total.users} imported user(s): ${total.completed} completed their first login, ${total.users - total.completed} not`);
      for (const m of await listMigrations(ctx.db)) {
        const period = m.period_starts_at === null ? 'no period set' : `period ${new Date(m.period_starts_at).toISOString()} – ${new Date(m.period_ends_at!).toISOString()} (${periodState(m, ctx.now())})`;
        io.out(`migration ${m.id}: ${m.file_name}, ${m.imported} user(s)${m.finished_at === null ? ', not finished' : ''}; ${period}`);
      }
      if (pending) {
        const rows: string[][] = [];
        for await (const u of importedUsers(ctx.db)) if (u.lastLoginAt === null) rows.push([u.contract, u.loginId, u.email, u.name]);
        io.out('');
        table(io, ['CONTRACT', 'LOGIN ID', 'E-MAIL', 'NAME'], rows);
      }
    };
  },
};

/** A refusal of the migration service as the CLI's one-line failure. */
async function refusing<T>(fn: () => Promise<T>): Promise<T> {
  try { return await fn(); } catch (err) {
    if (err instanceof MigrationRefusal) throw new CliFailure(err.message);
    throw err;
  }
}

export const migratePeriodCommand: Command = {
  path: ['migrate', 'period'],
  summary: 'set the migration period (start, end) of an import',
  synopsis: '--start T --end T [--migration ID]',
  help: [
    '--start T        ISO 8601 with an offset, e.g. 2026-04-01T00:00+09:00',
    '--end T          the first instant after the period (after it, 1-step legacy login is refused)',
    '--migration ID   which import (see migrate status); may be left out when there is one',
  ],
  options: { start: { type: 'string' }, end: { type: 'string' }, migration: { type: 'string' } },
  prepare(values) {
    const start = requiredInstant(values, 'start');
    const end = requiredInstant(values, 'end');
    const id = optional(values, 'migration');
    return async (ctx, io) => {
      const m = await refusing(() => setMigrationPeriod(ctx, id, start, end));
      await audit(ctx.db, { event: 'migration.period_set', ip: CLI_ACTOR.ip, detail: { migration: m.id, startsAt: start, endsAt: end, via: 'cli' } }, ctx.now());
      io.out(`migration ${m.id} (${m.file_name}): period ${new Date(start).toISOString()} – ${new Date(end).toISOString()}`);
    };
  },
};

export const migrateSendGuidesCommand: Command = {
  path: ['migrate', 'send-guides'],
  summary: 'queue the first-login mail of every imported user not sent to yet, at a bounded rate, during the period',
  synopsis: '[--rate N] [--limit N] [--migration ID]',
  help: [
    '--rate N         mails queued per second at most (default 20, 1–1000)',
    '--limit N        stop after N users (a trial); run again to continue',
    '--migration ID   which import; may be left out when there is one',
    'A progress bar on a terminal, a line per 10 % otherwise. Each user is marked when their mail is',
    'queued: after a crash or ^C the next run continues with the others.',
  ],
  options: { rate: { type: 'string' }, limit: { type: 'string' }, migration: { type: 'string' } },
  spinner: false,
  prepare(values) {
    const perSecond = intInRange(values, 'rate', 20, 1, 1000);
    const limit = values.limit === undefined ? undefined : intInRange(values, 'limit', 0, 1, 100_000_000);
    const id = optional(values, 'migration');
    return async (ctx, io) => {
      // A bar only on a terminal and only for the process's own io (tests capture lines instead).
      const bar = io.activity && interactive(process.stderr) ? await progressBar() : null;
      let step = 0;
      const s = await refusing(() => sendFirstLoginGuides(ctx, id, {
        perSecond, limit,
        onProgress: (done, total) => {
          if (bar) { if (done === 1) bar.start(total, 0); bar.update(done); return; }
          const tenth = Math.floor((done * 10) / total);
          if (tenth > step || done === total) { step = tenth; io.out(`${done} of ${total} (${Math.round((done * 100) / total)} %)`); }
        },
      })).finally(() => bar?.stop());
      await audit(ctx.db, { event: 'migration.guides_sent', ip: CLI_ACTOR.ip, detail: { migration: s.migrationId, queued: s.queued, skipped: s.skipped, via: 'cli' } }, ctx.now());
      io.out(`migration ${s.migrationId}: queued ${s.queued} first-login mail(s), skipped ${s.skipped} (first login done or disabled); ${s.before + s.queued + s.skipped} of the imported users handled so far`);
    };
  },
};

async function progressBar() {
  const { SingleBar, Presets } = await import('cli-progress');
  return new SingleBar({ format: 'first-login mails [{bar}] {percentage}% {value}/{total} eta {eta_formatted}', stream: process.stderr, hideCursor: true }, Presets.shades_classic);
}

export const MIGRATE_COMMANDS: readonly Command[] = [migrateImportCommand, migrateStatusCommand, migratePeriodCommand, migrateSendGuidesCommand];
