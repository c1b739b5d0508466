// Typed, validated configuration: environment variables, one place. In production mode the server
// refuses to start with a missing, default or short secret (SECURITY.md item 34, issue 10 §6).
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';

export interface Argon2Params { memoryCost: number; timeCost: number; parallelism: number }

export interface Config {
  env: 'development' | 'test' | 'production';
  port: number;
  host: string;
  /** Public origin the mails and Origin checks use; never taken from a request's Host header. */
  publicUrl: string;
  databaseUrl: string;
  dataDir: string;
  smtpUrl: string | null;
  mailFrom: string;
  redisUrl: string | null;
  /** Key prefix of the throttle counters in Redis (REDIS_PREFIX), so deployments can share one Redis. */
  redisPrefix: string;
  /** Bearer token for /metrics (METRICS_TOKEN); null: /metrics open outside production, absent in it. */
  metricsToken: string | null;
  /** 32-byte key for HMACs (CSRF tokens, device tokens). */
  secretKey: Buffer;
  /** 32-byte AES-256-GCM key for TOTP secrets at rest (new seals use it). */
  totpKey: Buffer;
  /** totpKey first, then TOTP_OLD_KEYS: boxes sealed with a retired key still open during a rotation. */
  totpKeyRing: Buffer[];
  /** Proxy addresses (CIDR) whose X-Forwarded-For is believed; empty = use the socket address. */
  trustedProxies: string[];
  /** SECURITY.md item 42: share (%) of the IPv4 / IPv6 space one organisation's trusted networks may cover. */
  trustedNetworksMaxPercent: number;
  cookieSecure: boolean;
  argon2: Argon2Params;
  /** Hashes running at once per process; login requests beyond the queue get 503 + Retry-After. */
  hashConcurrency: number;
  hashQueueLimit: number;
  sessionIdleMs: number;
  sessionAbsoluteMs: number;
  setupLinkMs: number;
  resetLinkMs: number;
  flowMs: number;
  devOutbox: boolean;
  mailWorker: boolean;
  logLevel: string;
}

const MIN_SECRET_BYTES = 32;

function int(env: NodeJS.ProcessEnv, name: string, dflt: number, min = 0): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return dflt;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min) throw new ConfigError(`${name} must be an integer ≥ ${min}, got "${raw}"`);
  return n;
}

/** A share in percent, 0 < x ≤ 100 (decimals allowed: 0.01). */
function percent(env: NodeJS.ProcessEnv, name: string, dflt: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return dflt;
  const n = Number(raw);
  if (!/^\d+(\.\d+)?$/.test(raw.trim()) || !(n > 0 && n <= 100)) throw new ConfigError(`${name} must be a percentage above 0 and at most 100, got "${raw}"`);
  return n;
}

export class ConfigError extends Error {}

/** Reads a base64/hex secret from env, or (outside production) from ./data/secrets.json, generating it once. */
function secret(env: NodeJS.ProcessEnv, name: string, mode: Config['env'], dataDir: string): Buffer {
  const raw = env[name];
  if (raw) {
    const buf = /^[0-9a-f]+$/i.test(raw) && raw.length % 2 === 0 ? Buffer.from(raw, 'hex') : Buffer.from(raw, 'base64');
    if (buf.length < MIN_SECRET_BYTES || /^(changeme|secret|default)/i.test(raw)) {
      throw new ConfigError(`${name} must be at least ${MIN_SECRET_BYTES} random bytes (hex or base64); generate one with: openssl rand -base64 32`);
    }
    return buf.subarray(0, 32);
  }
  if (mode === 'production') {
    throw new ConfigError(`${name} is required in production (32 random bytes, base64): openssl rand -base64 32`);
  }
  // Embedded default: generated once into the data directory so restarts keep sessions and TOTP secrets.
  const file = resolve(dataDir, 'secrets.json');
  const stored: Record<string, string> = existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : {};
  if (!stored[name]) {
    stored[name] = randomBytes(32).toString('base64');
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, JSON.stringify(stored, null, 2), { mode: 0o600 });
  }
  return Buffer.from(stored[name]!, 'base64');
}

