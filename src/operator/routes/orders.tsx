// Orders in the provider's console (issue 26 item 3, S7 «お申し込みの進捗»): pages under
// /operator/orders, JSON under /api/operator/orders, over the portal's order service (the CLI's
// `order create|list|step` call it too). Minimum role: service_manager (src/operator/route-list.ts).
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { AppContext } from '../../context.ts';
import { DomainError, type FieldErrors } from '../../errors.ts';
import { attempt } from '../../web/attempt.ts';
import { sendPage } from '../../web/render.ts';
import { organisationNames } from '../../auth/service.ts';
import { listServices } from '../../portal/catalogue/service.ts';
import {
  advanceOrder, createOrder, isCalendarDate, isStepCode, MAX_OPENING_NOTICE, operatorOrderPage, orderForOperator, setOpeningNotice, STEP_CODES,
} from '../../portal/orders/service.ts';
import { csrf, operatorOf, sendJsonError } from '../guard.ts';
import { OrderPage, OrdersPage } from '../views/orders.tsx';
import type { FormState } from '../views/customer-parts.tsx';

const NumberParam = Type.String({ minLength: 1, maxLength: 32, pattern: '^[A-Za-z0-9-]+$' });
const ListQuery = Type.Object({
  org: Type.Optional(Type.String({ maxLength: 64 })), page: Type.Optional(Type.String({ maxLength: 9 })),
  done: Type.Optional(Type.String({ maxLength: 20 })),
});
const Notice = Type.Optional(Type.String({ maxLength: 20_000 }));
const CreateBody = Type.Object({
  org: Type.String({ maxLength: 100 }), service: Type.String({ maxLength: 100 }), contract: Type.Optional(Type.String({ maxLength: 100 })),
  planned: Type.Optional(Type.String({ maxLength: 20 })), notice_ja: Notice, notice_en: Notice, ...csrf,
});
const StepBody = Type.Object({ action: Type.Union([Type.Literal('done'), Type.Literal('plan')]), date: Type.Optional(Type.String({ maxLength: 20 })), ...csrf });
const NoticeBody = Type.Object({ notice_ja: Type.String({ maxLength: 20_000 }), notice_en: Type.String({ maxLength: 20_000 }), ...csrf });
const StepParams = Type.Object({ number: NumberParam, step: Type.String({ maxLength: 40 }) });

/** Checks the order form's own fields (dates, the notice pair); the service checks the rest. */
function checkCreate(b: { planned?: string | undefined; notice_ja?: string | undefined; notice_en?: string | undefined }): FieldErrors {
  const fields: FieldErrors = {};
  if (b.planned && !isCalendarDate(b.planned)) fields.planned = [{ key: 'cc.orders.date_invalid' }];
  const ja = (b.notice_ja ?? '').trim();
  const en = (b.notice_en ?? '').trim();
  if (!ja !== !en || ja.length > MAX_OPENING_NOTICE || en.length > MAX_OPENING_NOTICE) fields[ja ? 'notice_en' : 'notice_ja'] = [{ key: 'cc.orders.notice_pair', params: { max: MAX_OPENING_NOTICE } }];
  return fields;
}

