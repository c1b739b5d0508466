// Console notices (issue 26 item 4): pages under /operator/notices and the same operations as JSON
// under /api/operator/notices, both through the notice service the CLI uses (check, publish,
// change, withdraw). Preview posts the unsaved form and draws the customer's components; nothing
// is written until Publish / Save. Guard and minimum role come from src/operator/route-list.ts.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type, type Static } from '@sinclair/typebox';
import type { AppContext } from '../../context.ts';
import { DomainError, type FieldErrors } from '../../errors.ts';
import type { NoticeKind } from '../../db/schema.ts';
import { sendPage } from '../../web/render.ts';
import { attempt } from '../../web/attempt.ts';
import { listServices } from '../../portal/catalogue/service.ts';
import {
  changeNotice, checkNotice, operatorNotice, operatorNotices, publishNotice, withdrawNotice,
  attachNoticeReport, changeNoticeStatus, contractLinesOf, operatorNoticeReport, parseContractLines,
  type ContractTarget, type NoticeMailSetting, type NoticeDraft, type NoticeInput, type NoticeView, type OperatorNoticeView,
} from '../../portal/notices/service.ts';
import type { NoticeStatus } from '../../db/schema.ts';
import { sendAttachment } from '../../portal/tickets/attachments.ts';
import { acceptMultipart, type UploadedFile } from '../../portal/tickets/multipart.ts';
import { cookieNames } from '../../web/cookies.ts';
import { csrf, Id, operatorOf, sendJsonError } from '../guard.ts';
import { parseConsoleTime, toJstLocal } from '../time.ts';
import { NoticeComposePage, NoticeEditPage, NoticesListPage, type NoticeFormValues, type ServiceChoice } from '../views/notices.tsx';

const BASES = ['/operator', '/api/operator'] as const;
const Text = (max: number) => Type.String({ maxLength: max });
// Generous schema limits: the service's own limits (200 / 10,000) answer with a message next to the field.
export const NoticeBody = Type.Object({
  kind: Text(40),
  services: Type.Optional(Type.Union([Type.String({ maxLength: 64 }), Type.Array(Type.String({ maxLength: 64 }), { maxItems: 200 })])),
  titleJa: Text(2000), titleEn: Text(2000), bodyJa: Text(50_000), bodyEn: Text(50_000),
  startsAt: Text(40), endsAt: Type.Optional(Text(40)),
  // Issue 24: «number impact» lines (a CSV paste works too); the status a new notice starts with.
  contracts: Type.Optional(Text(200_000)), status: Type.Optional(Text(20)),
  ...csrf,
});
type Body = Static<typeof NoticeBody>;
const NoticeParams = Type.Object({ noticeId: Id });

function valuesOf(b: Body): NoticeFormValues {
  const services = b.services === undefined ? [] : [b.services].flat().filter((s) => s !== '');
  return {
    kind: b.kind, services, titleJa: b.titleJa, titleEn: b.titleEn, bodyJa: b.bodyJa, bodyEn: b.bodyEn, startsAt: b.startsAt, endsAt: b.endsAt ?? '',
    ...(b.contracts !== undefined ? { contracts: b.contracts } : {}), status: b.status ?? 'confirmed',
  };
}

/** The form as service input; a time that is not one is refused by field before the service sees it. */
function inputOf(v: NoticeFormValues): NoticeInput {
  const fields: FieldErrors = {};
  const startsAt = parseConsoleTime(v.startsAt);
  if (startsAt === null) fields.startsAt = [{ key: 'console.time_invalid' }];
  const endsAt = v.endsAt.trim() === '' ? undefined : parseConsoleTime(v.endsAt);
  if (endsAt === null) fields.endsAt = [{ key: 'console.time_invalid' }];
  let contracts: ContractTarget[] | undefined;
  if (v.contracts !== undefined) {
    try { contracts = parseContractLines(v.contracts); } catch (e) {
      if (!(e instanceof DomainError)) throw e;
      Object.assign(fields, e.fields);
    }
  }
  if (Object.keys(fields).length) throw new DomainError('common.field_errors', {}, fields);
  return {
    kind: v.kind as NoticeKind, serviceIds: v.services, titleJa: v.titleJa, titleEn: v.titleEn, bodyJa: v.bodyJa, bodyEn: v.bodyEn, startsAt: startsAt!, endsAt: endsAt ?? undefined,
    contracts, status: v.status as NoticeStatus,
  };
}

