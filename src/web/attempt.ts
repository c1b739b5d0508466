// Form routes of every module: run a change; a DomainError comes back as a value so the route can
// re-render its form with the message, anything else propagates to the error handler.
import { DomainError } from '../errors.ts';

export async function attempt<T>(fn: () => Promise<T>): Promise<{ ok: true; value: T } | { ok: false; err: DomainError }> {
  try {
    return { ok: true, value: await fn() };
  } catch (err) {
    if (err instanceof DomainError) return { ok: false, err };
    throw err;
  }
}
