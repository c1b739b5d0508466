// A module's routes listed once (admin, portal): registering a route that is not in its list is a
// start-up error, so no route escapes the authorisation matrix or the fuzz suite, and the listed
// summary becomes the route's OpenAPI text.
import type { FastifyInstance, RouteOptions } from 'fastify';

export interface ListedRoute { method: 'GET' | 'POST' | 'PATCH' | 'DELETE'; url: string; summary: string }

export function enforceListedRoutes(app: FastifyInstance, routes: readonly ListedRoute[], tag: string, listFile: string): void {
  app.addHook('onRoute', (route: RouteOptions) => {
    for (const method of [route.method].flat()) {
      if (method === 'HEAD') continue; // Fastify's automatic twin of a GET route
      const listed = routes.find((r) => r.method === method && r.url === route.url);
      if (!listed) throw new Error(`route ${method} ${route.url} is not in ${listFile}`);
      route.schema = { ...route.schema, tags: [tag], summary: listed.summary };
    }
  });
}