function formValuesOf(n: OperatorNoticeView): NoticeFormValues {
  return {
    kind: n.kind, services: n.services.map((s) => s.id), titleJa: n.titleJa, titleEn: n.titleEn, bodyJa: n.bodyJa, bodyEn: n.bodyEn,
    startsAt: toJstLocal(n.startsAt), endsAt: n.endsAt === null ? '' : toJstLocal(n.endsAt),
    contracts: contractLinesOf(n.contracts), status: n.status,
  };
}

/** A checked draft as customers would see it (the preview and the API's check answer). */
function previewOf(d: NoticeDraft, services: ServiceChoice[], now: number): NoticeView {
  return {
    id: 'preview', kind: d.kind, allServices: d.serviceIds.length === 0,
    services: services.filter((s) => d.serviceIds.includes(s.id)),
    titleJa: d.titleJa, titleEn: d.titleEn, bodyJa: d.bodyJa, bodyEn: d.bodyEn, startsAt: d.startsAt, endsAt: d.endsAt,
    phase: d.endsAt !== null && d.endsAt <= now ? 'ended' : d.startsAt > now ? 'upcoming' : 'ongoing',
    status: d.status, statusHistory: [], contracts: (d.contracts ?? []).map((c) => ({ id: c.contractId, number: c.number, impact: c.impact })), report: null,
  };
}

const DONE: Record<string, 'console.notices.published' | 'console.notices.changed' | 'console.notices.withdrawn_done' | 'console.notices.status_changed' | 'console.notices.report_attached'> = {
  published: 'console.notices.published', changed: 'console.notices.changed', withdrawn: 'console.notices.withdrawn_done',
  status: 'console.notices.status_changed', report: 'console.notices.report_attached',
};
/** A post-incident report: one file (decision 031's 5 MiB) and the form's few fields. */
const REPORT_BODY_LIMIT = 5 * 1024 * 1024 + 64 * 1024;

