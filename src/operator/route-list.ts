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
  // Customers and contracts (B): organisations, services and categories, contracts and their CSV import, orders
  { method: 'GET', url: '/operator/organisations', summary: 'Organisations: find by keywords and kind, page links; the create form', minRole: 'service_manager' },
  { method: 'POST', url: '/operator/organisations', summary: 'Create a customer organisation (kind, parent, preset, password policy)', minRole: 'operator_admin' },
  { method: 'GET', url: '/operator/organisations/:orgId', summary: 'One organisation: kind, parent, children, users; the first portal admin form', minRole: 'service_manager' },
  { method: 'POST', url: '/operator/organisations/:orgId/first-admin', summary: 'Register the first portal admin and send the starting guide', minRole: 'operator_admin' },
  { method: 'GET', url: '/operator/services', summary: 'Services and categories, with their create forms', minRole: 'service_manager' },
  { method: 'POST', url: '/operator/services', summary: 'Create a service', minRole: 'service_manager' },
  { method: 'POST', url: '/operator/services/categories', summary: 'Create a service category', minRole: 'service_manager' },
  { method: 'GET', url: '/operator/services/:code', summary: 'One service and its edit form', minRole: 'service_manager' },
  { method: 'POST', url: '/operator/services/:code', summary: 'Rename a service, move it to a category, set or remove its settings site', minRole: 'service_manager' },
  { method: 'GET', url: '/operator/services/categories/:code', summary: 'One category and its edit form', minRole: 'service_manager' },
  { method: 'POST', url: '/operator/services/categories/:code', summary: 'Rename a category or change its position', minRole: 'service_manager' },
  { method: 'GET', url: '/operator/contracts', summary: 'Contracts of every organisation: keyword, organisation, service and status filter, page links; the create form', minRole: 'service_manager' },
  { method: 'POST', url: '/operator/contracts', summary: 'Register a contract', minRole: 'service_manager' },
  { method: 'GET', url: '/operator/contracts/import', summary: 'The CSV import form', minRole: 'service_manager' },
  { method: 'POST', url: '/operator/contracts/import', summary: 'Import contracts from CSV: a dry run, or all lines in one transaction', minRole: 'service_manager' },
  { method: 'GET', url: '/operator/contracts/:contractId', summary: 'One contract and its edit form', minRole: 'service_manager' },
  { method: 'POST', url: '/operator/contracts/:contractId', summary: 'Edit a contract: site, memo, group number, status, service', minRole: 'service_manager' },
  { method: 'GET', url: '/operator/orders', summary: 'Orders of every organisation, newest first; the create form', minRole: 'service_manager' },
  { method: 'POST', url: '/operator/orders', summary: 'Record an order', minRole: 'service_manager' },
  { method: 'GET', url: '/operator/orders/:number', summary: 'One order: milestones and opening notice', minRole: 'service_manager' },
  { method: 'POST', url: '/operator/orders/:number/steps/:step', summary: 'Mark a milestone done (in order) or set its planned date', minRole: 'service_manager' },
  { method: 'POST', url: '/operator/orders/:number/notice', summary: 'Set the opening notice of an order', minRole: 'service_manager' },
  { method: 'GET', url: '/api/operator/organisations', summary: 'Organisations by keywords and kind, a page at a time', minRole: 'service_manager' },
  { method: 'POST', url: '/api/operator/organisations', summary: 'Create a customer organisation', minRole: 'operator_admin' },
  { method: 'GET', url: '/api/operator/organisations/:orgId', summary: 'One organisation with its parent, children and user counts', minRole: 'service_manager' },
  { method: 'POST', url: '/api/operator/organisations/:orgId/first-admin', summary: 'Register the first portal admin; the starting guide is queued', minRole: 'operator_admin' },
  { method: 'GET', url: '/api/operator/services', summary: 'Every category and service', minRole: 'service_manager' },
  { method: 'POST', url: '/api/operator/services', summary: 'Create a service', minRole: 'service_manager' },
  { method: 'POST', url: '/api/operator/services/:code', summary: 'Change a service', minRole: 'service_manager' },
  { method: 'POST', url: '/api/operator/categories', summary: 'Create a service category', minRole: 'service_manager' },
  { method: 'POST', url: '/api/operator/categories/:code', summary: 'Change a service category', minRole: 'service_manager' },
  { method: 'GET', url: '/api/operator/contracts', summary: 'Contracts of every organisation, filtered and paged as the customer list', minRole: 'service_manager' },
  { method: 'POST', url: '/api/operator/contracts', summary: 'Register a contract', minRole: 'service_manager' },
  { method: 'POST', url: '/api/operator/contracts/import', summary: 'Import contracts from CSV (dryRun defaults to true); 422 with the report when a line is bad', minRole: 'service_manager' },
  { method: 'GET', url: '/api/operator/contracts/:contractId', summary: 'One contract', minRole: 'service_manager' },
  { method: 'POST', url: '/api/operator/contracts/:contractId', summary: 'Edit a contract (only the fields given)', minRole: 'service_manager' },
  { method: 'GET', url: '/api/operator/orders', summary: 'Orders, newest first, a page at a time', minRole: 'service_manager' },
  { method: 'POST', url: '/api/operator/orders', summary: 'Record an order', minRole: 'service_manager' },
  { method: 'GET', url: '/api/operator/orders/:number', summary: 'One order with its milestones', minRole: 'service_manager' },
  { method: 'POST', url: '/api/operator/orders/:number/steps/:step', summary: 'Mark a milestone done or set its planned date', minRole: 'service_manager' },
  { method: 'POST', url: '/api/operator/orders/:number/notice', summary: 'Set the opening notice of an order', minRole: 'service_manager' },
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
