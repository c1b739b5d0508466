// Prometheus metrics (issue 9 §3) on a Registry of this app's own (never prom-client's global one,
// so a test process can build several apps). Services count through the small AppMetrics interface
// on AppContext; the request histogram and /metrics itself are a shared plugin. Labels are closed
// sets chosen here, never request data: the route label is the route pattern
// (`/setup/:token`), so a token can never become a label value.
import fp from 'fastify-plugin';
import type { FastifyRequest } from 'fastify';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Config } from '../config.ts';
import type { Db } from '../db/index.ts';
import type { HashPool } from '../auth/password/hash.ts';
import type { Throttle, ThrottlePolicy, ThrottleVerdict } from '../auth/throttle/db-throttle.ts';
import { constantTimeEqual } from '../lib/index.ts';
import { isSourceKey, scopeOf } from '../auth/service.ts';
import { queueStats, type QueueStats } from '../mail/service.ts';

export type LoginResult = 'password_ok' | 'failed' | 'locked' | 'succeeded' | 'skipped';
export type SecondFactorResult = 'ok' | 'failed' | 'replay';

/** What services call (AppContext.metrics): no prom-client or Fastify types reach them. */
export interface AppMetrics {
  login(result: LoginResult): void;
  secondFactor(method: string, result: SecondFactorResult): void;
}

const METHODS = new Set(['totp', 'mail_otp', 'backup_code']);
const STATEMENT_KINDS = new Set(['select', 'insert', 'update', 'delete', 'begin', 'commit', 'rollback']);

export interface MetricsSources { db: Db; now: () => number; hashPool: HashPool }

export class Metrics implements AppMetrics {
  readonly registry = new Registry();
  private readonly logins: Counter<'result'>;
  private readonly secondFactors: Counter<'method' | 'result'>;
  private readonly lockouts: Counter<'scope'>;
  private readonly countersLost: Counter;
  readonly requests: Histogram<'method' | 'route' | 'status'>;
  private readonly statements: Counter<'kind'>;

  /** One statement run (DbHandle.observeStatements): counted by its first keyword. */
  statement(sql: string): void {
    const word = /^\s*(\w+)/.exec(sql)?.[1]?.toLowerCase() ?? '';
    const kind = word === 'with' ? 'select' : STATEMENT_KINDS.has(word) ? word : word === 'start' ? 'begin' : 'other';
    this.statements.inc({ kind });
  }

