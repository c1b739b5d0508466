// Tickets inbox (issue 26 item 2): pages under /operator/tickets, the same operations as JSON under
// /api/operator/tickets, both over src/portal/tickets/provider-service.ts (the CLI's too). Guards
// come from the route list (requireOperator(minRole)); every change is audited with the operator.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { AppContext } from '../../context.ts';
import type { TicketStatus } from '../../db/schema.ts';
import { DomainError } from '../../errors.ts';
import { attempt } from '../../web/attempt.ts';
import { sendPage } from '../../web/render.ts';
import { listOperators, listOrganisations } from '../../auth/service.ts';
import { listServices, nameIn } from '../../portal/catalogue/service.ts';
import {
  addNote, answerTicket, assignTicket, attachmentForProvider, closeAsProvider, consoleTicket, CUSTOMER_VIEW, inbox, INBOX_STATUSES, isSeverity, reopenAsProvider, sendAttachment, setSeverity,
  type AnswerMode, type ConsoleAction, type InboxFilter,
} from '../../portal/tickets/provider-service.ts';
import { csrf, Id, operatorOf, Page, pageOf, sendJsonError, type Operator } from '../guard.ts';
import { ConsoleTicketPage, InboxPage, type InboxFilterValues, type TicketFormState } from '../views/tickets.tsx';

const Str = (max: number) => Type.String({ maxLength: max });
const TicketParams = Type.Object({ ticketId: Id });
const InboxQuery = Type.Object({
  status: Type.Optional(Str(20)), org: Type.Optional(Str(64)), service: Type.Optional(Str(64)), severity: Type.Optional(Str(20)),
  assignee: Type.Optional(Str(64)), waiting: Type.Optional(Str(8)), page: Type.Optional(Page), lang: Type.Optional(Str(5)),
});
const TicketQuery = Type.Object({ done: Type.Optional(Str(20)), lang: Type.Optional(Str(5)) });
const BodyText = Type.Object({ body: Str(10_000), ...csrf });
const AnswerBody = Type.Object({ body: Str(10_000), mode: Type.Optional(Str(10)), ...csrf });
const AssignBody = Type.Object({ assignee: Str(64), ...csrf });
const SeverityBody = Type.Object({ severity: Str(20), ...csrf });
const Empty = Type.Object({ ...csrf });

/** The query as service filters; an unknown value is ignored (a stale bookmark still shows a list). */
function filterOf(q: InboxFilterValues, me: string, now: number): { filter: InboxFilter; errors?: Record<string, { key: 'console.tickets.waiting_invalid' }[]> } {
  const f: InboxFilter = {};
  const status = q.status ?? 'waiting';
  if ((INBOX_STATUSES as readonly string[]).includes(status)) f.status = status as TicketStatus | 'waiting' | 'active';
  if (q.org) f.orgId = q.org;
  if (q.service) f.serviceId = q.service;
  if (isSeverity(q.severity)) f.severity = q.severity;
  if (q.assignee) f.assignee = q.assignee === 'me' ? me : q.assignee;
  if (q.waiting) {
    if (!/^[1-9][0-9]{0,3}$/.test(q.waiting)) return { filter: f, errors: { waiting: [{ key: 'console.tickets.waiting_invalid' }] } };
    f.changedBefore = now - Number(q.waiting) * 3_600_000;
  }
  return { filter: f };
}

