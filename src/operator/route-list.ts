// Every route of the provider's console (issue 26), pages under /operator and the JSON API under
// /api/operator, listed once with the least operator role that may use it (agent < service_manager
// < operator_admin). The console plugin refuses to start on an unlisted route, puts the listed role
// on each route as its guard (requireOperator), and the summaries become the OpenAPI text. The
// authorisation matrix (test/http/operator-authz.test.ts) walks this list: a route added here is
// tested against every kind of caller without further work. Helpers B and C append their lines.
import type { FastifyInstance, RouteOptions } from 'fastify';
import type { OperatorRole } from '../db/schema.ts';
import type { ListedRoute } from '../web/route-list.ts';
import { requireOperator } from './guard.ts';

export interface OperatorRoute extends ListedRoute { minRole: OperatorRole }

export const OPERATOR_ROUTES = [
  // Home and operators (A)
  { method: 'GET', url: '/operator', summary: 'Console home: what waits, and the areas this operator may open', minRole: 'agent' },
  { method: 'GET', url: '/api/operator', summary: 'The signed-in operator and the console routes they may use', minRole: 'agent' },
] as const satisfies readonly OperatorRoute[];

/** The listed route of a method and URL (its minimum role), if any. */
export function listedOperatorRoute(method: string, url: string): OperatorRoute | undefined {
  return (OPERATOR_ROUTES as readonly OperatorRoute[]).find((r) => r.method === method && r.url === url);
}

/**
 * On the console plugin: an unlisted route is a start-up error; a listed one gets its summary and
 * its guard, requireOperator(minRole), in `config.auth` (enforced by auth's guard hook).
 */
export function enforceOperatorRouteList(app: FastifyInstance): void {
  app.addHook('onRoute', (route: RouteOptions) => {
    for (const method of [route.method].flat()) {
      if (method === 'HEAD') continue;
      const listed = listedOperatorRoute(method, route.url);
      if (!listed) throw new Error(`route ${method} ${route.url} is not in src/operator/route-list.ts`);
      route.schema = { ...route.schema, tags: ['operator'], summary: `${listed.summary} (operator role: ${listed.minRole} or above)` };
      route.config = { ...(route.config as object), auth: requireOperator(listed.minRole) } as RouteOptions['config'];
    }
  });
}
