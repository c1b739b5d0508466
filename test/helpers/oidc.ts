// A settings site for the OpenID Connect provider's tests: openid-client (a certified relying-party
// library) against a real bizportal over HTTP, with the test's Browser carrying the user's cookies.
import * as client from 'openid-client';
import type { AppContext } from '../../src/context.ts';
import { addClient, type NewClient } from '../../src/oidc/clients.ts';
import type { Browser, Res } from './client.ts';

export const REDIRECT = 'https://settings.example.net/callback';

export async function registerClient(ctx: AppContext, o: Partial<NewClient> = {}): Promise<{ id: string; secret: string }> {
  const id = o.id ?? `site-${Math.random().toString(36).slice(2, 10)}`;
  const r = await addClient(ctx, {
    id, name: 'Colocation settings', redirectUris: [REDIRECT], postLogoutUris: ['https://settings.example.net/'],
    authMethod: 'client_secret_basic', firstParty: true, requireAal2: false, ...o,
  });
  return { id, secret: r.secret! };
}

export interface Begun { url: URL; verifier: string; state: string; nonce: string }

export class Rp {
  private constructor(readonly config: client.Configuration, readonly clientId: string) {}

  static async discover(issuer: string, clientId: string, secret: string): Promise<Rp> {
    const config = await client.discovery(new URL(issuer), clientId, secret, undefined, { execute: [client.allowInsecureRequests] });
    return new Rp(config, clientId);
  }

  /** A client that authenticates with a signed assertion (private_key_jwt) instead of a secret. */
  static async discoverWithKey(issuer: string, clientId: string, key: client.CryptoKey, kid: string): Promise<Rp> {
    const config = await client.discovery(new URL(issuer), clientId, undefined, client.PrivateKeyJwt({ key, kid }), { execute: [client.allowInsecureRequests] });
    return new Rp(config, clientId);
  }

  async begin(o: { contract?: string; acr?: string; extra?: Record<string, string>; pkce?: boolean } = {}): Promise<Begun> {
    const verifier = client.randomPKCECodeVerifier();
    const state = client.randomState();
    const nonce = client.randomNonce();
    const params: Record<string, string> = {
      redirect_uri: REDIRECT, scope: 'openid profile email organisation contract', state, nonce,
      ...(o.pkce === false ? {} : { code_challenge: await client.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256' }),
      ...(o.contract ? { claims: JSON.stringify({ id_token: { contract: { essential: true, value: o.contract } }, userinfo: { contract: { essential: true, value: o.contract } } }) } : {}),
      ...(o.acr ? { acr_values: o.acr } : {}),
      ...o.extra,
    };
    return { url: client.buildAuthorizationUrl(this.config, params), verifier, state, nonce };
  }

  /** The token exchange, as the settings site's server makes it (state, nonce and PKCE checked by openid-client). */
  async finish(callback: string, b: Begun, verifier = b.verifier) {
    return client.authorizationCodeGrant(this.config, new URL(callback), { pkceCodeVerifier: verifier, expectedState: b.state, expectedNonce: b.nonce });
  }

  userinfo(accessToken: string, sub: string) {
    return client.fetchUserInfo(this.config, accessToken, sub);
  }
}

/**
 * Follows the browser through the provider: redirects, and the "continue" page's refresh, until
 * the browser would leave for the settings site (returns that URL) or stops on a page of ours.
 */
export async function walk(b: Browser, start: string): Promise<{ callback: string | null; res: Res }> {
  let r = await b.get(start);
  for (let i = 0; i < 20; i++) {
    const next = r.location ?? r.body.match(/http-equiv="refresh" content="0;url=([^"]+)"/)?.[1]?.replace(/&amp;/g, '&') ?? null;
    if (!next) return { callback: null, res: r };
    if (next.startsWith('https://settings.example.net/')) return { callback: next, res: r };
    r = await b.get(next);
  }
  throw new Error('too many hops');
}
