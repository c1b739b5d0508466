// A small keep-alive HTTP/1.1 client for the login driver (autocannon cannot chain requests) with a
// per-browser cookie jar. node:http directly: no redirects followed, no Origin header sent.
import http from 'node:http';
import { createServer } from 'node:net';

export interface Response { status: number; location: string | undefined; body: string }

export class HttpClient {
  private readonly agent: http.Agent;
  constructor(private readonly origin: URL, maxSockets: number) {
    this.agent = new http.Agent({ keepAlive: true, maxSockets });
  }

  request(method: 'GET' | 'POST', path: string, jar: CookieJar, extraHeaders: Record<string, string>, form?: Record<string, string>): Promise<Response> {
    const body = form ? new URLSearchParams(form).toString() : undefined;
    const headers: Record<string, string> = { ...extraHeaders, accept: 'text/html' };
    const cookie = jar.header();
    if (cookie) headers.cookie = cookie;
    if (body !== undefined) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      headers['content-length'] = String(Buffer.byteLength(body));
    }
    return new Promise((resolve, reject) => {
      const req = http.request({ host: this.origin.hostname, port: this.origin.port, method, path, headers, agent: this.agent }, (res) => {
        jar.take(res.headers['set-cookie']);
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, location: res.headers.location, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      });
      req.setTimeout(30_000, () => req.destroy(new Error(`timeout: ${method} ${path}`)));
      req.on('error', reject);
      req.end(body);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}

/** One browser's cookies (name → value); attributes are ignored, every cookie goes to every path. */
export class CookieJar {
  private readonly values = new Map<string, string>();

  take(setCookie: string[] | undefined): void {
    for (const line of setCookie ?? []) {
      const pair = line.split(';', 1)[0]!;
      const eq = pair.indexOf('=');
      if (eq > 0) this.values.set(pair.slice(0, eq).trim(), pair.slice(eq + 1).trim());
    }
  }

  get(name: string): string | undefined {
    return this.values.get(name);
  }

  header(): string {
    return [...this.values].map(([k, v]) => `${k}=${v}`).join('; ');
  }
}

/** A port free on 127.0.0.1 right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    }).on('error', reject);
  });
}

/** Sanity check before measuring: the page answers 200 with the expected content for this cookie. */
export async function expectPage(url: string, cookie: string, mustContain: string): Promise<void> {
  const res = await fetch(url, { headers: { cookie }, redirect: 'manual' });
  const body = await res.text();
  if (res.status !== 200 || !body.includes(mustContain)) {
    throw new Error(`sanity check failed: GET ${url} → ${res.status} ${res.headers.get('location') ?? ''} ${body.slice(0, 200)}`);
  }
}
