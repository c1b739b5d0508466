// HTTP for the OpenID Connect provider (issue 18):
// - the provider's own endpoints, handed to oidc-provider with the body unread (it parses it);
// - the interaction: the portal's part of an authorization (login, terms, contract, consent);
// - «設定を変更する»: the settings-site button, a third-party initiated login at the client.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { AppContext } from '../context.ts';
import { audit } from '../audit/log.ts';
import { guardRoutes, requirePortal } from '../auth/index.ts';
import { findOrganisation } from '../auth/service.ts';
import { sendPage } from '../web/render.ts';
import { enforceListedRoutes } from '../web/route-list.ts';
import { portalViewer } from '../portal/viewer.ts';
import { contractFor } from '../portal/contracts/service.ts';
import { findService } from '../portal/catalogue/service.ts';
import { acrOf, amrOf, checkContract, requestedContract, requiredAcr } from './account.ts';
import { clientOfService } from './clients.ts';
import { keepRequestInfo } from './pages.ts';
import { INTERACTION_PATH, SCOPES } from './constants.ts';
import { INTERACTION_ROUTES, PROVIDER_ROUTES } from './route-list.ts';
import type { OidcRuntime } from './runtime.ts';
import { ContinuePage } from './views/continue.tsx';
import { ConsentPage, NoSsoPage, ProviderErrorPage, RefusedPage } from './views/pages.tsx';

