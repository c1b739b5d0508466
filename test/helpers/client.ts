// A browser-like HTTP client over fetch: a cookie jar, no automatic redirects, and the CSRF token
// taken from the last page, so tests walk the real forms over real HTTP.
export interface Res { status: number; headers: Headers; body: string; location: string | null; cookies: string[] }

export class Browser {
  readonly jar = new Map<string, string>();
  last: Res | null = null;
  /** The newest CSRF token seen on any page (it stays valid while the csrf cookie does). */
  private lastCsrf: string | null = null;
  constructor(readonly base: string, readonly extraHeaders: Record<string, string> = {}) {}

  private cookieHeader(): string {
    return [...this.jar].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  private remember(h: Headers): string[] {
    const set = h.getSetCookie();
    for (const c of set) {
      const [pair = ''] = c.split(';');
      const i = pair.indexOf('=');
      const name = pair.slice(0, i);
      const value = pair.slice(i + 1);
      if (/max-age=0|expires=thu, 01 jan 1970/i.test(c) || value === '') this.jar.delete(name);
      else this.jar.set(name, value);
    }
    return set;
  }

  async request(method: string, path: string, body?: string, headers: Record<string, string> = {}): Promise<Res> {
    const res = await fetch(new URL(path, this.base), {
      method,
      redirect: 'manual',
      headers: { cookie: this.cookieHeader(), ...this.extraHeaders, ...headers },
      ...(body !== undefined ? { body } : {}),
    });
    const out: Res = { status: res.status, headers: res.headers, body: await res.text(), location: res.headers.get('location'), cookies: this.remember(res.headers) };
    this.last = out;
    const m = out.body.match(/name="_csrf" value="([0-9a-f]{64})"/);
    if (m) this.lastCsrf = m[1]!;
    return out;
  }

  get(path: string, headers?: Record<string, string>): Promise<Res> {
    return this.request('GET', path, undefined, headers);
  }

  /** Follows redirects (303/302) like a browser, up to 10. */
  async follow(res: Res): Promise<Res> {
    let r = res;
    for (let i = 0; i < 10 && r.location && r.status >= 300 && r.status < 400; i++) r = await this.get(r.location);
    return r;
  }

  csrfFor(): string {
    if (!this.lastCsrf) throw new Error('no CSRF token seen yet');
    return this.lastCsrf;
  }

  csrf(): string {
    const m = this.last?.body.match(/name="_csrf" value="([0-9a-f]{64})"/);
    if (!m) throw new Error('no CSRF token on the last page');
    return m[1]!;
  }

  /** Posts a form as a browser would, with the CSRF token of the last page unless one is given. */
  async post(path: string, fields: Record<string, string>, opts: { csrf?: string | null; headers?: Record<string, string> } = {}): Promise<Res> {
    const f = { ...fields };
    if (opts.csrf !== null) f._csrf = opts.csrf ?? this.csrf();
    // What Chromium sends for a same-origin form post under Referrer-Policy: no-referrer.
    const browserLike = { origin: 'null', 'sec-fetch-site': 'same-origin' };
    return this.request('POST', path, new URLSearchParams(f).toString(), { 'content-type': 'application/x-www-form-urlencoded', ...browserLike, ...opts.headers });
  }
}

/** Text of the page without tags, for assertions on what a person reads. */
export function text(html: string): string {
  return html.replace(/<[^>]+>/g, ' ').replace(/&amp;/g, '&').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/\s+/g, ' ');
}

export function formAction(html: string, contains: string): string {
  const m = [...html.matchAll(/<form[^>]*action="([^"]+)"/g)].map((x) => x[1]!).find((a) => a.includes(contains));
  if (!m) throw new Error(`no form with action containing ${contains}`);
  return m;
}
