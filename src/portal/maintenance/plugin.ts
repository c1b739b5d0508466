// S10 enforcement, shared infrastructure (fastify-plugin: the hook sees every route). During a
// window every page and API answers 503 with Retry-After (seconds to the end) — a maintenance page
// for browsers, `{error, message}` for JSON clients — so nobody can log in or use the portal.
// Liveness, readiness, metrics and static files are exempt so the load balancer keeps the nodes
// and the maintenance page keeps its stylesheet. One indexed query per request, no cache: a stale
// cache could extend a window on one node, and the query costs less than the session lookup. The
// windows it read stay on the request: the dashboard lists them without asking again (issue 19).
import fp from 'fastify-plugin';
import type { AppContext } from '../../context.ts';
import { sendPage } from '../../web/render.ts';
import { errorBodyOf } from '../../errors.ts';
import { maintenanceNow, type MaintenanceRow } from './service.ts';
import { MaintenancePage } from './views.tsx';

const EXEMPT_EXACT = new Set(['/healthz', '/readyz', '/metrics']);

/**
 * The provider's console (issue 26) stays open during a window so an operator already signed in can
 * change or cancel it; its own guard still refuses everyone but operators. Signing in is not exempt.
 */
const CONSOLE = /^\/(api\/)?operator(\/|$)/;

export function exemptFromMaintenance(url: string): boolean {
  const path = url.split('?', 1)[0]!;
  return EXEMPT_EXACT.has(path) || path.startsWith('/static/') || CONSOLE.test(path);
}

declare module 'fastify' {
  interface FastifyRequest {
    /** The windows announced at this request's start (soonest first), or null on an exempt route. */
    maintenanceWindows: MaintenanceRow[] | null;
  }
}

export const maintenancePlugin = fp<{ ctx: AppContext }>(async (app, { ctx }) => {
  app.decorateRequest('maintenanceWindows', null);
  // After the web plugin's onRequest hook (registered earlier): language and CSRF are known.
  app.addHook('onRequest', async (req, reply) => {
    if (exemptFromMaintenance(req.url)) return;
    const now = ctx.now();
    const { state, windows } = await maintenanceNow(ctx.db, now);
    req.maintenanceWindows = windows;
    if (state.kind === 'none') return;
    const w = state.window;
    const message = req.lang === 'en' ? w.message_en : w.message_ja;
    if (state.kind === 'announced') {
      req.maintenanceAnnouncement = { startsAt: w.starts_at, endsAt: w.ends_at, message };
      return;
    }
    reply.header('retry-after', String(state.retryAfterSeconds));
    if (req.wantsJson()) {
      return reply.code(503).header('cache-control', 'no-store')
        .send({ ...errorBodyOf(req.t, 'common.maintenance'), retryAfter: state.retryAfterSeconds, endsAt: new Date(w.ends_at).toISOString() });
    }
    return sendPage(reply, MaintenancePage({ ctx: { ...req.pageCtx(), user: null }, startsAt: w.starts_at, endsAt: w.ends_at, message }), 503);
  });
});
