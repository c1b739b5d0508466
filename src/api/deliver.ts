// One webhook POST (issue 24 item 6): to the address resolveCallback checked (the socket's lookup
// answers with it, so no second DNS answer can swap it), no redirects (node:http follows none; a
// 3xx is a failure), a short timeout, and at most a few KiB of the answer read. The body is signed:
//   X-Bizportal-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(key, "<t>.<body>")>
// (docs/api.md says how a receiver verifies it). 2xx = delivered; anything else is a failure.
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { hmacHex } from '../lib/index.ts';
import type { CallbackTarget } from './ssrf.ts';

export const DELIVERY_TIMEOUT_MS = 10_000;
const MAX_ANSWER_BYTES = 4096;

export function signatureHeader(key: Buffer, body: string, unixSeconds: number): string {
  return `t=${unixSeconds},v1=${hmacHex(key, `${unixSeconds}.${body}`)}`;
}

export interface PostResult { ok: boolean; status: number | null; error: string | null }

export function postSigned(target: CallbackTarget, body: string, headers: Record<string, string>, timeoutMs = DELIVERY_TIMEOUT_MS): Promise<PostResult> {
  return new Promise((resolve) => {
    const { url, address, family } = target;
    const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
    let settled = false;
    const done = (r: PostResult) => { if (!settled) { settled = true; resolve(r); } };
    const req = request({
      protocol: url.protocol, hostname: url.hostname.replace(/^\[|\]$/g, ''), port: url.port || undefined, path: `${url.pathname}${url.search}`,
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)), 'user-agent': 'bizportal-webhooks/1', ...headers },
      // Pinned: the checked address, whatever DNS would say now (TLS still verifies the host name).
      lookup: (_host: string, opts: { all?: boolean }, cb: (...a: unknown[]) => void) => {
        if (opts?.all) cb(null, [{ address, family }]); else cb(null, address, family);
      },
      timeout: timeoutMs, agent: false,
    } as unknown as import("node:https").RequestOptions, (res) => {
      let read = 0;
      res.on('data', (chunk: Buffer) => { read += chunk.length; if (read > MAX_ANSWER_BYTES) res.destroy(); });
      const status = res.statusCode ?? 0;
      const finish = () => done(status >= 200 && status < 300 ? { ok: true, status, error: null } : { ok: false, status, error: `HTTP ${status}` });
      res.on('end', finish);
      res.on('close', finish);
      res.on('error', finish);
    });
    req.on('timeout', () => { req.destroy(new Error('timeout')); });
    req.on('error', (err: Error & { code?: string }) => done({ ok: false, status: null, error: `${err.code ?? ''} ${err.message}`.trim().slice(0, 300) }));
    req.end(body);
  });
}
