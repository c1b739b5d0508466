// Typed, validated configuration: environment variables, one place. In production mode the server
// refuses to start with a missing, default or short secret (SECURITY.md item 34, issue 10 §6).
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';
import { parseCidr } from './lib/cidr.ts';

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
  /** Ticket uploads (multipart bodies, each held whole, ≤ 10.25 MiB) read at once per process; more get 503 + Retry-After. */
  uploadConcurrency: number;
  /** Issue 24: reply by mail to tickets (docs/tickets.md); port null = no inbound listener; domain null = no reply addresses. */
  inboundMail: { port: number | null; host: string; domain: string | null };
  /** Issue 24: the response target per ticket severity, in minutes, shown to the customer. */
  ticketResponseTargets: Record<'critical' | 'high' | 'normal' | 'low', number>;
  /** Kept prepared statements (src/db/statements.ts); DB_PREPARED_STATEMENTS=false for comparison. */
  dbPreparedStatements: boolean;
  sessionIdleMs: number;
  sessionAbsoluteMs: number;
  setupLinkMs: number;
  resetLinkMs: number;
  flowMs: number;
  /** Issue 22: the matrix password's grid and how many positions one has (docs/matrix-password.md). */
  matrix: { rows: number; cols: number; min: number; max: number; challengeMs: number };
  devOutbox: boolean;
  mailWorker: boolean;
  /** First retry delay of a mail delivery that failed; doubles up to an hour (MAIL_RETRY_SECONDS). */
  mailRetryBaseMs: number;
  /** Issue 24 item 6 (docs/api.md): webhook callbacks may be http:// to loopback (tests, development; refused in production). */
  webhookAllowLoopback: boolean;
  /** First retry delay of a failed webhook delivery (WEBHOOK_RETRY_SECONDS); doubles up to an hour. */
  webhookRetryBaseMs: number;
  /** WEBHOOK_WORKER=false: this node delivers no webhooks (another node does). */
  webhookWorker: boolean;
  /** REMINDER_WORKER=false: this node sends no maintenance reminders (another node does; issue 24 item 2). */
  reminderWorker: boolean;
  /** Requests per minute one API token may make (API_RATE_PER_MINUTE). */
  apiRatePerMinute: number;
  /** Housekeeping sweep interval (src/auth/housekeeping/); 0 = no timer (run `bizportal sweep` instead). */
  sweepIntervalMs: number;
  logLevel: string;
  /** LOG_FORMAT: JSON lines (production, tests, CI) or pino-pretty's coloured lines for a developer. */
  logFormat: LogFormat;
  /** SIGTERM: /readyz is red this long before the listener closes (SHUTDOWN_DELAY_MS). */
  shutdownDelayMs: number;
  /** Issue 20: how old the in-memory copy of the brand rows may get before a page reloads it (a change on another node shows within this). */
  brandCacheMs: number;
  /** SIGTERM: the whole drain ends within this, delay included (SHUTDOWN_TIMEOUT_MS). */
  shutdownTimeoutMs: number;
  /** HELP_URL_<PROFILE> (e.g. HELP_URL_PARTNER_CHILD): a provider's own help pages, per profile id. */
  helpUrls: Record<string, string>;
}

const MIN_SECRET_BYTES = 32;

/**
 * Password hashes at once per process, by default one fewer than the cores (at least 1, at most 4):
 * a core left to the event loop keeps pages answering under a login flood (docs/performance.md,
 * measured on 2 cores: page p99 −30 % on SQLite, −19 % on PostgreSQL, for −11 % logins), and
 * argon2 runs on libuv's thread pool, 4 threads unless UV_THREADPOOL_SIZE says otherwise.
 */
export function defaultHashConcurrency(cores = availableParallelism()): number {
  return Math.max(1, Math.min(cores - 1, 4));
}

function int(env: NodeJS.ProcessEnv, name: string, dflt: number, min = 0, max = Number.MAX_SAFE_INTEGER): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return dflt;
  const n = /^\s*-?\d+\s*$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isSafeInteger(n) || n < min || n > max) {
    throw new ConfigError(`${name} must be a whole number from ${min}${max < Number.MAX_SAFE_INTEGER ? ` to ${max}` : ''}, got "${raw.slice(0, 40)}"`);
  }
  return n;
}

