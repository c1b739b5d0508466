// The process's stdout/stderr as CliIo. A reader that goes away (`bizportal org list | head -1`)
// ends the command quietly instead of an EPIPE stack trace.
import type { CliIo } from './command.ts';
import { startActivity } from './spinner.ts';

export function processIo(): CliIo {
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
      throw err;
    });
  }
  return {
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
    activity: (label) => startActivity(process.stderr, label),
  };
}
