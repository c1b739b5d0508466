// Operations endpoints (issue 9 §3): /healthz (the process answers) and /readyz (this node can
// serve: the database answers, its migrations are current, and every configured dependency such as
// Redis answers). A load balancer takes a not-ready node out of rotation; 503 names the reason.
import type { FastifyPluginAsync } from 'fastify';
import { sql } from 'kysely';
import type { AppContext } from '../context.ts';
import { migrationsCurrent } from '../db/index.ts';

/** A dependency /readyz asks about, e.g. `{ name: 'redis', check: () => throttle.ping() }`. */
export interface ReadinessCheck { name: string; check(): Promise<void> }

/** A check that hangs (a black-holed network) must not hang the probe: it counts as down. */
const CHECK_TIMEOUT_MS = 2_000;

export function opsRoutes(ctx: AppContext, checks: readonly ReadinessCheck[] = []): FastifyPluginAsync {
  // A node draining on SIGTERM is not ready first of all, whatever its dependencies say.
  const all: ReadinessCheck[] = [
    ...checks.filter((c) => c.name === 'draining'),
    { name: 'database', check: async () => { await sql`select 1`.execute(ctx.db); } },
    { name: 'migrations', check: async () => { if (!(await migrationsCurrent(ctx.db))) throw new Error('migrations pending'); } },
    ...checks.filter((c) => c.name !== 'draining'),
  ];
  return async (app) => {
    app.get('/healthz', { schema: { hide: true } }, async () => ({ status: 'ok' }));
    app.get('/readyz', { schema: { hide: true } }, async (_req, reply) => {
      reply.header('cache-control', 'no-store');
      // In order: no point asking about migrations when the database does not answer.
      for (const c of all) {
        if (!(await passes(c))) return reply.code(503).send({ status: 'not_ready', reason: c.name });
      }
      return { status: 'ready' };
    });
  };
}

async function passes(c: ReadinessCheck): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => { timer = setTimeout(() => resolve(false), CHECK_TIMEOUT_MS); });
  try {
    return await Promise.race([c.check().then(() => true, () => false), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
