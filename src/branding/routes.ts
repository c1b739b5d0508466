// Serving a brand's logo, favicon and theme stylesheet, and choosing every page's brand.
// - /brand/:scope/:id/{logo,favicon,theme.css}?v=…: the right version is cached for a year
//   (immutable; a change gets a new URL); a wrong or missing v still gets the current one, with a
//   short cache, so an old page keeps working. Images are served with a CSP that allows nothing to
//   run (an SVG opened directly cannot script), under the type found by their signature.
// - A preHandler (after the session plugin's) puts the signed-in user's organisation brand, over its
//   preset's, or the anonymous `?portal=` preset's, on req.pageBrand, from the in-memory cache
//   (cache.ts): no statement per page.
import fp from 'fastify-plugin';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from '@sinclair/typebox';
import type { AppContext } from '../context.ts';
import type { BrandScope } from '../db/schema.ts';
import { DEFAULT_PROFILE } from '../auth/service.ts';
import { brandCacheFor } from './cache.ts';
import { brandImageRow, findBrandColour } from './store.ts';
import { themeCss } from './contrast.ts';
import { themeVersion } from './resolve.ts';
import { enforceBrandRouteList } from './route-list.ts';

const YEAR = 'public, max-age=31536000, immutable';
const SHORT = 'public, max-age=60';
const IMAGE_CSP = "default-src 'none'; style-src 'unsafe-inline'; sandbox";

const Params = Type.Object({
  scope: Type.Union([Type.Literal('preset'), Type.Literal('org')]),
  id: Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_-]+$' }),
});
const Query = Type.Object({ v: Type.Optional(Type.String({ maxLength: 64 })), lang: Type.Optional(Type.String({ maxLength: 5 })), portal: Type.Optional(Type.String({ maxLength: 64 })), preview: Type.Optional(Type.String({ maxLength: 1 })) });
type P = { scope: BrandScope; id: string };

function cached(req: FastifyRequest, reply: FastifyReply, version: string, wanted: string | undefined, variant = ''): boolean {
  const etag = `"${version}${variant}"`;
  reply.header('etag', etag).header('cache-control', wanted === version ? YEAR : SHORT);
  if (req.headers['if-none-match'] === etag) { reply.code(304).send(); return true; }
  return false;
}

function brandAssetRoutes(ctx: AppContext) {
  return async (app: FastifyInstance) => {
    enforceBrandRouteList(app);
    for (const kind of ['logo', 'favicon'] as const) {
      app.get(`/brand/:scope/:id/${kind}`, { schema: { params: Params, querystring: Query } }, async (req, reply) => {
        const { scope, id } = req.params as P;
        const img = await brandImageRow(ctx.db, scope, id, kind);
        if (!img) return reply.code(404).header('cache-control', 'no-store').type('text/plain; charset=utf-8').send('not found');
        reply.header('content-security-policy', IMAGE_CSP).header('x-content-type-options', 'nosniff');
        if (cached(req, reply, img.hash, (req.query as { v?: string }).v)) return reply;
        return reply.type(img.type).send(Buffer.from(img.b64, 'base64'));
      });
    }
    app.get('/brand/:scope/:id/theme.css', { schema: { params: Params, querystring: Query } }, async (req, reply) => {
      const { scope, id } = req.params as P;
      const colour = await findBrandColour(ctx.db, scope, id);
      if (!colour) return reply.code(404).header('cache-control', 'no-store').type('text/plain; charset=utf-8').send('not found');
      // ?preview=1: the tokens on the console's preview box only, not on the console page around it.
      const preview = (req.query as { preview?: string }).preview === '1';
      if (cached(req, reply, themeVersion(colour), (req.query as { v?: string }).v, preview ? '-preview' : '')) return reply;
      return reply.type('text/css; charset=utf-8').send(themeCss(colour, preview ? '.brand-preview' : ':root'));
    });
  };
}

/** Registered after the session plugin: its hook sees req.auth and the profile it chose. */
export const brandingPlugin = fp<{ ctx: AppContext }>(async (app, { ctx }) => {
  const cache = brandCacheFor(ctx.db, ctx.config.brandCacheMs);
  app.addHook('onReady', async () => { await cache.fresh(); });
  app.addHook('preHandler', async (req) => {
    if (req.url.startsWith('/static/') || req.url.startsWith('/brand/')) return;
    const orgId = req.auth?.user.organisation_id ?? null;
    req.pageBrand = await cache.brandFor(orgId, req.portalId ?? DEFAULT_PROFILE, req.lang);
  });
  await app.register(brandAssetRoutes(ctx));
});
