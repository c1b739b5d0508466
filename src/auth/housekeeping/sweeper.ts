// Runs the sweep (sweep.ts) on one node at a time: on PostgreSQL a session-level advisory lock,
// tried (never waited for) on one pooled connection that also runs the deletes; a node that does not
// get it skips this round, since another node is sweeping. SQLite is single-node: no lock needed.
// Used by the timer below (SWEEP_INTERVAL_SECONDS) and by `bizportal sweep`.
import { sql } from 'kysely';
import type { Db, Dialect } from '../../db/index.ts';
import { RETENTION_MS, sweep, type SweepCounts } from './sweep.ts';

const SWEEP_LOCK = 7_331_022;

/**
 * Other modules' housekeeping, run in the same round under the same lock (the OpenID Connect
 * provider's expired artefacts): name → a task that returns how many rows it deleted.
 */
export type SweepTasks = Record<string, (db: Db, now: number) => Promise<number>>;

async function sweepAll(db: Db, now: number, extra: SweepTasks): Promise<SweepCounts> {
  const counts: SweepCounts = await sweep(db, now);
  for (const [name, task] of Object.entries(extra)) counts[name] = await task(db, now - RETENTION_MS);
  return counts;
}

/** The counts, or null when another node holds the lock. */
export async function sweepOnce(db: Db, dialect: Dialect, now: number, extra: SweepTasks = {}): Promise<SweepCounts | null> {
  if (dialect === 'sqlite') return sweepAll(db, now, extra);
  return db.connection().execute(async (conn) => {
    const got = await sql<{ ok: boolean }>`select pg_try_advisory_lock(${SWEEP_LOCK}) as ok`.execute(conn);
    if (!got.rows[0]?.ok) return null;
    try {
      return await sweepAll(conn, now, extra);
    } finally {
      await sql`select pg_advisory_unlock(${SWEEP_LOCK})`.execute(conn);
    }
  });
}

export interface SweeperLog { info(obj: object, msg: string): void; warn(obj: object, msg: string): void }

export interface Sweeper { stop(): Promise<void>; /** Resolves when the round under way (if any) ends; tests. */ idle(): Promise<void> }

/**
 * Every `intervalMs` (0 = never): one sweep, its counts logged. A failed round (database away) is
 * logged and the next one tries again; rounds never overlap. The timer is unref'd: it keeps no
 * process alive.
 */
export function startSweeper(o: { db: Db; dialect: Dialect; intervalMs: number; now: () => number; log: SweeperLog; extra?: SweepTasks }): Sweeper {
  let running: Promise<void> = Promise.resolve();
  let stopped = false;
  const round = async () => {
    try {
      const counts = await sweepOnce(o.db, o.dialect, o.now(), o.extra);
      if (counts) o.log.info({ sweep: counts }, 'sweep done');
    } catch (err) {
      o.log.warn({ err }, 'sweep failed; next round in the next interval');
    }
  };
  const timer = o.intervalMs > 0 ? setInterval(() => {
    if (stopped) return;
    running = running.then(round);
  }, o.intervalMs) : null;
  timer?.unref();
  return {
    async stop() { stopped = true; if (timer) clearInterval(timer); await running; },
    idle: () => running,
  };
}