  constructor(src: MetricsSources) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry });
    this.logins = new Counter({ name: 'bizportal_logins_total', help: 'Login steps by result (S3): password_ok, failed, locked, succeeded (session issued after the second step), skipped (second step skipped, S3.7)', labelNames: ['result'], registers });
    this.secondFactors = new Counter({ name: 'bizportal_second_factor_total', help: 'Second-step verifications by method and result', labelNames: ['method', 'result'], registers });
    this.lockouts = new Counter({ name: 'bizportal_lockouts_total', help: 'Attempts refused because their throttle key is locked (S5), by scope', labelNames: ['scope'], registers });
    this.statements = new Counter({ name: 'bizportal_db_statements_total', help: 'SQL statements run by this process, by kind: select, insert, update, delete, begin, commit, rollback, other (docs/performance.md: statements per login and per page)', labelNames: ['kind'], registers });
    this.countersLost = new Counter({ name: 'bizportal_throttle_counters_lost_total', help: 'Times Redis came back without the throttle counters (restarted without persistence): running lockouts and counts were reset', registers });
    this.requests = new Histogram({
      name: 'bizportal_http_request_duration_seconds', help: 'Request latency by route pattern',
      labelNames: ['method', 'route', 'status'], buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10], registers,
    });
    // Gauges read on scrape, both from one query per scrape (the registry collects in parallel).
    // A database that does not answer leaves them out of this scrape rather than failing it:
    // /readyz reports the database, /metrics keeps the process figures coming.
    let pending: Promise<QueueStats | null> | null = null;
    const stats = () => (pending ??= queueStats(src.db, src.now()).catch(() => null).finally(() => { pending = null; }));
    new Gauge({
      name: 'bizportal_mail_queue_depth', help: 'Mails in the outbox by state (queued: waiting for delivery; dead: gave up, see `bizportal outbox`)',
      labelNames: ['state'], registers,
      async collect() {
        const s = await stats();
        this.reset();
        if (s) { this.set({ state: 'queued' }, s.queued); this.set({ state: 'dead' }, s.dead); }
      },
    });
    new Gauge({
      name: 'bizportal_mail_queue_oldest_age_seconds', help: 'Age of the oldest queued mail (0 when none)', registers,
      async collect() {
        const s = await stats();
        this.reset();
        if (s) this.set(s.oldestQueuedAgeMs / 1000);
      },
    });
    new Gauge({ name: 'bizportal_hash_pool_running', help: 'Password hashes running in this process', registers, collect() { this.set(src.hashPool.stats().running); } });
    new Gauge({ name: 'bizportal_hash_pool_waiting', help: 'Password hashes waiting for a slot in this process', registers, collect() { this.set(src.hashPool.stats().waiting); } });
  }

  login(result: LoginResult): void {
    this.logins.inc({ result });
  }

  throttleCountersLost(): void {
    this.countersLost.inc();
  }

  secondFactor(method: string, result: SecondFactorResult): void {
    this.secondFactors.inc({ method: METHODS.has(method) ? method : 'other', result });
  }

  /**
   * A Throttle that counts its refusals (lockouts) by scope (src/auth/throttle/keys.ts); everything
   * else passes through. An account key refuses in `begin`; a source-address key refuses when it is
   * read (sourceLockedUntil, before anything is checked), so a locked source key read is a lockout
   * too: account keys are also read by the admin pages, source keys only to refuse.
   */
  countLockouts(inner: Throttle): Throttle {
    const lockouts = this.lockouts;
    const wrapper: Throttle = {
      async begin(key: string, p: ThrottlePolicy, now: number): Promise<ThrottleVerdict> {
        const v = await inner.begin(key, p, now);
        if (!v.ok) lockouts.inc({ scope: scopeOf(key) });
        return v;
      },
      succeed: (key) => inner.succeed(key),
      async lockedUntil(key: string, now: number): Promise<number> {
        const until = await inner.lockedUntil(key, now);
        if (until > now && isSourceKey(key)) lockouts.inc({ scope: scopeOf(key) });
        return until;
      },
      clear: (key) => inner.clear(key),
      refund: (key, p, counted) => inner.refund(key, p, counted),
      within: (db) => (inner.within ? this.countLockouts(inner.within(db)) : wrapper),
    };
    return wrapper;
  }
}

/**
 * /metrics and the request histogram (fastify-plugin: the hook sees every route). Served only to
 * `Authorization: Bearer $METRICS_TOKEN` when a token is set; without one, only outside production.
 */
export const metricsPlugin = fp<{ metrics: Metrics; config: Config }>(async (app, { metrics, config }) => {
  app.addHook('onResponse', async (req, reply) => {
    const route = req.routeOptions.url ?? '(unmatched)';
    metrics.requests.observe({ method: req.method, route, status: `${Math.floor(reply.statusCode / 100)}xx` }, reply.elapsedTime / 1000);
  });

  app.get('/metrics', { schema: { hide: true } }, async (req, reply) => {
    if (!config.metricsToken && config.env === 'production') return reply.callNotFound();
    if (config.metricsToken && !bearerMatches(req, config.metricsToken)) {
      return reply.code(401).header('www-authenticate', 'Bearer').send({ error: 'unauthorized', message: 'A bearer token (METRICS_TOKEN) is required.', fields: {} });
    }
    reply.header('content-type', metrics.registry.contentType).header('cache-control', 'no-store');
    return metrics.registry.metrics();
  });
});

function bearerMatches(req: FastifyRequest, token: string): boolean {
  const m = /^Bearer +(\S+)$/i.exec(req.headers.authorization ?? '');
  return m !== null && constantTimeEqual(m[1]!, token);
}
