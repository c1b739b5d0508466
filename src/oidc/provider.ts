// bizportal's OpenID Connect provider (issue 18): oidc-provider (certified, maintained) configured
// for the services' settings sites. Authorization code flow with PKCE S256 only, no refresh
// tokens, no dynamic registration; clients, keys and every artefact in bizportal's database.
//
// Identity comes from bizportal's own login: the provider's session is only a copy of the
// portal's. The login prompt has one more check, `bizportal_session`: the request goes to the
// interaction (routes.tsx) unless the portal session in the same browser is live, belongs to the
// provider session's account, was the one that account signed in with, reaches the assurance
// asked for, has accepted the terms and may see the contract asked for. So signing out of the
// portal, a new login, a disabled user or a withdrawn contract all count at the next request.
import Provider, { interactionPolicy, type Configuration, type KoaContextWithOIDC } from 'oidc-provider';
import { hkdfSync } from 'node:crypto';
import type { AppContext } from '../context.ts';
import { requestInfo } from './pages.ts';
import { adapterFor } from './adapter.ts';
import { accountClaims, acrOf, checkContract, requestedContract, requiredAcr } from './account.ts';
import { clientRow } from './clients.ts';
import type { SigningJwk } from './keys.ts';
import type { OidcPages } from './pages.ts';
import { providerHooks } from './provider-hooks.ts';

import { INTERACTION_PATH, OIDC_PREFIX, SCOPES } from './constants.ts';

/** ID tokens an hour, access tokens ten minutes (a settings site reads userinfo once), codes a minute. */
export const TTL = { IdToken: 3600, AccessToken: 600, AuthorizationCode: 60, Interaction: 900, Grant: 3600 };


/**
 * Does this request need the portal (the interaction)? True when the provider's session is not the
 * live portal session of the same browser, or that session falls short of what is asked.
 */
export async function needsPortal(ctx: AppContext, kctx: KoaContextWithOIDC): Promise<boolean> {
  // The portal session as the session plugin resolved it for this very request (routes.tsx keeps it).
  const live = requestInfo(kctx.req)?.auth;
  const s = kctx.oidc.session;
  if (!live || !s || live.user.id !== s.accountId || s.loginTs !== Math.floor(live.session.created_at / 1000)) return true;
  if (!live.termsAccepted) return true;
  const client = kctx.oidc.client;
  if (!client) return true;
  const params = kctx.oidc.params as Record<string, unknown>;
  if (requiredAcr(params, client.defaultAcrValues) === 'aal2' && acrOf(live.session) !== 'aal2') return true;
  const wanted = requestedContract(params);
  if (wanted === 'malformed') return true;
  if (wanted && !(await checkContract(ctx, live.user, client.clientId, wanted)).ok) return true;
  return false;
}

/** A cookie-signing key for oidc-provider's own cookies, derived from SECRET_KEY. */
function cookieKey(secret: Buffer): string {
  return Buffer.from(hkdfSync('sha256', secret, Buffer.alloc(0), 'bizportal oidc cookies', 32)).toString('base64url');
}

