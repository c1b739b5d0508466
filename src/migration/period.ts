// Migration periods and the first-login mails (issue 21 item 3; SPEC S11): an operator sets the
// period (start, end) of a migration, and during it the imported users' starting-guide mails (their
// first-login link, S1/S2) are queued at a bounded rate, so the outbox and the SMTP relay are never
// flooded. Each user's mail is marked when queued: a crash, ^C or --limit ends the run and the next
// one continues with the users not yet sent to.
import type { AppContext } from '../context.ts';
import { findPublicUser, resendStartingGuideTo } from '../auth/service.ts';
import { findMigration, guideCounts, listMigrations, markGuideSent, pendingGuides, setPeriod, type MigrationRow } from './store.ts';

export type PeriodState = 'unset' | 'before' | 'during' | 'after';

/** Where `now` is in the period: the start is inside it, the end is not (the end instant is «after»). */
export function periodState(m: Pick<MigrationRow, 'period_starts_at' | 'period_ends_at'>, now: number): PeriodState {
  if (m.period_starts_at === null || m.period_ends_at === null) return 'unset';
  if (now < m.period_starts_at) return 'before';
  return now < m.period_ends_at ? 'during' : 'after';
}

export class MigrationRefusal extends Error {}

/** The migration named, or the only one there is. */
export async function pickMigration(ctx: Pick<AppContext, 'db'>, id: string | undefined): Promise<MigrationRow> {
  if (id) {
    const m = await findMigration(ctx.db, id);
    if (!m) throw new MigrationRefusal(`there is no migration with id "${id}"`);
    return m;
  }
  const all = await listMigrations(ctx.db);
  if (all.length === 1) return all[0]!;
  throw new MigrationRefusal(all.length ? `there are ${all.length} migrations: name one with --migration (${all.map((m) => m.id).join(', ')})` : 'nothing has been imported yet');
}

export async function setMigrationPeriod(ctx: Pick<AppContext, 'db'>, id: string | undefined, startsAt: number, endsAt: number): Promise<MigrationRow> {
  if (endsAt <= startsAt) throw new MigrationRefusal('the period must end after it starts');
  const m = await pickMigration(ctx, id);
  await setPeriod(ctx.db, m.id, startsAt, endsAt);
  return { ...m, period_starts_at: startsAt, period_ends_at: endsAt };
}

export interface SendOptions {
  /** Mails queued per second at most. */
  perSecond: number;
  /** Stop after this many (a trial run); undefined: all. */
  limit?: number | undefined;
  /** Waits `ms` (tests: a fake clock). */
  sleep?: (ms: number) => Promise<void>;
  /** Called after each user with how many are done of how many this run has. */
  onProgress?: (done: number, total: number) => void;
}
export interface SendSummary { migrationId: string; queued: number; skipped: number; total: number; before: number }

const SYSTEM_ACTOR = { userId: null, ip: 'cli' };
const realSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * Queues the starting guide (a new first-login link) for every imported user of the migration not
 * yet sent to, during its period only. A user who completed the first login meanwhile (an admin
 * re-sent the guide) is marked and skipped. Paced by the clock: the k-th mail is not queued before
 * start + k / perSecond, so a slow database never makes a burst afterwards.
 */
export async function sendFirstLoginGuides(ctx: AppContext, id: string | undefined, opts: SendOptions): Promise<SendSummary> {
  const m = await pickMigration(ctx, id);
  const state = periodState(m, ctx.now());
  if (state === 'unset') throw new MigrationRefusal('set the migration period first (migrate period --start … --end …)');
  if (state === 'before') throw new MigrationRefusal(`the migration period has not started (it starts ${new Date(m.period_starts_at!).toISOString()})`);
  if (state === 'after') throw new MigrationRefusal(`the migration period has ended (${new Date(m.period_ends_at!).toISOString()}); users who did not finish use the password reset`);
  const counts = await guideCounts(ctx.db, m.id);
  const pending = counts.users - counts.sent;
  const total = Math.min(pending, opts.limit ?? pending);
  const sleep = opts.sleep ?? realSleep;
  const gap = 1000 / opts.perSecond;
  const s: SendSummary = { migrationId: m.id, queued: 0, skipped: 0, total, before: counts.sent };
  const started = Date.now();
  let after = '';
  let done = 0;
  while (done < total) {
    const page = await pendingGuides(ctx.db, m.id, after, Math.min(500, total - done));
    if (!page.length) break;
    for (const u of page) {
      after = u.ecid;
      const user = await findPublicUser(ctx.db, u.user_id);
      if (!user || user.first_login_done || user.disabled_at !== null) s.skipped++;
      else {
        const wait = started + s.queued * gap - Date.now();
        if (wait > 0) await sleep(wait);
        await resendStartingGuideTo(ctx, u.user_id, SYSTEM_ACTOR, { quota: false });
        s.queued++;
      }
      await markGuideSent(ctx.db, u.ecid, ctx.now());
      done++; // counted whether or not anyone watches: --limit depends on it
      opts.onProgress?.(done, total);
      if (done >= total) break;
    }
  }
  return s;
}
