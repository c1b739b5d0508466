// The TM Forum-shaped API (issue 24 item 6; docs/api.md): bearer tokens only (no cookies, no CSRF),
// every answer filtered by the token organisation's scope through the portal's services (access.ts
// decides; nothing here re-queries visibility), TMF630 paging and errors.
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { AppContext } from '../context.ts';
import { DomainError } from '../errors.ts';
import { contractFor, listContractsWindow } from '../portal/contracts/service.ts';
import { listOrdersWindow, orderFor } from '../portal/orders/service.ts';
import { closeTicket, listTicketsWindow, openTicket, reopenTicket, replyAsCustomer, ticketFor } from '../portal/tickets/service.ts';
import { listNoticesWindow, noticeFor } from '../portal/notices/service.ts';
import { authenticate, type ApiCaller } from './tokens.ts';
import { enforceApiRouteList, scopesOf } from './route-list.ts';
import { organisationScope, registerHub, removeHub, type HubApi } from './hub.ts';
import { incident, PATHS, product, productOrder, selectFields, troubleTicket, type Shape } from './tmf.ts';

declare module 'fastify' {
  interface FastifyRequest { apiCaller?: ApiCaller }
}

const Id = Type.String({ minLength: 1, maxLength: 64 });
const Paging = {
  offset: Type.Optional(Type.String({ pattern: '^[0-9]{1,5}$' })),
  limit: Type.Optional(Type.String({ pattern: '^[0-9]{1,3}$' })),
  fields: Type.Optional(Type.String({ maxLength: 500, pattern: '^[A-Za-z@,]*$' })),
};
const MAX_LIMIT = 100;
const DEFAULT_LIMIT = 20;
const Ref = Type.Object({ id: Id }, { additionalProperties: true });
const RelatedEntity = Type.Object({ role: Type.String({ maxLength: 40 }), entity: Ref }, { additionalProperties: true });
const NoteIn = Type.Object({ text: Type.String({ minLength: 1, maxLength: 10_000 }) }, { additionalProperties: true });

const REASONS: Record<number, string> = { 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 409: 'Conflict', 410: 'Gone', 422: 'Unprocessable Entity', 429: 'Too Many Requests', 500: 'Internal Server Error', 503: 'Service Unavailable' };

/** TMF630 error shape: {code, reason, message, status}. */
function tmfError(reply: FastifyReply, status: number, code: string, message: string, extra: Record<string, unknown> = {}) {
  return reply.code(status).send({ '@type': 'Error', code, reason: REASONS[status] ?? 'Error', message, status: String(status), ...extra });
}

function page(q: { offset?: string | undefined; limit?: string | undefined }) {
  const offset = q.offset ? Math.min(Number(q.offset), 10_000) : 0;
  const limit = q.limit ? Math.min(Math.max(Number(q.limit), 1), MAX_LIMIT) : DEFAULT_LIMIT;
  return { offset, limit };
}

function sendList(reply: FastifyReply, items: Record<string, unknown>[], total: number, fields: string | undefined) {
  reply.header('x-total-count', String(total)).header('x-result-count', String(items.length));
  return reply.send(items.map((i) => selectFields(i, fields)));
}

