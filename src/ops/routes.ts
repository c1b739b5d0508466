// Operations endpoints: /healthz (process up), /readyz (database reachable, migrations current).
import type { FastifyPluginAsync } from 'fastify';
import { sql } from 'kysely';
import type { AppContext } from '../context.ts';
import { migrationsCurrent } from '../db/index.ts';

export function opsRoutes(ctx: AppContext): FastifyPluginAsync {
  return async (app) => {
    app.get('/healthz', { schema: { hide: true } }, async () => ({ status: 'ok' }));
    app.get('/readyz', { schema: { hide: true } }, async (_req, reply) => {
      try {
        await sql`select 1`.execute(ctx.db);
        if (!(await migrationsCurrent(ctx.db))) return reply.code(503).send({ status: 'not_ready', reason: 'migrations' });
        return { status: 'ready' };
      } catch {
        return reply.code(503).send({ status: 'not_ready', reason: 'database' });
      }
    });
  };
}
