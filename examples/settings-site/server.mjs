#!/usr/bin/env node
// Example «Web設定変更サイト» (Web settings site) of one service: an OpenID Connect relying party of
// bizportal. Plain node:http, no framework, no build. See README.md beside this file.
//
// It is an example: the pending sign-ins and the sessions live in memory maps of this one process
// (they are lost on restart and not shared between processes). A real site keeps them in its own
// session store.
import { createServer } from 'node:http';
import { randomBytes } from 'node:crypto';
import * as client from 'openid-client';
import { createRemoteJWKSet, jwtVerify } from 'jose';

// ---------------------------------------------------------------------------------------------
// Configuration (environment, with the defaults the README documents)
// ---------------------------------------------------------------------------------------------

function fail(message) {
  console.error(`settings-site: ${message}`);
  process.exit(1);
}

const env = process.env;
const PORT = Number(env.PORT || 4000);
if (!Number.isInteger(PORT) || PORT < 1 || PORT > 65535) fail(`PORT must be a port number, not "${env.PORT}"`);
const ISSUER = (env.ISSUER || 'http://localhost:3000').replace(/\/+$/, '');
const CLIENT_ID = env.CLIENT_ID || 'settings-demo';
const CLIENT_SECRET = env.CLIENT_SECRET || '';
const BASE_URL = (env.BASE_URL || `http://localhost:${PORT}`).replace(/\/+$/, '');
const SITE_NAME = env.SITE_NAME || 'Smart PBX settings';
const ACR_VALUES = (env.ACR_VALUES || '').trim();

if (!CLIENT_SECRET) {
  fail('CLIENT_SECRET is required: the client secret bizportal printed once by ' +
    '"bizportal oidc client add --id ' + CLIENT_ID + ' …" (see examples/settings-site/README.md)');
}
let issuerUrl, baseUrl;
try { issuerUrl = new URL(ISSUER); } catch { fail(`ISSUER is not a URL: "${ISSUER}"`); }
try { baseUrl = new URL(BASE_URL); } catch { fail(`BASE_URL is not a URL: "${BASE_URL}"`); }
if (baseUrl.pathname !== '/' || baseUrl.search || baseUrl.hash) fail(`BASE_URL must be an origin such as https://settings.example.net, without a path: "${BASE_URL}"`);

const SECURE = baseUrl.protocol === 'https:'; // cookies get the Secure attribute on https
const REDIRECT_URI = `${BASE_URL}/callback`;
const POST_LOGOUT_REDIRECT_URI = `${BASE_URL}/`;
const SCOPE = 'openid profile email organisation contract';
const CONTRACT_NUMBER = /^N[0-9]{9}$/;
const LOGIN_TTL_MS = 10 * 60 * 1000; // a sign-in has to come back to /callback within 10 minutes
const SESSION_TTL_MS = 8 * 60 * 60 * 1000; // a local session lasts 8 hours at most
const BACKCHANNEL_LOGOUT_EVENT = 'http://schemas.openid.net/event/backchannel-logout';
const LOGIN_COOKIE = 'settings_login';
const SESSION_COOKIE = 'settings_session';
const MAX_PENDING_LOGINS = 10000; // a flood of /login requests cannot grow the memory map without end

// ---------------------------------------------------------------------------------------------
// Discovery: lazily on first use; a failure is forgotten so the next request tries again (the
// portal may start after this site).
// ---------------------------------------------------------------------------------------------

let discovered = null; // Promise<{ config, jwks, algorithms }>
let discoveredAt = 0;

// When the portal's answers stop matching what discovery said (its signing algorithm or keys
// changed), read discovery again on the next request — at most every 10 seconds.
function forgetDiscovery(why) {
  if (discovered && Date.now() - discoveredAt > 10 * 1000) {
    discovered = null;
    log(`discovery will be read again: ${why}`);
  }
}

