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
  { method: 'GET', url: '/operator/operators', summary: 'Operators: list, add (starting guide), change roles', minRole: 'operator_admin' },
  { method: 'POST', url: '/operator/operators', summary: 'Add an operator: email, name, phone, role, loginId?, lang? (sends the starting guide)', minRole: 'operator_admin' },
  { method: 'POST', url: '/operator/operators/:userId/role', summary: 'Change an operator\'s role (role: agent | service_manager | operator_admin | none); not one\'s own', minRole: 'operator_admin' },
  { method: 'GET', url: '/api/operator/operators', summary: 'Operators as JSON', minRole: 'operator_admin' },
  { method: 'POST', url: '/api/operator/operators', summary: 'Add an operator: { email, name, phone, role, loginId?, lang? }', minRole: 'operator_admin' },
  { method: 'POST', url: '/api/operator/operators/:userId/role', summary: 'Change an operator\'s role: { role }', minRole: 'operator_admin' },
  // Tickets inbox (A)
  { method: 'GET', url: '/operator/tickets', summary: 'All organisations\' tickets: status, org, service, severity, assignee, waiting (older than N hours), page', minRole: 'agent' },
  { method: 'GET', url: '/operator/tickets/:ticketId', summary: 'A ticket: the whole conversation with internal notes, and what the customer sees', minRole: 'agent' },
  { method: 'GET', url: '/operator/tickets/:ticketId/attachments/:attachmentId', summary: 'Download an attachment of the ticket (always as a download)', minRole: 'agent' },
  { method: 'POST', url: '/operator/tickets/:ticketId/assign', summary: 'Assign to an operator (assignee), to me (assignee=me) or to no one (empty)', minRole: 'agent' },
  { method: 'POST', url: '/operator/tickets/:ticketId/severity', summary: 'Set the severity: low | normal | high | critical', minRole: 'agent' },
  { method: 'POST', url: '/operator/tickets/:ticketId/notes', summary: 'Add an internal note (never shown or mailed to the customer)', minRole: 'agent' },
  { method: 'POST', url: '/operator/tickets/:ticketId/replies', summary: 'Reply (mode=reply), ask for information (mode=ask) or resolve (mode=resolve); mails the customer', minRole: 'agent' },
  { method: 'POST', url: '/operator/tickets/:ticketId/close', summary: 'Close without a message', minRole: 'agent' },
  { method: 'POST', url: '/operator/tickets/:ticketId/reopen', summary: 'Reopen a closed ticket (it waits for the provider)', minRole: 'agent' },
  { method: 'GET', url: '/api/operator/tickets', summary: 'Tickets inbox as JSON (same filters as the page)', minRole: 'agent' },
  { method: 'GET', url: '/api/operator/tickets/:ticketId', summary: 'A ticket with its whole conversation, internal notes marked', minRole: 'agent' },
  { method: 'POST', url: '/api/operator/tickets/:ticketId/assign', summary: 'Assign: { assignee: operator id | "me" | "" }', minRole: 'agent' },
  { method: 'POST', url: '/api/operator/tickets/:ticketId/severity', summary: 'Set the severity: { severity }', minRole: 'agent' },
  { method: 'POST', url: '/api/operator/tickets/:ticketId/notes', summary: 'Add an internal note: { body }', minRole: 'agent' },
  { method: 'POST', url: '/api/operator/tickets/:ticketId/replies', summary: 'Reply / ask / resolve: { body, mode }', minRole: 'agent' },
  { method: 'POST', url: '/api/operator/tickets/:ticketId/close', summary: 'Close without a message', minRole: 'agent' },
  { method: 'POST', url: '/api/operator/tickets/:ticketId/reopen', summary: 'Reopen a closed ticket', minRole: 'agent' },
  // Notices, maintenance windows, terms and migrations (C; issue 26 items 4 and 5)
  { method: 'GET', url: '/operator/notices', summary: 'Notices: running, scheduled or past (when=current|scheduled|past)', minRole: 'service_manager' },
  { method: 'GET', url: '/operator/notices/new', summary: 'Form to compose a notice', minRole: 'service_manager' },
  { method: 'POST', url: '/operator/notices/preview', summary: 'Preview a composed notice as customers will see it (writes nothing)', minRole: 'service_manager' },
  { method: 'POST', url: '/operator/notices', summary: 'Publish a notice (kind, services, ja/en title and text, period)', minRole: 'service_manager' },
  { method: 'GET', url: '/operator/notices/:noticeId', summary: 'A notice, its change form and withdraw', minRole: 'service_manager' },
  { method: 'POST', url: '/operator/notices/:noticeId', summary: 'Change a notice that is not withdrawn', minRole: 'service_manager' },
  { method: 'POST', url: '/operator/notices/:noticeId/preview', summary: 'Preview a change of a notice (writes nothing)', minRole: 'service_manager' },
  { method: 'POST', url: '/operator/notices/:noticeId/withdraw', summary: 'Withdraw a notice: customers no longer see it', minRole: 'service_manager' },
  { method: 'GET', url: '/api/operator/notices', summary: 'Notices as JSON (when=current|scheduled|past)', minRole: 'service_manager' },
  { method: 'POST', url: '/api/operator/notices/preview', summary: 'Check a notice and answer it as customers will see it (writes nothing)', minRole: 'service_manager' },
  { method: 'POST', url: '/api/operator/notices', summary: 'Publish a notice (times: ISO 8601 with offset, or JST without)', minRole: 'service_manager' },
  { method: 'GET', url: '/api/operator/notices/:noticeId', summary: 'A notice with its services', minRole: 'service_manager' },
  { method: 'POST', url: '/api/operator/notices/:noticeId', summary: 'Change a notice that is not withdrawn (every field given again)', minRole: 'service_manager' },
  { method: 'POST', url: '/api/operator/notices/:noticeId/preview', summary: 'Check a change of a notice (writes nothing)', minRole: 'service_manager' },
  { method: 'POST', url: '/api/operator/notices/:noticeId/withdraw', summary: 'Withdraw a notice', minRole: 'service_manager' },
  // Issue 24: a notice's status (history kept, affected users mailed) and its post-incident report.
  { method: 'POST', url: '/operator/notices/:noticeId/status', summary: "Change a notice's status (tentative, confirmed, in_progress, completed, cancelled); mails the affected users", minRole: 'service_manager' },
  { method: 'POST', url: '/api/operator/notices/:noticeId/status', summary: "Change a notice's status; mails the affected users with the .ics", minRole: 'service_manager' },
  { method: 'GET', url: '/operator/notices/:noticeId/report', summary: "Download a notice's post-incident report", minRole: 'service_manager' },
  { method: 'GET', url: '/api/operator/notices/:noticeId/report', summary: "Download a notice's post-incident report", minRole: 'service_manager' },
  { method: 'POST', url: '/operator/notices/:noticeId/report', summary: 'Attach (or replace) the post-incident report (multipart/form-data, field report)', minRole: 'service_manager' },
  { method: 'POST', url: '/api/operator/notices/:noticeId/report', summary: 'Attach (or replace) the post-incident report (JSON: filename, contentBase64)', minRole: 'service_manager' },
  { method: 'GET', url: '/operator/maintenance', summary: 'Maintenance windows and the form to schedule one', minRole: 'service_manager' },
  { method: 'POST', url: '/operator/maintenance/preview', summary: 'Preview the login page, dashboard and maintenance page for a window (writes nothing)', minRole: 'service_manager' },
  { method: 'POST', url: '/operator/maintenance', summary: 'Schedule a maintenance window (announce from, start, end, ja/en message)', minRole: 'service_manager' },
  { method: 'GET', url: '/operator/maintenance/:windowId', summary: 'A maintenance window, its change form and cancel', minRole: 'service_manager' },
  { method: 'POST', url: '/operator/maintenance/:windowId', summary: 'Change a window that is neither cancelled nor over', minRole: 'service_manager' },
  { method: 'POST', url: '/operator/maintenance/:windowId/preview', summary: 'Preview a change of a window (writes nothing)', minRole: 'service_manager' },
  { method: 'POST', url: '/operator/maintenance/:windowId/cancel', summary: 'Cancel a window (a running one ends at once)', minRole: 'service_manager' },
  { method: 'GET', url: '/api/operator/maintenance', summary: 'Maintenance windows as JSON (all=1: also past and cancelled)', minRole: 'service_manager' },
  { method: 'POST', url: '/api/operator/maintenance/preview', summary: 'Check a maintenance window (writes nothing)', minRole: 'service_manager' },
  { method: 'POST', url: '/api/operator/maintenance', summary: 'Schedule a maintenance window (times: ISO 8601 with offset, or JST without)', minRole: 'service_manager' },
  { method: 'GET', url: '/api/operator/maintenance/:windowId', summary: 'A maintenance window', minRole: 'service_manager' },
  { method: 'POST', url: '/api/operator/maintenance/:windowId', summary: 'Change a maintenance window', minRole: 'service_manager' },
  { method: 'POST', url: '/api/operator/maintenance/:windowId/preview', summary: 'Check a change of a maintenance window (writes nothing)', minRole: 'service_manager' },
  { method: 'POST', url: '/api/operator/maintenance/:windowId/cancel', summary: 'Cancel a maintenance window', minRole: 'service_manager' },
  { method: 'GET', url: '/operator/terms', summary: 'Terms versions and the form for a new one', minRole: 'operator_admin' },
  { method: 'POST', url: '/operator/terms/diff', summary: 'The changes of a new terms version against the current one, before publishing (writes nothing)', minRole: 'operator_admin' },
  { method: 'POST', url: '/operator/terms', summary: 'Publish a terms version (basedOn: the version the diff was made against)', minRole: 'operator_admin' },
  { method: 'GET', url: '/operator/terms/:versionId', summary: 'A terms version and its changes against the one before', minRole: 'operator_admin' },
  { method: 'GET', url: '/api/operator/terms', summary: 'Terms versions with acceptance counts', minRole: 'operator_admin' },
  { method: 'POST', url: '/api/operator/terms/diff', summary: 'Line diff of a new terms version against the current one (writes nothing)', minRole: 'operator_admin' },
  { method: 'POST', url: '/api/operator/terms', summary: 'Publish a terms version; basedOn must name the current version ("" when none)', minRole: 'operator_admin' },
  { method: 'GET', url: '/api/operator/terms/:versionId', summary: 'A terms version and its diff against the one before', minRole: 'operator_admin' },
  // Legacy-user migrations (issue 21 item 5), read-only: the figures of `bizportal migrate status`
  { method: 'GET', url: '/operator/migrations', summary: 'Imports of legacy users (file, when, users, period and its state, first-login mails sent) and per organisation users who completed their first login and who did not', minRole: 'service_manager' },
  { method: 'GET', url: '/operator/migrations/users.csv', summary: 'Every imported user as CSV (the columns of migrate status --csv), streamed', minRole: 'service_manager' },
  { method: 'GET', url: '/api/operator/migrations', summary: 'Imports with their periods (ISO 8601) and first-login progress per organisation, as JSON', minRole: 'service_manager' },
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
  // Branding per preset and organisation (issue 20 item 2)
  { method: 'GET', url: '/operator/branding', summary: 'Branding: the presets, the organisations with a brand, and opening one (org=ID)', minRole: 'operator_admin' },
  { method: 'GET', url: '/operator/branding/:scope/:id', summary: 'The branding of a preset or an organisation: the form and a preview of what is saved', minRole: 'operator_admin' },
  { method: 'POST', url: '/operator/branding/:scope/:id', summary: 'Save branding (multipart/form-data: name, colour, logo, favicon, footer, support contact; contrast and files checked)', minRole: 'operator_admin' },
  { method: 'POST', url: '/operator/branding/:scope/:id/clear', summary: 'Clear every branding field of a preset or an organisation (confirm=1)', minRole: 'operator_admin' },
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
