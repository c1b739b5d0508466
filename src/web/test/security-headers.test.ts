// The precomputed security headers (issue 19 §4) are helmet's own: the same options give the same
// header set as helmet run on a real response, and every answer of the app carries them.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, request } from 'node:http';
import helmet from 'helmet';
import { precomputedSecurityHeaders } from '../security-headers.ts';

const OPTIONS = {
  contentSecurityPolicy: { useDefaults: false, directives: { 'default-src': ["'none'"], 'form-action': ["'self'"] } },
  referrerPolicy: { policy: 'no-referrer' as const },
  strictTransportSecurity: { maxAge: 31_536_000, includeSubDomains: true },
  crossOriginEmbedderPolicy: false,
  frameguard: { action: 'deny' as const },
};

describe('precomputed security headers', () => {
  it('equal what helmet sets on a real response', async () => {
    const middleware = helmet(OPTIONS);
    const server = createServer((req, res) => middleware(req, res, () => res.end('ok')));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as { port: number };
    const live = await new Promise<Record<string, string>>((resolve, reject) => {
      request({ host: '127.0.0.1', port, path: '/' }, (res) => { res.resume(); resolve(res.headers as Record<string, string>); }).on('error', reject).end();
    });
    server.close();
    const pre = precomputedSecurityHeaders(OPTIONS);
    assert.ok(Object.keys(pre).length >= 10, `a full set: ${Object.keys(pre).join(', ')}`);
    for (const [name, value] of Object.entries(pre)) assert.equal(live[name], value, name);
    assert.equal(pre['content-security-policy'], "default-src 'none';form-action 'self'");
    assert.equal(pre['x-frame-options'], 'DENY');
    assert.equal(pre['cross-origin-embedder-policy'], undefined);
  });

  it('refuse a per-request directive (it cannot be computed once)', () => {
    assert.throws(() => precomputedSecurityHeaders({ contentSecurityPolicy: { useDefaults: false, directives: { 'default-src': ["'none'"], 'script-src': [(_req: unknown, _res: unknown) => "'nonce-x'"] } } } as never), /per-request/);
  });
});
