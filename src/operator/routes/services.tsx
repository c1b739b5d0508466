// Services and categories in the provider's console (issue 26 item 3, S7): pages under
// /operator/services, JSON under /api/operator/services and /api/operator/categories, over the
// portal's catalogue service (the CLI's `service …` calls it too). Minimum role: service_manager.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { AppContext } from '../../context.ts';
import { DomainError } from '../../errors.ts';
import { attempt } from '../../web/attempt.ts';
import { sendPage } from '../../web/render.ts';
import {
  createCategory, createService, findCategoryByCode, findServiceByCode, listCategories, listServices, updateCategory, updateService,
  type CategoryRow, type ServiceRow,
} from '../../portal/catalogue/service.ts';
import { csrf, operatorOf, sendJsonError } from '../guard.ts';
import { CategoryEditPage, ServiceEditPage, ServicesPage } from '../views/services.tsx';
import type { FormState } from '../views/customer-parts.tsx';

const Code = Type.String({ minLength: 1, maxLength: 40, pattern: '^[a-z0-9][a-z0-9-]*$' });
const Name = Type.String({ maxLength: 1000 });
const Done = Type.Object({ done: Type.Optional(Type.String({ maxLength: 20 })) });
const CategoryBody = Type.Object({ code: Type.String({ maxLength: 200 }), name_ja: Name, name_en: Name, position: Type.Optional(Type.String({ maxLength: 9 })), ...csrf });
const CategoryEdit = Type.Object({ name_ja: Type.Optional(Name), name_en: Type.Optional(Name), position: Type.Optional(Type.String({ maxLength: 9 })), ...csrf });
const ServiceBody = Type.Object({ code: Type.String({ maxLength: 200 }), category: Type.String({ maxLength: 200 }), name_ja: Name, name_en: Name, settings_site_url: Type.Optional(Type.String({ maxLength: 2000 })), ...csrf });
const ServiceEdit = Type.Object({ category: Type.Optional(Type.String({ maxLength: 200 })), name_ja: Type.Optional(Name), name_en: Type.Optional(Name), settings_site_url: Type.Optional(Type.String({ maxLength: 2000 })), ...csrf });

/** A form's position: '' is 0 on create and "unchanged" on edit; anything but digits is refused by the service. */
function position(raw: string | undefined): number | undefined {
  if (raw === undefined || raw.trim() === '') return undefined;
  return /^\d{1,9}$/.test(raw.trim()) ? Number(raw.trim()) : Number.NaN;
}

const categoryJson = (c: CategoryRow) => ({ id: c.id, code: c.code, nameJa: c.name_ja, nameEn: c.name_en, position: c.position });
const serviceJson = (s: ServiceRow, categoryCode?: string) => ({
  id: s.id, code: s.code, nameJa: s.name_ja, nameEn: s.name_en, settingsSiteUrl: s.settings_site_url, hasSettingsSite: s.settings_site_url !== null,
  ...(categoryCode ? { category: categoryCode } : {}),
});

function refused(err: DomainError, body: object): FormState {
  const { _csrf, ...values } = body as Record<string, string>;
  return { error: err.code === 'common.field_errors' ? { key: 'common.field_errors' } : { key: err.code, params: err.params }, fields: err.fields, values };
}

