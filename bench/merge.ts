// The bench alternates short slices of the two sides of each ratio (floor ↔ logins, bare route ↔
// page) so that both see the same machine: on a shared host the speed drifts within a minute.
// These merge the slices back into one figure each.
import type { CannonResult } from './cannon.ts';
import type { ProcessUsage } from './processes.ts';

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** Rate over all slices; latency percentiles are the median of the slices' (autocannon gives no raw histogram). */
export function mergeCannon(slices: CannonResult[]): CannonResult {
  const sum = (f: (c: CannonResult) => number) => slices.reduce((acc, c) => acc + f(c), 0);
  const total = sum((c) => c.total);
  const durationS = sum((c) => c.durationS);
  return {
    reqPerS: total / durationS, total, durationS,
    p50: median(slices.map((c) => c.p50)), p99: median(slices.map((c) => c.p99)), max: Math.max(...slices.map((c) => c.max)),
    non2xx: sum((c) => c.non2xx), errors: sum((c) => c.errors), timeouts: sum((c) => c.timeouts),
  };
}

/** Peak RSS over the slices; CPU figures weighted by each slice's length. */
export function mergeUsage(slices: ProcessUsage[]): ProcessUsage {
  const seconds = slices.reduce((acc, u) => acc + u.seconds, 0);
  const weighted = (f: (u: ProcessUsage) => number) => slices.reduce((acc, u) => acc + f(u) * u.seconds, 0) / seconds;
  return {
    seconds,
    rssPeakMiB: Math.max(...slices.map((u) => u.rssPeakMiB)),
    rssEndMiB: slices.at(-1)!.rssEndMiB,
    cpuPercent: weighted((u) => u.cpuPercent),
    machinePercent: weighted((u) => u.machinePercent),
  };
}
