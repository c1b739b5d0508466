// What bizportal adds around oidc-provider's own handling (issue 18 items 6 and 7):
// - the audit log: tokens issued and refused, authorization requests refused, sign-outs, failed
//   back-channel notifications (who, which client, which contract);
// - a sign-out confirmed at the provider with "also the portal" ends the portal session too.
import type Provider from 'oidc-provider';
import type { KoaContextWithOIDC } from 'oidc-provider';
import type { AppContext } from '../context.ts';
import { audit } from '../audit/log.ts';
import { revokeSessionToken } from '../auth/service.ts';
import { cookieNames, cookieOptions } from '../web/cookies.ts';
import { requestedContract } from './account.ts';
import { continueInstead, requestInfo } from './pages.ts';

type Detail = Record<string, string | number | boolean | null>;
interface Pending { refused?: { error: string; description: string | undefined } }
const pending = new WeakMap<object, Pending>();

function ipOf(kctx: KoaContextWithOIDC): string {
  return requestInfo(kctx.req)?.ip ?? kctx.req.socket.remoteAddress ?? '';
}

export function providerHooks(ctx: AppContext, provider: Provider): void {
  const note = (kctx: KoaContextWithOIDC, err: Error & { error?: string; error_description?: string }) => {
    pending.set(kctx, { refused: { error: err.error ?? 'server_error', description: err.error_description } });
  };
  provider.on('authorization.error', note);
  provider.on('grant.error', note);
  provider.on('userinfo.error', note);
  provider.on('end_session.error', note);
  provider.on('server_error', (_kctx: KoaContextWithOIDC, err: Error) => ctx.log.error({ err }, 'oidc provider error'));
  provider.on('backchannel.error', (kctx: KoaContextWithOIDC | undefined, err: Error, client: { clientId: string }, accountId: string) => {
    void audit(ctx.db, { event: 'oidc.backchannel_failed', subjectUserId: accountId, ip: kctx ? ipOf(kctx) : '', detail: { client: client.clientId, error: err.message.slice(0, 200) } }, ctx.now())
      .catch((e: unknown) => ctx.log.error({ err: e }, 'audit write failed'));
  });

  provider.use(async (kctx, next) => {
    await next();
    const k = kctx as KoaContextWithOIDC;
    const route = k.oidc?.route;
    if (!route) return;
    const clientId = k.oidc.client?.clientId ?? null;
    const ip = ipOf(k);
    const refused = pending.get(k)?.refused;
    if (route === 'token') {
      const code = k.oidc.entities.AuthorizationCode;
      const contract = code ? requestedContract({ claims: code.claims }) : null;
      const detail: Detail = { client: clientId, contract: typeof contract === 'string' && contract !== 'malformed' ? contract : null };
      if (k.status === 200 && code) {
        await audit(ctx.db, { event: 'oidc.token_issued', subjectUserId: code.accountId, ip, detail }, ctx.now());
      } else if (refused) {
        await audit(ctx.db, { event: 'oidc.token_refused', subjectUserId: code?.accountId ?? null, ip, detail: { ...detail, error: refused.error, reason: refused.description?.slice(0, 200) ?? null } }, ctx.now());
      }
      return;
    }
    if (refused) {
      await audit(ctx.db, { event: 'oidc.refused', subjectUserId: k.oidc.session?.accountId ?? null, ip, detail: { client: clientId, route, error: refused.error, reason: refused.description?.slice(0, 200) ?? null } }, ctx.now());
      return;
    }
    if (route === 'end_session_confirm' && k.status < 400) {
      const everywhere = (k.oidc.params as { logout?: string } | undefined)?.logout === 'yes';
      const accountId = k.oidc.session?.accountId ?? null;
      if (everywhere) {
        // "Also the portal": the portal session of this browser ends, as its own sign-out would.
        const names = cookieNames(ctx.config);
        const token = k.cookies.get(names.session);
        if (token) await revokeSessionToken(ctx, token);
        const o = cookieOptions(ctx.config);
        k.cookies.set(names.session, null, { path: o.path ?? '/', httpOnly: true, secure: o.secure === true, sameSite: 'lax', overwrite: true });
      }
      await audit(ctx.db, { event: 'oidc.logout', subjectUserId: accountId, ip, detail: { client: clientId, portal: everywhere } }, ctx.now());
      if (k.status === 303) continueInstead(k);
    }
  });
}
