// Help texts: the overview (commands, environment, exit codes), one group, one command.
import type { CliIo, Command } from './command.ts';

const ENVIRONMENT = [
  'Environment (the same settings as the server):',
  '  DATABASE_URL      sqlite:/path/to/file.sqlite or postgres://user:pass@host:5432/db',
  '                    (default: sqlite:$DATA_DIR/bizportal.sqlite)',
  '  DATABASE_SCHEMA   PostgreSQL only: the schema to work in (sets search_path); default: the',
  '                    connection\'s own search_path',
  '  PUBLIC_URL        origin of the links in mails, as the server is reached (default http://localhost:3000)',
  '  DATA_DIR          data directory (default ./data); outside production it keeps generated secrets',
  '  SECRET_KEY, TOTP_KEY   required when NODE_ENV=production',
  '  SETUP_LINK_HOURS  how long a starting guide link stays valid (default 72)',
  '  TZ                the operator\'s time zone for `user list` times, e.g. Asia/Tokyo (JST, as the web UI);',
  '                    default: the system\'s. --json output is always UTC',
];

export function usageLine(c: Command): string {
  return `bizportal ${c.path.join(' ')}${c.synopsis ? ` ${c.synopsis}` : ''}`;
}

export function printOverview(io: CliIo, commands: readonly Command[]): void {
  const width = Math.max(...commands.map((c) => c.path.join(' ').length), 'help [command]'.length) + 2;
  io.out('bizportal: operator commands for the customer business portal');
  io.out('');
  io.out('Usage: bizportal <command> [options]');
  io.out('       bizportal <command> --help');
  io.out('');
  io.out('Commands:');
  for (const c of commands) io.out(`  ${c.path.join(' ').padEnd(width)}${c.summary}`);
  io.out(`  ${'help [command]'.padEnd(width)}this text, or one command's options`);
  io.out('');
  for (const line of ENVIRONMENT) io.out(line);
  io.out('');
  io.out('Exit status: 0 done; 1 refused (invalid or unknown data, database error); 2 bad command line or');
  io.out('configuration. Errors are one line on stderr. An id that starts with "-" is written --org=ID.');
}

export function printGroup(io: CliIo, group: string, commands: readonly Command[]): void {
  io.out(`Usage: bizportal ${group} <${commands.map((c) => c.path.slice(1).join(' ')).join('|')}> [options]`);
  io.out('');
  for (const c of commands) {
    io.out(`  ${usageLine(c)}`);
    io.out(`      ${c.summary}`);
  }
}

export function printCommand(io: CliIo, c: Command): void {
  io.out(`Usage: ${usageLine(c)}`);
  io.out('');
  io.out(`${c.summary[0]!.toUpperCase()}${c.summary.slice(1)}.`);
  if (c.help.length) {
    io.out('');
    for (const line of c.help) io.out(`  ${line}`);
  }
  io.out('');
  io.out('Uses DATABASE_URL (and DATABASE_SCHEMA for PostgreSQL) like the server; see \'bizportal help\'.');
}
