// SECURITY.md item 45 (issue 15 §2, docs/decisions/006-infrastructure-failure-refunds.md): an attempt
// is counted before its credential is checked (item 21), so a check that cannot be made because the
// database or Redis failed must give the attempt back, or an outage locks users out. Failures that
// are verdicts (a wrong password, a used code: DomainErrors) keep their count; only infrastructure
// errors are refunded, and the refund is retried in the background while the store is away too.
import { DomainError } from '../../errors.ts';
import { HashPoolBusy } from '../password/hash.ts';
import type { Throttle, ThrottlePolicy, ThrottleVerdict } from './db-throttle.ts';

/** A failure of the machinery rather than a verdict on what the user typed. */
export function isInfrastructureFailure(err: unknown): boolean {
  if (err instanceof HashPoolBusy) return true;
  if (err instanceof DomainError) return err.status === 503;
  return true;
}

/** Refund retries: 0.5 s doubling, 7 tries (about a minute), on unref'd timers. */
const RETRY_BASE_MS = 500;
const RETRIES = 7;

export interface RefundLog { warn(obj: object, msg: string): void }

/**
 * Runs `check` for an attempt `begin` let through (`verdict`, counted at `at`). If `check` throws an
 * infrastructure failure the attempt is refunded, then the error goes on (503 + Retry-After).
 */
export async function refundOnInfrastructureFailure<T>(
  throttle: Throttle, key: string, p: ThrottlePolicy, verdict: ThrottleVerdict, at: number, check: () => Promise<T>, log?: RefundLog,
): Promise<T> {
  try {
    return await check();
  } catch (err) {
    await refundIfInfrastructure(throttle, p, { key, verdict, at }, err, log);
    throw err;
  }
}

/**
 * For an attempt whose check passed but whose writes then failed (a step's transaction, rolled
 * back): an infrastructure failure gives the attempt back, as a failed check would.
 */
export async function refundIfInfrastructure(throttle: Throttle, p: ThrottlePolicy, c: { key: string; verdict: ThrottleVerdict; at: number }, err: unknown, log?: RefundLog): Promise<void> {
  if (c.verdict.ok && isInfrastructureFailure(err)) await refund(throttle, c.key, p, { failures: c.verdict.failures, at: c.at }, log);
}

async function refund(throttle: Throttle, key: string, p: ThrottlePolicy, counted: { failures: number; at: number }, log?: RefundLog): Promise<void> {
  try {
    await throttle.refund(key, p, counted);
    return;
  } catch { /* the counter store is away too: try again in the background */ }
  let tries = 0;
  const again = () => {
    const timer = setTimeout(() => {
      throttle.refund(key, p, counted).catch(() => {
        if (++tries < RETRIES) again();
        else log?.warn({ scope: key.slice(0, key.indexOf(':')) }, 'throttle refund gave up: one attempt stays counted');
      });
    }, RETRY_BASE_MS * 2 ** tries);
    timer.unref();
  };
  again();
}
