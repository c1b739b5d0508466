// What every service needs, wired once in app.ts and passed down (no global db import).
import type { FastifyBaseLogger } from 'fastify';
import type { Config } from './config.ts';
import type { Db, Dialect } from './db/index.ts';
import type { HashPool } from './auth/password/hash.ts';
import type { Throttle } from './auth/throttle/db-throttle.ts';
import type { AppMetrics } from './ops/metrics.ts';

/** Called when a user signs out of the portal, with the request's cookies (src/auth/routes/session.tsx). */
export type SignOutHook = (info: { userId: string; cookies: Record<string, string | undefined>; ip: string }) => Promise<void>;

export interface AppContext {
  config: Config;
  db: Db;
  dialect: Dialect;
  hashPool: HashPool;
  throttle: Throttle;
  /** The clock; tests move it. Epoch ms. */
  now: () => number;
  log: FastifyBaseLogger;
  /** Prometheus counters (src/ops/metrics.ts); absent in the CLI. */
  metrics?: AppMetrics;
  /** Run by the portal's sign-out, in order (the OpenID Connect provider ends its session there). */
  signOutHooks?: SignOutHook[];
}