export function apiRoutes(ctx: AppContext): FastifyPluginAsyncTypebox {
  return async (app) => {
    enforceApiRouteList(app as unknown as FastifyInstance);
    const caller = (req: FastifyRequest) => req.apiCaller!;
    const shape = (req: FastifyRequest): Shape => ({ base: ctx.config.publicUrl.replace(/\/$/, ''), lang: req.lang === 'ja' ? 'ja' : 'en', organisationId: caller(req).organisationId });
    const scopeOf = (req: FastifyRequest) => organisationScope(caller(req).organisationId, caller(req).createdBy);
    const author = (req: FastifyRequest) => ({ id: caller(req).createdBy, name: `${caller(req).name} (API)` });

    // Bearer only: a token in the Authorization header, never a cookie (so no CSRF to check).
    app.addHook('onRequest', async (req, reply) => {
      const result = await authenticate(ctx.db, req.headers.authorization, ctx.now(), ctx.config.apiRatePerMinute);
      if (!result.ok) {
        if (result.reason === 'rate_limited') {
          reply.header('retry-after', String(60 - Math.floor((ctx.now() % 60_000) / 1000)));
          return tmfError(reply, 429, 'api.rate_limited', 'Too many requests for this token; try again in a minute.');
        }
        reply.header('www-authenticate', 'Bearer realm="bizportal"');
        return tmfError(reply, 401, 'api.unauthenticated', 'A valid API token is required (Authorization: Bearer bzp_…).');
      }
      req.apiCaller = result.caller;
      const wanted = scopesOf(req.method, req.routeOptions.url ?? '');
      if (!wanted || wanted.some((s) => !result.caller.scopes.has(s))) return tmfError(reply, 403, 'api.scope_missing', `This token lacks a scope this operation needs: ${(wanted ?? []).join(' ')}.`);
      return undefined;
    });
    // No cookies on the API (the web plugin would set its CSRF cookie), nothing cached.
    app.addHook('onSend', async (_req, reply) => {
      reply.removeHeader('set-cookie');
      reply.header('cache-control', 'no-store');
    });
    app.setErrorHandler((err: FastifyError | DomainError, req, reply) => {
      if (err instanceof DomainError) {
        const fields = Object.keys(err.fields);
        return tmfError(reply, err.status, err.code, req.t(err.code, err.params), fields.length ? { fields } : {});
      }
      if ((err as FastifyError).validation) return tmfError(reply, 400, 'common.bad_request', req.t('common.bad_request'));
      const status = (err as FastifyError).statusCode;
      if (typeof status === 'number' && status >= 400 && status < 500) return tmfError(reply, status, 'common.bad_request', req.t('common.bad_request'));
      throw err; // the app's handler: 503 for a database outage, else a logged 500 with a generic body
    });

    // ---- TMF637 Product (contracts) ----
    app.get(PATHS.product, { config: { csrf: false }, schema: { querystring: Type.Object(Paging) } }, async (req, reply) => {
      const { rows, total } = await listContractsWindow(ctx.db, scopeOf(req), page(req.query));
      return sendList(reply, rows.map((c) => product(shape(req), c)), total, req.query.fields);
    });
    app.get(`${PATHS.product}/:id`, { config: { csrf: false }, schema: { params: Type.Object({ id: Id }), querystring: Type.Object({ fields: Paging.fields }) } }, async (req, reply) => {
      const c = await contractFor(ctx.db, scopeOf(req), req.params.id);
      if (!c) throw new DomainError('common.not_found');
      return reply.send(selectFields(product(shape(req), c), req.query.fields));
    });

    // ---- TMF622 ProductOrder (orders and their milestones) ----
    app.get(PATHS.productOrder, { config: { csrf: false }, schema: { querystring: Type.Object(Paging) } }, async (req, reply) => {
      const { orders, total } = await listOrdersWindow(ctx.db, scopeOf(req), page(req.query));
      return sendList(reply, orders.map((o) => productOrder(shape(req), o)), total, req.query.fields);
    });
    app.get(`${PATHS.productOrder}/:id`, { config: { csrf: false }, schema: { params: Type.Object({ id: Id }), querystring: Type.Object({ fields: Paging.fields }) } }, async (req, reply) => {
      return reply.send(selectFields(productOrder(shape(req), await orderFor(ctx.db, scopeOf(req), req.params.id)), req.query.fields));
    });

    // ---- TMF621 TroubleTicket (tickets: create, note = reply, close) ----
    app.get(PATHS.troubleTicket, { config: { csrf: false }, schema: { querystring: Type.Object(Paging) } }, async (req, reply) => {
      const { tickets, total } = await listTicketsWindow(ctx.db, scopeOf(req), page(req.query));
      return sendList(reply, tickets.map((t) => troubleTicket(shape(req), t)), total, req.query.fields);
    });
    app.get(`${PATHS.troubleTicket}/:id`, { config: { csrf: false }, schema: { params: Type.Object({ id: Id }), querystring: Type.Object({ fields: Paging.fields }) } }, async (req, reply) => {
      return reply.send(selectFields(troubleTicket(shape(req), await ticketFor(ctx.db, scopeOf(req), req.params.id)), req.query.fields));
    });
    app.post(PATHS.troubleTicket, {
      config: { csrf: false },
      schema: {
        body: Type.Object({
          name: Type.String({ minLength: 1, maxLength: 200 }), description: Type.String({ minLength: 1, maxLength: 10_000 }),
          ticketType: Type.String({ minLength: 1, maxLength: 20 }), relatedEntity: Type.Optional(Type.Array(RelatedEntity, { maxItems: 2 })),
        }),
      },
    }, async (req, reply) => {
      const related = req.body.relatedEntity ?? [];
      const serviceId = related.find((r) => r.role === 'service')?.entity.id;
      const contractId = related.find((r) => r.role === 'affectedProduct')?.entity.id;
      const t = await openTicket(ctx, scopeOf(req), author(req), {
        category: req.body.ticketType, subject: req.body.name, body: req.body.description, files: [],
        ...(serviceId ? { serviceId } : {}), ...(contractId ? { contractId } : {}),
      });
      const created = troubleTicket(shape(req), await ticketFor(ctx.db, scopeOf(req), t.id));
      return reply.code(201).header('location', created.href).send(created);
    });
    app.patch(`${PATHS.troubleTicket}/:id`, {
      config: { csrf: false },
      schema: {
        params: Type.Object({ id: Id }),
        body: Type.Object({
          status: Type.Optional(Type.Union([Type.Literal('closed'), Type.Literal('inProgress')])),
          note: Type.Optional(Type.Array(NoteIn, { minItems: 1, maxItems: 5 })),
        }),
      },
    }, async (req, reply) => {
      const scope = scopeOf(req);
      const current = await ticketFor(ctx.db, scope, req.params.id); // 404 before anything is written
      if (req.body.status === 'inProgress' && current.status === 'closed') await reopenTicket(ctx, scope, current.id);
      for (const n of req.body.note ?? []) await replyAsCustomer(ctx, scope, author(req), current.id, n.text, []);
      if (req.body.status === 'closed') await closeTicket(ctx, scope, current.id);
      return reply.send(troubleTicket(shape(req), await ticketFor(ctx.db, scope, current.id)));
    });

    // ---- MEF-style Incident (notices) ----
    app.get(PATHS.incident, { config: { csrf: false }, schema: { querystring: Type.Object({ ...Paging, when: Type.Optional(Type.Union([Type.Literal('current'), Type.Literal('past')])) }) } }, async (req, reply) => {
      const { notices, total } = await listNoticesWindow(ctx.db, scopeOf(req), { now: ctx.now(), when: req.query.when ?? 'current', ...page(req.query) });
      return sendList(reply, notices.map((n) => incident(shape(req), n)), total, req.query.fields);
    });
    app.get(`${PATHS.incident}/:id`, { config: { csrf: false }, schema: { params: Type.Object({ id: Id }), querystring: Type.Object({ fields: Paging.fields }) } }, async (req, reply) => {
      return reply.send(selectFields(incident(shape(req), await noticeFor(ctx.db, scopeOf(req), req.params.id, ctx.now())), req.query.fields));
    });

    // ---- TMF630 hubs: event subscriptions ----
    const HubBody = Type.Object({ callback: Type.String({ minLength: 1, maxLength: 2000 }), query: Type.Optional(Type.String({ maxLength: 500 })) });
    for (const api of ['productOrdering', 'troubleTicket', 'incidentManagement'] as const satisfies readonly HubApi[]) {
      app.post(`/tmf-api/${api}/v5/hub`, { config: { csrf: false }, schema: { body: HubBody } }, async (req, reply) => {
        const r = await registerHub(ctx, caller(req), api, req.body, req.ip);
        return reply.code(201).header('location', `${ctx.config.publicUrl.replace(/\/$/, '')}/tmf-api/${api}/v5/hub/${r.id}`)
          .send({ '@type': 'Hub', id: r.id, callback: r.callback, query: r.query, secret: r.secret });
      });
      app.delete(`/tmf-api/${api}/v5/hub/:id`, { config: { csrf: false }, schema: { params: Type.Object({ id: Id }) } }, async (req, reply) => {
        await removeHub(ctx, caller(req), req.params.id, req.ip);
        return reply.code(204).send();
      });
    }
  };
}