export function ticketConsoleRoutes(ctx: AppContext): FastifyPluginAsyncTypebox {
  return async (app) => {
    async function choices(lang: 'ja' | 'en') {
      const [orgs, services, operators] = await Promise.all([listOrganisations(ctx.db), listServices(ctx.db), listOperators(ctx.db)]);
      return {
        orgs: orgs.filter((o) => o.kind !== 'provider').map((o) => ({ id: o.id, name: o.name })),
        services: services.map((s) => ({ id: s.id, name: nameIn(s, lang) })),
        operators: operators.filter((o) => o.disabled_at === null).map((o) => ({ id: o.id, name: o.name })),
      };
    }

    async function inboxAnswer(req: FastifyRequest, reply: FastifyReply, q: InboxFilterValues & { page?: string | undefined }, json: boolean) {
      const op = operatorOf(req);
      const { filter, errors } = filterOf(q, op.user.id, ctx.now());
      if (errors && json) throw new DomainError('common.field_errors', {}, errors);
      const page = pageOf(q.page);
      const r = await inbox(ctx.db, filter, page);
      if (json) return reply.send({ tickets: r.tickets, total: r.total, page, pageSize: r.pageSize });
      const { page: _p, ...values } = q;
      return sendPage(reply, InboxPage({ ctx: req.pageCtx(), role: op.role, tickets: r.tickets, total: r.total, page, filter: values, ...(await choices(req.lang)), errors }), errors ? 400 : 200);
    }

    app.get('/operator/tickets', { schema: { querystring: InboxQuery } }, async (req, reply) => inboxAnswer(req, reply, req.query, false));
    app.get('/api/operator/tickets', { schema: { querystring: InboxQuery } }, async (req, reply) => inboxAnswer(req, reply, req.query, true));

    async function ticketPage(req: FastifyRequest, reply: FastifyReply, op: Operator, ticketId: string, state: TicketFormState, status = 200) {
      const ticket = await consoleTicket(ctx.db, ticketId);
      const { operators } = await choices(req.lang);
      return sendPage(reply, ConsoleTicketPage({ ctx: req.pageCtx(), role: op.role, me: op.user.id, ticket, operators, state }), status);
    }

    app.get('/operator/tickets/:ticketId', { schema: { params: TicketParams, querystring: TicketQuery } }, async (req, reply) => {
      const op = operatorOf(req);
      const done = req.query.done as ConsoleAction | AnswerMode | undefined;
      const notice = done && done in CUSTOMER_VIEW ? req.t(`console.tickets.done.${done}` as 'console.tickets.done.reply') : null;
      return ticketPage(req, reply, op, req.params.ticketId, { notice });
    });

    // The same answer as the customer's download: never rendered inline, no script, not cached.
    app.get('/operator/tickets/:ticketId/attachments/:attachmentId', { schema: { params: Type.Object({ ticketId: Id, attachmentId: Id }) } }, async (req, reply) => {
      operatorOf(req);
      const a = await attachmentForProvider(ctx.db, req.params.ticketId, req.params.attachmentId);
      return sendAttachment(reply, a);
    });

    app.get('/api/operator/tickets/:ticketId', { schema: { params: TicketParams } }, async (req, reply) => {
      operatorOf(req);
      return reply.send({ ticket: await consoleTicket(ctx.db, req.params.ticketId), customerView: CUSTOMER_VIEW });
    });

    /**
     * One change, as page (303 back to the ticket with a notice, or the page again with the error
     * next to its field) or as JSON (the result and what the customer sees of it). A ticket that
     * does not exist is 404 either way.
     */
    function change<B>(form: TicketFormState['form'], run: (op: Operator, ticketId: string, body: B) => Promise<{ done: ConsoleAction; json?: Record<string, unknown>; created?: boolean }>) {
      return async (req: FastifyRequest, reply: FastifyReply) => {
        const op = operatorOf(req);
        const { ticketId } = req.params as { ticketId: string };
        const body = req.body as B & { body?: string; mode?: AnswerMode };
        const json = req.url.startsWith('/api/');
        const r = await attempt(() => run(op, ticketId, body));
        if (!r.ok) {
          if (r.err.code === 'common.not_found') throw r.err;
          if (json) return sendJsonError(req, reply, r.err);
          const error = r.err.code === 'common.field_errors' ? null : { key: r.err.code, params: r.err.params };
          return ticketPage(req, reply, op, ticketId, {
            error, errors: r.err.fields, ...(form ? { form } : {}), ...(body.body !== undefined ? { body: body.body } : {}), ...(body.mode ? { mode: body.mode } : {}),
          }, r.err.status);
        }
        if (json) return reply.code(r.value.created ? 201 : 200).send({ status: 'ok', action: r.value.done, customerSees: CUSTOMER_VIEW[r.value.done], ...r.value.json });
        return reply.redirect(`/operator/tickets/${encodeURIComponent(ticketId)}?done=${r.value.done}`, 303);
      };
    }

    const assign = change<{ assignee: string }>('assign', async (op, id, b) => {
      await assignTicket(ctx, op.actor, id, b.assignee === 'me' ? op.user.id : b.assignee || null);
      return { done: 'assign' };
    });
    const severity = change<{ severity: string }>('severity', async (op, id, b) => {
      await setSeverity(ctx, op.actor, id, b.severity);
      return { done: 'severity' };
    });
    const note = change<{ body: string }>('note', async (op, id, b) => {
      const messageId = await addNote(ctx, op.actor, id, { userId: op.user.id, name: op.user.name }, b.body);
      return { done: 'note', json: { messageId }, created: true };
    });
    const answer = change<{ body: string; mode?: string }>('answer', async (op, id, b) => {
      const mode = (b.mode || 'reply') as AnswerMode;
      const r = await answerTicket(ctx, op.actor, id, { author: { userId: op.user.id, name: op.user.name }, body: b.body, mode });
      return { done: mode, json: { messageId: r.messageId, mailQueued: r.mailId !== null, ticketStatus: r.ticket.status }, created: true };
    });
    const close = change<object>(undefined, async (op, id) => { await closeAsProvider(ctx, op.actor, id); return { done: 'close' }; });
    const reopen = change<object>(undefined, async (op, id) => { await reopenAsProvider(ctx, op.actor, id); return { done: 'reopen' }; });

    for (const prefix of ['/operator', '/api/operator'] as const) {
      app.post(`${prefix}/tickets/:ticketId/assign`, { schema: { params: TicketParams, body: AssignBody } }, assign);
      app.post(`${prefix}/tickets/:ticketId/severity`, { schema: { params: TicketParams, body: SeverityBody } }, severity);
      app.post(`${prefix}/tickets/:ticketId/notes`, { schema: { params: TicketParams, body: BodyText } }, note);
      app.post(`${prefix}/tickets/:ticketId/replies`, { schema: { params: TicketParams, body: AnswerBody } }, answer);
      app.post(`${prefix}/tickets/:ticketId/close`, { schema: { params: TicketParams, body: Empty } }, close);
      app.post(`${prefix}/tickets/:ticketId/reopen`, { schema: { params: TicketParams, body: Empty } }, reopen);
    }
  };
}