/** INBOUND_SMTP_PORT (unset: no listener), INBOUND_SMTP_HOST (127.0.0.1), INBOUND_MAIL_DOMAIN (the reply addresses' domain). */
function inboundMail(env: NodeJS.ProcessEnv): Config['inboundMail'] {
  const port = env.INBOUND_SMTP_PORT ? int(env, 'INBOUND_SMTP_PORT', 2525, 0, 65_535) : null;
  const host = env.INBOUND_SMTP_HOST || '127.0.0.1';
  if (!/^[A-Za-z0-9.:_-]{1,253}$/.test(host)) throw new ConfigError(`INBOUND_SMTP_HOST must be a host name or IP address to listen on, got "${host.slice(0, 40)}"`);
  const domain = env.INBOUND_MAIL_DOMAIN ? env.INBOUND_MAIL_DOMAIN.trim().toLowerCase() : null;
  if (domain !== null && !/^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)*[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/.test(domain)) {
    throw new ConfigError(`INBOUND_MAIL_DOMAIN must be a mail domain such as reply.portal.example.com, got "${domain.slice(0, 60)}"`);
  }
  return { port, host, domain };
}

/** TICKET_RESPONSE_TARGETS: `critical=60,high=240,normal=1440,low=4320` (minutes); each severity may be left out. */
function responseTargets(env: NodeJS.ProcessEnv): Config['ticketResponseTargets'] {
  const out = { critical: 60, high: 240, normal: 1440, low: 4320 };
  for (const part of (env.TICKET_RESPONSE_TARGETS ?? '').split(',').map((p) => p.trim()).filter(Boolean)) {
    const m = /^(critical|high|normal|low)=(\d{1,6})$/.exec(part);
    if (!m || Number(m[2]) < 1) throw new ConfigError(`TICKET_RESPONSE_TARGETS must be severity=minutes pairs, e.g. critical=60,high=240,normal=1440,low=4320; got "${part.slice(0, 40)}"`);
    out[m[1] as keyof typeof out] = Number(m[2]);
  }
  return out;
}

/**
 * Issue 22: 6 rows × 8 columns (48 cells, A1…H6) and 8–15 positions by default, as the legacy portal
 * (seed 001); the reasons are in docs/matrix-password.md. The range must fit the grid.
 */
function matrixShape(env: NodeJS.ProcessEnv): Config['matrix'] {
  const rows = int(env, 'MATRIX_ROWS', 6, 3, 20);
  const cols = int(env, 'MATRIX_COLS', 8, 3, 26);
  const min = int(env, 'MATRIX_MIN', 8, 4, rows * cols);
  const max = int(env, 'MATRIX_MAX', 15, min, rows * cols);
  return { rows, cols, min, max, challengeMs: int(env, 'MATRIX_CHALLENGE_SECONDS', 180, 30, 900) * 1000 };
}

/** A share in percent, 0 < x ≤ 100 (decimals allowed: 0.01). */
function percent(env: NodeJS.ProcessEnv, name: string, dflt: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return dflt;
  const n = Number(raw);
  if (!/^\d+(\.\d+)?$/.test(raw.trim()) || !(n > 0 && n <= 100)) throw new ConfigError(`${name} must be a percentage above 0 and at most 100, got "${raw}"`);
  return n;
}

function bool(env: NodeJS.ProcessEnv, name: string, dflt: boolean): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '') return dflt;
  if (raw === 'true') return true;
  if (raw === 'false') return false;
  throw new ConfigError(`${name} must be true or false, got "${raw.slice(0, 40)}"`);
}

/** WEBHOOK_ALLOW_LOOPBACK: an SSRF hole in production, so refused there (docs/api.md). */
function webhookLoopback(env: NodeJS.ProcessEnv, mode: Config['env']): boolean {
  const allow = bool(env, 'WEBHOOK_ALLOW_LOOPBACK', false);
  if (allow && mode === 'production') throw new ConfigError('WEBHOOK_ALLOW_LOOPBACK=true is for tests and development; production delivers webhooks to public https addresses only (unset it)');
  return allow;
}

/** A bad setting: the message names it and says what to do, and never holds a secret value. */
export class ConfigError extends Error {}

/**
 * A URL setting that may hold a password (DATABASE_URL, SMTP_URL, REDIS_URL): checked here so no
 * library ever prints it in its own error ("Invalid URL … input: 'smtp://user:secret@…'"). The value
 * is never part of the message.
 */