export function orderConsoleRoutes(ctx: AppContext): FastifyPluginAsyncTypebox {
  return async (app) => {
    async function listPage(req: FastifyRequest, reply: FastifyReply, query: { org?: string | undefined; page?: string | undefined }, form: FormState, status = 200) {
      const p = await operatorOrderPage(ctx.db, query);
      const orgNames = await organisationNames(ctx.db, [...p.rows.map((r) => r.organisation_id), ...(p.org ? [p.org] : [])]);
      return sendPage(reply, OrdersPage({ ctx: req.pageCtx(), role: operatorOf(req).role, p, orgNames, services: await listServices(ctx.db), form }), status);
    }

    async function orderPage(req: FastifyRequest, reply: FastifyReply, number: string, form: FormState, status = 200) {
      const o = await orderForOperator(ctx.db, number);
      if (!o) throw new DomainError('common.not_found');
      const orgName = (await organisationNames(ctx.db, [o.organisationId])).get(o.organisationId) ?? o.organisationId;
      return sendPage(reply, OrderPage({ ctx: req.pageCtx(), role: operatorOf(req).role, o, orgName, form }), status);
    }

    async function create(req: FastifyRequest, b: typeof CreateBody.static) {
      const fields = checkCreate(b);
      if (Object.keys(fields).length) throw new DomainError('common.field_errors', {}, fields);
      const ja = (b.notice_ja ?? '').trim();
      return createOrder(ctx.db, {
        organisationId: b.org.trim(), serviceCode: b.service.trim(), appliedAt: ctx.now(), steps: [...STEP_CODES],
        ...(b.contract?.trim() ? { contractNumber: b.contract.trim().normalize('NFKC').toUpperCase() } : {}),
        ...(b.planned ? { plannedOpeningDate: b.planned } : {}),
        ...(ja ? { openingNoticeJa: ja, openingNoticeEn: (b.notice_en ?? '').trim() } : {}),
      }, ctx.now(), operatorOf(req).actor);
    }

    async function step(req: FastifyRequest, number: string, code: string, b: typeof StepBody.static) {
      if (!isStepCode(code)) throw new DomainError('orders.unknown_step', { step: code.slice(0, 40), steps: STEP_CODES.join(', ') });
      if (b.action === 'plan' && (!b.date || !isCalendarDate(b.date))) throw new DomainError('common.field_errors', {}, { date: [{ key: 'cc.orders.date_invalid' }] });
      return advanceOrder(ctx.db, { orderNumber: number, step: code, ...(b.action === 'done' ? { doneAt: ctx.now() } : { plannedDate: b.date! }) }, ctx.now(), operatorOf(req).actor, { publicUrl: ctx.config.publicUrl });
    }

    const refused = (err: DomainError, values: Record<string, string | undefined>): FormState => ({
      error: err.code === 'common.field_errors' ? { key: 'common.field_errors' } : { key: err.code, params: err.params },
      fields: err.fields, values: Object.fromEntries(Object.entries(values).filter(([k, v]) => k !== '_csrf' && v !== undefined)) as Record<string, string>,
    });

    app.get('/operator/orders', { schema: { querystring: ListQuery } }, async (req, reply) => listPage(req, reply, req.query, {}));

    app.post('/operator/orders', { schema: { body: CreateBody } }, async (req, reply) => {
      const r = await attempt(() => create(req, req.body));
      if (!r.ok) return listPage(req, reply, {}, refused(r.err, req.body), r.err.status);
      return reply.redirect(`/operator/orders/${r.value.number}?done=created`, 303);
    });

    app.get('/operator/orders/:number', { schema: { params: Type.Object({ number: NumberParam }), querystring: ListQuery } }, async (req, reply) => {
      const d = req.query.done;
      const notice = d === 'created' ? req.t('cc.orders.created', { number: req.params.number }) : d === 'step' ? req.t('cc.orders.step_saved')
        : d === 'opened' ? req.t('cc.orders.opened') : d === 'notice' ? req.t('cc.orders.notice_saved') : null;
      return orderPage(req, reply, req.params.number, { notice });
    });

    app.post('/operator/orders/:number/steps/:step', { schema: { params: StepParams, body: StepBody } }, async (req, reply) => {
      if (!(await orderForOperator(ctx.db, req.params.number))) throw new DomainError('common.not_found');
      const r = await attempt(() => step(req, req.params.number, req.params.step, req.body));
      if (!r.ok) return orderPage(req, reply, req.params.number, refused(r.err, { step: req.params.step, date: req.body.date }), r.err.status);
      return reply.redirect(`/operator/orders/${req.params.number}?done=${r.value.opened ? 'opened' : 'step'}`, 303);
    });

    app.post('/operator/orders/:number/notice', { schema: { params: Type.Object({ number: NumberParam }), body: NoticeBody } }, async (req, reply) => {
      if (!(await orderForOperator(ctx.db, req.params.number))) throw new DomainError('common.not_found');
      const r = await attempt(() => setOpeningNotice(ctx.db, req.params.number, { ja: req.body.notice_ja, en: req.body.notice_en }, ctx.now(), operatorOf(req).actor));
      if (!r.ok) {
        const fields: FieldErrors = { [req.body.notice_ja.trim() ? 'notice_en' : 'notice_ja']: [{ key: 'cc.orders.notice_pair', params: { max: MAX_OPENING_NOTICE } }] };
        return orderPage(req, reply, req.params.number, { error: { key: 'common.field_errors' }, fields, values: { notice_ja: req.body.notice_ja, notice_en: req.body.notice_en } }, r.err.status);
      }
      return reply.redirect(`/operator/orders/${req.params.number}?done=notice`, 303);
    });

    // ---- JSON (same services) ----

    app.get('/api/operator/orders', { schema: { querystring: ListQuery } }, async (req, reply) => {
      const p = await operatorOrderPage(ctx.db, req.query);
      return reply.send({
        orders: p.rows.map((o) => ({ id: o.id, number: o.number, organisationId: o.organisation_id, service: o.service_code, contract: o.contract_number, status: o.status, appliedAt: o.applied_at, plannedOpeningDate: o.planned_opening_date })),
        total: p.total, page: p.page, pages: p.pages,
      });
    });

    app.post('/api/operator/orders', { schema: { body: CreateBody } }, async (req, reply) => {
      const r = await attempt(() => create(req, req.body));
      if (!r.ok) return sendJsonError(req, reply, r.err);
      return reply.code(201).send({ order: await orderForOperator(ctx.db, r.value.number) });
    });

    app.get('/api/operator/orders/:number', { schema: { params: Type.Object({ number: NumberParam }) } }, async (req, reply) => {
      const o = await orderForOperator(ctx.db, req.params.number);
      if (!o) throw new DomainError('common.not_found');
      return reply.send({ order: o });
    });

    app.post('/api/operator/orders/:number/steps/:step', { schema: { params: StepParams, body: StepBody } }, async (req, reply) => {
      if (!(await orderForOperator(ctx.db, req.params.number))) throw new DomainError('common.not_found');
      const r = await attempt(() => step(req, req.params.number, req.params.step, req.body));
      if (!r.ok) return sendJsonError(req, reply, r.err);
      return reply.send({ opened: r.value.opened, order: await orderForOperator(ctx.db, req.params.number) });
    });

    app.post('/api/operator/orders/:number/notice', { schema: { params: Type.Object({ number: NumberParam }), body: NoticeBody } }, async (req, reply) => {
      const r = await attempt(() => setOpeningNotice(ctx.db, req.params.number, { ja: req.body.notice_ja, en: req.body.notice_en }, ctx.now(), operatorOf(req).actor));
      if (!r.ok) return sendJsonError(req, reply, r.err);
      return reply.send({ order: await orderForOperator(ctx.db, req.params.number) });
    });
  };
}