export function noticeConsoleRoutes(ctx: AppContext): FastifyPluginAsyncTypebox {
  return async (app) => {
    const mail: NoticeMailSetting = { publicUrl: ctx.config.publicUrl, mailFrom: ctx.config.mailFrom, secretKey: ctx.config.secretKey };
    async function choices(): Promise<ServiceChoice[]> {
      return (await listServices(ctx.db)).map((s) => ({ id: s.id, code: s.code, nameJa: s.name_ja, nameEn: s.name_en }));
    }
    const bothLangs = (req: FastifyRequest) => [req.pageCtxIn('ja'), req.pageCtxIn('en')];

    /** The compose page (id undefined) or a notice's page, with a preview or the refusal. */
    async function formPage(req: FastifyRequest, reply: FastifyReply, id: string | undefined, values: NoticeFormValues,
      extra: { err?: DomainError; preview?: NoticeView; done?: string | null } = {}) {
      const op = operatorOf(req);
      const common = {
        ctx: req.pageCtx(), role: op.role, values, services: await choices(),
        error: extra.err ? { key: extra.err.code, params: extra.err.params } : null, errors: extra.err?.fields ?? {},
        preview: extra.preview ? { ctxs: bothLangs(req), notice: extra.preview } : null,
      };
      const status = extra.err?.status ?? 200;
      if (id === undefined) return sendPage(reply, NoticeComposePage(common), status);
      return sendPage(reply, NoticeEditPage({ ...common, notice: await operatorNotice(ctx.db, id, ctx.now()), done: extra.done ?? null }), status);
    }

    /** A refused form: the page again with every field's message, or the one JSON error shape. */
    function refused(req: FastifyRequest, reply: FastifyReply, err: DomainError, id: string | undefined, values: NoticeFormValues) {
      if (err.code === 'common.not_found') throw err;
      if (req.wantsJson()) return sendJsonError(req, reply, err);
      return formPage(req, reply, id, values, { err });
    }

    const WhenQuery = Type.Object({ when: Type.Optional(Type.Union([Type.Literal('current'), Type.Literal('scheduled'), Type.Literal('past')])), done: Type.Optional(Type.String({ maxLength: 20 })) });
    for (const base of BASES) {
      app.get(`${base}/notices`, { schema: { querystring: WhenQuery } }, async (req, reply) => {
        const when = req.query.when ?? 'current';
        const { notices, total } = await operatorNotices(ctx.db, ctx.now(), when, { limit: 100 });
        if (req.wantsJson()) return reply.header('cache-control', 'no-store').send({ when, total, notices });
        const done = req.query.done ? DONE[req.query.done] : undefined;
        return sendPage(reply, NoticesListPage({ ctx: req.pageCtx(), role: operatorOf(req).role, when, notices, notice: done ? req.t(done) : null }));
      });

      // Preview (page) / check (API): the form checked by the service, nothing written.
      app.post(`${base}/notices/preview`, { schema: { body: NoticeBody } }, async (req, reply) => {
        const values = valuesOf(req.body);
        const r = await attempt(() => checkNotice(ctx.db, inputOf(values)));
        if (!r.ok) return refused(req, reply, r.err, undefined, values);
        const preview = previewOf(r.value, await choices(), ctx.now());
        if (req.wantsJson()) return reply.send({ notice: preview });
        return formPage(req, reply, undefined, values, { preview });
      });

      app.post(`${base}/notices`, { schema: { body: NoticeBody } }, async (req, reply) => {
        const values = valuesOf(req.body);
        const r = await attempt(() => publishNotice(ctx.db, inputOf(values), operatorOf(req).actor, ctx.now(), mail));
        if (!r.ok) return refused(req, reply, r.err, undefined, values);
        if (req.wantsJson()) return reply.code(201).send({ notice: r.value });
        return reply.redirect(`/operator/notices/${r.value.id}?done=published`, 303);
      });

      app.get(`${base}/notices/:noticeId`, { schema: { params: NoticeParams, querystring: Type.Object({ done: Type.Optional(Type.String({ maxLength: 20 })) }) } }, async (req, reply) => {
        const n = await operatorNotice(ctx.db, req.params.noticeId, ctx.now());
        if (req.wantsJson()) return reply.header('cache-control', 'no-store').send({ notice: n });
        const done = req.query.done ? DONE[req.query.done] : undefined;
        return formPage(req, reply, n.id, formValuesOf(n), { done: done ? req.t(done) : null });
      });

      app.post(`${base}/notices/:noticeId`, { schema: { params: NoticeParams, body: NoticeBody } }, async (req, reply) => {
        const values = valuesOf(req.body);
        const r = await attempt(() => changeNotice(ctx.db, req.params.noticeId, inputOf(values), operatorOf(req).actor, ctx.now(), mail));
        if (!r.ok) return refused(req, reply, r.err, req.params.noticeId, values);
        if (req.wantsJson()) return reply.send({ notice: r.value });
        return reply.redirect(`/operator/notices/${r.value.id}?done=changed`, 303);
      });

      app.post(`${base}/notices/:noticeId/preview`, { schema: { params: NoticeParams, body: NoticeBody } }, async (req, reply) => {
        const values = valuesOf(req.body);
        await operatorNotice(ctx.db, req.params.noticeId, ctx.now()); // 404 for an unknown id, as the change answers
        const r = await attempt(() => checkNotice(ctx.db, inputOf(values)));
        if (!r.ok) return refused(req, reply, r.err, req.params.noticeId, values);
        const preview = previewOf(r.value, await choices(), ctx.now());
        if (req.wantsJson()) return reply.send({ notice: preview });
        return formPage(req, reply, req.params.noticeId, values, { preview });
      });

      app.post(`${base}/notices/:noticeId/withdraw`, { schema: { params: NoticeParams, body: Type.Object({ ...csrf }) } }, async (req, reply) => {
        const r = await attempt(() => withdrawNotice(ctx.db, req.params.noticeId, operatorOf(req).actor, ctx.now()));
        if (!r.ok) {
          if (r.err.code === 'common.not_found') throw r.err;
          if (req.wantsJson()) return sendJsonError(req, reply, r.err);
          const n = await operatorNotice(ctx.db, req.params.noticeId, ctx.now());
          return formPage(req, reply, n.id, formValuesOf(n), { err: r.err });
        }
        if (req.wantsJson()) return reply.send({ status: 'withdrawn', notice: await operatorNotice(ctx.db, req.params.noticeId, ctx.now()) });
        return reply.redirect('/operator/notices?when=past&done=withdrawn', 303);
      });
    }

    for (const base of BASES) {
      // Issue 24: the status moves (history kept, audited; affected users mailed with the .ics).
      app.post(`${base}/notices/:noticeId/status`, { schema: { params: NoticeParams, body: Type.Object({ status: Text(20), ...csrf }) } }, async (req, reply) => {
        const r = await attempt(() => changeNoticeStatus(ctx.db, req.params.noticeId, req.body.status as NoticeStatus, operatorOf(req).actor, ctx.now(), mail));
        if (!r.ok) {
          if (r.err.code === 'common.not_found') throw r.err;
          if (req.wantsJson()) return sendJsonError(req, reply, r.err);
          const n = await operatorNotice(ctx.db, req.params.noticeId, ctx.now());
          return formPage(req, reply, n.id, formValuesOf(n), { err: r.err });
        }
        if (req.wantsJson()) return reply.send({ notice: r.value });
        return reply.redirect(`/operator/notices/${r.value.id}?done=status`, 303);
      });

      app.get(`${base}/notices/:noticeId/report`, { schema: { params: NoticeParams } }, async (req, reply) => {
        return sendAttachment(reply, await operatorNoticeReport(ctx.db, req.params.noticeId));
      });
    }

    // The report upload: multipart/form-data from the console's form (no JavaScript), or JSON with
    // the file as base64 from the operator API. Its own scope, so the multipart parser is only here.
    await app.register(async (up) => {
      const files = new WeakMap<FastifyRequest, UploadedFile[]>();
      acceptMultipart(up, { sessionCookie: cookieNames(ctx.config).session, bodyLimit: REPORT_BODY_LIMIT, files });
      const ReportBody = Type.Object({ filename: Type.Optional(Type.String({ maxLength: 400 })), contentBase64: Type.Optional(Type.String({ maxLength: 7_200_000 })), ...csrf });
      for (const base of BASES) {
        up.post(`${base}/notices/:noticeId/report`, { bodyLimit: REPORT_BODY_LIMIT * 2, schema: { params: NoticeParams, body: ReportBody } }, async (req, reply) => {
          const body = req.body as Static<typeof ReportBody>;
          const params = req.params as Static<typeof NoticeParams>;
          const uploaded = (files.get(req) ?? []).find((f) => f.field === 'report');
          const file = uploaded ? { filename: uploaded.filename, data: uploaded.data }
            : body.filename !== undefined && body.contentBase64 !== undefined ? { filename: body.filename, data: Buffer.from(body.contentBase64, 'base64') } : { filename: '', data: Buffer.alloc(0) };
          const r = await attempt(() => attachNoticeReport(ctx.db, params.noticeId, file, operatorOf(req).actor, ctx.now()));
          if (!r.ok) {
            if (r.err.code === 'common.not_found') throw r.err;
            if (req.wantsJson()) return sendJsonError(req, reply, r.err);
            const n = await operatorNotice(ctx.db, params.noticeId, ctx.now());
            return formPage(req, reply, n.id, formValuesOf(n), { err: r.err });
          }
          if (req.wantsJson()) return reply.send({ notice: await operatorNotice(ctx.db, params.noticeId, ctx.now()) });
          return reply.redirect(`/operator/notices/${params.noticeId}?done=report`, 303);
        });
      }
    });

    app.get('/operator/notices/new', async (req, reply) => {
      const start = toJstLocal(Math.ceil(ctx.now() / 3_600_000) * 3_600_000);
      return formPage(req, reply, undefined, { kind: 'construction', services: [], titleJa: '', titleEn: '', bodyJa: '', bodyEn: '', startsAt: start, endsAt: '', contracts: '', status: 'confirmed' });
    });
  };
}
