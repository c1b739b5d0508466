// Checks of the web security bar (SECURITY.md items 26, 29, 33) on what Chromium received and
// stored: document headers, Set-Cookie lines and the cookie jar, framing by another origin, and a
// Chromium with its back/forward cache on. Used by security.browser.test.ts.
import type { TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser, type BrowserContext, type Page, type Response } from 'playwright-core';
import type { TestApp } from '../helpers/app.ts';
import type { GivenUser } from '../helpers/scenario.ts';
import { CHROMIUM_PATH, chromiumMissing } from '../helpers/browser.ts';

// ---- what the browser received -------------------------------------------------------------

export interface Doc { url: string; status: number; headers: Record<string, string>; h1: string | null }
export interface SetCookie { url: string; line: string }

/** Records every main-frame document (headers and h1) and every Set-Cookie line the page receives. */
export function recordResponses(page: Page) {
  const pending: Promise<void>[] = [];
  const docs: Doc[] = [];
  const setCookies: SetCookie[] = [];
  page.on('response', (res: Response) => {
    pending.push((async () => {
      for (const line of await res.headerValues('set-cookie')) setCookies.push({ url: res.url(), line });
      if (res.request().resourceType() !== 'document' || res.frame() !== page.mainFrame()) return;
      const headers = await res.allHeaders();
      const status = res.status();
      let h1: string | null = null;
      if (status < 300 || status >= 400) {
        const body = await res.text().catch(() => '');
        const m = /<h1[^>]*>([\s\S]*?)<\/h1>/.exec(body);
        h1 = m ? m[1]!.replace(/<[^>]+>/g, '').trim() : null;
      }
      docs.push({ url: res.url(), status, headers, h1 });
    })());
  });
  return {
    async docs() { await Promise.all(pending); return docs; },
    async setCookies() { await Promise.all(pending); return setCookies; },
  };
}

function cspDirectives(csp: string): Map<string, string[]> {
  return new Map(csp.split(';').map((d) => d.trim().split(/\s+/)).filter((p) => p[0]).map(([name, ...values]) => [name!.toLowerCase(), values]));
}

/** Items 26 and 33 on one rendered document. */
export function assertDocumentHeaders(d: Doc): void {
  const where = `«${d.h1 ?? '(no h1)'}» ${d.status} ${d.url}`;
  const csp = d.headers['content-security-policy'];
  assert.ok(csp, `CSP header on ${where}`);
  assert.doesNotMatch(csp, /'unsafe-inline'|'unsafe-eval'|'unsafe-hashes'/, `CSP without unsafe-* on ${where}`);
  const dir = cspDirectives(csp);
  assert.deepEqual(dir.get('frame-ancestors'), ["'none'"], `frame-ancestors 'none' on ${where}`);
  assert.deepEqual(dir.get('object-src'), ["'none'"], `object-src 'none' on ${where}`);
  assert.deepEqual(dir.get('base-uri'), ["'none'"], `base-uri 'none' on ${where}`);
  for (const name of ['default-src', 'script-src', 'style-src']) {
    const values = dir.get(name) ?? dir.get('default-src') ?? [];
    assert.ok(values.length > 0 && values.every((v) => v === "'self'" || v === "'none'"), `${name} is 'self'/'none' only on ${where}: ${values.join(' ')}`);
  }
  assert.equal(d.headers['x-frame-options']?.toUpperCase(), 'DENY', `X-Frame-Options on ${where}`);
  assert.match(d.headers['cache-control'] ?? '', /(^|[\s,])no-store($|[\s,])/, `Cache-Control: no-store on ${where}`);
  assert.equal(d.headers['x-content-type-options'], 'nosniff', `nosniff on ${where}`);
  assert.equal(d.headers['referrer-policy'], 'no-referrer', `Referrer-Policy on ${where}`);
  assert.match(d.headers['strict-transport-security'] ?? '', /max-age=[1-9]\d*/, `HSTS on ${where}`);
}

// ---- cookies -------------------------------------------------------------------------------

/** What identifies the person: none of it may appear in a cookie's name or value, in any common encoding. */
export function personalData(...people: GivenUser[]): string[] {
  return people.flatMap((u) => [u.loginId, u.email, u.email.split('@')[0]!, u.name, ...u.name.split(/\s+/), u.phone]).filter((s) => s.length >= 2);
}

function personalIn(text: string, personal: string[]): string | undefined {
  const views = [text];
  try { views.push(decodeURIComponent(text)); } catch { /* not URI-encoded */ }
  for (const part of text.split(/[.:|~]/)) views.push(Buffer.from(part, 'base64url').toString('utf8'), Buffer.from(part, 'hex').toString('utf8'));
  return personal.find((p) => views.some((v) => v.toLowerCase().includes(p.toLowerCase())));
}

/** Item 29 on the browser's cookie jar: what Chromium actually stored for the portal. */
export async function assertCookieJar(context: BrowserContext, appUrl: string, personal: string[], secure: boolean, where: string): Promise<string[]> {
  const cookies = await context.cookies(appUrl);
  for (const c of cookies) {
    const id = `cookie ${c.name} (${where})`;
    assert.equal(c.httpOnly, true, `${id} is HttpOnly`);
    assert.ok(c.sameSite === 'Lax' || c.sameSite === 'Strict', `${id} is SameSite=Lax/Strict, not ${c.sameSite}`);
    assert.equal(c.path, '/', `${id} has Path=/`);
    assert.equal(personalIn(`${c.name}=${c.value}`, personal), undefined, `${id} holds no personal data`);
    if (secure) {
      assert.equal(c.secure, true, `${id} is Secure`);
      assert.ok(c.name.startsWith('__Host-'), `${id} has the __Host- prefix`);
    }
  }
  return cookies.map((c) => c.name);
}

