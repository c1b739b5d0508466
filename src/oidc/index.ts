// The OpenID Connect provider module (issue 18), as the app registers it: the provider's routes,
// the interaction and settings-site routes, and the sign-out hook that ends the provider's session.
import type { FastifyPluginAsync } from 'fastify';
import type { AppContext } from '../context.ts';
import { oidcPages } from './pages.ts';
import { interactionRoutes, providerRoutes } from './routes.tsx';
import { OidcRuntime } from './runtime.ts';
import { endProviderSessionHook } from './session-end.ts';

export function oidcModule(ctx: AppContext): FastifyPluginAsync {
  const runtime = new OidcRuntime(ctx, oidcPages);
  (ctx.signOutHooks ??= []).push(endProviderSessionHook(ctx, runtime));
  return async (app) => {
    await app.register(providerRoutes(ctx, runtime));
    await app.register(interactionRoutes(ctx, runtime));
  };
}

export { sweepPayloads as sweepOidcArtefacts } from './store.ts';
