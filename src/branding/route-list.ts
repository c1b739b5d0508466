// The branding module's public routes (issue 20 item 2): the images and theme of a preset or an
// organisation, cacheable for a year under a versioned URL. No session: the login page shows a
// preset's logo before anyone signs in, and an organisation's URL holds its random id.
import type { FastifyInstance } from 'fastify';
import { enforceListedRoutes, type ListedRoute } from '../web/route-list.ts';

export const BRAND_ROUTES: readonly ListedRoute[] = [
  { method: 'GET', url: '/brand/:scope/:id/logo', summary: 'The logo of a preset or an organisation (v=<hash>: cached for a year)' },
  { method: 'GET', url: '/brand/:scope/:id/favicon', summary: 'The favicon of a preset or an organisation (v=<hash>: cached for a year)' },
  { method: 'GET', url: '/brand/:scope/:id/theme.css', summary: 'The brand colour as design tokens, light and dark (v=<version>: cached for a year)' },
];

export function enforceBrandRouteList(app: FastifyInstance): void {
  enforceListedRoutes(app, BRAND_ROUTES, 'branding', 'src/branding/route-list.ts');
}
