// The AppContext a CLI command runs with: the server's configuration (same DATABASE_URL,
// PUBLIC_URL, secrets), one database connection, a one-slot hash pool and a silent log.
// DATABASE_SCHEMA picks a PostgreSQL schema (openDb's `schema` option), e.g. for tests.
import pino from 'pino';
import { ConfigError, databaseSchema, loadConfig } from '../config.ts';
import type { AppContext } from '../context.ts';
import { openDb } from '../db/index.ts';
import { HashPool, DbThrottle } from '../auth/service.ts';
import { systemClock } from '../lib/index.ts';
import type { CliEnv } from './command.ts';
import { mailBrand } from '../branding/service.ts';
import { useMailBrandLookup } from '../mail/service.ts';

export interface CliContext { ctx: AppContext; close(): Promise<void> }

/** Validates DATABASE_SCHEMA against DATABASE_URL (throws ConfigError); undefined when unset. */
export function schemaFromEnv(env: CliEnv, databaseUrl: string): string | undefined {
  return databaseSchema(env, databaseUrl);
}

/**
 * Loads the configuration (ConfigError on bad settings) and opens the database. A DATABASE_SCHEMA
 * that does not exist is refused here: PostgreSQL would otherwise report a missing table later.
 */
export async function openCliContext(env: CliEnv): Promise<CliContext> {
  useMailBrandLookup(mailBrand); // issue 20: mails the CLI queues carry the recipient's brand too
  const config = loadConfig(env);
  const schema = schemaFromEnv(env, config.databaseUrl);
  const handle = openDb(config.databaseUrl, { poolSize: 2, preparedStatements: config.dbPreparedStatements, ...(schema ? { schema } : {}) });
  try {
    if (schema && !(await handle.db.introspection.getSchemas()).some((s) => s.name === schema)) {
      throw new ConfigError(`DATABASE_SCHEMA "${schema}" does not exist in the database (create it first: create schema ${schema})`);
    }
  } catch (err) {
    await handle.close().catch(() => {});
    throw err;
  }
  const ctx: AppContext = {
    config,
    db: handle.db,
    dialect: handle.dialect,
    hashPool: new HashPool({ concurrency: 1, queueLimit: 0 }),
    throttle: new DbThrottle(handle.db),
    now: systemClock,
    log: pino({ level: 'silent' }),
  };
  return { ctx, close: () => handle.close() };
}
