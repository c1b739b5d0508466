// Where a flow may send the browser when it ends (issue 13 item 1): a same-origin path, or a
// registered client's redirect URI. Anything else falls back to "/", so a crafted
// ?return_to= can never send a signed-in user to another site (an open redirect).

/** Long enough for any page of ours with its query; a longer value is refused, not cut. */
export const RETURN_TO_MAX = 512;

/**
 * Redirect URIs of registered clients (the OpenID Connect provider will add its clients here).
 * None yet: the list is a function so the provider can back it with its table.
 */
export function registeredClientUri(uri: string): boolean {
  void uri;
  return false;
}

/** A path of this origin: one leading "/", no "//" or "\" anywhere, no scheme, no control characters. */
export function isSameOriginPath(v: string): boolean {
  return v.length > 0 && v.length <= RETURN_TO_MAX && v.startsWith('/') && !v.includes('//') && !v.includes('\\')
    && !/[\x00-\x1f\x7f]/.test(v) && !/^\/[a-z][a-z0-9+.-]*:/i.test(v);
}

/** The validated target for a raw value: itself when it passes, otherwise "/". */
export function returnTarget(raw: string | undefined | null): string {
  if (typeof raw !== 'string') return '/';
  if (isSameOriginPath(raw) || registeredClientUri(raw)) return raw;
  return '/';
}
