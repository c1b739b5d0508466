// `npm run bench:startup [-- --pg] [--cwd DIR] [--cmd "<node args>"] [--starts=N]`: only the bench's
// start-up phase, for this checkout or another one. A fresh database is seeded by the checkout's own
// bench/seed.ts (its migrations are the ones its portal expects), then the portal is started N times
// (default 5, after one unmeasured start) and the medians printed. Example, an older checkout that
// runs tsx: npm run bench:startup -- --cwd /work/wt/before --cmd "--import tsx src/server.ts"
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { loadConfig } from '../src/config.ts';
import { freshDatabase, type BenchDatabase } from './database.ts';
import { freePort } from './http-client.ts';
import { portalEnv, startupEnv } from './portal-env.ts';
import { buildPortalIfStale, COMPILED_PORTAL, killAllNow, REPO_ROOT, startPortal, stopAll } from './processes.ts';
import { formatStartup, measureStartups } from './startup-measure.ts';

const USAGE = `npm run bench:startup [-- --pg] [--cwd DIR] [--cmd "<node args>"] [--starts=N]
  --pg           PostgreSQL on 127.0.0.1:5432 (BENCH_PG_URL overrides); default a SQLite file
  --cwd DIR      the checkout to start (default this one); its bench/seed.ts seeds the database
  --cmd ARGS     node arguments that start its portal (default: dist/server.js, built first when stale)
  --starts=N     measured starts (default 5), after one that is not counted`;
const SEEDED_USERS = 3000;   // as a full `npm run bench`

function parse(argv: string[]) {
  const out = { pg: false, cwd: resolve(REPO_ROOT), cmd: null as string[] | null, starts: 5 };
  // npm runs scripts in the package's folder; a relative --cwd means the caller's folder.
  const callerDir = process.env.INIT_CWD ?? process.cwd();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--pg') out.pg = true;
    else if (a === '--cwd' && argv[i + 1]) out.cwd = resolve(callerDir, argv[++i]!);
    else if (a === '--cmd' && argv[i + 1]) out.cmd = argv[++i]!.trim().split(/\s+/);
    else if (/^--starts=\d+$/.test(a) && Number(a.slice(9)) >= 1) out.starts = Number(a.slice(9));
    else {
      console.error(a === '--help' ? USAGE : `unknown or incomplete option: ${a}\n${USAGE}`);
      process.exit(a === '--help' ? 0 : 2);
    }
  }
  if (!existsSync(join(out.cwd, 'bench', 'seed.ts'))) {
    console.error(`${out.cwd} has no bench/seed.ts: --cwd must be a bizportal checkout with the bench\n${USAGE}`);
    process.exit(2);
  }
  return out;
}

const opts = parse(process.argv.slice(2));
const log = (line: string) => console.error(`[bench:startup ${new Date().toISOString().slice(11, 19)}] ${line}`);
const tempDir = mkdtempSync(join(tmpdir(), 'bizportal-startup-'));
let database: BenchDatabase | undefined;
let cleaned = false;
async function cleanup(): Promise<void> {
  if (cleaned) return;
  cleaned = true;
  await stopAll();
  await database?.drop().catch((err) => log(`could not drop the database: ${(err as Error).message}`));
  rmSync(tempDir, { recursive: true, force: true });
}
process.on('exit', killAllNow);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => void cleanup().finally(() => process.exit(130)));
}

async function main(): Promise<void> {
  const command = opts.cmd ?? COMPILED_PORTAL;
  if (!opts.cmd) buildPortalIfStale(opts.cwd);
  database = await freshDatabase(opts.pg, tempDir);
  const port = await freePort();
  const env = portalEnv({ port, databaseUrl: database.url, dataDir: tempDir });
  const config = loadConfig(env);
  // The checkout's own seed: its migrations are the ones its portal checks at start.
  const seed = await import(pathToFileURL(join(opts.cwd, 'bench', 'seed.ts')).href) as typeof import('./seed.ts');
  log(`seeding ${SEEDED_USERS} users into ${database.label} with ${opts.cwd}/bench/seed.ts…`);
  await seed.seedDatabase(database.url, SEEDED_USERS, config.argon2, config.totpKey);
  log(`starting \`node ${command.join(' ')}\` in ${opts.cwd} ${opts.starts + 1} times (the first is not counted)…`);
  const result = await measureStartups(() => startPortal(startupEnv(env), [], { command, cwd: opts.cwd }), `http://127.0.0.1:${port}/login`, opts.starts);
  console.log(`portal:   node ${command.join(' ')}   (in ${opts.cwd})`);
  console.log(`database: ${database.label}, ${SEEDED_USERS} users; Node ${process.version}`);
  console.log(formatStartup(result));
}

try {
  await main();
} catch (err) {
  log(`failed: ${(err as Error).stack ?? String(err)}`);
  process.exitCode = 1;
} finally {
  await cleanup();
}
