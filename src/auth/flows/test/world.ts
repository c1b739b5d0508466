// A service-level world for flow tests (issue 13 item 9): a fresh migrated database, a context with
// the real hashing pool and database throttle, a clock the test moves — no server start.
import type { TestContext } from 'node:test';
import { randomBytes } from 'node:crypto';
import type { FastifyBaseLogger } from 'fastify';
import { loadConfig } from '../../../config.ts';
import type { AppContext } from '../../../context.ts';
import type { Dialect } from '../../../db/index.ts';
import type { Role } from '../../../db/schema.ts';
import { createOrganisation } from '../../tenancy/organisations.ts';
import { freshDb } from '../../../../test/helpers/db.ts';
import { HashPool } from '../../password/hash.ts';
import { registerUser } from '../../registration/service.ts';
import { DbThrottle } from '../../throttle/db-throttle.ts';
import { findUserById, type UserRow } from '../../users/store.ts';

export interface World { ctx: AppContext; clock: { now: number; advance(ms: number): void } }

const quiet = { level: 'silent', fatal() {}, error() {}, warn() {}, info() {}, debug() {}, trace() {}, silent() {}, child() { return quiet; } } as unknown as FastifyBaseLogger;

export async function world(dialect: Dialect, t: TestContext): Promise<World> {
  const config = loadConfig({
    NODE_ENV: 'test', PORT: '0', HOST: '127.0.0.1', PUBLIC_URL: 'http://127.0.0.1:9',
    SECRET_KEY: randomBytes(32).toString('base64'), TOTP_KEY: randomBytes(32).toString('base64'),
    ARGON2_MEMORY_KIB: '1024', ARGON2_TIME_COST: '1', DATA_DIR: '/tmp/bizportal-test-unused',
  });
  const handle = await freshDb(dialect, t);
  const clock = { now: Date.now(), advance(ms: number) { this.now += ms; } };
  const ctx: AppContext = {
    config, db: handle.db, dialect: handle.dialect, hashPool: new HashPool({ concurrency: 2, queueLimit: 50 }),
    throttle: new DbThrottle(handle.db), now: () => clock.now, log: quiet,
  };
  return { ctx, clock };
}

let seq = 0;
/** A registered user (its starting-guide link issued) in an organisation of its own. */
export async function person(ctx: AppContext, role: Role = 'general'): Promise<{ user: UserRow; setupToken: string }> {
  const org = await createOrganisation(ctx.db, { name: `Org ${++seq}`, kind: 'direct' }, ctx.now());
  const { user, setupUrl } = await registerUser(ctx, {
    organisationId: org.id, email: `p${++seq}.${Date.now()}@example.co.jp`, name: '山田 太郎', phone: '0312345678', role,
  }, { userId: null, ip: '127.0.0.1' });
  return { user, setupToken: setupUrl.split('/').pop()! };
}

export async function reload(ctx: AppContext, id: string): Promise<UserRow> {
  return (await findUserById(ctx.db, id))!;
}

export const CLIENT = { ip: '192.0.2.7', userAgent: 'flow-test' };
export const GOOD_PW = 'Kx7#mPq2vLa9';
