// The audit log page and its CSV export (S13; issue 4 §3.3).
import { Readable } from 'node:stream';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { AppContext } from '../../context.ts';
import type { T } from '../../i18n/index.ts';
import { sendPage } from '../../web/render.ts';
import { attempt } from '../../web/attempt.ts';
import { actorOf, PageParam, sendJsonError } from '../guard.ts';
import { manageableOrgs, auditPage, jstIso, parseAuditFilter, startAuditExport, type AuditListRow } from '../../auth/service.ts';
import { CSV_BOM, csvRow } from '../../web/csv.ts';
import { AdminAuditPage } from '../views/audit.tsx';
import { authOf } from '../../auth/index.ts';
import type { Lang } from '../../db/schema.ts';
import { auditRowText, type AuditNames } from '../../audit/describe.ts';

const AuditQuery = Type.Object({
  user: Type.Optional(Type.String({ maxLength: 254 })),
  event: Type.Optional(Type.String({ maxLength: 64 })),
  from: Type.Optional(Type.String({ maxLength: 10 })),
  to: Type.Optional(Type.String({ maxLength: 10 })),
  org: Type.Optional(Type.String({ maxLength: 64 })),
  page: Type.Optional(PageParam),
});

// The event keeps its code in a column of its own (filters, scripts) and is told in words in the next
// one, in the reader's language (issue 20 item 3); the raw detail stays last for machines.
function csvHeader(t: T): string {
  return csvRow([t('admin.audit.when'), t('admin.audit.event_code'), t('admin.audit.event'), t('admin.audit.factor'), t('admin.audit.actor'), t('admin.audit.subject'),
    t('admin.audit.organisation'), t('admin.audit.ip'), t('admin.audit.detail')]);
}

function csvLine(r: AuditListRow, lang: Lang, names: AuditNames): string {
  const text = auditRowText({ event: r.event, factor: r.factor, detail: r.detail, repeatCount: Number(r.repeat_count), lastAt: r.last_at }, lang, names);
  return csvRow([jstIso(r.at), r.event, text, r.factor, r.actor_login_id, r.subject_login_id, r.organisation_name, r.ip, r.detail === '{}' ? '' : r.detail]);
}

/**
 * Names of the groups the rows mention (their detail carries the group's id): rows are already
 * limited to the admin's organisations, so these are groups the admin may see. Deleted ones stay unnamed.
 */
async function groupNames(ctx: AppContext, rows: AuditListRow[]): Promise<AuditNames> {
  const ids = new Set<string>();
  for (const r of rows) {
    if (!r.event.startsWith('group.') || r.detail === '{}') continue;
    try {
      const g = (JSON.parse(r.detail) as { group?: unknown }).group;
      if (typeof g === 'string') ids.add(g);
    } catch { /* a detail that is not JSON names no group */ }
  }
  if (!ids.size) return {};
  const found = await ctx.db.selectFrom('user_group').select(['id', 'name']).where('id', 'in', [...ids]).execute();
  const byId = new Map(found.map((g) => [g.id, g.name]));
  return { group: (id) => byId.get(id) };
}

export function auditRoutes(ctx: AppContext): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get('/admin/audit', { schema: { querystring: AuditQuery } }, async (req, reply) => {
      const auth = authOf(req);
      const parsed = await attempt(async () => parseAuditFilter(req.query));
      const orgs = await manageableOrgs(ctx, auth.user);
      if (!parsed.ok) {
        if (req.wantsJson()) return sendJsonError(req, reply, parsed.err);
        return sendPage(reply, AdminAuditPage({ ctx: req.pageCtx(), rows: [], orgs, values: req.query, page: 1, hasNext: false, error: { key: parsed.err.code }, fieldErrors: parsed.err.fields }), parsed.err.status);
      }
      const f = parsed.value;
      const { rows, hasNext } = await auditPage(ctx, auth.user, f);
      if (req.wantsJson()) {
        return reply.send({
          entries: rows.map((r) => ({ id: r.id, at: r.at, event: r.event, factor: r.factor, actor: r.actor_login_id, subject: r.subject_login_id, organisation: r.organisation_name, ip: r.ip, detail: JSON.parse(r.detail) as unknown, count: Number(r.repeat_count), lastAt: r.last_at })),
          page: f.page, hasNext,
        });
      }
      return sendPage(reply, AdminAuditPage({ ctx: req.pageCtx(), rows, orgs, values: req.query, page: f.page, hasNext, names: await groupNames(ctx, rows) }));
    });

    app.get('/admin/audit.csv', { schema: { querystring: AuditQuery } }, async (req, reply) => {
      const auth = authOf(req);
      const f = parseAuditFilter(req.query); // bad filters: 400 from the error handler (page or JSON)
      const batches = await startAuditExport(ctx, actorOf(req, auth), f);
      const t = req.t;
      async function* lines(): AsyncGenerator<string> {
        yield CSV_BOM + csvHeader(t); // the BOM makes Excel read the file as UTF-8 (Japanese names)
        for await (const rows of batches) {
          const names = await groupNames(ctx, rows);
          yield rows.map((r) => csvLine(r, req.lang, names)).join('');
        }
      }
      const day = jstIso(ctx.now()).slice(0, 10).replace(/-/g, '');
      return reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="audit-log-${day}.csv"`)
        .header('cache-control', 'no-store')
        .send(Readable.from(lines()));
    });
  };
}
