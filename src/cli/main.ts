// The operator CLI (SPEC S0, S14): `bizportal <command> [options]`. Finds the command, checks its
// options before the database is touched, opens the database, runs, closes. Every failure is one
// line on stderr with exit 1 (refused) or 2 (usage, configuration); never a stack trace.
// Run as `npm run cli -- …`, `npx bizportal …` (bin/bizportal.mjs) or in-process via runCli (tests).
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { migrationsCurrent } from '../db/index.ts';
import { type CliEnv, type CliIo, type Command, CliFailure, EXIT_OK, type ParsedValues, UsageError } from './command.ts';
import { openCliContext } from './context.ts';
import { printCommand, printGroup, printOverview } from './help.ts';
import { reportError } from './report.ts';
import { processIo } from './stdio.ts';
import { initCommand } from './commands/init.ts';
import { orgCreateCommand, orgListCommand, orgSetCommand, orgShowCommand } from './commands/org.ts';
import { userCreateCommand, userResendGuideCommand } from './commands/user.ts';
import { termsDiffCommand, termsListCommand, termsPublishCommand } from './commands/terms.ts';
import { outboxListCommand } from './commands/outbox.ts';
import { keysRotateTotpCommand } from './commands/keys.ts';
import { userSetMethodCommand } from './commands/user-method.ts';
import { userDisableCommand, userEnableCommand, userListCommand } from './commands/user-admin.ts';
import { serviceCategoryCreateCommand, serviceCategoryListCommand, serviceCategorySetCommand, serviceCreateCommand, serviceListCommand, serviceSetCommand } from './commands/service.ts';
import { contractCreateCommand, contractGrantCommand, contractListCommand, contractRevokeCommand, contractSetCommand } from './commands/contract.ts';
import { contractImportCommand } from './commands/contract-import.ts';
import { demoCommand } from './commands/demo.ts';
import { orderCreateCommand, orderListCommand, orderStepCommand } from './commands/order.ts';
import { noticeChangeCommand, noticeCreateCommand, noticeListCommand, noticeWithdrawCommand, noticeStatusCommand } from './commands/notice.ts';
import { BRAND_COMMANDS } from './commands/brand.ts';
import { maintenanceCancelCommand, maintenanceChangeCommand, maintenanceListCommand, maintenanceScheduleCommand } from './commands/maintenance.ts';
import { ticketAssignCommand, ticketListCommand, ticketNoteCommand, ticketReplyCommand } from './commands/ticket.ts';
import { sweepCommand } from './commands/sweep.ts';
import { OIDC_COMMANDS } from './commands/oidc.ts';
import { MIGRATE_COMMANDS } from './commands/migrate.ts';
import { operatorAddCommand, operatorListCommand, operatorOrgCommand, operatorSetRoleCommand } from './commands/operator.ts';

export type { CliIo, CliEnv } from './command.ts';

export const COMMANDS: readonly Command[] = [
  initCommand, orgCreateCommand, orgListCommand, orgSetCommand, orgShowCommand, userCreateCommand, userResendGuideCommand,
  termsPublishCommand, termsDiffCommand, termsListCommand, outboxListCommand, keysRotateTotpCommand, userSetMethodCommand,
  userListCommand, userDisableCommand, userEnableCommand,
  serviceCategoryCreateCommand, serviceCategoryListCommand, serviceCategorySetCommand, serviceCreateCommand, serviceListCommand, serviceSetCommand,
  contractCreateCommand, contractListCommand, contractSetCommand, contractImportCommand, contractGrantCommand, contractRevokeCommand, demoCommand,
  orderCreateCommand, orderListCommand, orderStepCommand, noticeCreateCommand, noticeChangeCommand, noticeListCommand, noticeWithdrawCommand, noticeStatusCommand,
  maintenanceScheduleCommand, maintenanceChangeCommand, maintenanceListCommand, maintenanceCancelCommand, ticketListCommand, ticketReplyCommand, ticketAssignCommand, ticketNoteCommand,
  sweepCommand, operatorOrgCommand, operatorAddCommand, operatorListCommand, operatorSetRoleCommand, ...OIDC_COMMANDS, ...BRAND_COMMANDS, ...MIGRATE_COMMANDS,
];

const isHelpFlag = (a: string | undefined) => a === '--help' || a === '-h';

type Resolved = { command: Command; args: string[] } | { group: string; commands: Command[]; rest: string[] };

/** The command named by the leading words of argv, or the group they start (`org`). */
function resolve(argv: readonly string[]): Resolved {
  const command = COMMANDS.find((c) => c.path.every((word, i) => argv[i] === word));
  if (command) return { command, args: argv.slice(command.path.length) };
  const [group = '', ...rest] = argv;
  const commands = COMMANDS.filter((c) => c.path[0] === group && c.path.length > 1);
  if (commands.length === 0) throw new UsageError(`unknown command "${group}"`);
  return { group, commands, rest };
}

