// The legacy 1-step credentials of an imported user (issue 21 item 3; SPEC S11). The importer keeps
// them (src/migration/); auth sits below it, so the composition root hands auth a source
// (useLegacyCredentials), as it hands mail the brand lookup. Without a source nothing changes.
import type { Db } from '../../db/index.ts';

export interface LegacyCredential {
  hash: string;
  /** The migration period: legacy login works from start (inclusive) to end (exclusive). */
  periodStartsAt: number | null;
  periodEndsAt: number | null;
}
export interface LegacyCredentialSource {
  /** The stored legacy hash of this user, or null (none, or used already). */
  find(db: Db, userId: string): Promise<LegacyCredential | null>;
  /** The hash has been verified and replaced by argon2id: it is never used again. */
  consumed(db: Db, userId: string, now: number): Promise<void>;
  /** The period of the migration that imported this user; null for a user not imported. */
  period(db: Db, userId: string): Promise<{ startsAt: number | null; endsAt: number | null } | null>;
}

let source: LegacyCredentialSource | null = null;
export function useLegacyCredentials(s: LegacyCredentialSource | null): void { source = s; }
export function legacyCredentialSource(): LegacyCredentialSource | null { return source; }

/** Inside the period: the start is in it, the end is not (S11: «after the end … could not log in»). */
export function legacyLoginOpen(c: LegacyCredential, now: number): boolean {
  return c.periodStartsAt !== null && c.periodEndsAt !== null && now >= c.periodStartsAt && now < c.periodEndsAt;
}

/**
 * S9 (seed 004): whether this user was created in the legacy portal and their migration period is
 * on now: then they open tickets in the legacy portal only. False without a source.
 */
export async function inLegacyMigrationPeriod(db: Db, userId: string, now: number): Promise<boolean> {
  const p = await source?.period(db, userId);
  return !!p && legacyLoginOpen({ hash: '', periodStartsAt: p.startsAt, periodEndsAt: p.endsAt }, now);
}
