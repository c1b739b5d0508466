// The bench alternates short slices of the two sides of each ratio (floor ↔ logins, bare route ↔
// page) so that both see the same machine: on a shared host the speed drifts within a minute.
// These merge the slices back into one figure each.
import type { CannonResult } from './cannon.ts';
import type { LoginSlice } from './login-driver.ts';
import type { ProcessUsage } from './processes.ts';
import { median } from './stats.ts';

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

/**
 * Login stretches that ran at the same time (one per node, --nodes): one stretch as long as the
 * longest, holding every login, so that logins/s counts them over the wall time they shared.
 */
export function mergeConcurrentLogins(slices: LoginSlice[]): LoginSlice {
  const failures: Record<string, number> = {};
  for (const s of slices) for (const [k, v] of Object.entries(s.failures)) failures[k] = (failures[k] ?? 0) + v;
  return {
    latencies: slices.flatMap((s) => s.latencies),
    steps: slices[0]!.steps.map((_, i) => slices.flatMap((s) => s.steps[i]!)),
    elapsedS: Math.max(...slices.map((s) => s.elapsedS)),
    failures,
    cookies: slices.flatMap((s) => s.cookies),
  };
}

/** Processes that ran side by side (the portal nodes): their CPU adds up; the machine's is one figure. */
export function sumUsage(parallel: ProcessUsage[]): ProcessUsage {
  const sum = (f: (u: ProcessUsage) => number) => parallel.reduce((acc, u) => acc + f(u), 0);
  return {
    seconds: Math.max(...parallel.map((u) => u.seconds)),
    rssPeakMiB: sum((u) => u.rssPeakMiB), rssEndMiB: sum((u) => u.rssEndMiB), cpuPercent: sum((u) => u.cpuPercent),
    machinePercent: Math.max(...parallel.map((u) => u.machinePercent)),
  };
}
