// The environment the bench gives a portal process: production settings over http, the bench's
// database, secrets of its own. Shared by `npm run bench` and `npm run bench:startup`.
import { randomBytes } from 'node:crypto';

/** What passes through from the bench's own environment: the knobs under study, and what node needs. */
export function passThroughEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env)
    .filter(([k]) => /^(ARGON2_|HASH_|SESSION_)/.test(k) || ['PATH', 'HOME', 'TMPDIR', 'UV_THREADPOOL_SIZE'].includes(k)));
}

export interface PortalPlace { port: number; databaseUrl: string; dataDir: string }

/**
 * Production settings over http: NODE_ENV=production insists on an https PUBLIC_URL, so the mode
 * stays development with what production changes set by hand (own secrets, no dev outbox).
 */
export function portalEnv({ port, databaseUrl, dataDir }: PortalPlace): NodeJS.ProcessEnv {
  const origin = `http://127.0.0.1:${port}`;
  return {
    ...passThroughEnv(),
    PORT: String(port), HOST: '127.0.0.1', PUBLIC_URL: origin, DATABASE_URL: databaseUrl, DATA_DIR: dataDir,
    LOG_LEVEL: 'warn', COOKIE_SECURE: 'false', DEV_OUTBOX: 'false', MAIL_WORKER: 'false',
    SECRET_KEY: randomBytes(32).toString('hex'), TOTP_KEY: randomBytes(32).toString('hex'),
    // Browsers reach the portal through a local reverse proxy that reports their own addresses.
    TRUSTED_PROXIES: '127.0.0.1',
  };
}

/**
 * Another node of the same portal: same secrets, database and PUBLIC_URL (the balancer's address,
 * which the first node's stands in for), its own port.
 */
export function otherNodeEnv(first: NodeJS.ProcessEnv, port: number): NodeJS.ProcessEnv {
  return { ...first, PORT: String(port) };
}

/**
 * The start-up phase stops each portal right after measuring it: no load balancer is watching
 * /readyz, so the drain's delay (SHUTDOWN_DELAY_MS, default 2 s) would only make the phase longer.
 */
export function startupEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return { ...env, SHUTDOWN_DELAY_MS: '0' };
}
