// Console maintenance windows (issue 26 item 4): pages under /operator/maintenance and the same
// operations as JSON under /api/operator/maintenance, through the maintenance service the CLI uses
// (check, schedule, change, cancel). A change or cancellation applies on every node at the next
// request (the 503 hook reads the database, no cache). Guard and role: src/operator/route-list.ts.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type, type Static } from '@sinclair/typebox';
import type { AppContext } from '../../context.ts';
import { DomainError, type FieldErrors } from '../../errors.ts';
import { sendPage } from '../../web/render.ts';
import { attempt } from '../../web/attempt.ts';
import {
  cancelMaintenance, changeMaintenance, checkMaintenance, listMaintenance, maintenanceWindow, scheduleMaintenance,
  type MaintenanceDraft, type MaintenanceWindow, type ScheduleInput,
} from '../../portal/maintenance/service.ts';
import { csrf, Id, operatorOf, sendJsonError } from '../guard.ts';
import { parseConsoleTime, toJstLocal } from '../time.ts';
import { MaintenanceListPage, MaintenanceWindowPage, windowState, type MaintenanceFormValues } from '../views/maintenance.tsx';

const BASES = ['/operator', '/api/operator'] as const;
export const WindowBody = Type.Object({
  announceFrom: Type.Optional(Type.String({ maxLength: 40 })), startsAt: Type.String({ maxLength: 40 }), endsAt: Type.String({ maxLength: 40 }),
  // Generous: the service's 2,000 answers with a message next to the field.
  messageJa: Type.String({ maxLength: 20_000 }), messageEn: Type.String({ maxLength: 20_000 }),
  ...csrf,
});
type Body = Static<typeof WindowBody>;
const WindowParams = Type.Object({ windowId: Id });

const valuesOf = (b: Body): MaintenanceFormValues => ({ announceFrom: b.announceFrom ?? '', startsAt: b.startsAt, endsAt: b.endsAt, messageJa: b.messageJa, messageEn: b.messageEn });
const valuesOfWindow = (w: MaintenanceWindow): MaintenanceFormValues => ({
  announceFrom: toJstLocal(w.announce_from), startsAt: toJstLocal(w.starts_at), endsAt: toJstLocal(w.ends_at), messageJa: w.message_ja, messageEn: w.message_en,
});
const draftOf = (w: MaintenanceWindow): MaintenanceDraft => ({ announceFrom: w.announce_from, startsAt: w.starts_at, endsAt: w.ends_at, messageJa: w.message_ja, messageEn: w.message_en });

/** The form as service input; a time that is not one is refused by field before the service sees it. */
function inputOf(v: MaintenanceFormValues): ScheduleInput {
  const fields: FieldErrors = {};
  const time = (name: 'announceFrom' | 'startsAt' | 'endsAt', optional: boolean) => {
    if (optional && v[name].trim() === '') return undefined;
    const ms = parseConsoleTime(v[name]);
    if (ms === null) fields[name] = [{ key: 'console.time_invalid' }];
    return ms ?? undefined;
  };
  const announceFrom = time('announceFrom', true);
  const startsAt = time('startsAt', false);
  const endsAt = time('endsAt', false);
  if (Object.keys(fields).length) throw new DomainError('common.field_errors', {}, fields);
  return { startsAt: startsAt!, endsAt: endsAt!, ...(announceFrom !== undefined ? { announceFrom } : {}), messageJa: v.messageJa, messageEn: v.messageEn };
}

const DONE: Record<string, 'console.maintenance.scheduled' | 'console.maintenance.changed' | 'console.maintenance.cancelled_done'> = {
  scheduled: 'console.maintenance.scheduled', changed: 'console.maintenance.changed', cancelled: 'console.maintenance.cancelled_done',
};
const DoneQuery = Type.Object({ done: Type.Optional(Type.String({ maxLength: 20 })), all: Type.Optional(Type.String({ maxLength: 1 })) });

