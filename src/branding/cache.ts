// Every brand row's text fields and hashes, held per database handle, so a page costs no statement
// for its brand (issue 19's budget: GET / in 4). Loaded when the app is ready, and again on the
// first request after 30 seconds (BRAND_CACHE_SECONDS): a change made on another node (console, CLI) shows within 30 s;
// a change made through this process is seen at once (the service invalidates). The database is
// the truth; this is only a copy that may be 30 s old (docs/branding.md).
import type { Db } from '../db/index.ts';
import type { Lang } from '../db/schema.ts';
import type { Brand } from '../web/brand.ts';
import { allBrandMeta, type BrandMeta } from './store.ts';
import { resolveBrand } from './resolve.ts';

export const BRAND_CACHE_TTL_MS = 30_000;
/** After a failed load, the next try. */
const RETRY_MS = 5_000;

export class BrandCache {
  private rows = new Map<string, BrandMeta>();
  private loadedAt = -Infinity;
  private loading: Promise<void> | null = null;

  // Wall-clock (monotonic) time, not the app's clock: staleness is real time between nodes.
  constructor(private readonly db: Db, private readonly ttlMs = BRAND_CACHE_TTL_MS, private readonly clock: () => number = () => performance.now()) {}

  invalidate(): void { this.loadedAt = -Infinity; }

  async fresh(): Promise<void> {
    if (this.clock() - this.loadedAt < this.ttlMs) return;
    // One load at a time: concurrent requests after expiry share it.
    this.loading ??= (async () => {
      const started = this.clock();
      try {
        const rows = await allBrandMeta(this.db);
        this.rows = new Map(rows.map((r) => [`${r.scope}:${r.scope_id}`, r]));
        this.loadedAt = started;
      } catch {
        // The database is away (a start before PostgreSQL, an outage): a brand is never a reason for
        // a page, /readyz or the start itself to fail. Keep the copy we have (or the defaults) and try
        // again after RETRY_MS, not on every request.
        this.loadedAt = started - this.ttlMs + Math.min(RETRY_MS, this.ttlMs);
      } finally {
        this.loading = null;
      }
    })();
    await this.loading;
  }

  /** The brand of a signed-in user's organisation (over its preset), or of a preset; null: the defaults. */
  async brandFor(orgId: string | null, presetId: string, lang: Lang): Promise<Brand | null> {
    await this.fresh();
    return resolveBrand([orgId ? this.rows.get(`org:${orgId}`) : undefined, this.rows.get(`preset:${presetId}`)], lang);
  }
}

const caches = new WeakMap<Db, BrandCache>();

/** `ttlMs`: BRAND_CACHE_SECONDS (config.brandCacheMs); the first caller of a handle sets it. */
export function brandCacheFor(db: Db, ttlMs = BRAND_CACHE_TTL_MS): BrandCache {
  let c = caches.get(db);
  if (!c) caches.set(db, (c = new BrandCache(db, ttlMs)));
  return c;
}

/** After a change through this process: the next page reads the rows again. */
export function invalidateBrandCache(db: Db): void {
  caches.get(db)?.invalidate();
}
