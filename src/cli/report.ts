// Turns any error into one line for the operator (never a stack trace) and its exit code.
import { ConfigError, redactSecrets } from '../config.ts';
import { databaseStartupProblem } from '../db/index.ts';
import { DomainError } from '../errors.ts';
import { translator } from '../messages.ts';
import { CliFailure, EXIT_FAILURE, EXIT_USAGE, UsageError } from './command.ts';

const t = translator('en');

/** Service field names → the flags an operator typed. */
const FIELD_FLAGS: Record<string, string> = {
  loginId: '--login-id', email: '--email', name: '--name', phone: '--phone',
  // Notices, maintenance windows and terms (issue 26: the console and the CLI share their checks).
  services: '--service', titleJa: '--title-ja', titleEn: '--title-en', bodyJa: '--body-ja', bodyEn: '--body-en',
  startsAt: '--start', endsAt: '--end', announceFrom: '--announce-from', messageJa: '--message-ja', messageEn: '--message-en',
  // Issue 26 item 3: organisations, the catalogue and contracts name their fields as the form does.
  org: '--org', number: '--number', service: '--service', group_number: '--group-number', site: '--site', memo: '--memo',
  status: '--status', code: '--code', category: '--category', name_ja: '--name-ja', name_en: '--name-en',
  settings_site_url: '--settings-site-url', position: '--position', kind: '--kind', parent: '--parent', profile: '--profile',
  password_policy: '--password-policy', file: '--file',
};

export function describeDomainError(err: DomainError): string {
  const fields = Object.entries(err.fields);
  if (fields.length === 0) return t(err.code, err.params);
  // 'common.field_errors' says "marked below"; a terminal has no below, so list the fields instead.
  return fields
    .map(([field, problems]) => `${FIELD_FLAGS[field] ?? field}: ${problems.map((p) => t(p.key, p.params)).join(' ')}`)
    .join('; ');
}

/** The message of an unexpected error, with its cause (pg reports some failures as an AggregateError with no message). */
function plainMessage(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  let msg = err.message;
  if (!msg && err instanceof AggregateError) msg = err.errors.map((e) => plainMessage(e)).join('; ');
  if (!msg) msg = (err as { code?: string }).code ?? err.name;
  if (err.cause !== undefined) msg += `: ${plainMessage(err.cause)}`;
  return msg;
}

export function reportError(err: unknown, helpHint: string): { line: string; code: number } {
  const r = classify(err, helpHint);
  return { ...r, line: redactSecrets(r.line) };
}

function classify(err: unknown, helpHint: string): { line: string; code: number } {
  if (err instanceof UsageError) return { line: `error: ${err.message} (${helpHint})`, code: EXIT_USAGE };
  if (err instanceof ConfigError) return { line: `error: configuration: ${err.message}`, code: EXIT_USAGE };
  if (err instanceof CliFailure) return { line: `error: ${err.message}`, code: EXIT_FAILURE };
  if (err instanceof DomainError) return { line: `error: ${describeDomainError(err)}`, code: EXIT_FAILURE };
  // Unreachable database, wrong password, unknown database: say so (issue 15 §7), never "run init".
  const db = databaseStartupProblem(err);
  if (db) return { line: `error: ${db.line.replace(/^configuration error: /, 'configuration: ')}`, code: db.setting ? EXIT_USAGE : EXIT_FAILURE };
  return { line: `error: ${plainMessage(err).replace(/\s*\n\s*/g, ' ')}`, code: EXIT_FAILURE };
}
