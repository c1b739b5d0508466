// Ticket pages and their JSON twins (S9, S14). Forms post multipart/form-data (attachments, no
// JavaScript needed) through the strict reader in multipart.ts, registered for this module only;
// urlencoded and JSON bodies work too, without attachments.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { AppContext } from '../../context.ts';
import type { TicketStatus } from '../../db/schema.ts';
import { DomainError } from '../../errors.ts';
import { sendPage } from '../../web/render.ts';
import { csrf, Id, Page, pageOf } from '../params.ts';
import { enforcePortalRouteList } from '../route-list.ts';
import { portalViewer, type PortalViewer } from '../viewer.ts';
import { MAX_TOTAL_BYTES, sendAttachment } from './attachments.ts';
import { acceptMultipart, type UploadedFile } from './multipart.ts';
import {
  addColleagues, attachmentFor, closeTicket, listTicketsFor, openTicket, removeColleague, reopenTicket, replyAsCustomer, ticketChoices, ticketFor,
  ticketsCsv, STATUSES, CATEGORIES,
} from './service.ts';
import { ccChoices } from './participants.ts';
import { noticeFor } from '../notices/service.ts';
import { NewTicketPage, type NewTicketValues } from './views/forms.tsx';
import { TicketsPage } from './views/list.tsx';
import { TicketPage } from './views/detail.tsx';
import { guardRoutes, requirePortal } from '../../auth/index.ts';
import { ServiceBusy } from '../../lib/index.ts';
import { cookieNames } from '../../web/cookies.ts';

/** Files of a multipart request, kept beside (not in) the body: the body is walked by generic checks. */
const uploads = new WeakMap<FastifyRequest, UploadedFile[]>();
const filesOf = (req: FastifyRequest) => uploads.get(req) ?? [];
/** Room for the form fields and part headers around 10 MiB of files. */
const BODY_LIMIT = MAX_TOTAL_BYTES + 256 * 1024;

const Str = (max: number) => Type.String({ maxLength: max });
const OptId = Type.Optional(Type.String({ maxLength: 64 }));
const TicketParams = Type.Object({ ticketId: Id });
/** Colleagues in copy: a `<select multiple>` (repeated fields, or comma-joined from multipart) or a JSON array. */
const CcField = Type.Optional(Type.Union([Type.String({ maxLength: 2000 }), Type.Array(Type.String({ maxLength: 64 }), { maxItems: 50 })]));
const ccList = (v: string | string[] | undefined): string[] => (Array.isArray(v) ? v : (v ?? '').split(',')).map((x) => x.trim()).filter(Boolean);

