// The signed-in home page (GET /) measured in process through app.inject, no sockets (issue 19,
// docs/performance.md): the whole request — plugins, session, dashboard queries, rendering.
//
//   node --import tsx scripts/home-page-cost.ts [--pg] [--n=2000] [--roots=DIR,DIR]
//
// --roots runs several checkouts' code in this one process (e.g. `git archive` of the commit
// before and of this one), each over its own fresh database with the bench's seed and one session
// of its first user, taking them in turn in blocks of 50 requests so that each sees the same
// machine. tsx applies the JSX settings of the tsconfig.json in the working directory: run it from
// a directory whose tsconfig.json includes every root. Prints the median of n requests of Node CPU
// (user + system) and wall time per root.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';
import { median } from '../bench/stats.ts';
import { machineJiffies } from '../bench/processes.ts';

const arg = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const roots = (arg('roots') ?? process.cwd()).split(',').map((r) => resolve(r));
const n = Number(arg('n') ?? 2000);
const pgWanted = process.argv.includes('--pg');
const BLOCK = 50;

/** One portal of `root`'s code over its own fresh database, and a signed-in GET /. */
async function portalOf(root: string) {
  const { loadConfig } = await import(`${root}/src/config.ts`);
  const { buildApp } = await import(`${root}/src/app.ts`);
  const { openDb } = await import(`${root}/src/db/index.ts`);
  const { createSession } = await import(`${root}/src/auth/sessions/store.ts`);
  const { recordLogin } = await import(`${root}/src/auth/users/store.ts`);
  const { cookieNames } = await import(`${root}/src/web/cookies.ts`);
  const { freshDatabase } = await import(`${root}/bench/database.ts`);
  const { seedDatabase } = await import(`${root}/bench/seed.ts`);
  const tempDir = mkdtempSync(join(tmpdir(), 'bizportal-home-cost-'));
  const database = await freshDatabase(pgWanted, tempDir);
  const config = loadConfig({
    PORT: '3999', HOST: '127.0.0.1', PUBLIC_URL: 'http://127.0.0.1:3999', DATABASE_URL: database.url, DATA_DIR: tempDir,
    LOG_LEVEL: 'warn', COOKIE_SECURE: 'false', DEV_OUTBOX: 'false', MAIL_WORKER: 'false',
    SECRET_KEY: randomBytes(32).toString('hex'), TOTP_KEY: randomBytes(32).toString('hex'), ARGON2_MEMORY_KIB: '1024', ARGON2_TIME_COST: '1',
  });
  const [seeded] = await seedDatabase(database.url, 2, config.argon2, config.totpKey);
  const handle = openDb(database.url, { preparedStatements: config.dbPreparedStatements });
  const built = await buildApp(config, { handle });
  await built.app.ready();
  const user = await handle.db.selectFrom('app_user').select('id').where('login_id', '=', seeded.loginId).executeTakeFirstOrThrow();
  const times = { idleMs: config.sessionIdleMs, absoluteMs: config.sessionAbsoluteMs };
  const at = Date.now();
  // An earlier login too: the page shows its time (older code found it among the sessions, newer on the user row).
  await createSession(handle.db, { userId: user.id, aal: 'aal2', skipReason: null, ip: '127.0.0.1', userAgent: 'cost' }, times, at - 3_600_000);
  await recordLogin(handle.db, user.id, at - 3_600_000);
  const token = await createSession(handle.db, { userId: user.id, aal: 'aal2', skipReason: null, ip: '127.0.0.1', userAgent: 'cost' }, times, at);
  await recordLogin(handle.db, user.id, at);
  const cookies = { [cookieNames(config).session]: token };
  return {
    root, cpu: [] as number[], wall: [] as number[],
    async get() {
      const r = await built.app.inject({ method: 'GET', url: '/', cookies });
      if (r.statusCode !== 200) throw new Error(`${root}: GET / → ${r.statusCode}: ${r.body.slice(0, 300)}`);
    },
    async close() {
      await built.app.close();
      await handle.close();
      await database.drop();
      rmSync(tempDir, { recursive: true, force: true });
    },
  };
}

const portals = [];
try {
  for (const root of roots) portals.push(await portalOf(root));
  for (const p of portals) for (let i = 0; i < 300; i++) await p.get();
  const machine0 = machineBusyJiffies();
  // Blocks of BLOCK requests, taking the portals in turn: each sees the same machine (others' load comes and goes).
  for (let done = 0; done < n; done += BLOCK) {
    for (const p of portals) {
      for (let i = 0; i < BLOCK; i++) {
        const c0 = process.cpuUsage();
        const w0 = process.hrtime.bigint();
        await p.get();
        const c = process.cpuUsage(c0);
        p.wall.push(Number(process.hrtime.bigint() - w0) / 1000);
        p.cpu.push(c.user + c.system);
      }
    }
  }
  const machineUs = ((machineBusyJiffies() - machine0) * 1e6) / 100 / (n * portals.length); // USER_HZ = 100
  for (const p of portals) {
    console.log(JSON.stringify({ root: p.root, dialect: pgWanted ? 'postgres' : 'sqlite', n: p.cpu.length, nodeCpuUsMedian: median(p.cpu), wallUsMedian: Math.round(median(p.wall)) }));
  }
  console.log(JSON.stringify({ machineCpuUsPerRequestAllPortals: Math.round(machineUs) }));
} finally {
  for (const p of portals) await p.close();
}

/** Busy jiffies of the whole machine (bench/processes.ts reads /proc/stat). */
function machineBusyJiffies(): number {
  return machineJiffies().busy;
}
