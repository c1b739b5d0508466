// What the CLI tests share: run a command in-process through runCli and capture its lines, and an
// operator's environment pointing at a fresh database (a SQLite file, or a PostgreSQL schema).
import type { TestContext } from 'node:test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PG_URL, createPgSchema } from '../../../test/helpers/db.ts';
import { openDb, type Db, type Dialect } from '../../db/index.ts';
import { runCli, type CliEnv } from '../main.ts';

export const PUBLIC_URL = 'https://portal.example.com';

export interface Result { code: number; out: string[]; err: string[] }

export async function cli(env: CliEnv, ...argv: string[]): Promise<Result> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(argv, { out: (l) => out.push(l), err: (l) => err.push(l) }, env);
  return { code, out, err };
}

/** The environment of an operator shell pointing at a fresh database of this dialect. */
export async function operatorEnv(dialect: Dialect, t: TestContext): Promise<CliEnv> {
  const dir = mkdtempSync(join(tmpdir(), 'bizportal-cli-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const env: CliEnv = { NODE_ENV: 'test', DATA_DIR: dir, PUBLIC_URL };
  if (dialect === 'sqlite') return { ...env, DATABASE_URL: `sqlite:${dir}/portal.sqlite` };
  const { schema, drop } = await createPgSchema();
  t.after(drop);
  return { ...env, DATABASE_URL: PG_URL, DATABASE_SCHEMA: schema };
}

/** Reads the database the CLI wrote, as a second connection. */
export async function inspect<T>(env: CliEnv, fn: (db: Db) => Promise<T>): Promise<T> {
  const h = openDb(env.DATABASE_URL!, env.DATABASE_SCHEMA ? { schema: env.DATABASE_SCHEMA } : {});
  try { return await fn(h.db); } finally { await h.close(); }
}