/** Item 29 on the Set-Cookie headers as sent (the attributes, and no Domain, which __Host- forbids). */
export function assertSetCookieLine(s: SetCookie, personal: string[], secure: boolean): void {
  const [pair, ...attrs] = s.line.split(';').map((p) => p.trim());
  const name = pair!.slice(0, pair!.indexOf('='));
  const has = (re: RegExp) => attrs.some((x) => re.test(x));
  const id = `Set-Cookie ${name} from ${s.url}`;
  assert.ok(has(/^httponly$/i), `${id}: HttpOnly`);
  assert.ok(has(/^samesite=(lax|strict)$/i), `${id}: SameSite=Lax/Strict`);
  assert.ok(has(/^path=\/$/i), `${id}: Path=/`);
  assert.ok(!has(/^domain=/i), `${id}: no Domain`);
  assert.equal(personalIn(pair!, personal), undefined, `${id}: no personal data`);
  if (secure) {
    assert.ok(has(/^secure$/i), `${id}: Secure`);
    assert.ok(name.startsWith('__Host-'), `${id}: __Host- prefix`);
  }
}

// ---- another origin: a page that frames the portal, and bfcache probes ------------------------

/** A tiny site on another port (another origin, still 127.0.0.1): frames the portal, or links a→b. */
export async function startOtherOrigin(t: TestContext, appUrl: string): Promise<string> {
  const pages: Record<string, string> = {
    '/frames': `<!doctype html><html lang="en"><head><title>framer</title></head><body>
      <iframe id="control" title="control" src="/inner"></iframe>
      <iframe id="login" title="login" src="${appUrl}/login"></iframe>
      <iframe id="profile" title="profile" src="${appUrl}/profile"></iframe></body></html>`,
    '/inner': '<!doctype html><html lang="en"><head><title>inner</title></head><body><h1>inner</h1><form><label>x <input name="x"></label></form></body></html>',
    // pageshow.persisted says whether the page came back from the back/forward cache.
    '/a': `<!doctype html><html lang="en"><head><title>a</title><script>addEventListener('pageshow', (e) => { document.title = e.persisted ? 'restored' : 'loaded'; });</script></head>
      <body><a href="/b">b</a></body></html>`,
    '/b': '<!doctype html><html lang="en"><head><title>b</title></head><body>b</body></html>',
  };
  const server = createServer((req, res) => {
    const body = pages[req.url ?? ''];
    res.writeHead(body ? 200 : 404, { 'content-type': 'text/html; charset=utf-8' }).end(body ?? 'not found');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/**
 * Another origin frames /login and /profile in the same browser (the session cookie goes along:
 * 127.0.0.1 on another port is same-site). The portal answers, Chromium refuses to render it.
 */
export async function assertNotFramable(context: BrowserContext, app: TestApp, t: TestContext, secrets: string[]): Promise<void> {
  const other = await startOtherOrigin(t, app.url);
  const page = await context.newPage();
  const consoleLines: string[] = [];
  const portalAnswers = new Map<string, number>();
  page.on('console', (m) => consoleLines.push(m.text()));
  page.on('response', (r) => { if (r.url().startsWith(app.url) && r.request().resourceType() === 'document') portalAnswers.set(new URL(r.url()).pathname, r.status()); });
  await page.goto(`${other}/frames`);

  // The control: a framable page is visible to this method, so an empty frame below means blocked.
  const control = await (await page.$('iframe#control'))!.contentFrame();
  assert.equal(await control!.locator('h1').textContent(), 'inner', 'the control frame renders');

  assert.equal(portalAnswers.get('/profile'), 200, 'the portal answered the framed /profile with the page (the session went along)');
  for (const id of ['login', 'profile']) {
    const frame = await (await page.$(`iframe#${id}`))!.contentFrame();
    assert.ok(frame, `iframe#${id} has a frame`);
    // Chromium puts its own error page in the frame instead of the portal's document.
    const html = await frame.content();
    assert.match(html, /ERR_BLOCKED_BY_RESPONSE/, `the ${id} frame shows Chromium's "blocked" page (${frame.url()})`);
    assert.equal(await frame.locator('form, input, #f-loginId, header .who').count(), 0, `the ${id} frame has no form or fields`);
    for (const s of secrets) assert.ok(!html.includes(s), `the ${id} frame shows no private data`);
  }
  const refusals = consoleLines.filter((l) => /frame-ancestors 'none'/.test(l));
  assert.equal(refusals.length, 2, `Chromium names frame-ancestors as the reason for both refusals: ${consoleLines.join(' | ')}`);
  await page.close();
}

/** Playwright launches Chromium without the back/forward cache; a person's Chromium has it. */
export async function launchWithBfcache(t: TestContext): Promise<Browser | null> {
  const missing = chromiumMissing();
  if (missing) { t.skip(missing); return null; }
  const browser = await chromium.launch({
    executablePath: CHROMIUM_PATH, ignoreDefaultArgs: ['--disable-back-forward-cache'],
    // The same switches as test/helpers/browser.ts launches with.
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  t.after(() => browser.close());
  return browser;
}