function parse(command: Command, args: string[]): ParsedValues {
  try {
    const names = command.positionals ?? [];
    const { values, positionals } = parseArgs({ args, options: command.options, strict: true, allowPositionals: names.length > 0 });
    if (positionals.length > names.length) throw new UsageError(`unexpected argument ${positionals[names.length]}`);
    if (positionals.length < names.length) throw new UsageError(`missing ${names[positionals.length]!.toUpperCase()}`);
    return { ...(values as ParsedValues), ...Object.fromEntries(names.map((n, i) => [n, positionals[i]])) };
  } catch (err) {
    if (err instanceof UsageError) throw err;
    throw new UsageError(parseProblem(err));
  }
}

/** node:util's parseArgs messages run on with advice; say the problem in a few words. */
function parseProblem(err: unknown): string {
  const msg = err instanceof Error ? err.message : String(err);
  const code = (err as { code?: string }).code;
  const option = /'(-{1,2}[^' ]+)/.exec(msg)?.[1] ?? '';
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') return `unknown option ${option}`;
  if (code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL') return `unexpected argument ${/'([^']*)'/.exec(msg)?.[1] ?? ''}`.trim();
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
    if (/does not take an argument/.test(msg)) return `${option} takes no value`;
    return `${option} needs a value (one that starts with "-" is written ${option}=VALUE)`;
  }
  return msg.split(/\.\s/)[0]!.replace(/\.$/, '');
}

function help(argv: readonly string[], io: CliIo): number {
  if (argv.length === 0) {
    printOverview(io, COMMANDS);
    return EXIT_OK;
  }
  const r = resolve(argv);
  if ('command' in r) {
    if (r.args.length) throw new UsageError(`unknown command "${argv.join(' ')}"`);
    printCommand(io, r.command);
  } else {
    if (r.rest.length) throw new UsageError(`unknown command "${argv.join(' ')}"`);
    printGroup(io, r.group, r.commands);
  }
  return EXIT_OK;
}

async function execute(command: Command, args: string[], io: CliIo, env: CliEnv): Promise<number> {
  const run = command.prepare(parse(command, args));
  // Input is checked; from here on the command may take a while (database, files, mail).
  const activity = command.spinner === false ? undefined : io.activity?.(`bizportal ${command.path.join(' ')}`);
  const runIo: CliIo = activity ? { ...io, progress: (text) => activity.progress(text) } : io;
  try {
    const { ctx, close } = await openCliContext(env);
    try {
      if (command.schema !== 'migrate' && !(await migrationsCurrent(ctx.db))) {
        throw new CliFailure('the database is not initialised or not up to date: run \'bizportal init\' first');
      }
      await run(ctx, runIo);
      return EXIT_OK;
    } finally {
      await close().catch(() => {});
    }
  } finally {
    await activity?.stop();
  }
}

export async function runCli(argv: string[], io: CliIo, env: CliEnv): Promise<number> {
  let hint = 'see \'bizportal help\'';
  try {
    const [first, ...rest] = argv;
    if (first === undefined) throw new UsageError('missing command');
    if (first === 'help' || isHelpFlag(first)) return help(rest, io);
    const r = resolve(argv);
    if (!('command' in r)) {
      hint = `see 'bizportal ${r.group} --help'`;
      if (isHelpFlag(r.rest[0]) && r.rest.length === 1) return help([r.group], io);
      const names = r.commands.map((c) => c.path.slice(1).join(' ')).join(', ');
      const what = r.rest[0] === undefined ? `missing ${r.group} command` : `unknown command "${r.group} ${r.rest[0]}"`;
      throw new UsageError(`${what}; ${r.group} commands: ${names}`);
    }
    hint = `see 'bizportal ${r.command.path.join(' ')} --help'`;
    // `--help` anywhere before a `--` terminator asks for help, whatever else is on the line.
    const end = r.args.indexOf('--');
    if ((end === -1 ? r.args : r.args.slice(0, end)).some(isHelpFlag)) {
      printCommand(io, r.command);
      return EXIT_OK;
    }
    return await execute(r.command, r.args, io, env);
  } catch (err) {
    const { line, code } = reportError(err, hint);
    io.err(line);
    return code;
  }
}

function isEntryPoint(): boolean {
  const script = process.argv[1];
  if (!script) return false;
  try {
    return realpathSync(script) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

/** Runs the command line of this process (bin/bizportal.mjs, `npm run cli`); sets the exit code. */
export async function runProcess(): Promise<void> {
  process.exitCode = await runCli(process.argv.slice(2), processIo(), process.env);
}

if (isEntryPoint()) await runProcess();
