// Identity's front door for HTTP (issue 13 §4; decision 041): auth's routes as one encapsulated
// plugin, and the declared guards other modules put on theirs. Code calls go through
// src/auth/service.ts; these two files are all that app, admin, portal and web import from auth.
import type { FastifyPluginAsync } from 'fastify';
import type { AppContext } from '../context.ts';
import { flowRoutes } from './routes/flows.tsx';
import { sessionRoutes } from './routes/session.tsx';
import { resetRoutes } from './reset/routes.tsx';
import { profileRoutes } from './routes/profile.tsx';

export { sessionPlugin, type AuthState } from './session-plugin.ts';
export { sweeperPlugin } from './housekeeping/plugin.ts';
export { guardRoutes, authOf, requireSession, requirePortal, requireAal, requireAdmin, type Requirement } from './guards.ts';

/** Login, first login, reset, terms, sign-out and the user's security settings. */
export function authRoutes(ctx: AppContext): FastifyPluginAsync {
  return async (app) => {
    await app.register(flowRoutes(ctx));
    await app.register(sessionRoutes(ctx));
    await app.register(resetRoutes(ctx));
    await app.register(profileRoutes(ctx));
  };
}