export function maintenanceConsoleRoutes(ctx: AppContext): FastifyPluginAsyncTypebox {
  return async (app) => {
    const bothLangs = (req: FastifyRequest) => [req.pageCtxIn('ja'), req.pageCtxIn('en')];
    const doneText = (req: FastifyRequest, done: string | undefined) => (done && DONE[done] ? req.t(DONE[done]) : null);

    async function listPage(req: FastifyRequest, reply: FastifyReply, values: MaintenanceFormValues, extra: { err?: DomainError; draft?: MaintenanceDraft; done?: string | null } = {}) {
      const now = ctx.now();
      const all = await listMaintenance(ctx.db, now, true);
      const live = (w: MaintenanceWindow) => w.cancelled_at === null && w.ends_at > now;
      return sendPage(reply, MaintenanceListPage({
        ctx: req.pageCtx(), role: operatorOf(req).role, now, values, upcoming: all.filter(live), past: all.filter((w) => !live(w)).reverse().slice(0, 50),
        error: extra.err ? { key: extra.err.code, params: extra.err.params } : null, errors: extra.err?.fields ?? {},
        preview: extra.draft ? { ctxs: bothLangs(req), draft: extra.draft } : null, done: extra.done ?? null,
      }), extra.err?.status ?? 200);
    }

    async function windowPage(req: FastifyRequest, reply: FastifyReply, w: MaintenanceWindow, values: MaintenanceFormValues, extra: { err?: DomainError; draft?: MaintenanceDraft; done?: string | null } = {}) {
      return sendPage(reply, MaintenanceWindowPage({
        ctx: req.pageCtx(), role: operatorOf(req).role, now: ctx.now(), window: w, values,
        error: extra.err ? { key: extra.err.code, params: extra.err.params } : null, errors: extra.err?.fields ?? {},
        // The window page always previews: the unsaved change, or the window as it stands.
        preview: { ctxs: bothLangs(req), draft: extra.draft ?? draftOf(w) }, done: extra.done ?? null,
      }), extra.err?.status ?? 200);
    }

    const json = (w: MaintenanceWindow, now: number) => ({
      id: w.id, state: windowState(w, now), announceFrom: new Date(w.announce_from).toISOString(), startsAt: new Date(w.starts_at).toISOString(),
      endsAt: new Date(w.ends_at).toISOString(), messageJa: w.message_ja, messageEn: w.message_en,
      cancelledAt: w.cancelled_at === null ? null : new Date(w.cancelled_at).toISOString(),
    });

    for (const base of BASES) {
      app.get(`${base}/maintenance`, { schema: { querystring: DoneQuery } }, async (req, reply) => {
        const now = ctx.now();
        if (req.wantsJson()) return reply.header('cache-control', 'no-store').send({ windows: (await listMaintenance(ctx.db, now, req.query.all === '1')).map((w) => json(w, now)) });
        return listPage(req, reply, { announceFrom: '', startsAt: '', endsAt: '', messageJa: '', messageEn: '' }, { done: doneText(req, req.query.done) });
      });

      app.post(`${base}/maintenance/preview`, { schema: { body: WindowBody } }, async (req, reply) => {
        const values = valuesOf(req.body);
        const r = await attempt(async () => checkMaintenance(inputOf(values), ctx.now()));
        if (!r.ok) return req.wantsJson() ? sendJsonError(req, reply, r.err) : listPage(req, reply, values, { err: r.err });
        if (req.wantsJson()) return reply.send({ window: { ...r.value, announceFrom: new Date(r.value.announceFrom).toISOString(), startsAt: new Date(r.value.startsAt).toISOString(), endsAt: new Date(r.value.endsAt).toISOString() } });
        return listPage(req, reply, values, { draft: r.value });
      });

      app.post(`${base}/maintenance`, { schema: { body: WindowBody } }, async (req, reply) => {
        const values = valuesOf(req.body);
        const r = await attempt(() => scheduleMaintenance(ctx.db, inputOf(values), operatorOf(req).actor, ctx.now()));
        if (!r.ok) return req.wantsJson() ? sendJsonError(req, reply, r.err) : listPage(req, reply, values, { err: r.err });
        if (req.wantsJson()) return reply.code(201).send({ window: json(r.value, ctx.now()) });
        return reply.redirect(`/operator/maintenance/${r.value.id}?done=scheduled`, 303);
      });

      app.get(`${base}/maintenance/:windowId`, { schema: { params: WindowParams, querystring: DoneQuery } }, async (req, reply) => {
        const w = await maintenanceWindow(ctx.db, req.params.windowId);
        if (req.wantsJson()) return reply.header('cache-control', 'no-store').send({ window: json(w, ctx.now()) });
        return windowPage(req, reply, w, valuesOfWindow(w), { done: doneText(req, req.query.done) });
      });

      app.post(`${base}/maintenance/:windowId`, { schema: { params: WindowParams, body: WindowBody } }, async (req, reply) => {
        const values = valuesOf(req.body);
        const r = await attempt(() => changeMaintenance(ctx.db, req.params.windowId, inputOf(values), operatorOf(req).actor, ctx.now()));
        if (!r.ok) {
          if (r.err.code === 'common.not_found') throw r.err;
          if (req.wantsJson()) return sendJsonError(req, reply, r.err);
          return windowPage(req, reply, await maintenanceWindow(ctx.db, req.params.windowId), values, { err: r.err });
        }
        if (req.wantsJson()) return reply.send({ window: json(r.value, ctx.now()) });
        return reply.redirect(`/operator/maintenance/${r.value.id}?done=changed`, 303);
      });

      app.post(`${base}/maintenance/:windowId/preview`, { schema: { params: WindowParams, body: WindowBody } }, async (req, reply) => {
        const w = await maintenanceWindow(ctx.db, req.params.windowId);
        const values = valuesOf(req.body);
        const r = await attempt(async () => {
          const input = inputOf(values);
          return checkMaintenance({ ...input, announceFrom: input.announceFrom ?? Math.min(w.announce_from, input.startsAt) }, ctx.now());
        });
        if (!r.ok) return req.wantsJson() ? sendJsonError(req, reply, r.err) : windowPage(req, reply, w, values, { err: r.err });
        if (req.wantsJson()) return reply.send({ window: { ...r.value, announceFrom: new Date(r.value.announceFrom).toISOString(), startsAt: new Date(r.value.startsAt).toISOString(), endsAt: new Date(r.value.endsAt).toISOString() } });
        return windowPage(req, reply, w, values, { draft: r.value });
      });

      app.post(`${base}/maintenance/:windowId/cancel`, { schema: { params: WindowParams, body: Type.Object({ ...csrf }) } }, async (req, reply) => {
        const r = await attempt(() => cancelMaintenance(ctx.db, req.params.windowId, operatorOf(req).actor, ctx.now()));
        if (!r.ok) {
          if (r.err.code === 'common.not_found') throw r.err;
          if (req.wantsJson()) return sendJsonError(req, reply, r.err);
          const w = await maintenanceWindow(ctx.db, req.params.windowId);
          return windowPage(req, reply, w, valuesOfWindow(w), { err: r.err });
        }
        if (req.wantsJson()) return reply.send({ status: 'cancelled', window: json(await maintenanceWindow(ctx.db, req.params.windowId), ctx.now()) });
        return reply.redirect('/operator/maintenance?done=cancelled', 303);
      });
    }
  };
}