/** TOTP_OLD_KEYS: comma-separated retired keys, kept only while `bizportal keys rotate-totp` runs. */
function oldKeys(env: NodeJS.ProcessEnv): Buffer[] {
  return (env.TOTP_OLD_KEYS || '').split(',').map((k) => k.trim()).filter(Boolean).map((k, i) => {
    const buf = Buffer.from(k, 'base64');
    if (buf.length < MIN_SECRET_BYTES) throw new ConfigError(`TOTP_OLD_KEYS entry ${i + 1} must be 32 bytes (base64)`);
    return buf.subarray(0, 32);
  });
}

/** METRICS_TOKEN: a bearer secret for the scraper; a short one is refused like any weak secret. */
function metricsToken(env: NodeJS.ProcessEnv): string | null {
  const raw = env.METRICS_TOKEN;
  if (!raw) return null;
  if (raw.length < 24 || !/^[\x21-\x7e]+$/.test(raw)) throw new ConfigError('METRICS_TOKEN must be at least 24 printable characters without spaces (e.g. openssl rand -base64 24)');
  return raw;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const mode = (env.NODE_ENV === 'production' ? 'production' : env.NODE_ENV === 'test' ? 'test' : 'development') as Config['env'];
  const port = int(env, 'PORT', 3000, 0);
  const host = env.HOST || 'localhost';
  const dataDir = resolve(env.DATA_DIR || 'data');
  const publicUrl = (env.PUBLIC_URL || `http://localhost:${port}`).replace(/\/+$/, '');
  let parsedPublic: URL;
  try { parsedPublic = new URL(publicUrl); } catch { throw new ConfigError(`PUBLIC_URL is not a URL: "${publicUrl}"`); }
  if (mode === 'production' && parsedPublic.protocol !== 'https:') throw new ConfigError('PUBLIC_URL must be https:// in production');
  const databaseUrl = env.DATABASE_URL || `sqlite:${resolve(dataDir, 'bizportal.sqlite')}`;
  if (!/^(sqlite:|postgres(ql)?:\/\/)/.test(databaseUrl)) throw new ConfigError('DATABASE_URL must start with sqlite: or postgres://');
  const totpKey = secret(env, 'TOTP_KEY', mode, dataDir);
  const trustedProxies = (env.TRUSTED_PROXIES || '').split(',').map((s) => s.trim()).filter(Boolean);
  return {
    env: mode,
    port,
    host,
    publicUrl,
    databaseUrl,
    dataDir,
    smtpUrl: env.SMTP_URL || null,
    mailFrom: env.MAIL_FROM || 'bizportal <no-reply@localhost>',
    redisUrl: env.REDIS_URL || null,
    redisPrefix: env.REDIS_PREFIX || 'bp:throttle:',
    metricsToken: metricsToken(env),
    secretKey: secret(env, 'SECRET_KEY', mode, dataDir),
    totpKey,
    totpKeyRing: [totpKey, ...oldKeys(env)],
    trustedProxies,
    trustedNetworksMaxPercent: percent(env, 'TRUSTED_NETWORKS_MAX_PERCENT', 0.5),
    cookieSecure: env.COOKIE_SECURE ? env.COOKIE_SECURE === 'true' : parsedPublic.protocol === 'https:',
    argon2: {
      // OWASP Password Storage Cheat Sheet minimum for argon2id: m=19 MiB, t=2, p=1.
      memoryCost: int(env, 'ARGON2_MEMORY_KIB', 19456, 1024),
      timeCost: int(env, 'ARGON2_TIME_COST', 2, 1),
      parallelism: int(env, 'ARGON2_PARALLELISM', 1, 1),
    },
    hashConcurrency: int(env, 'HASH_CONCURRENCY', 2, 1),
    hashQueueLimit: int(env, 'HASH_QUEUE_LIMIT', 64, 0),
    sessionIdleMs: int(env, 'SESSION_IDLE_MINUTES', 30, 1) * 60_000,
    sessionAbsoluteMs: int(env, 'SESSION_ABSOLUTE_HOURS', 12, 1) * 3_600_000,
    setupLinkMs: int(env, 'SETUP_LINK_HOURS', 72, 1) * 3_600_000,
    resetLinkMs: int(env, 'RESET_LINK_MINUTES', 30, 1) * 60_000,
    flowMs: int(env, 'FLOW_MINUTES', 30, 1) * 60_000,
    devOutbox: mode !== 'production' && env.DEV_OUTBOX !== 'false',
    mailWorker: env.MAIL_WORKER !== 'false',
    logLevel: env.LOG_LEVEL || (mode === 'test' ? 'silent' : 'info'),
  };
}
