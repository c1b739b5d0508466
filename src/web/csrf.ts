// CSRF (SECURITY.md item 32): signed double-submit token plus an Origin / Sec-Fetch-Site check.
// The HttpOnly cookie holds a random value; forms carry HMAC(secret, value), so a token cannot be
// forged without the server key nor replayed from another browser.
import { constantTimeEqual, hmacHex } from '../lib/index.ts';

export function csrfTokenFor(secretKey: Buffer, cookieValue: string): string {
  return hmacHex(secretKey, `csrf:${cookieValue}`);
}

export function csrfTokenValid(secretKey: Buffer, cookieValue: string | undefined, token: unknown): boolean {
  if (!cookieValue || typeof token !== 'string' || token.length !== 64) return false;
  return constantTimeEqual(csrfTokenFor(secretKey, cookieValue), token);
}

/** Browsers say where a request comes from; anything but our own origin is refused. */
export function sameOriginRequest(headers: Record<string, string | string[] | undefined>, publicOrigin: string): boolean {
  const site = headers['sec-fetch-site'];
  if (typeof site === 'string' && site !== 'same-origin' && site !== 'none') return false;
  const origin = headers.origin;
  // With Referrer-Policy: no-referrer (item 26) browsers send `Origin: null` on same-origin form
  // posts; it is accepted only when Sec-Fetch-Site vouches for the same origin.
  if (origin === 'null') return site === 'same-origin';
  if (typeof origin === 'string' && origin !== publicOrigin) return false;
  return true;
}
