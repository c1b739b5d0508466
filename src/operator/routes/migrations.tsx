// Console migrations (issue 21 item 5; docs/migration.md «In the console»): the page, its JSON twin
// and every imported user as CSV — read-only, through src/migration/status.ts (the functions behind
// `migrate status`), so the console and the CLI cannot tell two stories. Guard and role: route-list.ts.
import { Readable } from 'node:stream';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AppContext } from '../../context.ts';
import { sendPage } from '../../web/render.ts';
import { CSV_BOM, csvRow } from '../../web/csv.ts';
import { importedUsers, migrationProgress, migrationSummaries, STATUS_CSV_COLUMNS, statusCsvCells } from '../../migration/status.ts';
import { auditOperator } from '../../audit/log.ts';
import { operatorOf } from '../guard.ts';
import { MIGRATION_USERS_CSV, MigrationsPage } from '../views/migrations.tsx';

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

export function migrationConsoleRoutes(ctx: AppContext): FastifyPluginAsyncTypebox {
  return async (app) => {
    for (const base of ['/operator', '/api/operator'] as const) {
      app.get(`${base}/migrations`, async (req, reply) => {
        const [migrations, orgs] = [await migrationSummaries(ctx.db, ctx.now()), await migrationProgress(ctx.db)];
        if (req.wantsJson()) {
          return reply.header('cache-control', 'no-store').send({
            migrations: migrations.map((m) => ({ ...m, startedAt: iso(m.startedAt), finishedAt: iso(m.finishedAt), periodStartsAt: iso(m.periodStartsAt), periodEndsAt: iso(m.periodEndsAt) })),
            organisations: orgs,
          });
        }
        return sendPage(reply, MigrationsPage({ ctx: req.pageCtx(), role: operatorOf(req).role, migrations, orgs }));
      });
    }

    // Streamed page by page (importedUsers): a million users never sit in memory.
    app.get(MIGRATION_USERS_CSV, async (req, reply) => {
      // Every imported user's contact data leaves the portal: who took it is audited (S13).
      await auditOperator(ctx.db, operatorOf(req).actor, 'migration.users_exported', {}, ctx.now());
      async function* lines(): AsyncGenerator<string> {
        yield CSV_BOM + csvRow(STATUS_CSV_COLUMNS); // the BOM makes Excel read the names as UTF-8
        for await (const u of importedUsers(ctx.db)) yield csvRow(statusCsvCells(u));
      }
      return reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header('content-disposition', 'attachment; filename="migrated-users.csv"')
        .header('cache-control', 'no-store')
        .send(Readable.from(lines()));
    });
  };
}