function provider() {
  if (!discovered) {
    discovered = (async () => {
      const config = await client.discovery(issuerUrl, CLIENT_ID, { client_secret: CLIENT_SECRET },
        client.ClientSecretBasic(CLIENT_SECRET),
        // http is for development only (the portal's PUBLIC_URL is http://localhost:3000 there).
        issuerUrl.protocol === 'http:' ? { execute: [client.allowInsecureRequests] } : undefined);
      const meta = config.serverMetadata();
      if (!meta.jwks_uri) throw new Error('the provider has no jwks_uri');
      const jwks = createRemoteJWKSet(new URL(meta.jwks_uri));
      // Logout tokens are signed like ID tokens: accept the asymmetric algorithms the portal lists.
      const asymmetric = (meta.id_token_signing_alg_values_supported ?? []).filter((alg) => alg !== 'none' && !alg.startsWith('HS'));
      const algorithms = asymmetric.length ? asymmetric : ['RS256'];
      discoveredAt = Date.now();
      log(`discovery ok issuer=${meta.issuer}`);
      return { config, jwks, algorithms };
    })();
    discovered.catch((err) => {
      logError(`discovery failed issuer=${ISSUER}: ${err.message}${err.cause?.code ? ` (${err.cause.code})` : ''}`);
      discovered = null;
    });
  }
  return discovered;
}

// ---------------------------------------------------------------------------------------------
// State in memory (example only)
// ---------------------------------------------------------------------------------------------

/** state → { browser, codeVerifier, nonce, contract, target, expires } */
const pendingLogins = new Map();
/** session id → { csrf, claims, idToken, sid, sub, expires } */
const sessions = new Map();
/** state of an RP-initiated logout → expires (to say "signed out" when the browser comes back) */
const pendingLogouts = new Map();

function sweep() {
  const now = Date.now();
  for (const map of [pendingLogins, sessions]) {
    for (const [key, value] of map) if (value.expires <= now) map.delete(key);
  }
  for (const [key, expires] of pendingLogouts) if (expires <= now) pendingLogouts.delete(key);
}
setInterval(sweep, 60 * 1000).unref();

const randomId = () => randomBytes(32).toString('base64url');
const RANDOM_ID = /^[A-Za-z0-9_-]{43}$/;
const stamp = () => new Date().toISOString();
// One line per event: values that came from a request or a token cannot break the line.
const oneLine = (line) => `${stamp()} ${line.replace(/[\u0000-\u001f\u007f\u2028\u2029]/g, '?')}`;
const log = (line) => console.log(oneLine(line));
const logError = (line) => console.error(oneLine(line));

function currentSession(req) {
  const id = cookies(req)[SESSION_COOKIE];
  if (!id) return null;
  const session = sessions.get(id);
  if (!session) return null;
  if (session.expires <= Date.now()) { sessions.delete(id); return null; }
  return { id, ...session };
}

// ---------------------------------------------------------------------------------------------
// HTTP helpers
// ---------------------------------------------------------------------------------------------

function cookies(req) {
  const out = {};
  for (const part of (req.headers.cookie || '').split(';')) {
    const i = part.indexOf('=');
    if (i < 0) continue;
    const name = part.slice(0, i).trim();
    if (name && !(name in out)) out[name] = part.slice(i + 1).trim();
  }
  return out;
}

function cookie(name, value, maxAgeSeconds, path = '/') {
  return `${name}=${value}; Path=${path}; Max-Age=${maxAgeSeconds}; HttpOnly; SameSite=Lax${SECURE ? '; Secure' : ''}`;
}

const esc = (value) => String(value ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);

function securityHeaders(res) {
  res.setHeader('Content-Security-Policy',
    // the sign-out form posts here and is redirected on to the portal's end_session endpoint
    `default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self' ${issuerUrl.origin}; frame-ancestors 'none'; base-uri 'none'`);
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Referrer-Policy', 'no-referrer');
  res.setHeader('Cache-Control', 'no-store');
}

