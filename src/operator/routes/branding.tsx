// Console branding (issue 20 item 2), operator_admin only (src/operator/route-list.ts): the same
// service the CLI uses (src/branding/service.ts), so the checks and the audit are the same. The form
// posts multipart/form-data (logo and favicon files, no JavaScript needed), read by the tickets'
// strict reader; only a request with a session cookie has its body read, and a body is capped.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { AppContext } from '../../context.ts';
import { DomainError } from '../../errors.ts';
import type { BrandScope } from '../../db/schema.ts';
import { sendPage } from '../../web/render.ts';
import { attempt } from '../../web/attempt.ts';
import { cookieNames } from '../../web/cookies.ts';
import { acceptMultipart, type UploadedFile } from '../../portal/tickets/multipart.ts';
import { organisationNames } from '../../auth/service.ts';
import { brandTarget, clearBrand, listBrands, PRESET_IDS, setBrand, showBrand, TEXT_FIELDS, type BrandChange, type TextField } from '../../branding/service.ts';
import { resolveBrand, brandPath, themeVersion } from '../../branding/resolve.ts';
import { IMAGE_LIMITS } from '../../branding/images.ts';
import { csrf, operatorOf } from '../guard.ts';
import { BrandingListPage, BrandingScopePage, valuesOfMeta, type BrandFormValues } from '../views/branding.tsx';

/** Both images at their limits, the text fields and part headers: anything larger is not a brand. */
const BODY_LIMIT = 2 * (IMAGE_LIMITS.logo.maxBytes + IMAGE_LIMITS.favicon.maxBytes) + 64 * 1024;
const files = new WeakMap<FastifyRequest, UploadedFile[]>();

const Params = Type.Object({
  scope: Type.Union([Type.Literal('preset'), Type.Literal('org')]),
  id: Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_-]+$' }),
});
const Text = Type.Optional(Type.String({ maxLength: 2000 }));
const Body = Type.Object({
  ...Object.fromEntries(Object.keys(TEXT_FIELDS).map((f) => [f, Text])) as Record<TextField, typeof Text>,
  colour: Text, remove_logo: Type.Optional(Type.String({ maxLength: 1 })), remove_favicon: Type.Optional(Type.String({ maxLength: 1 })),
  ...csrf,
});
type P = { scope: BrandScope; id: string };

export function brandingConsoleRoutes(ctx: AppContext): FastifyPluginAsyncTypebox {
  return async (app) => {
    // A multipart body is read whole before the guard runs: only with a session cookie at all.
    acceptMultipart(app as unknown as FastifyInstance, { sessionCookie: cookieNames(ctx.config).session, bodyLimit: BODY_LIMIT, files });
    (app as unknown as FastifyInstance).setErrorHandler((err: { code?: string }) => {
      if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
        throw new DomainError('common.field_errors', {}, { logo: [{ key: 'brand.error.file_too_large', params: { max: IMAGE_LIMITS.logo.maxLabel } }] });
      }
      throw err;
    });

    async function scopePage(req: FastifyRequest, reply: FastifyReply, p: P, extra: { values?: BrandFormValues; err?: DomainError; done?: string | null } = {}) {
      const target = await brandTarget(ctx.db, p.scope, p.id);
      const meta = await showBrand(ctx.db, p.scope, p.id);
      const brand = meta ? resolveBrand([meta], req.lang) : null;
      const themeHref = meta?.colour ? `${brandPath(meta, 'theme.css')}?v=${themeVersion(meta.colour)}&preview=1` : null;
      return sendPage(reply, BrandingScopePage({
        ctx: req.pageCtx(), role: operatorOf(req).role, scope: p.scope, id: p.id, label: target.label, values: extra.values ?? valuesOfMeta(meta), meta, brand, themeHref,
        errors: extra.err?.fields ?? {}, error: extra.err ? { key: extra.err.code, params: extra.err.params } : null, done: extra.done ?? null,
      }), extra.err?.status ?? 200);
    }

    app.get('/operator/branding', { schema: { querystring: Type.Object({ org: Type.Optional(Type.String({ maxLength: 64 })) }) } }, async (req, reply) => {
      const org = req.query.org?.trim();
      if (org) {
        if (/^[A-Za-z0-9_-]{1,64}$/.test(org)) return reply.redirect(`/operator/branding/org/${encodeURIComponent(org)}`, 303);
        throw new DomainError('portal.unknown_organisation');
      }
      const rows = await listBrands(ctx.db);
      const orgIds = rows.filter((r) => r.scope === 'org').map((r) => r.scope_id);
      const names = await organisationNames(ctx.db, orgIds);
      return sendPage(reply, BrandingListPage({
        ctx: req.pageCtx(), role: operatorOf(req).role,
        presets: PRESET_IDS().map((id) => ({ id, set: rows.some((r) => r.scope === 'preset' && r.scope_id === id) })),
        orgs: orgIds.map((id) => ({ id, name: names.get(id) ?? id })),
      }));
    });

    app.get('/operator/branding/:scope/:id', { schema: { params: Params, querystring: Type.Object({ done: Type.Optional(Type.String({ maxLength: 10 })) }) } }, async (req, reply) => {
      const done = req.query.done === 'saved' ? req.t('brand.saved') : req.query.done === 'cleared' ? req.t('brand.cleared') : null;
      return scopePage(req, reply, req.params as P, { done });
    });

    app.post('/operator/branding/:scope/:id', { schema: { params: Params, body: Body } }, async (req, reply) => {
      const p = req.params as P;
      const b = req.body;
      const values: BrandFormValues = {
        name_ja: b.name_ja ?? '', name_en: b.name_en ?? '', colour: b.colour ?? '', footer_ja: b.footer_ja ?? '', footer_en: b.footer_en ?? '',
        support_email: b.support_email ?? '', support_phone: b.support_phone ?? '', support_url: b.support_url ?? '',
        support_hours_ja: b.support_hours_ja ?? '', support_hours_en: b.support_hours_en ?? '',
      };
      const uploads = files.get(req) ?? [];
      const upload = (name: 'logo' | 'favicon') => uploads.find((f) => f.field === name)?.data;
      const change: BrandChange = { text: Object.fromEntries(Object.keys(TEXT_FIELDS).map((f) => [f, values[f as TextField]])), colour: values.colour };
      const logo = upload('logo');
      const favicon = upload('favicon');
      if (logo) change.logo = logo; else if (b.remove_logo === '1') change.logo = null;
      if (favicon) change.favicon = favicon; else if (b.remove_favicon === '1') change.favicon = null;
      const r = await attempt(() => setBrand(ctx.db, p.scope, p.id, change, operatorOf(req).actor, ctx.now()));
      if (!r.ok) return scopePage(req, reply, p, { values, err: r.err });
      return reply.redirect(`/operator/branding/${p.scope}/${encodeURIComponent(p.id)}?done=saved`, 303);
    });

    app.post('/operator/branding/:scope/:id/clear', { schema: { params: Params, body: Type.Object({ confirm: Type.Optional(Type.String({ maxLength: 1 })), ...csrf }) } }, async (req, reply) => {
      const p = req.params as P;
      if (req.body.confirm !== '1') {
        return scopePage(req, reply, p, { err: new DomainError('common.field_errors', {}, { confirm: [{ key: 'common.field_invalid' }] }) });
      }
      await clearBrand(ctx.db, p.scope, p.id, operatorOf(req).actor, ctx.now());
      return reply.redirect(`/operator/branding/${p.scope}/${encodeURIComponent(p.id)}?done=cleared`, 303);
    });
  };
}
