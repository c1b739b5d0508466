#!/usr/bin/env node
// `npm run example:settings-site`: the portal and the example settings site side by side, signed in
// through bizportal's OpenID Connect provider (issue 18). One command, for trying it on a laptop.
//
// 1. Starts the portal as `npm start -- --demo` does (node scripts/start.mjs: the embedded SQLite
//    database in DATA_DIR, filled with the demo portal when it is empty).
// 2. Gives the demo service SERVICE (default smart-pbx, one with a Web settings site) the example
//    site as its settings site, and registers the site as its OpenID Connect client through the
//    CLI (node bin/bizportal.mjs oidc client add …) on the first run. The printed secret is kept in
//    DATA_DIR/settings-site-demo.json; later runs reuse it, or register again when the client is
//    gone (a new database), or rotate it when the file is lost.
// 3. Starts examples/settings-site/server.mjs with it on http://localhost:SITE_PORT (4000).
// 4. Prints both URLs; Ctrl-C (SIGINT or SIGTERM) stops both.
//
// Environment: DATA_DIR (default data/), PORT (the portal, 3000), PUBLIC_URL (default
// http://localhost:PORT), SITE_PORT (4000), SERVICE (smart-pbx). Anything else passes through to
// the portal (SMTP_URL, …).
import { spawn, execFile } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const env = process.env;
const DATA_DIR = resolve(ROOT, env.DATA_DIR || 'data');
const PORT = Number(env.PORT || 3000);
const PUBLIC_URL = (env.PUBLIC_URL || `http://localhost:${PORT}`).replace(/\/+$/, '');
const SITE_PORT = Number(env.SITE_PORT || 4000);
const SITE_URL = `http://localhost:${SITE_PORT}`;
const SERVICE = env.SERVICE || 'smart-pbx';
const CLIENT_ID = `${SERVICE}-settings-demo`;
const STATE_FILE = join(DATA_DIR, 'settings-site-demo.json');

const say = (line) => console.log(`[demo] ${line}`);
/** Thrown to leave the steps below once everything is being stopped. */
class Stopped extends Error {}
function abort(message) {
  console.error(`[demo] ${message}`);
  stopAll(1);
}
function fail(message) {
  abort(message);
  throw new Stopped(message);
}
const stillRunning = () => { if (stopping) throw new Stopped('stopping'); };

// ---- children ---------------------------------------------------------------------------------

const children = new Map(); // name → ChildProcess
let stopping = false;

function start(name, args, childEnv) {
  const child = spawn(process.execPath, args, { cwd: ROOT, env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
  const prefix = (stream, out) => {
    let rest = '';
    stream.setEncoding('utf8').on('data', (chunk) => {
      const lines = (rest + chunk).split('\n');
      rest = lines.pop();
      for (const line of lines) out.write(`[${name}] ${line}\n`);
    });
    stream.on('end', () => { if (rest) out.write(`[${name}] ${rest}\n`); });
  };
  prefix(child.stdout, process.stdout);
  prefix(child.stderr, process.stderr);
  child.on('exit', (code, signal) => {
    children.delete(name);
    if (!stopping) abort(`${name} stopped (${signal ?? `exit ${code}`}); stopping the rest`);
    else if (children.size === 0) process.exit(process.exitCode ?? 0);
  });
  children.set(name, child);
  return child;
}

function stopAll(code) {
  if (stopping) return;
  stopping = true;
  process.exitCode = code;
  if (children.size === 0) process.exit(code);
  for (const child of children.values()) child.kill('SIGTERM');
  // Whatever has not gone after 10 s is ended.
  setTimeout(() => {
    for (const child of children.values()) child.kill('SIGKILL');
    process.exit(code || 1);
  }, 10_000).unref();
}

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    if (!stopping) say(`${signal}: stopping the portal and the settings site`);
    stopAll(0);
  });
}

// ---- helpers ----------------------------------------------------------------------------------

function portFree(port) {
  return new Promise((resolvePort) => {
    const s = createServer();
    s.once('error', () => resolvePort(false));
    s.listen(port, () => s.close(() => resolvePort(true)));
  });
}