export function ticketRoutes(ctx: AppContext): FastifyPluginAsyncTypebox {
  return async (app) => {
    enforcePortalRouteList(app as unknown as FastifyInstance, 'tickets');
    // Every portal page needs a portal session (terms accepted, S6): declared once (decision 041).
    guardRoutes(app as unknown as FastifyInstance, ctx, requirePortal);

    // A multipart body is read whole before any handler runs (and before the guard, a preHandler),
    // so its memory is bounded here, first thing: a request without a session cookie is refused
    // unread, and at most UPLOAD_CONCURRENCY bodies are read at once per process; the next gets
    // 503 + Retry-After (like the hashing pool: capacity, not security state). A slot is freed when
    // the response ends or the connection drops, whichever comes first.
    const sessionCookie = cookieNames(ctx.config).session;
    let reading = 0;
    app.addHook('onRequest', async (req, reply) => {
      if (!/^multipart\/form-data\b/i.test(String(req.headers['content-type'] ?? ''))) return;
      if (!req.cookies[sessionCookie]) throw new DomainError('auth.unauthenticated');
      if (reading >= ctx.config.uploadConcurrency) throw new ServiceBusy('ticket uploads', 2);
      reading++;
      let freed = false;
      reply.raw.once('close', () => { if (!freed) { freed = true; reading--; } });
    });

    acceptMultipart(app as unknown as FastifyInstance, { sessionCookie, bodyLimit: BODY_LIMIT, files: uploads });
    // A body over the limit is refused by Fastify before it is read whole; say why, in words.
    app.setErrorHandler((err: { code?: string }, _req, _reply) => {
      if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE') throw new DomainError('tickets.body_too_large', { total: '10 MiB' });
      throw err;
    });

    const ListQuery = Type.Object({ status: Type.Optional(Str(20)), category: Type.Optional(Str(20)), service: OptId, page: Type.Optional(Page), lang: Type.Optional(Str(5)) });
    function listFilter(q: { status?: string | undefined; category?: string | undefined; service?: string | undefined }) {
      const status = q.status === 'active' || (STATUSES as readonly string[]).includes(q.status ?? '') ? q.status as TicketStatus | 'active' : undefined;
      const category = (CATEGORIES as readonly string[]).includes(q.category ?? '') ? q.category : undefined;
      if ((q.status && !status) || (q.category && !category)) throw new DomainError('common.bad_request');
      return { filter: { ...(status ? { status } : {}), ...(category ? { category } : {}), ...(q.service ? { serviceId: q.service } : {}) }, status, category };
    }

    // Issue 24: the filtered list as CSV (every page), for the operations team's own reporting.
    app.get('/portal/tickets.csv', { schema: { querystring: ListQuery } }, async (req, reply) => {
      const v = portalViewer(req);
      const csv = await ticketsCsv(ctx.db, v.scope, listFilter(req.query).filter, req.lang === 'en' ? 'en' : 'ja');
      return reply.header('content-type', 'text/csv; charset=utf-8').header('content-disposition', 'attachment; filename="tickets.csv"')
        .header('cache-control', 'no-store').send(csv);
    });

    app.get('/portal/tickets', {
      schema: { querystring: ListQuery },
    }, async (req, reply) => {
      const v = portalViewer(req);
      const q = req.query;
      const { filter, status, category } = listFilter(q);
      const page = pageOf(q.page);
      const { tickets, total, services } = await listTicketsFor(ctx.db, v.scope, filter, page);
      if (req.wantsJson()) return reply.header('cache-control', 'no-store').send({ total, page, tickets });
      return sendPage(reply, TicketsPage({ ctx: req.pageCtx(), tickets, total, page, filter: { status, category, service: q.service }, services }));
    });

    async function newForm(req: FastifyRequest, reply: FastifyReply, v: PortalViewer, values: NewTicketValues, err?: DomainError) {
      const { services, contracts } = await ticketChoices(ctx.db, v.scope);
      const colleagues = await ccChoices(ctx.db, v.scope.organisationId, v.auth.user.id);
      // A notice the viewer may not see is not named (the field is dropped, as if never asked).
      const notice = values.noticeId ? await noticeFor(ctx.db, v.scope, values.noticeId, ctx.now()).then((n) => n, () => null) : null;
      return sendPage(reply, NewTicketPage({
        ctx: req.pageCtx(), services, contracts, colleagues: colleagues.map((u) => ({ id: u.id, name: u.name })),
        values: { ...values, noticeId: notice ? notice.id : '' }, notice: notice ? { id: notice.id, titleJa: notice.titleJa, titleEn: notice.titleEn } : null,
        targets: ctx.config.ticketResponseTargets,
        ...(err ? { error: { key: err.code, params: err.params }, errors: err.fields } : {}),
      }), err ? err.status : 200);
    }

    // Issue 24: opened from a contract (?contract=) or a notice (?notice=): the form starts with it chosen.
    app.get('/portal/tickets/new', {
      schema: { querystring: Type.Object({ contract: OptId, notice: OptId, service: OptId, lang: Type.Optional(Str(5)) }) },
    }, async (req, reply) => {
      const v = portalViewer(req);
      const q = req.query;
      return newForm(req, reply, v, {
        category: q.notice ? 'outage' : 'service', contractId: q.contract ?? '', serviceId: q.service ?? '', noticeId: q.notice ?? '',
      });
    });

    app.post('/portal/tickets', {
      bodyLimit: BODY_LIMIT,
      schema: {
        body: Type.Object({
          category: Str(20), serviceId: OptId, contractId: OptId, subject: Str(1000), body: Str(20_000),
          severity: Type.Optional(Str(20)), noticeId: OptId, cc: CcField, ...csrf,
        }),
      },
    }, async (req, reply) => {
      const v = portalViewer(req);
      const b = req.body;
      const cc = ccList(b.cc);
      try {
        const ticket = await openTicket(ctx, v.scope, v.auth.user, {
          category: b.category, subject: b.subject, body: b.body, files: filesOf(req), cc,
          ...(b.serviceId ? { serviceId: b.serviceId } : {}), ...(b.contractId ? { contractId: b.contractId } : {}),
          ...(b.severity ? { severity: b.severity } : {}), ...(b.noticeId ? { noticeId: b.noticeId } : {}),
        });
        if (req.wantsJson()) return reply.code(201).send({ id: ticket.id, number: ticket.number, status: ticket.status });
        return reply.redirect(`/portal/tickets/${ticket.id}?created=1`, 303);
      } catch (err) {
        if (!(err instanceof DomainError) || req.wantsJson() || err.code === 'common.not_found') throw err;
        return newForm(req, reply, v, {
          category: b.category, serviceId: b.serviceId ?? '', contractId: b.contractId ?? '', subject: b.subject.slice(0, 200), body: b.body.slice(0, 10_000),
          severity: b.severity ?? 'normal', noticeId: b.noticeId ?? '', cc,
        }, err);
      }
    });

    app.get('/portal/tickets/:ticketId', {
      schema: { params: TicketParams, querystring: Type.Object({ created: Type.Optional(Str(2)), done: Type.Optional(Str(10)), lang: Type.Optional(Str(5)) }) },
    }, async (req, reply) => {
      const v = portalViewer(req);
      const ticket = await detail(v, req.params.ticketId);
      if (req.wantsJson()) return reply.header('cache-control', 'no-store').send({ ticket });
      const done = req.query.created ? 'created' : req.query.done;
      const notice = done === 'created' ? req.t('tickets.created_notice', { number: ticket.number })
        : done === 'replied' ? req.t('tickets.replied_notice') : done === 'closed' ? req.t('tickets.closed_notice') : done === 'reopened' ? req.t('tickets.reopened_notice')
          : done === 'cc' ? req.t('tickets.cc_added_notice') : null;
      return sendPage(reply, TicketPage({ ctx: req.pageCtx(), ticket, notice, colleagues: await colleaguesFor(v, ticket) }));
    });

    const detail = (v: PortalViewer, id: string) => ticketFor(ctx.db, v.scope, id, { now: ctx.now(), targets: ctx.config.ticketResponseTargets });
    /** Who may still be put in copy: the organisation's active users not on the ticket yet. */
    async function colleaguesFor(v: PortalViewer, ticket: { participants: { id: string }[] }) {
      const on = new Set(ticket.participants.map((p) => p.id));
      return (await ccChoices(ctx.db, v.scope.organisationId, '')).filter((u) => !on.has(u.id)).map((u) => ({ id: u.id, name: u.name }));
    }

    // Issue 24: colleagues in copy, added and removed by anyone of the organisation (all of it reads the ticket).
    app.post('/portal/tickets/:ticketId/cc', { schema: { params: TicketParams, body: Type.Object({ cc: CcField, ...csrf }) } }, async (req, reply) => {
      const v = portalViewer(req);
      try {
        await addColleagues(ctx, v.scope, v.auth.user, req.params.ticketId, ccList(req.body.cc));
      } catch (err) {
        if (!(err instanceof DomainError) || req.wantsJson() || err.code === 'common.not_found') throw err;
        const ticket = await detail(v, req.params.ticketId);
        return sendPage(reply, TicketPage({ ctx: req.pageCtx(), ticket, colleagues: await colleaguesFor(v, ticket), error: { key: err.code, params: err.params }, errors: err.fields }), err.status);
      }
      if (req.wantsJson()) return reply.send({ ok: true });
      return reply.redirect(`/portal/tickets/${req.params.ticketId}?done=cc`, 303);
    });
    app.post('/portal/tickets/:ticketId/cc/:userId/remove', { schema: { params: Type.Object({ ticketId: Id, userId: Id }), body: Type.Object({ ...csrf }) } }, async (req, reply) => {
      const v = portalViewer(req);
      await removeColleague(ctx, v.scope, req.params.ticketId, req.params.userId);
      if (req.wantsJson()) return reply.send({ ok: true });
      return reply.redirect(`/portal/tickets/${req.params.ticketId}?done=cc`, 303);
    });

    app.post('/portal/tickets/:ticketId/replies', {
      bodyLimit: BODY_LIMIT,
      schema: { params: TicketParams, body: Type.Object({ body: Str(20_000), ...csrf }) },
    }, async (req, reply) => {
      const v = portalViewer(req);
      try {
        await replyAsCustomer(ctx, v.scope, v.auth.user, req.params.ticketId, req.body.body, filesOf(req));
      } catch (err) {
        if (!(err instanceof DomainError) || req.wantsJson() || err.code === 'common.not_found') throw err;
        const ticket = await detail(v, req.params.ticketId);
        return sendPage(reply, TicketPage({ ctx: req.pageCtx(), ticket, colleagues: await colleaguesFor(v, ticket), error: { key: err.code, params: err.params }, errors: err.fields, reply: req.body.body.slice(0, 10_000) }), err.status);
      }
      if (req.wantsJson()) return reply.code(201).send({ ok: true });
      return reply.redirect(`/portal/tickets/${req.params.ticketId}?done=replied`, 303);
    });

    // Issue 24: closing may carry a satisfaction rating (1–5) and a comment.
    app.post('/portal/tickets/:ticketId/close', {
      schema: { params: TicketParams, body: Type.Object({ rating: Type.Optional(Type.Union([Str(2), Type.Integer()])), ratingComment: Type.Optional(Str(4000)), ...csrf }) },
    }, async (req, reply) => {
      const v = portalViewer(req);
      try {
        await closeTicket(ctx, v.scope, req.params.ticketId, { ...(req.body.rating !== undefined ? { score: req.body.rating } : {}), ...(req.body.ratingComment ? { comment: req.body.ratingComment } : {}) });
      } catch (err) {
        if (!(err instanceof DomainError) || req.wantsJson() || err.code !== 'common.field_errors') throw err;
        const ticket = await detail(v, req.params.ticketId);
        return sendPage(reply, TicketPage({ ctx: req.pageCtx(), ticket, colleagues: await colleaguesFor(v, ticket), error: { key: err.code, params: err.params }, errors: err.fields }), err.status);
      }
      if (req.wantsJson()) return reply.send({ ok: true });
      return reply.redirect(`/portal/tickets/${req.params.ticketId}?done=closed`, 303);
    });
    app.post('/portal/tickets/:ticketId/reopen', { schema: { params: TicketParams, body: Type.Object({ ...csrf }) } }, async (req, reply) => {
      const v = portalViewer(req);
      await reopenTicket(ctx, v.scope, req.params.ticketId);
      if (req.wantsJson()) return reply.send({ ok: true });
      return reply.redirect(`/portal/tickets/${req.params.ticketId}?done=reopened`, 303);
    });

    // Attachments are only ever downloads (sendAttachment says how).
    app.get('/portal/tickets/:ticketId/attachments/:attachmentId', { schema: { params: Type.Object({ ticketId: Id, attachmentId: Id }) } }, async (req, reply) => {
      const v = portalViewer(req);
      const a = await attachmentFor(ctx.db, v.scope, req.params.ticketId, req.params.attachmentId);
      return sendAttachment(reply, a);
    });
  };
}
