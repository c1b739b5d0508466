// Every route of the TM Forum-shaped API (issue 24 item 6; docs/api.md), listed once like the admin's
// and the portal's: a route the API plugin registers that is missing here stops the app from
// starting, the summaries become the OpenAPI text (tag `tmf-api`), and test/http/api-authz.test.ts
// walks this list with every kind of caller. `scope` is what the bearer token must carry.
import type { FastifyInstance } from 'fastify';
import { enforceListedRoutes, type ListedRoute } from '../web/route-list.ts';
import type { Scope } from './tokens.ts';

export interface ApiRoute extends ListedRoute { scopes: readonly Scope[] }

export const API_ROUTES = [
  { method: 'GET', url: '/tmf-api/productInventory/v5/product', scopes: ['contracts:read'], summary: 'TMF637 Products: the contracts of the token\'s organisation (offset, limit, fields; X-Total-Count, X-Result-Count)' },
  { method: 'GET', url: '/tmf-api/productInventory/v5/product/:id', scopes: ['contracts:read'], summary: 'TMF637 one Product (contract)' },
  { method: 'GET', url: '/tmf-api/productOrdering/v5/productOrder', scopes: ['orders:read'], summary: 'TMF622 ProductOrders with their milestones (offset, limit, fields)' },
  { method: 'GET', url: '/tmf-api/productOrdering/v5/productOrder/:id', scopes: ['orders:read'], summary: 'TMF622 one ProductOrder with its milestones' },
  { method: 'GET', url: '/tmf-api/troubleTicket/v5/troubleTicket', scopes: ['tickets:read'], summary: 'TMF621 TroubleTickets of the organisation (offset, limit, fields)' },
  { method: 'GET', url: '/tmf-api/troubleTicket/v5/troubleTicket/:id', scopes: ['tickets:read'], summary: 'TMF621 one TroubleTicket with its notes (the conversation)' },
  { method: 'POST', url: '/tmf-api/troubleTicket/v5/troubleTicket', scopes: ['tickets:write'], summary: 'TMF621 create a TroubleTicket (name = subject, description = first message, ticketType = category)' },
  { method: 'PATCH', url: '/tmf-api/troubleTicket/v5/troubleTicket/:id', scopes: ['tickets:write'], summary: 'TMF621 add notes (replies) and/or set status closed (close) or inProgress (reopen)' },
  { method: 'GET', url: '/tmf-api/incidentManagement/v5/incident', scopes: ['notices:read'], summary: 'MEF-style Incidents: construction, outage and information notices (when=current|past, offset, limit, fields)' },
  { method: 'GET', url: '/tmf-api/incidentManagement/v5/incident/:id', scopes: ['notices:read'], summary: 'One Incident with relatedEntity = what it affects' },
  { method: 'POST', url: '/tmf-api/productOrdering/v5/hub', scopes: ['hub:write', 'orders:read'], summary: 'TMF630 register a callback for ProductOrder events (query: eventType=…)' },
  { method: 'DELETE', url: '/tmf-api/productOrdering/v5/hub/:id', scopes: ['hub:write'], summary: 'TMF630 remove a ProductOrder event subscription' },
  { method: 'POST', url: '/tmf-api/troubleTicket/v5/hub', scopes: ['hub:write', 'tickets:read'], summary: 'TMF630 register a callback for TroubleTicket events (query: eventType=…)' },
  { method: 'DELETE', url: '/tmf-api/troubleTicket/v5/hub/:id', scopes: ['hub:write'], summary: 'TMF630 remove a TroubleTicket event subscription' },
  { method: 'POST', url: '/tmf-api/incidentManagement/v5/hub', scopes: ['hub:write', 'notices:read'], summary: 'TMF630 register a callback for Incident events (query: eventType=…)' },
  { method: 'DELETE', url: '/tmf-api/incidentManagement/v5/hub/:id', scopes: ['hub:write'], summary: 'TMF630 remove an Incident event subscription' },
] as const satisfies readonly ApiRoute[];

export function enforceApiRouteList(app: FastifyInstance): void {
  enforceListedRoutes(app, API_ROUTES, 'tmf-api', 'src/api/route-list.ts');
}

export function scopesOf(method: string, url: string): readonly Scope[] | undefined {
  return API_ROUTES.find((r) => r.method === method && r.url === url)?.scopes;
}
