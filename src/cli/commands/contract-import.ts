// `contract import --file F [--dry-run]` (issue 26 item 3): contracts from CSV, the console's import
// through the same service. Prints one line per CSV line (what would be / was created or changed, or
// each problem), then the totals; a file with any problem writes nothing and exits 1.
import { readFileSync } from 'node:fs';
import { importContracts, importRefusal, IMPORT_COLUMNS, MAX_IMPORT_LINES, type ImportLine } from '../../portal/contracts/import.ts';
import { translator } from '../../messages.ts';
import { required } from '../args.ts';
import { CliFailure, type Command } from '../command.ts';
import { describeDomainError } from '../report.ts';
import { CLI_ACTOR } from './user.ts';

const t = translator('en');
const MAX_BYTES = 20 * 1024 * 1024;

function describe(l: ImportLine, dryRun: boolean): string {
  const head = `line ${l.line}: ${l.number}`;
  switch (l.action) {
    case 'create': return `${head}: ${dryRun ? 'would create' : 'created'} (${l.service}, organisation ${l.organisationId})`;
    case 'change': return `${head}: ${dryRun ? 'would change' : 'changed'} ${l.changes.map((c) => `${c.field} "${c.from}" → "${c.to}"`).join(', ')}`;
    case 'unchanged': return `${head}: unchanged`;
    case 'error': return `${head}: ${l.problems.map((p) => `${p.field}: ${t(p.key, p.params)}`).join(' ')}`;
  }
}

export const contractImportCommand: Command = {
  path: ['contract', 'import'],
  summary: 'import contracts from a CSV file, all or nothing; --dry-run only reports',
  synopsis: '--file F [--dry-run]',
  help: [
    '--file F      UTF-8 CSV (a BOM is fine), first line the column names:',
    `              ${IMPORT_COLUMNS.join(',')} (organisation, number and service required; any order)`,
    '              organisation = organisation id; number = «N» + 9 digits; service = service code;',
    '              status = normal (default), failure, maintenance or suspended',
    '--dry-run     check every line and report what would happen; write nothing',
    'A number already in the database for the same organisation is a change of that contract (the',
    'columns present are set); in another organisation it is refused. Nothing is written unless every',
    `line is good (one transaction). At most ${MAX_IMPORT_LINES} lines.`,
  ],
  options: { file: { type: 'string' }, 'dry-run': { type: 'boolean' } },
  prepare(values) {
    const file = required(values, 'file');
    const dryRun = values['dry-run'] === true;
    return async (ctx, io) => {
      let csv: string;
      try {
        const buf = readFileSync(file);
        if (buf.length > MAX_BYTES) throw new CliFailure(`--file: larger than ${MAX_BYTES / 1024 / 1024} MB`);
        csv = new TextDecoder('utf-8', { fatal: true }).decode(buf);
      } catch (err) {
        if (err instanceof CliFailure) throw err;
        throw new CliFailure(`--file: cannot read "${file}" as UTF-8 text (${(err as { code?: string }).code ?? 'not UTF-8'})`);
      }
      const r = await importContracts(ctx.db, csv, { dryRun }, CLI_ACTOR, ctx.now());
      for (const l of r.lines) io.out(describe(l, dryRun));
      if (r.errors) throw new CliFailure(describeDomainError(importRefusal(r)));
      io.out(`${dryRun ? 'dry run: would create' : 'created'} ${r.created}, ${dryRun ? 'would change' : 'changed'} ${r.changed}, unchanged ${r.unchanged}${dryRun ? '; nothing written' : ''}`);
    };
  },
};
