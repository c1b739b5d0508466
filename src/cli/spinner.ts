// The CLI's "still working" sign (issue 20 item 9): a spinner on stderr for a command that runs
// longer than a moment, only when stderr is a terminal (never in pipes, logs or CI), so stdout stays
// exactly what scripts parse. yocto-spinner (maintained, MIT, no dependencies to speak of) is loaded
// only when a spinner is actually shown: the CLI's start-up time does not pay for it.
import type { Writable } from 'node:stream';

export interface Activity {
  /** What the command is doing now («1200 of 5000 done»); shown beside the label. */
  progress(text: string): void;
  stop(): Promise<void>;
}

/** A quiet command waits this long before a spinner appears, so quick commands never flash one. */
export const SPINNER_DELAY_MS = 300;

type TtyStream = Writable & { isTTY?: boolean };

/** Same rule yocto-spinner applies (a TTY, a real terminal type, not CI); checked here so nothing is loaded otherwise. */
export function interactive(stream: TtyStream, env: NodeJS.ProcessEnv = process.env): boolean {
  return stream.isTTY === true && env.TERM !== 'dumb' && !('CI' in env);
}

const NOTHING: Activity = { progress() {}, async stop() {} };

export function startActivity(stream: TtyStream, label: string, opts: { env?: NodeJS.ProcessEnv; delayMs?: number } = {}): Activity {
  if (!interactive(stream, opts.env)) return NOTHING;
  let detail = '';
  let stopped = false;
  let spinner: { text: string; stop(): unknown } | null = null;
  let cancel = () => {};
  const text = () => (detail ? `${label}: ${detail}` : `${label} …`);
  const shown = new Promise<void>((resolve) => {
    const timer = setTimeout(async () => {
      try {
        if (stopped) return;
        const { default: yoctoSpinner } = await import('yocto-spinner');
        if (stopped) return;
        spinner = yoctoSpinner({ text: text(), stream: stream as NodeJS.WriteStream }).start();
      } finally {
        resolve();
      }
    }, opts.delayMs ?? SPINNER_DELAY_MS);
    timer.unref();
    // A command that ends before the delay resolves `shown` through stop().
    cancel = () => { clearTimeout(timer); resolve(); };
  });
  return {
    progress(t: string) {
      detail = t;
      if (spinner) spinner.text = text();
    },
    async stop() {
      stopped = true;
      if (!spinner) cancel();
      await shown;
      spinner?.stop();
    },
  };
}
