// `--json` on list commands (issue 20 item 9): one JSON array on stdout and nothing else, so
// `bizportal org list --json | jq` works; instants are ISO 8601 in UTC, whatever the operator's TZ.
import type { CliIo, OptionSpec, ParsedValues } from './command.ts';

export const JSON_OPTION: OptionSpec = { json: { type: 'boolean' } };
/** The --json help line, its text starting at column `width` like the command's other options. */
export function jsonHelp(width = 17): string {
  return `${'--json'.padEnd(width)}one JSON array on stdout (times in ISO 8601 UTC), nothing else; [] when empty`;
}

export function wantsJson(values: ParsedValues): boolean {
  return values.json === true;
}

export function printJson(io: CliIo, rows: readonly object[]): void {
  io.out(JSON.stringify(rows, null, 2));
}
