// Helpers for the TM Forum API tests (issue 24 item 6): a token issued the way an admin issues one
// (the admin page's JSON twin, CSRF and all), and bearer calls.
import assert from 'node:assert/strict';
import type { TestApp } from './app.ts';
import { csrfOf } from './admin.ts';
import { sessionFor } from './portal-world.ts';

export async function issuedToken(app: TestApp, adminId: string, orgId: string, scopes: string[], name = `client ${scopes.join(',')}`): Promise<{ token: string; id: string }> {
  const b = await sessionFor(app, adminId, orgId);
  const res = await b.request('POST', '/admin/api-tokens', JSON.stringify({ name, scopes }), { accept: 'application/json', 'content-type': 'application/json', 'x-csrf-token': csrfOf(app, b) });
  assert.equal(res.status, 201, res.body);
  const body = JSON.parse(res.body) as { token: string; tokens: { id: string; name: string }[] };
  return { token: body.token, id: body.tokens.find((t) => t.name === name)!.id };
}

export interface ApiRes { status: number; headers: Headers; body: any; text: string }

export async function call(app: TestApp, token: string | null, method: string, path: string, body?: unknown): Promise<ApiRes> {
  const res = await fetch(new URL(path, app.url), {
    method,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  let parsed: unknown = null;
  try { parsed = text ? JSON.parse(text) : null; } catch { parsed = null; }
  return { status: res.status, headers: res.headers, body: parsed, text };
}