function serviceUrl(env: NodeJS.ProcessEnv, name: string, schemes: readonly string[], example: string): string | null {
  const raw = env[name];
  if (raw === undefined || raw === '') return null;
  let url: URL | null = null;
  try { url = new URL(raw); } catch { /* reported below */ }
  const scheme = url?.protocol.replace(/:$/, '');
  if (!url || !scheme || !schemes.includes(scheme) || !url.hostname || (url.port !== '' && !/^\d+$/.test(url.port))) {
    throw new ConfigError(`${name} is not a valid ${schemes.map((s) => `${s}://`).join(' or ')} URL (value not shown: it may hold a password); expected e.g. ${example}`);
  }
  return raw;
}

/** Replaces every secret a message could carry (URL passwords, keys, tokens) with ***. */
export function redactSecrets(text: string, env: NodeJS.ProcessEnv = process.env): string {
  let out = text.replace(/([a-z][a-z0-9+.-]*:\/\/[^\s:/@'"]*:)[^\s@'"]*@/gi, '$1***@');
  const secrets: string[] = [];
  for (const name of ['SECRET_KEY', 'TOTP_KEY', 'METRICS_TOKEN']) if (env[name]) secrets.push(env[name]!);
  for (const k of (env.TOTP_OLD_KEYS ?? '').split(',')) if (k.trim()) secrets.push(k.trim());
  for (const name of ['DATABASE_URL', 'SMTP_URL', 'REDIS_URL']) {
    const m = /^[a-z][a-z0-9+.-]*:\/\/[^:/@]*:([^@]+)@/i.exec(env[name] ?? '');
    if (m) secrets.push(m[1]!, decodeURIComponentSafe(m[1]!));
  }
  for (const s of secrets.filter((x) => x.length >= 4).sort((a, b) => b.length - a.length)) out = out.split(s).join('***');
  return out;
}

function decodeURIComponentSafe(s: string): string {
  try { return decodeURIComponent(s); } catch { return s; }
}

// Goes into the connection's `-c search_path=…` option: a plain identifier, nothing else.
const SCHEMA_RE = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

/** Validates DATABASE_SCHEMA against DATABASE_URL (throws ConfigError); undefined when unset. */
export function databaseSchema(env: NodeJS.ProcessEnv, databaseUrl: string): string | undefined {
  const schema = env.DATABASE_SCHEMA?.trim();
  if (!schema) return undefined;
  if (databaseUrl.startsWith('sqlite:')) throw new ConfigError('DATABASE_SCHEMA applies to PostgreSQL only; unset it for a sqlite: DATABASE_URL');
  if (!SCHEMA_RE.test(schema)) throw new ConfigError(`DATABASE_SCHEMA must be a plain identifier (letters, digits, _), got "${schema.slice(0, 70)}"`);
  return schema;
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];
export const LOG_FORMATS = ['json', 'pretty'] as const;
export type LogFormat = typeof LOG_FORMATS[number];

/**
 * LOG_FORMAT: pretty by default only for a developer at a terminal. Production always logs JSON
 * (its collectors parse lines), so an explicit pretty there is refused rather than ignored.
 */
export function logFormat(env: NodeJS.ProcessEnv, mode: Config['env'], stdoutIsTty: boolean): LogFormat {
  const raw = env.LOG_FORMAT?.trim();
  if (!raw) return mode === 'development' && stdoutIsTty ? 'pretty' : 'json';
  if (!(LOG_FORMATS as readonly string[]).includes(raw)) throw new ConfigError(`LOG_FORMAT must be json or pretty, got "${raw.slice(0, 40)}"`);
  if (raw === 'pretty' && mode === 'production') throw new ConfigError('LOG_FORMAT=pretty is for development; production logs JSON (unset LOG_FORMAT or set it to json)');
  return raw as LogFormat;
}

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
  let stored: Record<string, string> = {};
  try {
    if (existsSync(file)) stored = JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>;
  } catch {
    throw new ConfigError(`${name}: ${file} is not readable JSON; set ${name} (openssl rand -base64 32) or restore the file (DATA_DIR)`);
  }
  if (!stored[name]) {
    stored[name] = randomBytes(32).toString('base64');
    try {
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, JSON.stringify(stored, null, 2), { mode: 0o600 });
    } catch (err) {
      throw new ConfigError(`DATA_DIR ${dataDir} is not writable (${(err as NodeJS.ErrnoException).code ?? 'error'}): point DATA_DIR at a writable directory, or set ${name}`);
    }
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

/** HELP_URL_BUSINESS=https://… → { business: 'https://…' }; an absolute http(s) URL or a path. */
function helpUrls(env: NodeJS.ProcessEnv): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, raw] of Object.entries(env)) {
    if (!name.startsWith('HELP_URL_') || !raw) continue;
    if (!/^(https?:\/\/[^\s]+|\/[^\s]*)$/.test(raw)) throw new ConfigError(`${name} must be an http(s) URL or a path starting with /, got "${raw}"`);
    out[name.slice('HELP_URL_'.length).toLowerCase().replace(/_/g, '-')] = raw;
  }
  return out;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env, stdoutIsTty = process.stdout.isTTY === true): Config {
  const mode = (env.NODE_ENV === 'production' ? 'production' : env.NODE_ENV === 'test' ? 'test' : 'development') as Config['env'];
  if (env.NODE_ENV && !['production', 'test', 'development'].includes(env.NODE_ENV)) {
    throw new ConfigError(`NODE_ENV must be production, development or test, got "${env.NODE_ENV.slice(0, 40)}"`);
  }
  const port = int(env, 'PORT', 3000, 0, 65_535);
  const host = env.HOST || 'localhost';
  if (!/^[A-Za-z0-9.:_-]{1,253}$/.test(host)) throw new ConfigError(`HOST must be a host name or IP address to listen on (e.g. 0.0.0.0), got "${host.slice(0, 40)}"`);
  const dataDir = resolve(env.DATA_DIR || 'data');
  const publicUrl = (env.PUBLIC_URL || `http://localhost:${port}`).replace(/\/+$/, '');
  let parsedPublic: URL | null = null;
  try { parsedPublic = new URL(publicUrl); } catch { /* below */ }
  if (!parsedPublic || !/^https?:$/.test(parsedPublic.protocol) || parsedPublic.username || parsedPublic.password) {
    throw new ConfigError('PUBLIC_URL must be the portal\'s origin as browsers reach it, e.g. https://portal.example.com');
  }
  if (mode === 'production' && parsedPublic.protocol !== 'https:') throw new ConfigError('PUBLIC_URL must be https:// in production');
  const databaseUrl = env.DATABASE_URL || `sqlite:${resolve(dataDir, 'bizportal.sqlite')}`;
  if (!/^(sqlite:|postgres(ql)?:\/\/)/.test(databaseUrl)) throw new ConfigError('DATABASE_URL must start with sqlite: or postgres:// (value not shown: it may hold a password)');
  if (!databaseUrl.startsWith('sqlite:')) serviceUrl(env, 'DATABASE_URL', ['postgres', 'postgresql'], 'postgres://bizportal:PASSWORD@db.example.com:5432/bizportal');
  databaseSchema(env, databaseUrl);
  const smtpUrl = serviceUrl(env, 'SMTP_URL', ['smtp', 'smtps'], 'smtp://user:PASSWORD@mail.example.com:587');
  const redisUrl = serviceUrl(env, 'REDIS_URL', ['redis', 'rediss'], 'redis://:PASSWORD@redis.example.com:6379/0');
  const redisPrefix = env.REDIS_PREFIX ?? 'bp:throttle:';
  if (!/^[\x21-\x7e]{1,100}$/.test(redisPrefix)) throw new ConfigError('REDIS_PREFIX must be 1 to 100 printable characters without spaces, e.g. bp:throttle:');
  const mailFrom = env.MAIL_FROM || 'bizportal <no-reply@localhost>';
  if (!/^([^<>\r\n]*<[^\s<>@]+@[^\s<>@]+>|[^\s<>@]+@[^\s<>@]+)$/.test(mailFrom)) throw new ConfigError('MAIL_FROM must be an address, e.g. "Portal <no-reply@example.com>" or no-reply@example.com');
  const logLevel = env.LOG_LEVEL || (mode === 'test' ? 'silent' : 'info');
  if (!LOG_LEVELS.includes(logLevel)) throw new ConfigError(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, got "${logLevel.slice(0, 40)}"`);
  const totpKey = secret(env, 'TOTP_KEY', mode, dataDir);
  const trustedProxies = (env.TRUSTED_PROXIES || '').split(',').map((s) => s.trim()).filter(Boolean);
  for (const p of trustedProxies) {
    // proxy-addr's names (Fastify trustProxy) are accepted as they are.
    if (!['loopback', 'linklocal', 'uniquelocal'].includes(p) && !parseCidr(p).ok) throw new ConfigError(`TRUSTED_PROXIES must be comma-separated addresses or CIDRs of your reverse proxies (e.g. 10.0.0.0/8), got "${p.slice(0, 60)}"`);
  }
  const shutdownTimeoutMs = int(env, 'SHUTDOWN_TIMEOUT_MS', 20_000, 1_000, 600_000);
  const shutdownDelayMs = int(env, 'SHUTDOWN_DELAY_MS', 2_000, 0, 600_000);
  if (shutdownDelayMs >= shutdownTimeoutMs) throw new ConfigError('SHUTDOWN_DELAY_MS must be shorter than SHUTDOWN_TIMEOUT_MS (the delay is part of the drain)');
  return {
    env: mode,
    port,
    host,
    publicUrl,
    databaseUrl,
    dataDir,
    smtpUrl,
    mailFrom,
    redisUrl,
    redisPrefix,
    metricsToken: metricsToken(env),
    secretKey: secret(env, 'SECRET_KEY', mode, dataDir),
    totpKey,
    totpKeyRing: [totpKey, ...oldKeys(env)],
    trustedProxies,
    trustedNetworksMaxPercent: percent(env, 'TRUSTED_NETWORKS_MAX_PERCENT', 0.5),
    cookieSecure: bool(env, 'COOKIE_SECURE', parsedPublic.protocol === 'https:'),
    argon2: {
      // OWASP Password Storage Cheat Sheet minimum for argon2id: m=19 MiB, t=2, p=1.
      memoryCost: int(env, 'ARGON2_MEMORY_KIB', 19456, 1024),
      timeCost: int(env, 'ARGON2_TIME_COST', 2, 1),
      parallelism: int(env, 'ARGON2_PARALLELISM', 1, 1),
    },
    hashConcurrency: int(env, 'HASH_CONCURRENCY', defaultHashConcurrency(), 1),
    hashQueueLimit: int(env, 'HASH_QUEUE_LIMIT', 64, 0),
    uploadConcurrency: int(env, 'UPLOAD_CONCURRENCY', 4, 1, 64),
    dbPreparedStatements: bool(env, 'DB_PREPARED_STATEMENTS', true),
    sessionIdleMs: int(env, 'SESSION_IDLE_MINUTES', 30, 1) * 60_000,
    sessionAbsoluteMs: int(env, 'SESSION_ABSOLUTE_HOURS', 12, 1) * 3_600_000,
    setupLinkMs: int(env, 'SETUP_LINK_HOURS', 72, 1) * 3_600_000,
    resetLinkMs: int(env, 'RESET_LINK_MINUTES', 30, 1) * 60_000,
    flowMs: int(env, 'FLOW_MINUTES', 30, 1) * 60_000,
    matrix: matrixShape(env),
    inboundMail: inboundMail(env),
    ticketResponseTargets: responseTargets(env),
    devOutbox: mode !== 'production' && bool(env, 'DEV_OUTBOX', true),
    mailWorker: bool(env, 'MAIL_WORKER', true),
    mailRetryBaseMs: int(env, 'MAIL_RETRY_SECONDS', 30, 1, 3_600) * 1000,
    webhookAllowLoopback: webhookLoopback(env, mode),
    webhookRetryBaseMs: int(env, 'WEBHOOK_RETRY_SECONDS', 30, 1, 3_600) * 1000,
    webhookWorker: bool(env, 'WEBHOOK_WORKER', true),
    reminderWorker: bool(env, 'REMINDER_WORKER', true),
    apiRatePerMinute: int(env, 'API_RATE_PER_MINUTE', 600, 1, 1_000_000),
    sweepIntervalMs: int(env, 'SWEEP_INTERVAL_SECONDS', 900, 0, 86_400) * 1000,
    logLevel,
    logFormat: logFormat(env, mode, stdoutIsTty),
    shutdownDelayMs,
    brandCacheMs: int(env, 'BRAND_CACHE_SECONDS', 30, 1, 3_600) * 1000,
    shutdownTimeoutMs,
    helpUrls: helpUrls(env),
  };
}
