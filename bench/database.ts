// A fresh database per run: a SQLite file in a temp directory, or a PostgreSQL database created on
// 127.0.0.1:5432 and dropped afterwards (the portal itself is given only DATABASE_URL).
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import pg from 'pg';

export interface BenchDatabase { url: string; label: string; drop(): Promise<void> }

const PG_ADMIN_URL = process.env.BENCH_PG_URL || 'postgres://postgres@127.0.0.1:5432/postgres';

export async function freshDatabase(usePg: boolean, tempDir: string): Promise<BenchDatabase> {
  if (!usePg) {
    // The temp directory (removed by run.ts) holds the file and its WAL.
    return { url: `sqlite:${join(tempDir, 'bench.sqlite')}`, label: 'SQLite (WAL, better-sqlite3)', drop: async () => {} };
  }
  const name = `bizportal_bench_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
  await admin.connect();
  let version = '';
  try {
    version = (await admin.query<{ server_version: string }>('show server_version')).rows[0]?.server_version ?? '';
    await admin.query(`create database ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(PG_ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    label: `PostgreSQL ${version} (pg pool of 10)`,
    async drop() {
      const c = new pg.Client({ connectionString: PG_ADMIN_URL });
      await c.connect();
      try {
        // WITH (FORCE), PG 13+: a connection left by a killed child does not keep the database alive.
        await c.query(`drop database if exists ${name} with (force)`);
      } finally {
        await c.end();
      }
    },
  };
}