const Uid = Type.Object({ uid: Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_-]+$' }) });

/** oidc-provider's endpoints: the request goes to its Koa app as it came, with the URL fixed to PUBLIC_URL. */
export function providerRoutes(ctx: AppContext, runtime: OidcRuntime): FastifyPluginAsyncTypebox {
  const pub = new URL(ctx.config.publicUrl);
  return async (app) => {
    enforceListedRoutes(app as unknown as FastifyInstance, PROVIDER_ROUTES, 'oidc', 'src/oidc/route-list.ts');
    // The provider reads its own bodies (form or JSON, bounded at 56 KiB): leave the stream unread.
    app.removeAllContentTypeParsers();
    app.addContentTypeParser('*', (_req, _payload, done) => done(null, undefined));
    const forward = async (req: FastifyRequest, reply: FastifyReply) => {
      const provider = await runtime.provider();
      keepRequestInfo(req.raw, { page: req.pageCtx(), ip: req.ip, auth: req.auth });
      // The issuer's URLs come from PUBLIC_URL, never from the request's Host header.
      req.raw.headers.host = pub.host;
      req.raw.headers['x-forwarded-host'] = pub.host;
      req.raw.headers['x-forwarded-proto'] = pub.protocol.replace(':', '');
      // Our security headers (set by the app's onRequest hook) go out on the raw response too.
      for (const [name, value] of Object.entries(reply.getHeaders())) if (value !== undefined) reply.raw.setHeader(name, value as string);
      reply.hijack();
      await provider.callback()(req.raw, reply.raw);
    };
    for (const r of PROVIDER_ROUTES) app.route({ method: r.method, url: r.url, config: { csrf: false }, schema: { hide: false }, handler: forward });
  };
}

export function interactionRoutes(ctx: AppContext, runtime: OidcRuntime): FastifyPluginAsyncTypebox {
  return async (app) => {
    enforceListedRoutes(app as unknown as FastifyInstance, INTERACTION_ROUTES, 'oidc', 'src/oidc/route-list.ts');
    guardRoutes(app as unknown as FastifyInstance, ctx, null);

    const expired = (req: FastifyRequest, reply: FastifyReply) => sendPage(reply, ProviderErrorPage({ ctx: req.pageCtx(), code: 'interaction_expired' }), 400);

    /** The provider, and the interaction the browser's cookie names if it is this URL's (else null: expired). */
    const interactionOf = async (req: FastifyRequest, reply: FastifyReply, uid: string) => {
      const provider = await runtime.provider();
      try {
        const details = await provider.interactionDetails(req.raw, reply.raw);
        return { provider, details: details.uid === uid ? details : null };
      } catch {
        return { provider, details: null };
      }
    };

    app.get(`${INTERACTION_PATH}/:uid`, { schema: { params: Uid } }, async (req, reply) => {
      const { provider, details } = await interactionOf(req, reply, req.params.uid);
      if (!details) return expired(req, reply);
      const params = details.params as Record<string, unknown>;
      const clientId = String(params.client_id ?? '');
      const client = await provider.Client.find(clientId);
      if (!client) return expired(req, reply);
      const here = `${INTERACTION_PATH}/${details.uid}`;
      const auth = req.auth;

      if (details.prompt.name === 'login') {
        const need = requiredAcr(params, client.defaultAcrValues);
        const prompts = String(params.prompt ?? '').split(' ');
        const now = ctx.now();
        const fresh = auth !== null && auth.session.created_at >= details.iat * 1000 - 1000;
        const tooOld = auth !== null && typeof params.max_age === 'number' && now - auth.session.created_at > params.max_age * 1000;
        if (!auth || (need === 'aal2' && auth.session.aal !== 'aal2') || (prompts.includes('login') && !fresh) || tooOld) {
          const q = new URLSearchParams({ return_to: here });
          if (need === 'aal2') q.set('aal', 'aal2');
          if (auth) q.set('prompt', 'login');
          return reply.redirect(`/login?${q}`, 303);
        }
        if (!auth.termsAccepted) return reply.redirect(`/terms?${new URLSearchParams({ return_to: here })}`, 303);

        const wanted = requestedContract(params);
        let contract: string | null = null;
        if (wanted !== null) {
          const check = wanted === 'malformed' ? { ok: false as const, reason: 'malformed' as const } : await checkContract(ctx, auth.user, clientId, wanted);
          if (!check.ok) {
            await audit(ctx.db, {
              event: 'oidc.refused', subjectUserId: auth.user.id, organisationId: auth.user.organisation_id, ip: req.ip,
              detail: { client: clientId, contract: wanted === 'malformed' ? null : wanted, reason: check.reason },
            }, now);
            return sendPage(reply, RefusedPage({ ctx: req.pageCtx(), reason: check.reason === 'malformed' ? 'malformed' : 'contract' }), check.reason === 'malformed' ? 400 : 403);
          }
          contract = check.contract.number;
        }
        const s = auth.session;
        await audit(ctx.db, {
          event: 'oidc.authorized', subjectUserId: auth.user.id, organisationId: auth.user.organisation_id, factor: s.factor, ip: req.ip,
          detail: { client: clientId, contract, acr: acrOf(s) },
        }, now);
        const url = await provider.interactionResult(req.raw, reply.raw, {
          // remember: false — the provider's cookie lasts as long as the browser; the portal session decides the rest.
          login: { accountId: auth.user.id, acr: acrOf(s), amr: amrOf(s), ts: Math.floor(s.created_at / 1000), remember: false },
        }, { mergeWithLastSubmission: false });
        return sendPage(reply, ContinuePage({ ctx: req.pageCtx(), url }));
      }

      // Consent: only clients that are not first-party get here (provider.ts, loadExistingGrant).
      if (!auth || auth.user.id !== details.session?.accountId) return reply.redirect(`/login?${new URLSearchParams({ return_to: here, prompt: 'login' })}`, 303);
      const org = await findOrganisation(ctx.db, auth.user.organisation_id);
      const scopes = String(params.scope ?? '').split(' ').filter((s) => SCOPES.includes(s));
      const wanted = requestedContract(params);
      return sendPage(reply, ConsentPage({
        ctx: req.pageCtx(), uid: details.uid, clientName: client.clientName ?? clientId, scopes,
        contract: typeof wanted === 'string' && wanted !== 'malformed' ? wanted : null,
        user: { name: auth.user.name, organisation: org?.name ?? '' },
      }));
    });

    app.post(`${INTERACTION_PATH}/:uid/consent`, {
      schema: { params: Uid, body: Type.Object({ decision: Type.Union([Type.Literal('allow'), Type.Literal('deny')]), _csrf: Type.Optional(Type.String({ maxLength: 128 })) }) },
    }, async (req, reply) => {
      const { provider, details } = await interactionOf(req, reply, req.params.uid);
      const auth = req.auth;
      if (!details || details.prompt.name !== 'consent' || !auth || auth.user.id !== details.session?.accountId) return expired(req, reply);
      const clientId = String((details.params as Record<string, unknown>).client_id ?? '');
      const base = { subjectUserId: auth.user.id, organisationId: auth.user.organisation_id, ip: req.ip, detail: { client: clientId } };
      if (req.body.decision === 'deny') {
        await audit(ctx.db, { ...base, event: 'oidc.consent_denied' }, ctx.now());
        const url = await provider.interactionResult(req.raw, reply.raw, { error: 'access_denied', error_description: 'the user denied the request' }, { mergeWithLastSubmission: false });
        return sendPage(reply, ContinuePage({ ctx: req.pageCtx(), url }));
      }
      const grant = details.grantId ? await provider.Grant.find(details.grantId) : new provider.Grant({ accountId: auth.user.id, clientId });
      if (!grant) return expired(req, reply);
      const missing = details.prompt.details as { missingOIDCScope?: string[]; missingOIDCClaims?: string[] };
      if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(' '));
      if (missing.missingOIDCClaims) grant.addOIDCClaims(missing.missingOIDCClaims);
      const grantId = await grant.save();
      await audit(ctx.db, { ...base, event: 'oidc.consent_given' }, ctx.now());
      const url = await provider.interactionResult(req.raw, reply.raw, { consent: { grantId } }, { mergeWithLastSubmission: true });
      return sendPage(reply, ContinuePage({ ctx: req.pageCtx(), url }));
    });

    // «設定を変更する» (S8): the contract must be one the user may view; the settings site is then
    // asked to sign the user in for it (OpenID Connect Core §4, third-party initiated login). The
    // site's authorization request comes back here with the number, and is checked again.
    app.get('/portal/contracts/:contractId/settings-site', {
      config: { auth: requirePortal },
      schema: { params: Type.Object({ contractId: Type.String({ minLength: 1, maxLength: 64 }) }) },
    }, async (req, reply) => {
      const { scope } = portalViewer(req);
      const c = await contractFor(ctx.db, scope, req.params.contractId);
      if (!c) return reply.callNotFound();
      const client = await clientOfService(ctx, c.service_id);
      if (client?.initiateLoginUri) {
        const service = await findService(ctx.db, c.service_id);
        const target = new URL(client.initiateLoginUri);
        target.searchParams.set('iss', ctx.config.publicUrl.replace(/\/$/, ''));
        target.searchParams.set('target_link_uri', service?.settings_site_url ?? new URL('/', client.initiateLoginUri).href);
        target.searchParams.set('contract', c.number);
        if (req.wantsJson()) return reply.send({ status: 'redirect', location: target.href });
        return reply.redirect(target.href, 303);
      }
      if (!c.settings_site_url) return reply.callNotFound();
      if (req.wantsJson()) return reply.send({ status: 'no_sso', location: c.settings_site_url });
      return sendPage(reply, NoSsoPage({ ctx: req.pageCtx(), url: c.settings_site_url }));
    });
  };
}
