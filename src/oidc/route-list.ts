// Every route of the OpenID Connect provider, listed once (as src/portal/route-list.ts): the
// summaries become the OpenAPI text and the fuzz suite walks them. The first group is handed to
// oidc-provider as it is (it reads the body itself); the second is bizportal's own.
import type { ListedRoute } from '../web/route-list.ts';

export const PROVIDER_ROUTES = [
  { method: 'GET', url: '/.well-known/openid-configuration', summary: 'OpenID Connect discovery (issuer = PUBLIC_URL)' },
  { method: 'GET', url: '/oidc/jwks', summary: 'The provider\'s public signing keys (JWK Set), retired keys included until their tokens expire' },
  { method: 'GET', url: '/oidc/auth', summary: 'Authorization endpoint: code flow, PKCE S256 required' },
  { method: 'POST', url: '/oidc/auth', summary: 'Authorization endpoint (form post)' },
  { method: 'GET', url: '/oidc/auth/:uid', summary: 'Authorization resumed after the portal\'s interaction' },
  { method: 'POST', url: '/oidc/token', summary: 'Token endpoint: authorization_code grant, client authentication required' },
  { method: 'GET', url: '/oidc/me', summary: 'UserInfo endpoint (Bearer access token)' },
  { method: 'POST', url: '/oidc/me', summary: 'UserInfo endpoint (form post)' },
  { method: 'GET', url: '/oidc/session/end', summary: 'RP-initiated logout: asks the user to confirm' },
  { method: 'POST', url: '/oidc/session/end', summary: 'RP-initiated logout (form post)' },
  { method: 'POST', url: '/oidc/session/end/confirm', summary: 'RP-initiated logout confirmed (the provider\'s anti-forgery field)' },
  { method: 'GET', url: '/oidc/session/end/success', summary: 'Signed out, when the client gave no post-logout URI' },
] as const satisfies readonly ListedRoute[];

export const INTERACTION_ROUTES = [
  { method: 'GET', url: '/oidc/interaction/:uid', summary: 'The portal\'s part of an authorization: login, terms, contract check, consent' },
  { method: 'POST', url: '/oidc/interaction/:uid/consent', summary: 'Allow or deny a client that is not first-party' },
  { method: 'GET', url: '/portal/contracts/:contractId/settings-site', summary: '«設定を変更する»: open the service\'s settings site for this contract, signed in (third-party initiated login)' },
] as const satisfies readonly ListedRoute[];
