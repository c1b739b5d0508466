// People for admin tests, logged in through the real flows over HTTP: first login (identity,
// password), 2-step setup (an admin picks TOTP at the selection screen), backup codes acknowledged,
// terms accepted. Also organisations of every kind (S0) and the JSON-client request shape.
import type { FastifyInstance } from 'fastify';
import type { OrgKind, Role } from '../../src/db/schema.ts';
import { createOrganisation } from '../../src/auth/tenancy/organisations.ts';
import { createSession } from '../../src/auth/sessions/store.ts';
import { csrfTokenFor } from '../../src/web/csrf.ts';
import type { TestApp } from './app.ts';
import { Browser, formAction, type Res } from './client.ts';
import { givenUser, independentTotp, type GivenUser } from './scenario.ts';

export const PW = 'Kx7#mPq2vLa9';
export const STEP = 30_000;

export interface Person { u: GivenUser; b: Browser; secret: string }

let orgSeq = 0;
export async function givenOrg(app: TestApp, kind: OrgKind, parentId?: string): Promise<string> {
  return (await createOrganisation(app.ctx.db, { name: `${kind} org ${++orgSeq}`, kind, parentId: parentId ?? null }, app.ctx.now())).id;
}

/** First login through the mailed link; answers every identity field (the profile picks what it asks). */
async function firstLogin(b: Browser, u: GivenUser): Promise<void> {
  await b.follow(await b.get(u.setupUrl));
  const flow = b.last!.body.match(/action="(\/auth\/flows\/[^/]+)\/identity"/)![1]!;
  await b.follow(await b.post(`${flow}/identity`, { loginId: u.loginId, email: u.email, name: u.name, phone: u.phone }));
  await b.follow(await b.post(`${flow}/password`, { password: PW, confirm: PW }));
}

/** On a TOTP setup page: enrol with an independently computed code, acknowledge the backup codes. */
async function enrolHere(app: TestApp, b: Browser, page: Res): Promise<string> {
  const secret = new URL(page.body.match(/href="(otpauth:[^"]+)"/)![1]!.replace(/&amp;/g, '&')).searchParams.get('secret')!;
  const flow = formAction(page.body, '/totp-setup').replace('/totp-setup', '');
  await b.follow(await b.post(`${flow}/totp-setup`, { code: independentTotp(secret, app.clock.now) }));
  await b.post(`${flow}/backup-codes`, {});
  return secret;
}

/** S6: accepts the current terms if the portal asks for them. */
export async function acceptTermsIfAsked(b: Browser): Promise<void> {
  const page = await b.get('/terms');
  const versionId = page.body.match(/name="versionId" value="([^"]+)"/)?.[1];
  if (versionId) await b.post('/terms', { versionId, accept: '1' });
}

/** A user of `orgId` with a full (aal2) session in their own browser. */
export async function loggedIn(app: TestApp, orgId: string, role: Role = 'general', o: { loginId?: string; name?: string } = {}): Promise<Person> {
  const u = await givenUser(app.ctx, { orgId, role, ...(o.name ? { name: o.name } : {}) });
  const b = new Browser(app.url);
  await firstLogin(b, u);
  await b.get('/login');
  let page = await b.follow(await b.post('/login', { loginId: u.loginId, password: PW }));
  if (role === 'admin') page = await b.follow(await b.post(formAction(page.body, '/method'), { method: 'totp' })); // S3.3 selection
  const secret = await enrolHere(app, b, page);
  await acceptTermsIfAsked(b);
  app.clock.advance(STEP); // later logins must not reuse the enrolment's time step
  return { u, b, secret };
}

/** Logs an enrolled person in again (password + TOTP) in a fresh browser. */
export async function loginAgain(app: TestApp, p: Person): Promise<{ b: Browser; res: Res }> {
  app.clock.advance(STEP);
  const b = new Browser(app.url);
  await b.get('/login');
  const r = await b.post('/login', { loginId: p.u.loginId, password: PW });
  if (r.status !== 303) return { b, res: r };
  const page = await b.follow(r);
  const res = await b.post(formAction(page.body, '/totp'), { code: independentTotp(p.secret, app.clock.now) });
  return { b, res };
}

/** A browser holding a session of `userId` whose second step was skipped (trusted network, S3.7). */
export async function skippedSession(app: TestApp, userId: string): Promise<Browser> {
  const token = await createSession(app.ctx.db, { userId, aal: 'aal1_skipped', skipReason: 'trusted_network', ip: '127.0.0.1', userAgent: 'test' },
    { idleMs: app.config.sessionIdleMs, absoluteMs: app.config.sessionAbsoluteMs }, app.ctx.now());
  const b = new Browser(app.url);
  await b.get('/login');
  b.jar.set('bp_session', token);
  return b;
}

/** An anonymous browser that holds a CSRF cookie (so a refused POST is refused for authorisation, not CSRF). */
export async function anonymous(app: TestApp): Promise<Browser> {
  const b = new Browser(app.url);
  await b.get('/login');
  return b;
}

/** The signed CSRF token for this browser's cookie, as a JSON client sends it in x-csrf-token. */
export function csrfOf(app: TestApp, b: Browser): string {
  return csrfTokenFor(app.config.secretKey, b.jar.get('bp_csrf')!);
}

/** A JSON API call (Accept: application/json) with the CSRF header on POST. */
export async function api(app: TestApp, b: Browser, method: 'GET' | 'POST', path: string, body?: Record<string, unknown>): Promise<Res & { json: () => any }> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (method === 'POST') Object.assign(headers, { 'content-type': 'application/json', 'x-csrf-token': csrfOf(app, b) });
  const res = await b.request(method, path, method === 'POST' ? JSON.stringify(body ?? {}) : undefined, headers);
  return { ...res, json: () => JSON.parse(res.body) };
}

/** Every route Fastify registered, read from its route tree (printRoutes), HEAD twins left out. */
export function registeredRoutes(app: FastifyInstance): { method: string; url: string }[] {
  const out: { method: string; url: string }[] = [];
  const stack: string[] = [];
  for (const line of app.printRoutes({ commonPrefix: false }).split('\n')) {
    const m = /^(.*?)[├└]── (.*?)(?: \(([A-Z, ]+)\))?$/.exec(line);
    if (!m) continue;
    stack.length = m[1]!.length / 4;
    stack.push(m[2]!);
    for (const method of (m[3] ?? '').split(', ').filter((x) => x && x !== 'HEAD')) out.push({ method, url: stack.join('') });
  }
  return out;
}