function send(res, status, type, body, headers = {}) {
  securityHeaders(res);
  res.writeHead(status, { 'Content-Type': type, 'Content-Length': Buffer.byteLength(body), ...headers });
  res.end(body);
}

function redirect(res, location, headers = {}) {
  securityHeaders(res);
  res.writeHead(303, { Location: location, 'Content-Length': 0, ...headers });
  res.end();
}

function json(res, status, value) {
  send(res, status, 'application/json; charset=utf-8', JSON.stringify(value));
}

async function readBody(req, limit = 64 * 1024) {
  const chunks = [];
  let size = 0;
  for await (const chunk of req) {
    size += chunk.length;
    if (size > limit) throw Object.assign(new Error('request body too large'), { status: 413 });
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

// ---------------------------------------------------------------------------------------------
// Pages: Japanese or English by Accept-Language
// ---------------------------------------------------------------------------------------------

function language(req) {
  let best = { lang: 'en', q: 0 };
  for (const part of (req.headers['accept-language'] || '').split(',')) {
    const [tag, ...params] = part.trim().toLowerCase().split(';');
    const qParam = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    const q = qParam ? Number(qParam.slice(2)) : 1;
    const lang = tag === 'ja' || tag.startsWith('ja-') ? 'ja' : tag === 'en' || tag.startsWith('en-') ? 'en' : null;
    if (lang && q > best.q) best = { lang, q };
  }
  return best.lang;
}

const TEXT = {
  ja: {
    title: 'Web設定変更サイト',
    settingsOf: (n) => `契約 ${n} の設定`,
    service: 'サービス', name: 'お名前', email: 'メールアドレス', verified: '確認済み', unverified: '未確認',
    organisation: '組織', acr: '認証レベル (acr)', amr: '認証方式 (amr)', signOut: 'サインアウト',
    notSignedIn: 'このサイトはビジネスポータルから開いてください。',
    notSignedInMore: 'ビジネスポータルの契約の画面で「設定を変更する」を押すと、その契約の設定が開きます。',
    signedOut: 'サインアウトしました。',
    refused: 'このリクエストはお受けできません', error: 'サインインできませんでした',
    unavailable: 'ビジネスポータルにつながりません。しばらくしてからもう一度お試しください。',
    again: 'ビジネスポータルからもう一度開いてください。', notFound: 'ページが見つかりません',
    stepUp: 'このサイトを開くには、2段階認証でのサインインが必要です。',
  },
  en: {
    title: 'Web settings site',
    settingsOf: (n) => `Settings of contract ${n}`,
    service: 'Service', name: 'Name', email: 'E-mail', verified: 'verified', unverified: 'not verified',
    organisation: 'Organisation', acr: 'Authentication level (acr)', amr: 'Authentication methods (amr)', signOut: 'Sign out',
    notSignedIn: 'Please open this site from the business portal.',
    notSignedInMore: 'On a contract in the business portal, press «Change settings» to open the settings of that contract.',
    signedOut: 'You have signed out.',
    refused: 'This request cannot be accepted', error: 'Could not sign you in',
    unavailable: 'The business portal cannot be reached. Please try again in a moment.',
    again: 'Please open this site from the business portal again.', notFound: 'Page not found',
    stepUp: 'This site needs a sign-in with both steps of the 2-step sign-in.',
  },
};

function page(lang, heading, body) {
  const t = TEXT[lang];
  return `<!doctype html>
<html lang="${lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(heading)} – ${esc(SITE_NAME)}</title>
<link rel="stylesheet" href="/style.css">
</head>
<body>
<header><p class="site">${esc(SITE_NAME)} <span>${esc(t.title)}</span></p></header>
<main>
<h1>${esc(heading)}</h1>
${body}
</main>
</body>
</html>
`;
}

function messagePage(res, req, status, heading, lines) {
  const lang = language(req);
  const body = lines.filter(Boolean).map((line) => `<p>${esc(line)}</p>`).join('\n');
  send(res, status, 'text/html; charset=utf-8', page(lang, heading, body), { 'Content-Language': lang, Vary: 'Accept-Language, Cookie' });
}

const STYLE = `*{box-sizing:border-box}
body{margin:0;font-family:system-ui,-apple-system,"Hiragino Sans","Noto Sans JP",sans-serif;line-height:1.6;color:#1b1f24;background:#f5f6f8}
header{background:#0b3d91;color:#fff;padding:.75rem 1rem}
header .site{margin:0;font-weight:600}
header .site span{font-weight:400;opacity:.85;margin-left:.5rem}
main{max-width:40rem;margin:1.5rem auto;padding:1.25rem;background:#fff;border:1px solid #d5d9e0;border-radius:6px}
h1{font-size:1.4rem;margin:0 0 1rem}
dl{display:grid;grid-template-columns:max-content 1fr;gap:.4rem 1rem;margin:0 0 1.5rem}
dt{font-weight:600}
dd{margin:0;overflow-wrap:anywhere}
code{font-family:ui-monospace,monospace}
button{font:inherit;padding:.5rem 1.25rem;border:1px solid #0b3d91;border-radius:4px;background:#0b3d91;color:#fff;cursor:pointer}
button:focus-visible{outline:3px solid #f4b400;outline-offset:2px}
.notice{padding:.5rem .75rem;background:#e8f3ea;border:1px solid #9cc9a5;border-radius:4px}
`;

// ---------------------------------------------------------------------------------------------
// Routes
// ---------------------------------------------------------------------------------------------

// GET /login?iss=&target_link_uri=&contract= — the initiate_login_uri (OIDC Core §4)
async function login(req, res, url) {
  const t = TEXT[language(req)];
  const iss = url.searchParams.get('iss');
  const contract = url.searchParams.get('contract') || '';
  if (iss !== ISSUER) {
    return messagePage(res, req, 400, t.refused, [`iss: ${iss ?? '-'}`, t.again]);
  }
  if (!CONTRACT_NUMBER.test(contract)) {
    return messagePage(res, req, 400, t.refused, [`contract: ${contract || '-'}`, t.again]);
  }
  // target_link_uri is only followed when it is on this site (never an open redirect).
  let target = '/';
  const link = url.searchParams.get('target_link_uri');
  if (link) {
    try {
      const u = new URL(link);
      if (u.origin === baseUrl.origin) target = u.pathname;
    } catch { /* not a URL: ignored */ }
  }

  let config;
  try { ({ config } = await provider()); } catch { return messagePage(res, req, 503, t.error, [t.unavailable]); }

  if (pendingLogins.size >= MAX_PENDING_LOGINS) sweep();
  if (pendingLogins.size >= MAX_PENDING_LOGINS) return messagePage(res, req, 503, t.error, [t.unavailable]);
  const codeVerifier = client.randomPKCECodeVerifier();
  const state = client.randomState();
  const nonce = client.randomNonce();
  const known = cookies(req)[LOGIN_COOKIE];
  const browser = known && RANDOM_ID.test(known) ? known : randomId();
  pendingLogins.set(state, { browser, codeVerifier, nonce, contract, target, expires: Date.now() + LOGIN_TTL_MS });

  const wanted = { essential: true, value: contract };
  const parameters = {
    redirect_uri: REDIRECT_URI,
    response_type: 'code',
    scope: SCOPE,
    state,
    nonce,
    code_challenge: await client.calculatePKCECodeChallenge(codeVerifier),
    code_challenge_method: 'S256',
    claims: JSON.stringify({ id_token: { contract: wanted }, userinfo: { contract: wanted } }),
  };
  if (ACR_VALUES) parameters.acr_values = ACR_VALUES;
  redirect(res, client.buildAuthorizationUrl(config, parameters).href, {
    'Set-Cookie': cookie(LOGIN_COOKIE, browser, LOGIN_TTL_MS / 1000, '/callback'),
  });
}

// GET /callback — the redirect_uri
async function callback(req, res, url) {
  const t = TEXT[language(req)];
  const state = url.searchParams.get('state') || '';
  const pending = pendingLogins.get(state);
  const ours = pending && pending.browser === cookies(req)[LOGIN_COOKIE] && pending.expires > Date.now();
  if (pending && ours) pendingLogins.delete(state); // one use only
  if (!ours) {
    // An unknown, expired or other browser's state: nothing from the query is shown.
    return messagePage(res, req, 400, t.error, [t.again]);
  }
  if (url.searchParams.has('error')) {
    const error = url.searchParams.get('error');
    const description = url.searchParams.get('error_description');
    log(`sign-in refused by the provider error=${error} contract=${pending.contract}`);
    return messagePage(res, req, 400, t.error, [`${error}${description ? `: ${description}` : ''}`, t.again]);
  }

  let config;
  try { ({ config } = await provider()); } catch { return messagePage(res, req, 503, t.error, [t.unavailable]); }

  let tokens;
  try {
    tokens = await client.authorizationCodeGrant(config, new URL(`${REDIRECT_URI}${url.search}`), {
      pkceCodeVerifier: pending.codeVerifier,
      expectedState: state,
      expectedNonce: pending.nonce,
    });
  } catch (err) {
    // An OAuth error from the portal (invalid_grant, …) or a response this site could not accept.
    const detail = err.error ? `${err.error}${err.error_description ? `: ${err.error_description}` : ''}`
      : `${err.message}${typeof err.cause?.message === 'string' ? ` (${err.cause.message})` : ''}`;
    logError(`sign-in failed contract=${pending.contract}: ${detail}`);
    if (!err.error) forgetDiscovery(detail);
    return messagePage(res, req, 400, t.error, [detail, t.again]);
  }

  const idClaims = tokens.claims();
  // The profile claims may come only in the UserInfo response (depending on the provider's
  // settings); the ID token's own claims win where both have one.
  let userinfo = {};
  if (tokens.access_token) {
    try {
      userinfo = await client.fetchUserInfo(config, tokens.access_token, idClaims.sub);
    } catch (err) {
      logError(`userinfo failed sub=${idClaims.sub}: ${err.message}`);
    }
  }
  const claims = { ...userinfo, ...idClaims };

  // The portal confirms the contract the user may view; take only the one this sign-in asked for.
  if (claims.contract?.number !== pending.contract) {
    log(`sign-in refused contract=${pending.contract} got=${claims.contract?.number ?? '-'} sub=${claims.sub}`);
    return messagePage(res, req, 403, t.error, [`contract: ${pending.contract}`, t.again]);
  }
  if (ACR_VALUES && !ACR_VALUES.split(/\s+/).includes(claims.acr)) {
    log(`sign-in refused acr=${claims.acr ?? '-'} wanted=${ACR_VALUES} sub=${claims.sub}`);
    return messagePage(res, req, 403, t.error, [t.stepUp, `acr: ${claims.acr ?? '-'} (${ACR_VALUES})`, t.again]);
  }

  const old = cookies(req)[SESSION_COOKIE];
  if (old) sessions.delete(old);
  const id = randomId();
  sessions.set(id, {
    csrf: randomId(),
    claims,
    idToken: tokens.id_token,
    sid: idClaims.sid,
    sub: idClaims.sub,
    expires: Date.now() + SESSION_TTL_MS,
  });
  log(`sign-in sub=${claims.sub} sid=${idClaims.sid ?? '-'} contract=${pending.contract} acr=${claims.acr ?? '-'} amr=${Array.isArray(claims.amr) && claims.amr.length ? claims.amr.join(',') : '-'}`);
  redirect(res, `${BASE_URL}${pending.target}`, {
    'Set-Cookie': [
      cookie(SESSION_COOKIE, id, SESSION_TTL_MS / 1000),
      cookie(LOGIN_COOKIE, '', 0, '/callback'),
    ],
  });
}

// GET / — the contract's settings when signed in, otherwise where to come from
function home(req, res, url) {
  const lang = language(req);
  const t = TEXT[lang];
  const headers = { 'Content-Language': lang, Vary: 'Accept-Language, Cookie' };
  const session = currentSession(req);
  if (!session) {
    const state = url.searchParams.get('state');
    const signedOut = state && pendingLogouts.delete(state);
    const body = `${signedOut ? `<p class="notice" role="status">${esc(t.signedOut)}</p>\n` : ''}<p>${esc(t.notSignedIn)}</p>\n<p>${esc(t.notSignedInMore)}</p>`;
    return send(res, 200, 'text/html; charset=utf-8', page(lang, t.title, body), headers);
  }
  const c = session.claims;
  const email = c.email ? `${c.email}${c.email_verified === true ? ` (${t.verified})` : c.email_verified === false ? ` (${t.unverified})` : ''}` : '-';
  const organisation = c.organisation ? `${c.organisation.name ?? ''}${c.organisation.id ? ` (${c.organisation.id})` : ''}` : '-';
  const rows = [
    [t.service, c.contract.service],
    [t.name, c.name],
    [t.email, email],
    [t.organisation, organisation],
    [t.acr, c.acr],
    [t.amr, Array.isArray(c.amr) ? c.amr.join(', ') : c.amr],
  ];
  const body = `<dl>
${rows.map(([k, v]) => `<dt>${esc(k)}</dt><dd>${esc(v === undefined || v === null || v === '' ? '-' : v)}</dd>`).join('\n')}
</dl>
<form method="post" action="/logout">
<input type="hidden" name="csrf" value="${esc(session.csrf)}">
<button type="submit">${esc(t.signOut)}</button>
</form>`;
  send(res, 200, 'text/html; charset=utf-8', page(lang, t.settingsOf(c.contract.number), body), headers);
}

// POST /logout — drop the local session, then sign out at the portal (RP-initiated logout)
async function logout(req, res) {
  const session = currentSession(req);
  const form = new URLSearchParams(await readBody(req));
  const clear = { 'Set-Cookie': cookie(SESSION_COOKIE, '', 0) };
  if (!session) return redirect(res, `${BASE_URL}/`, clear);
  if (form.get('csrf') !== session.csrf) {
    const t = TEXT[language(req)];
    return messagePage(res, req, 400, t.refused, [t.again]);
  }
  sessions.delete(session.id);
  log(`sign-out sub=${session.sub} sid=${session.sid ?? '-'}`);
  let config;
  try { ({ config } = await provider()); } catch { return redirect(res, `${BASE_URL}/`, clear); }
  const state = client.randomState();
  pendingLogouts.set(state, Date.now() + LOGIN_TTL_MS);
  const parameters = { post_logout_redirect_uri: POST_LOGOUT_REDIRECT_URI, state };
  if (session.idToken) parameters.id_token_hint = session.idToken;
  redirect(res, client.buildEndSessionUrl(config, parameters).href, clear);
}

// POST /backchannel-logout — OpenID Connect Back-Channel Logout 1.0
async function backchannelLogout(req, res) {
  const refuse = (description) => {
    log(`back-channel logout refused: ${description}`);
    json(res, 400, { error: 'invalid_request', error_description: description });
  };
  const type = (req.headers['content-type'] || '').split(';')[0].trim().toLowerCase();
  if (type !== 'application/x-www-form-urlencoded') return refuse('expected application/x-www-form-urlencoded');
  const logoutToken = new URLSearchParams(await readBody(req)).get('logout_token');
  if (!logoutToken) return refuse('logout_token is missing');

  let jwks, config, algorithms;
  try { ({ jwks, config, algorithms } = await provider()); } catch { return json(res, 503, { error: 'temporarily_unavailable' }); }
  let payload, protectedHeader;
  try {
    ({ payload, protectedHeader } = await jwtVerify(logoutToken, jwks, {
      issuer: config.serverMetadata().issuer,
      audience: CLIENT_ID,
      algorithms,
      requiredClaims: ['iat'],
      clockTolerance: 30,
    }));
  } catch (err) {
    if (err.code === 'ERR_JOSE_ALG_NOT_ALLOWED' || err.code === 'ERR_JWKS_NO_MATCHING_KEY') forgetDiscovery(err.message);
    return refuse(`logout_token: ${err.message}`);
  }
  if (protectedHeader.typ !== undefined && protectedHeader.typ.toLowerCase() !== 'logout+jwt') return refuse('logout_token: typ is not logout+jwt');
  const events = payload.events;
  if (!events || typeof events !== 'object' || typeof events[BACKCHANNEL_LOGOUT_EVENT] !== 'object' || events[BACKCHANNEL_LOGOUT_EVENT] === null) {
    return refuse('logout_token: events has no back-channel logout event');
  }
  if (payload.nonce !== undefined) return refuse('logout_token: a nonce is not allowed');
  const sid = typeof payload.sid === 'string' ? payload.sid : undefined;
  const sub = typeof payload.sub === 'string' ? payload.sub : undefined;
  if (!sid && !sub) return refuse('logout_token: neither sid nor sub');

  let ended = 0;
  for (const [id, session] of sessions) {
    if ((sid === undefined || session.sid === sid) && (sub === undefined || session.sub === sub)) {
      sessions.delete(id);
      ended += 1;
    }
  }
  log(`back-channel logout sub=${sub ?? '-'} sid=${sid ?? '-'} sessions ended=${ended}`);
  send(res, 200, 'text/plain; charset=utf-8', '');
}

// ---------------------------------------------------------------------------------------------
// Server
// ---------------------------------------------------------------------------------------------

const routes = {
  'GET /': home,
  'GET /login': login,
  'GET /callback': callback,
  'POST /logout': logout,
  'POST /backchannel-logout': backchannelLogout,
  'GET /style.css': (req, res) => {
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.writeHead(200, { 'Content-Type': 'text/css; charset=utf-8', 'Content-Length': Buffer.byteLength(STYLE), 'Cache-Control': 'public, max-age=3600' });
    res.end(STYLE);
  },
  'GET /healthz': (req, res) => send(res, 200, 'text/plain; charset=utf-8', 'ok'),
};

const server = createServer(async (req, res) => {
  let url;
  try { url = new URL(req.url, BASE_URL); } catch { url = new URL('/', BASE_URL); }
  const handler = routes[`${req.method} ${url.pathname}`];
  try {
    if (handler) return await handler(req, res, url);
    const known = Object.keys(routes).some((key) => key.endsWith(` ${url.pathname}`));
    if (known) return send(res, 405, 'text/plain; charset=utf-8', 'method not allowed');
    const t = TEXT[language(req)];
    messagePage(res, req, 404, t.notFound, [t.again]);
  } catch (err) {
    console.error(`${stamp()} ${req.method} ${url.pathname} failed:`, err);
    if (!res.headersSent) send(res, err.status || 500, 'text/plain; charset=utf-8', err.status ? err.message : 'internal error');
    else res.destroy();
  }
});

server.listen(PORT, () => {
  log(`settings-site "${SITE_NAME}" listening on ${BASE_URL} (port ${PORT}), issuer ${ISSUER}, client ${CLIENT_ID}`);
});

// On SIGINT/SIGTERM: stop accepting, let requests in flight finish (3 s at most), then exit. Idle
// keep-alive connections would otherwise hold the process open.
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    server.close(() => process.exit(0));
    server.closeIdleConnections();
    setTimeout(() => process.exit(0), 3000).unref();
  });
}
