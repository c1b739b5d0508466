// Generated bad input for every registered route (issue 10 §2). Routes come from the app's own
// route table (BuiltApp.routes, filled by an onRoute hook), so a new route is fuzzed without
// editing this file. Requests are built by fast-check from each route's TypeBox body schema.
import fc from 'fast-check';
import type { RouteInfo } from '../../src/app.ts';

export interface FuzzRequest { method: string; path: string; headers: Record<string, string>; body?: string | Buffer }

const nasty = fc.constantFrom(
  '', ' ', '\u0000', 'a\u0000b', '\u200b', '\u202eevil', 'e\u0301\u0301\u0301', 'Ａ１２３　テスト', '\ud800', '%00', '%FF%FE',
  '<script>alert(1)</script>', "' OR 1=1 --", '"; DROP TABLE app_user; --', '../../etc/passwd', '{{7*7}}', '${7*7}',
  'x'.repeat(300), 'あ'.repeat(2000), '-1', '1e309', 'NaN', 'null', 'true', '[]', '{}', '__proto__', 'constructor',
);

const value: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: fc.string({ maxLength: 40 }) },
  { weight: 3, arbitrary: nasty },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 1, arbitrary: fc.integer() },
  { weight: 1, arbitrary: fc.boolean() },
  { weight: 1, arbitrary: fc.array(fc.string({ maxLength: 5 }), { maxLength: 3 }) },
  { weight: 1, arbitrary: fc.constant(null) },
);

/** Field names of a route's body schema (TypeBox/JSON schema `properties`). */
export function bodyFields(route: RouteInfo): string[] {
  const body = (route.schema as { body?: { properties?: Record<string, unknown> } } | undefined)?.body;
  return Object.keys(body?.properties ?? {}).filter((f) => f !== '_csrf');
}

/** Percent-encodes anything, lone surrogates included (sent as the invalid UTF-8 bytes ED A0 80). */
function encodeAny(seg: string): string {
  try { return encodeURIComponent(seg); } catch { return seg.replace(/[\ud800-\udfff]/g, '%ED%A0%80').replace(/[^%\w.-]/g, (c) => { try { return encodeURIComponent(c); } catch { return '%EF%BF%BD'; } }); }
}

function fillPath(url: string, seg: string): string {
  return url.replace(/:[A-Za-z]+/g, () => encodeAny(seg)).replace(/\*$/, encodeAny(seg));
}

function deepJson(depth: number): string {
  return '['.repeat(depth) + ']'.repeat(depth);
}

/** One arbitrary request for a route: form or JSON or raw bytes, with missing, extra or odd fields. */
export function requestFor(route: RouteInfo, csrf: string): fc.Arbitrary<FuzzRequest> {
  const fields = bodyFields(route);
  const pathSeg = fc.oneof(fc.string({ maxLength: 30 }), nasty, fc.constant('x'.repeat(250)));
  const present = fc.subarray(fields);
  const extras = fc.dictionary(fc.oneof(fc.constantFrom('role', 'organisation_id', 'mfaEnabled', 'admin', '__proto__', 'userId'), fc.string({ maxLength: 8 })), value, { maxKeys: 3 });
  const encoding = fc.constantFrom('form', 'json', 'json-broken', 'json-deep', 'bytes', 'huge', 'repeat');
  return fc.tuple(pathSeg, present, fc.array(value, { minLength: fields.length, maxLength: fields.length }), extras, encoding, fc.boolean(), fc.boolean())
    .map(([seg, names, values, extra, enc, withCsrf, longHeader]) => {
      const obj: Record<string, unknown> = { ...extra };
      names.forEach((n) => { obj[n] = values[fields.indexOf(n)]; });
      if (withCsrf) obj._csrf = csrf;
      const headers: Record<string, string> = {};
      if (longHeader) headers['x-fuzz'] = 'h'.repeat(8000);
      if (withCsrf) headers['x-csrf-token'] = csrf;
      let body: string | Buffer | undefined;
      if (route.method !== 'GET') {
        switch (enc) {
          case 'json': headers['content-type'] = 'application/json'; body = JSON.stringify(obj); break;
          case 'json-broken': headers['content-type'] = 'application/json'; body = JSON.stringify(obj).slice(0, -1); break;
          case 'json-deep': headers['content-type'] = 'application/json'; body = deepJson(5000); break;
          case 'bytes': headers['content-type'] = 'application/x-www-form-urlencoded'; body = Buffer.concat([Buffer.from('a='), Buffer.from([0xff, 0xfe, 0xc0, 0x80, 0x00])]); break;
          case 'huge': headers['content-type'] = 'application/x-www-form-urlencoded'; body = `a=${'x'.repeat(1_100_000)}`; break;
          case 'repeat': headers['content-type'] = 'application/x-www-form-urlencoded'; body = names.map((n) => `${n}=1&${n}=2`).join('&') + (withCsrf ? `&_csrf=${csrf}` : ''); break;
          default: {
            headers['content-type'] = 'application/x-www-form-urlencoded';
            const p = new URLSearchParams();
            for (const [k, v] of Object.entries(obj)) p.append(k, typeof v === 'string' ? v : JSON.stringify(v));
            body = p.toString();
          }
        }
      }
      const query = enc === 'repeat' ? '?lang=ja&lang=en&lang=%00' : '';
      return { method: route.method, path: fillPath(route.url, seg) + query, headers, ...(body !== undefined ? { body } : {}) };
    });
}

/** Text that must never reach a client: stack frames, SQL, driver names, internal paths. */
export const LEAK = /\bat [\w.<>]+ \(|\.tsx?:\d+:\d+|node_modules|SQLITE_|syntax error at or near|relation "|\bselect .* from\b|\binsert into\b|duplicate key value|TypeError|ReferenceError/i;
