// The floor (PERFORMANCE.md): argon2id verifies per second at the configured parameters, as many
// running at once as there are cores. @node-rs/argon2 verifies on libuv threads (4 by default), so
// N concurrent verifies from one event loop keep N cores busy. A login cannot be faster than this.
import { availableParallelism } from 'node:os';
import { hashPassword, verifyPassword, type HashParams } from '../src/auth/password/hash.ts';
import { percentile } from './stats.ts';

export interface FloorSlice { latencies: number[]; elapsedS: number }
export interface FloorResult { verifiesPerS: number; concurrency: number; p50: number; p99: number; singleMs: number }

const PASSWORD = 'floor-Password-1234';

export class Argon2Floor {
  readonly concurrency = availableParallelism();
  private constructor(private readonly encoded: string, readonly singleMs: number) {}

  /** Hashes once and times one verify alone: the latency a login pays for its hash on an idle machine. */
  static async prepare(params: HashParams): Promise<Argon2Floor> {
    const encoded = await hashPassword(PASSWORD, params);
    const alone: number[] = [];
    for (let i = 0; i < 5; i++) {
      const t = performance.now();
      if (!(await verifyPassword(encoded, PASSWORD))) throw new Error('argon2 verify failed');
      alone.push(performance.now() - t);
    }
    return new Argon2Floor(encoded, alone.sort((a, b) => a - b)[2]!);
  }

  /** `concurrency` verifies in flight for `seconds`. */
  async measure(seconds: number): Promise<FloorSlice> {
    const latencies: number[] = [];
    const t0 = performance.now();
    const until = t0 + seconds * 1000;
    await Promise.all(Array.from({ length: this.concurrency }, async () => {
      while (performance.now() < until) {
        const t = performance.now();
        await verifyPassword(this.encoded, PASSWORD);
        latencies.push(performance.now() - t);
      }
    }));
    return { latencies, elapsedS: (performance.now() - t0) / 1000 };
  }

  summarize(slices: FloorSlice[]): FloorResult {
    const all = slices.flatMap((s) => s.latencies).sort((a, b) => a - b);
    const elapsedS = slices.reduce((sum, s) => sum + s.elapsedS, 0);
    return { verifiesPerS: all.length / elapsedS, concurrency: this.concurrency, p50: percentile(all, 50), p99: percentile(all, 99), singleMs: this.singleMs };
  }
}
