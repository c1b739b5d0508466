// Every route of the orders, notices and tickets pages, listed once (as src/admin/route-list.ts):
// a route registered by these modules but missing here is a start-up error, the summaries become
// the OpenAPI text, and the fuzz suite (test/security/fuzz.test.ts) walks every registered route.
import type { FastifyInstance } from 'fastify';
import { enforceListedRoutes, type ListedRoute } from '../web/route-list.ts';

export type PortalRoute = ListedRoute;

export const PORTAL_OPS_ROUTES = [
  { method: 'GET', url: '/portal/orders', summary: 'Orders the user may see (S7 お申し込みの進捗): service, page' },
  { method: 'GET', url: '/portal/orders/:orderId', summary: 'An order: progress steps, planned opening date, opening notice' },
  { method: 'GET', url: '/portal/notices', summary: 'Construction / outage / information notices: when=current|past, service, page' },
  { method: 'GET', url: '/portal/notices/:noticeId', summary: 'One notice: affected contracts the user may see (impact), status and its history' },
  { method: 'GET', url: '/portal/notices/:noticeId/report', summary: "The notice's post-incident report (a download), for whoever may see the notice" },
  { method: 'GET', url: '/portal/tickets', summary: "The organisation's tickets (S9): status, category, service, page" },
  { method: 'GET', url: '/portal/tickets.csv', summary: 'The filtered ticket list as CSV (issue 24): status, category, service' },
  { method: 'GET', url: '/portal/tickets/new', summary: 'Form to open a ticket: contract, notice or service chosen in advance (issue 24)' },
  { method: 'POST', url: '/portal/tickets', summary: 'Open a ticket (form, multipart/form-data with attachments, or JSON)' },
  { method: 'GET', url: '/portal/tickets/:ticketId', summary: 'A ticket and its conversation' },
  { method: 'POST', url: '/portal/tickets/:ticketId/replies', summary: 'Reply (multipart/form-data with attachments, form, or JSON)' },
  { method: 'POST', url: '/portal/tickets/:ticketId/close', summary: 'Close the ticket (only if open), with an optional satisfaction rating 1–5 and comment' },
  { method: 'POST', url: '/portal/tickets/:ticketId/cc', summary: 'Put colleagues of the organisation in copy (issue 24)' },
  { method: 'POST', url: '/portal/tickets/:ticketId/cc/:userId/remove', summary: 'Take a colleague out of copy (issue 24)' },
  { method: 'POST', url: '/portal/tickets/:ticketId/reopen', summary: 'Reopen a closed ticket' },
  { method: 'GET', url: '/portal/tickets/:ticketId/attachments/:attachmentId', summary: 'Download an attachment (always as a download)' },
] as const satisfies readonly PortalRoute[];

/** Issue 24: the maintenance calendar's settings page (portal session) and its two feeds (the token is the credential). */
export const CALENDAR_ROUTES = [
  { method: 'GET', url: '/portal/calendar', summary: 'The maintenance calendar: whether a feed address exists, when made and last used' },
  { method: 'POST', url: '/portal/calendar', summary: 'Create the feed address (replaces the current one); shown once' },
  { method: 'POST', url: '/portal/calendar/revoke', summary: 'Revoke the feed address' },
  { method: 'GET', url: '/calendar/:token.ics', summary: "iCalendar feed (BCOP MAINTNOTE) of the maintenance affecting the token user's visible contracts; 404 when unknown or revoked" },
  { method: 'GET', url: '/calendar/:token.atom', summary: "Atom feed of the notices the token's user may see; 404 when unknown or revoked" },
] as const satisfies readonly PortalRoute[];

/** Issue 24 item 2: a user's maintenance-mail subscription (portal session); a technical contact's unsubscribe link (the signed link is the credential). */
export const SUBSCRIPTION_ROUTES = [
  { method: 'GET', url: '/portal/subscriptions', summary: 'Which maintenance mails the user gets: contracts (all visible, chosen services, chosen contracts, none), minimum impact, events' },
  { method: 'POST', url: '/portal/subscriptions', summary: 'Save the subscription: scope, minImpact, events, services or contracts (only ones the user may see)' },
  { method: 'GET', url: '/notices/unsubscribe/:token', summary: "A technical contact's unsubscribe link: a confirmation page; 404 when forged or already removed" },
  { method: 'POST', url: '/notices/unsubscribe/:token', summary: "Remove the link's address from the organisation's technical contacts" },
  { method: 'GET', url: '/notices/unsubscribe/:token/one-click', summary: 'The List-Unsubscribe address opened by hand: the same confirmation page' },
  { method: 'POST', url: '/notices/unsubscribe/:token/one-click', summary: "RFC 8058 one-click unsubscribe from the mail provider (body List-Unsubscribe=One-Click; no cookie, no CSRF token: the signed link is the credential)" },
] as const satisfies readonly PortalRoute[];

export function enforceSubscriptionRouteList(app: FastifyInstance, tag: string): void {
  enforceListedRoutes(app, SUBSCRIPTION_ROUTES, tag, 'src/portal/route-list.ts');
}

export function enforceCalendarRouteList(app: FastifyInstance, tag: string): void {
  enforceListedRoutes(app, CALENDAR_ROUTES, tag, 'src/portal/route-list.ts');
}

export function enforcePortalRouteList(app: FastifyInstance, tag: string): void {
  enforceListedRoutes(app, PORTAL_OPS_ROUTES, tag, 'src/portal/route-list.ts');
}