async function waitFor(url, what, seconds) {
  for (let i = 0; i < seconds * 5; i++) {
    stillRunning();
    const ok = await fetch(url, { signal: AbortSignal.timeout(2000) }).then((r) => r.ok, () => false);
    if (ok) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  fail(`${what} did not answer ${url} within ${seconds} s`);
}

const portalEnv = { ...env, DATA_DIR, PORT: String(PORT), PUBLIC_URL, SHUTDOWN_DELAY_MS: env.SHUTDOWN_DELAY_MS || '0' };

/** `bizportal …` (bin/bizportal.mjs) on the portal's database; resolves { ok, out }. */
function cli(...args) {
  return new Promise((resolveCli) => {
    execFile(process.execPath, [join(ROOT, 'bin', 'bizportal.mjs'), ...args], { cwd: ROOT, env: portalEnv }, (err, stdout, stderr) => {
      if (stopping) resolveCli({ ok: false, out: 'stopping' });
      else resolveCli({ ok: !err, out: `${stdout}${stderr}`.trim() });
    });
  });
}

function readState() {
  try { return JSON.parse(readFileSync(STATE_FILE, 'utf8')); } catch { return null; }
}

function secretIn(out) {
  const m = /^client_secret: (\S+)$/m.exec(out);
  if (!m) fail(`no client_secret in the CLI's answer:\n${out}`);
  return m[1];
}

// ---- the demo ---------------------------------------------------------------------------------

async function main() {
  for (const [port, what] of [[PORT, 'PORT (the portal)'], [SITE_PORT, 'SITE_PORT (the settings site)']]) {
    if (!Number.isInteger(port) || port < 1 || port > 65535) fail(`${what} must be a port number`);
    if (!(await portFree(port))) fail(`${what} ${port} is already in use: stop the other process or set ${what.split(' ')[0]}`);
  }
  mkdirSync(DATA_DIR, { recursive: true });

  say(`starting the portal (DATA_DIR ${DATA_DIR}) …`);
  start('portal', [join(ROOT, 'scripts', 'start.mjs'), '--demo'], portalEnv);
  await waitFor(`${PUBLIC_URL}/.well-known/openid-configuration`, 'the portal', 300);

  // The demo service's settings site is the example, and the example is its OpenID Connect client.
  const set = await cli('service', 'set', '--code', SERVICE, '--settings-site-url', `${SITE_URL}/`);
  if (!set.ok) fail(`cannot use the service ${SERVICE} (SERVICE): ${set.out}\nStart with an empty DATA_DIR to get the demo services, or set SERVICE to a service code of yours.`);

  const registration = [
    '--id', CLIENT_ID, '--name', `${SERVICE} settings (example)`, '--service', SERVICE,
    '--redirect-uri', `${SITE_URL}/callback`, '--post-logout-uri', `${SITE_URL}/`,
    '--initiate-login-uri', `${SITE_URL}/login`, '--backchannel-logout-uri', `${SITE_URL}/backchannel-logout`, '--first-party',
  ];
  const list = await cli('oidc', 'client', 'list');
  if (!list.ok) fail(`bizportal oidc client list failed:\n${list.out}`);
  const registered = list.out.split('\n').some((line) => line.split(/\s+/)[0] === CLIENT_ID);
  const stored = readState();
  let secret;
  if (registered && stored?.clientId === CLIENT_ID && stored.siteUrl === SITE_URL && typeof stored.secret === 'string') {
    say(`client ${CLIENT_ID} is registered; using the secret kept in ${STATE_FILE}`);
    secret = stored.secret;
  } else if (registered && (!stored || stored.siteUrl === SITE_URL)) {
    say(`client ${CLIENT_ID} is registered but its secret is not in ${STATE_FILE}: giving it a new one`);
    const r = await cli('oidc', 'client', 'rotate-secret', '--id', CLIENT_ID);
    if (!r.ok) fail(`bizportal oidc client rotate-secret failed:\n${r.out}`);
    secret = secretIn(r.out);
  } else {
    if (registered) {
      say(`client ${CLIENT_ID} was registered for ${stored.siteUrl}: registering it again for ${SITE_URL}`);
      const r = await cli('oidc', 'client', 'remove', '--id', CLIENT_ID);
      if (!r.ok) fail(`bizportal oidc client remove failed:\n${r.out}`);
    } else {
      say(`registering the settings site as client ${CLIENT_ID} of service ${SERVICE}`);
    }
    const r = await cli('oidc', 'client', 'add', ...registration);
    if (!r.ok) fail(`bizportal oidc client add failed:\n${r.out}`);
    secret = secretIn(r.out);
  }
  stillRunning();
  writeFileSync(STATE_FILE, `${JSON.stringify({ clientId: CLIENT_ID, service: SERVICE, siteUrl: SITE_URL, secret }, null, 2)}\n`, { mode: 0o600 });

  start('site', [join(ROOT, 'examples', 'settings-site', 'server.mjs')], {
    PATH: env.PATH ?? '', ISSUER: PUBLIC_URL, CLIENT_ID, CLIENT_SECRET: secret, PORT: String(SITE_PORT), BASE_URL: SITE_URL,
    SITE_NAME: `${SERVICE} settings (example)`,
  });
  await waitFor(`${SITE_URL}/healthz`, 'the settings site', 30);

  say('');
  say(`business portal:  ${PUBLIC_URL}/`);
  say(`settings site:    ${SITE_URL}/   (client ${CLIENT_ID}, service ${SERVICE})`);
  say(`Sign in to the portal (a demo user's starting guide link is printed above on the first run),`);
  say(`open a ${SERVICE} contract and press «設定を変更する» / "Change settings".`);
  say('Ctrl-C stops both.');
}

main().catch((err) => {
  if (err instanceof Stopped) return;
  console.error('[demo]', err);
  stopAll(1);
});