export function buildProvider(ctx: AppContext, keys: SigningJwk[], pages: OidcPages): Provider {
  const policy = interactionPolicy.base();
  policy.get('login')!.checks.add(new interactionPolicy.Check(
    'bizportal_session', 'the portal must confirm the session, its assurance, the terms and the contract',
    (kctx) => needsPortal(ctx, kctx),
  ));
  const secure = ctx.config.cookieSecure;
  const cookieOpts = { httpOnly: true, sameSite: 'lax' as const, secure, signed: true, overwrite: true };

  const configuration: Configuration = {
    adapter: adapterFor(ctx),
    clients: [],
    jwks: { keys: keys as unknown as NonNullable<Configuration['jwks']>['keys'] },
    findAccount: async (kctx, sub, token) => {
      const clientId = kctx?.oidc?.client?.clientId ?? (token as { clientId?: string } | undefined)?.clientId;
      return {
        accountId: sub,
        async claims(_use, _scope, claims) {
          // oidc-provider passes the claims request's section for this use (id_token or userinfo).
          const fromRequest = requestedContract({ claims: { [_use]: claims } });
          const number = fromRequest === 'malformed' ? null : fromRequest;
          const out = await accountClaims(ctx, sub, clientId, number);
          if (!out) throw new Error('account gone');
          return out as { sub: string };
        },
      };
    },
    claims: {
      // The session's assurance and sign-in time ride with `openid`: a settings site always learns
      // whether the second step was skipped (issue 18 item 2), without having to ask.
      sid: null, iss: null,
      openid: ['sub', 'acr', 'amr', 'auth_time'], profile: ['name', 'locale'], email: ['email', 'email_verified'],
      organisation: ['organisation'], contract: ['contract'],
    },
    scopes: SCOPES,
    acrValues: ['aal1', 'aal2'],
    responseTypes: ['code'],
    conformIdTokenClaims: false,
    issueRefreshToken: () => false,
    pkce: { required: () => true },
    clientBasedCORS: () => false,
    // The provider's only outgoing requests go to URLs an operator registered with the CLI (a
    // back-channel logout URI, a private_key_jwt client's jwks_uri): there is no dynamic
    // registration and no request_uri. oidc-provider's guard against special-use addresses would
    // only stop settings sites on the provider's own network or on localhost, so it is left out.
    fetch: (url, options) => {
      const { dispatcher: _guard, ...rest } = options as RequestInit & { dispatcher?: unknown };
      return fetch(url, rest);
    },
    features: {
      devInteractions: { enabled: false },
      claimsParameter: { enabled: true },
      userinfo: { enabled: true },
      revocation: { enabled: false },
      introspection: { enabled: false },
      backchannelLogout: { enabled: true },
      rpInitiatedLogout: { enabled: true, logoutSource: pages.logoutSource, postLogoutSuccessSource: pages.postLogoutSuccessSource },
    },
    routes: {
      authorization: `${OIDC_PREFIX}/auth`, token: `${OIDC_PREFIX}/token`, userinfo: `${OIDC_PREFIX}/me`,
      jwks: `${OIDC_PREFIX}/jwks`, end_session: `${OIDC_PREFIX}/session/end`,
    },
    interactions: { url: (_kctx, interaction) => `${INTERACTION_PATH}/${interaction.uid}`, policy },
    cookies: {
      keys: [cookieKey(ctx.config.secretKey)],
      names: { session: 'bp_oidc_session', interaction: 'bp_oidc_interaction', resume: 'bp_oidc_resume' },
      long: cookieOpts, short: cookieOpts,
    },
    ttl: {
      ...TTL,
      Session: Math.floor(ctx.config.sessionAbsoluteMs / 1000),
    },
    // First-party settings sites need no consent screen: the grant is made here, for what they ask.
    loadExistingGrant: async (kctx) => {
      const grantId = kctx.oidc.result?.consent?.grantId ?? kctx.oidc.session!.grantIdFor(kctx.oidc.client!.clientId);
      if (grantId) return kctx.oidc.provider.Grant.find(grantId);
      const row = await clientRow(ctx, kctx.oidc.client!.clientId);
      if (!row || row.first_party_at === null) return undefined;
      const grant = new kctx.oidc.provider.Grant({ clientId: row.id, accountId: kctx.oidc.session!.accountId! });
      grant.addOIDCScope(SCOPES.filter((s) => kctx.oidc.requestParamScopes.has(s)).join(' '));
      grant.addOIDCClaims([...kctx.oidc.requestParamClaims]);
      await grant.save();
      return grant;
    },
    renderError: pages.renderError,
  };

  const provider = new Provider(ctx.config.publicUrl.replace(/\/$/, ''), configuration);
  // The forwarding route (routes.tsx) sets Host and X-Forwarded-Proto from PUBLIC_URL: the
  // provider's URLs never come from a request's Host header.
  provider.proxy = true;
  providerHooks(ctx, provider);
  return provider;
}
