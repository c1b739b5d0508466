// Password hashing: argon2id with a per-hash random salt, parameters from config, upgraded on
// login when they change (SECURITY.md item 4, ASVS 11.4.2). @node-rs/argon2 hashes on libuv
// threads, so the event loop stays free; HashPool bounds how many run at once (PERFORMANCE.md:
// "under a login flood, pages of logged-in users keep p99 < 100 ms").
import { hash, verify, type Algorithm } from '@node-rs/argon2';
import { randomBytes } from 'node:crypto';
import { ServiceBusy } from '../../lib/busy.ts';

export interface HashParams {
  /** KiB per lane (OWASP minimum: 19456). */
  memoryCost: number;
  /** Passes over memory (OWASP minimum with 19 MiB: 2). */
  timeCost: number;
  parallelism: number;
}

// `Algorithm` is an ambient const enum, which `verbatimModuleSyntax` forbids reading; its
// Argon2id member is 2 (index.d.ts). The hash test checks the `$argon2id$` prefix.
const ARGON2ID = 2 as Algorithm;

function options(params: HashParams) {
  return {
    algorithm: ARGON2ID,
    memoryCost: params.memoryCost,
    timeCost: params.timeCost,
    parallelism: params.parallelism,
  };
}

/** PHC string `$argon2id$v=19$m=…,t=…,p=…$salt$hash`; the library draws a 16-byte random salt. */
export async function hashPassword(password: string, params: HashParams): Promise<string> {
  return hash(password, options(params));
}

/** True only for a matching password; a malformed or foreign hash is false, never an exception. */
export async function verifyPassword(encoded: string, password: string): Promise<boolean> {
  if (typeof encoded !== 'string' || !encoded.startsWith('$argon2')) return false;
  try {
    return await verify(encoded, password);
  } catch {
    return false;
  }
}

const PHC = /^\$argon2id\$v=19\$m=(\d+),t=(\d+),p=(\d+)\$[A-Za-z0-9+/]+\$[A-Za-z0-9+/]+$/;

/**
 * True when the hash was not made with argon2id v19 and exactly these parameters. Any difference
 * counts, also weaker config than the hash: the configured parameters are the single source of
 * truth (an operator lowering them for latency gets them applied on the next login).
 */
export function needsRehash(encoded: string, params: HashParams): boolean {
  const m = PHC.exec(encoded);
  if (!m) return true;
  return Number(m[1]) !== params.memoryCost || Number(m[2]) !== params.timeCost
    || Number(m[3]) !== params.parallelism;
}

// One dummy hash per parameter set, made on first use (or at start via prepareDummyHash) from a
// random secret nobody knows. The promise is cached so concurrent first calls share one hash.
const dummyHashes = new Map<string, Promise<string>>();

export function dummyHash(params: HashParams): Promise<string> {
  const key = `${params.memoryCost},${params.timeCost},${params.parallelism}`;
  let h = dummyHashes.get(key);
  if (!h) {
    h = hashPassword(randomBytes(32).toString('base64url'), params);
    h.catch(() => dummyHashes.delete(key));   // a failed attempt may be retried
    dummyHashes.set(key, h);
  }
  return h;
}

/** Makes the dummy hash ahead of time so the first unknown login ID is not slower (call at start). */
export async function prepareDummyHash(params: HashParams): Promise<void> {
  await dummyHash(params);
}

/**
 * Costs one verify at `params` and always answers false: used for an unknown login ID so it takes
 * as long as a wrong password (anti-enumeration, STYLE.md anchor 6, SECURITY item 24).
 */
export async function dummyVerify(password: string, params: HashParams): Promise<false> {
  await verifyPassword(await dummyHash(params), password);
  return false;
}

/** Thrown by HashPool.run when the queue is full; the server answers 503 + Retry-After. */
export class HashPoolBusy extends ServiceBusy {
  override readonly name = 'HashPoolBusy';
  constructor(retryAfterSeconds = 1) {
    super('password hashing is busy', retryAfterSeconds);
  }
}

export interface HashPoolOptions {
  /** Hashes running at once (about the number of cores given to hashing). */
  concurrency: number;
  /** Callers allowed to wait; one more is refused with HashPoolBusy. */
  queueLimit: number;
}

/** Bounds concurrent hash/verify work; excess callers wait in FIFO order, past the limit they fail fast. */
export class HashPool {
  private running = 0;
  private readonly waiting: Array<() => void> = [];
  private readonly concurrency: number;
  private readonly queueLimit: number;

  constructor(opts: HashPoolOptions) {
    if (!Number.isInteger(opts.concurrency) || opts.concurrency < 1) throw new RangeError('concurrency must be an integer ≥ 1');
    if (!Number.isInteger(opts.queueLimit) || opts.queueLimit < 0) throw new RangeError('queueLimit must be an integer ≥ 0');
    this.concurrency = opts.concurrency;
    this.queueLimit = opts.queueLimit;
  }

  async run<T>(fn: () => Promise<T>): Promise<T> {
    if (this.running >= this.concurrency) {
      if (this.waiting.length >= this.queueLimit) throw new HashPoolBusy();
      // The slot is handed over by release(), so `running` never drops while work is queued.
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    } else {
      this.running++;
    }
    try {
      return await fn();
    } finally {
      this.release();
    }
  }

  /** Throws HashPoolBusy now if a run() would be refused: lets a caller refuse before it counts an attempt. */
  assertRoom(): void {
    if (this.running >= this.concurrency && this.waiting.length >= this.queueLimit) throw new HashPoolBusy();
  }

  stats(): { running: number; waiting: number } {
    return { running: this.running, waiting: this.waiting.length };
  }

  private release(): void {
    const next = this.waiting.shift();
    if (next) next();   // hand the slot straight to the next caller
    else this.running--;
  }
}