export function serviceConsoleRoutes(ctx: AppContext): FastifyPluginAsyncTypebox {
  return async (app) => {
    async function listPage(req: FastifyRequest, reply: FastifyReply, form: FormState, which: 'service' | 'category' | null, status = 200) {
      return sendPage(reply, ServicesPage({ ctx: req.pageCtx(), role: operatorOf(req).role, categories: await listCategories(ctx.db), services: await listServices(ctx.db), form, which }), status);
    }
    async function servicePage(req: FastifyRequest, reply: FastifyReply, code: string, form: FormState, status = 200) {
      const service = await findServiceByCode(ctx.db, code);
      if (!service) throw new DomainError('common.not_found');
      return sendPage(reply, ServiceEditPage({ ctx: req.pageCtx(), role: operatorOf(req).role, service, categories: await listCategories(ctx.db), form }), status);
    }
    async function categoryPage(req: FastifyRequest, reply: FastifyReply, code: string, form: FormState, status = 200) {
      const category = await findCategoryByCode(ctx.db, code);
      if (!category) throw new DomainError('common.not_found');
      return sendPage(reply, CategoryEditPage({ ctx: req.pageCtx(), role: operatorOf(req).role, category, form }), status);
    }
    const saved = (req: FastifyRequest, done: string | undefined): FormState => ({ notice: done === 'saved' || done === 'created' ? req.t('console.saved') : null });

    app.get('/operator/services', { schema: { querystring: Done } }, async (req, reply) => listPage(req, reply, saved(req, req.query.done), null));

    app.post('/operator/services', { schema: { body: ServiceBody } }, async (req, reply) => {
      const b = req.body;
      const r = await attempt(() => createService(ctx.db, { code: b.code, categoryCode: b.category, nameJa: b.name_ja, nameEn: b.name_en, settingsSiteUrl: b.settings_site_url ?? null }, ctx.now(), operatorOf(req).actor));
      if (!r.ok) return listPage(req, reply, refused(r.err, b), 'service', r.err.status);
      return reply.redirect('/operator/services?done=created', 303);
    });

    app.post('/operator/services/categories', { schema: { body: CategoryBody } }, async (req, reply) => {
      const b = req.body;
      const r = await attempt(() => createCategory(ctx.db, { code: b.code, nameJa: b.name_ja, nameEn: b.name_en, position: position(b.position) ?? 0 }, operatorOf(req).actor, ctx.now()));
      if (!r.ok) return listPage(req, reply, refused(r.err, b), 'category', r.err.status);
      return reply.redirect('/operator/services?done=created', 303);
    });

    app.get('/operator/services/:code', { schema: { params: Type.Object({ code: Code }), querystring: Done } }, async (req, reply) =>
      servicePage(req, reply, req.params.code, saved(req, req.query.done)));

    app.post('/operator/services/:code', { schema: { params: Type.Object({ code: Code }), body: ServiceEdit } }, async (req, reply) => {
      const b = req.body;
      if (!(await findServiceByCode(ctx.db, req.params.code))) throw new DomainError('common.not_found');
      const r = await attempt(() => updateService(ctx.db, req.params.code, {
        ...(b.name_ja !== undefined ? { nameJa: b.name_ja } : {}), ...(b.name_en !== undefined ? { nameEn: b.name_en } : {}),
        ...(b.category !== undefined ? { categoryCode: b.category } : {}), ...(b.settings_site_url !== undefined ? { settingsSiteUrl: b.settings_site_url } : {}),
      }, operatorOf(req).actor, ctx.now()));
      if (!r.ok) return servicePage(req, reply, req.params.code, refused(r.err, b), r.err.status);
      return reply.redirect(`/operator/services/${req.params.code}?done=saved`, 303);
    });

    app.get('/operator/services/categories/:code', { schema: { params: Type.Object({ code: Code }), querystring: Done } }, async (req, reply) =>
      categoryPage(req, reply, req.params.code, saved(req, req.query.done)));

    app.post('/operator/services/categories/:code', { schema: { params: Type.Object({ code: Code }), body: CategoryEdit } }, async (req, reply) => {
      const b = req.body;
      if (!(await findCategoryByCode(ctx.db, req.params.code))) throw new DomainError('common.not_found');
      const pos = position(b.position);
      const r = await attempt(() => updateCategory(ctx.db, req.params.code, {
        ...(b.name_ja !== undefined ? { nameJa: b.name_ja } : {}), ...(b.name_en !== undefined ? { nameEn: b.name_en } : {}), ...(pos !== undefined ? { position: pos } : {}),
      }, operatorOf(req).actor, ctx.now()));
      if (!r.ok) return categoryPage(req, reply, req.params.code, refused(r.err, b), r.err.status);
      return reply.redirect(`/operator/services/categories/${req.params.code}?done=saved`, 303);
    });

    // ---- JSON (same services) ----

    app.get('/api/operator/services', async (_req, reply) => {
      const categories = await listCategories(ctx.db);
      return reply.send({ categories: categories.map(categoryJson), services: (await listServices(ctx.db)).map((s) => serviceJson(s, s.category_code)) });
    });

    app.post('/api/operator/services', { schema: { body: ServiceBody } }, async (req, reply) => {
      const b = req.body;
      const r = await attempt(() => createService(ctx.db, { code: b.code, categoryCode: b.category, nameJa: b.name_ja, nameEn: b.name_en, settingsSiteUrl: b.settings_site_url ?? null }, ctx.now(), operatorOf(req).actor));
      if (!r.ok) return sendJsonError(req, reply, r.err);
      return reply.code(201).send({ service: serviceJson(r.value, b.category.trim()) });
    });

    app.post('/api/operator/services/:code', { schema: { params: Type.Object({ code: Code }), body: ServiceEdit } }, async (req, reply) => {
      const b = req.body;
      const r = await attempt(() => updateService(ctx.db, req.params.code, {
        ...(b.name_ja !== undefined ? { nameJa: b.name_ja } : {}), ...(b.name_en !== undefined ? { nameEn: b.name_en } : {}),
        ...(b.category !== undefined ? { categoryCode: b.category } : {}), ...(b.settings_site_url !== undefined ? { settingsSiteUrl: b.settings_site_url } : {}),
      }, operatorOf(req).actor, ctx.now()));
      if (!r.ok) return sendJsonError(req, reply, r.err);
      return reply.send({ service: serviceJson(r.value) });
    });

    app.post('/api/operator/categories', { schema: { body: CategoryBody } }, async (req, reply) => {
      const b = req.body;
      const r = await attempt(() => createCategory(ctx.db, { code: b.code, nameJa: b.name_ja, nameEn: b.name_en, position: position(b.position) ?? 0 }, operatorOf(req).actor, ctx.now()));
      if (!r.ok) return sendJsonError(req, reply, r.err);
      return reply.code(201).send({ category: categoryJson(r.value) });
    });

    app.post('/api/operator/categories/:code', { schema: { params: Type.Object({ code: Code }), body: CategoryEdit } }, async (req, reply) => {
      const b = req.body;
      const pos = position(b.position);
      const r = await attempt(() => updateCategory(ctx.db, req.params.code, {
        ...(b.name_ja !== undefined ? { nameJa: b.name_ja } : {}), ...(b.name_en !== undefined ? { nameEn: b.name_en } : {}), ...(pos !== undefined ? { position: pos } : {}),
      }, operatorOf(req).actor, ctx.now()));
      if (!r.ok) return sendJsonError(req, reply, r.err);
      return reply.send({ category: categoryJson(r.value) });
    });
  };
}
