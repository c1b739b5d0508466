// The shape every operator command has: a name, its help, its options (node:util parseArgs) and a
// prepare step that checks the input before any database is opened. A command's input problems are
// UsageError (exit 2); a refusal about the data it meets is CliFailure or a DomainError (exit 1).
import type { ParseArgsConfig } from 'node:util';
import type { AppContext } from '../context.ts';
import type { Activity } from './spinner.ts';

export interface CliIo {
  out(line: string): void;
  err(line: string): void;
  /** What a long command is doing now (a spinner's text on a terminal; nothing otherwise). */
  progress?(text: string): void;
  /** Starts the "still working" sign of a command (src/cli/spinner.ts); the process's io has one. */
  activity?(label: string): Activity;
}
export type CliEnv = NodeJS.ProcessEnv;

export type OptionSpec = NonNullable<ParseArgsConfig['options']>;
export type ParsedValues = Record<string, string | boolean | undefined>;

/** What a command does once the database is open. */
export type Runner = (ctx: AppContext, io: CliIo) => Promise<void>;

export interface Command {
  /** Words that select it: ['org', 'create']. */
  path: readonly string[];
  summary: string;
  /** Arguments after the path, for the usage line. */
  synopsis: string;
  /** One line per option or remark, shown by --help. */
  help: readonly string[];
  options: OptionSpec;
  /** Names of the arguments given without an option (`migrate import FILE`), all required; they arrive in values by name. */
  positionals?: readonly string[];
  /** false: the command draws its own progress (a progress bar), so no spinner is started for it. */
  spinner?: false;
  /** 'migrate': the command brings the schema up to date itself (init); otherwise it must be current. */
  schema?: 'migrate';
  /** Checks and converts the input (no I/O on the database); throws UsageError. */
  prepare(values: ParsedValues): Runner;
}

/** Bad command line: exit 2. */
export class UsageError extends Error {}

/** The command cannot be done with this data (unknown organisation, …): exit 1. */
export class CliFailure extends Error {}

export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;
