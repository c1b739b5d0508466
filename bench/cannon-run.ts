// Parent side of bench/cannon.ts: one autocannon measurement per child process.
import { forkBenchModule, stop, type Started } from './processes.ts';
import type { CannonJob, CannonResult } from './cannon.ts';

/** Waits for the first IPC message of a forked bench module. */
export function message<T>(started: Started): Promise<T> {
  return new Promise((resolve, reject) => {
    const onExit = (code: number | null) => reject(new Error(`child exited (${code}) early:\n${started.output()}`));
    started.child.once('exit', onExit);
    started.child.once('message', (m) => { started.child.off('exit', onExit); resolve(m as T); });
  });
}

/** One autocannon run in a child process; the child says 'ready' before it is given the job. */
export async function cannon(job: CannonJob): Promise<CannonResult> {
  const c = forkBenchModule('./cannon.ts');
  await message<'ready'>(c);
  const result = message<CannonResult>(c);
  c.child.send(job);
  const r = await result;
  await stop(c);
  return r;
}
