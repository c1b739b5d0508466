// A background poll on an unref'd timer (it never keeps the process alive), as the outbox-like
// workers run it: one poll at a time, the next after `pollMs`, or at once when the last one says
// there is more; a failing poll is reported and the loop goes on; stop() waits for the poll in flight.
export class PollLoop {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> | null = null;
  private stopped = false;

  /** `poll` resolves to true when it should run again at once (a full batch). */
  constructor(private readonly o: { pollMs: number; poll: () => Promise<boolean>; onError: (err: unknown) => void }) {}

  start(): void {
    if (this.timer || this.stopped) return;
    const tick = async () => {
      let again = false;
      try {
        const run = this.o.poll();
        this.running = run;
        again = await run;
      } catch (err) {
        this.o.onError(err);
      } finally { this.running = null; }
      if (!this.stopped) this.schedule(tick, again ? 0 : this.o.pollMs);
    };
    this.schedule(tick, 0);
  }

  /** No further polls; resolves once the one in flight (if any) has ended. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.running) await this.running.catch(() => undefined);
  }

  get isStopped(): boolean {
    return this.stopped;
  }

  private schedule(fn: () => Promise<void>, ms: number): void {
    this.timer = setTimeout(() => void fn(), ms);
    this.timer.unref();
  }
}
