// `npm run bench [-- --pg] [--quick] [--profile] [--nodes=2]`: the portal's start-up, the floor
// (argon2id), the ceiling (bare session route), (a) full logins, (b) an authenticated page, (c) that
// page under a login flood, and with --nodes logins and pages on several portal processes, all in
// one run against the compiled portal (dist/, as `npm start` runs it) in child processes, with a
// fresh database that is removed afterwards. See docs/performance.md for the figures and what limits each.
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { loadConfig } from '../src/config.ts';
import { parseOptions } from './options.ts';
import { freshDatabase, type BenchDatabase } from './database.ts';
import { seedDatabase } from './seed.ts';
import {
  buildPortalIfStale, forkBenchModule, killAllNow, machineBusyPercent, probe, startPortal, stop, stopAll, waitForHttp, type ProcessUsage,
} from './processes.ts';
import { passThroughEnv, portalEnv, startupEnv } from './portal-env.ts';
import { measureStartups } from './startup-measure.ts';
import { formatNodes, measureNodes } from './nodes.ts';
import { Argon2Floor, type FloorSlice } from './floor.ts';
import { expectPage, freePort, HttpClient } from './http-client.ts';
import { runLogins, summarizeLogins, UserPool, type LoginSlice } from './login-driver.ts';
import { mergeCannon, mergeUsage } from './merge.ts';
import type { CannonJob, CannonResult } from './cannon.ts';
import { cannon, message } from './cannon-run.ts';
import { formatResults } from './report.ts';
import { mainThreadProfile, summarizeProfile } from './profile.ts';

const opts = parseOptions(process.argv.slice(2));
const log = (line: string) => console.error(`[bench ${new Date().toISOString().slice(11, 19)}] ${line}`);

const tempDir = mkdtempSync(join(tmpdir(), 'bizportal-bench-'));
let database: BenchDatabase | undefined;
let cleaned = false;
let interrupted = false;
async function cleanup(): Promise<void> {
  if (cleaned) return;
  cleaned = true;
  await stopAll();
  await database?.drop().catch((err) => log(`could not drop the bench database: ${(err as Error).message}`));
  rmSync(tempDir, { recursive: true, force: true });
}
process.on('exit', killAllNow);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    interrupted = true;
    log(`${signal}: stopping the children, removing the database and temp files`);
    void cleanup().finally(() => process.exit(130));
  });
}

async function main(): Promise<void> {
  // The portal runs compiled, as in production; a stale dist/ is built first, as `npm start` does
  // (before anything is measured: the build keeps a core busy for half a minute).
  buildPortalIfStale();
  database = await freshDatabase(opts.pg, tempDir);
  const [port, barePort] = [await freePort(), await freePort()];
  const origin = `http://127.0.0.1:${port}`;
  const env = portalEnv({ port, databaseUrl: database.url, dataDir: tempDir });
  const config = loadConfig(env);
  const backgroundPercent = await machineBusyPercent(1000);
  if (backgroundPercent > 20) log(`warning: the machine is already ${Math.round(backgroundPercent)}% busy (100% = one core): figures will be low and noisy`);
  const a2 = config.argon2;
  log(`seeding ${opts.users} users into ${database.label}…`);
  const users = await seedDatabase(database.url, opts.users, a2, config.totpKey);

  log(`start-up: ${opts.starts} cold starts of the portal (after one not counted)…`);
  const startup = await measureStartups(() => startPortal(startupEnv(env)), `${origin}/login`, opts.starts);

  const profDir = opts.profile ? mkdtempSync(join(tmpdir(), 'bizportal-prof-')) : null;
  const spawnedAt = performance.now();
  const portal = startPortal(env, profDir ? ['--cpu-prof', `--cpu-prof-dir=${profDir}`] : []);
  await waitForHttp(`${origin}/healthz`, portal);
  const since = () => (performance.now() - spawnedAt) / 1000;
  const windows: Array<{ label: string; from: number; to: number }> = [];

  log('warm-up: logins for the page phases…');
  const client = new HttpClient(new URL(origin), opts.loginConcurrency);
  const pool = new UserPool(users);
  const warm = await runLogins(client, pool, { concurrency: opts.loginConcurrency, count: Math.max(64, opts.connections) });
  if (warm.cookies.length < opts.connections) throw new Error(`warm-up logins failed: ${JSON.stringify(warm.failures)}`);
  const cookies = warm.cookies.slice(0, opts.connections);
  await expectPage(`${origin}/`, cookies[0]!, 'Bench User');

  // Statements per login and per page, from the portal's own counter (bizportal_db_statements_total):
  // one at a time, so nothing else runs between the two readings.
  const statementsNow = async () => {
    const text = await (await fetch(`${origin}/metrics`)).text();
    const byKind: Record<string, number> = {};
    for (const m of text.matchAll(/^bizportal_db_statements_total\{kind="(\w+)"\} (\d+)/gm)) byKind[m[1]!] = Number(m[2]);
    return byKind;
  };
  const perEach = (a: Record<string, number>, b: Record<string, number>, n: number) => {
    const d = (k: string) => ((b[k] ?? 0) - (a[k] ?? 0)) / n;
    const all = Object.keys(b).reduce((sum, k) => sum + (['begin', 'commit', 'rollback'].includes(k) ? 0 : d(k)), 0);
    return { statements: all, writes: d('insert') + d('update') + d('delete'), transactions: d('commit') };
  };
  const COUNTED = 10;
  const s0 = await statementsNow();
  const counted = await runLogins(client, pool, { concurrency: 1, count: COUNTED });
  if (counted.cookies.length !== COUNTED) throw new Error(`counted logins failed: ${JSON.stringify(counted.failures)}`);
  const s1 = await statementsNow();
  for (let i = 0; i < COUNTED; i++) await expectPage(`${origin}/`, cookies[i % cookies.length]!, 'Bench User');
  const s2 = await statementsNow();
  const statementCounts = { login: perEach(s0, s1, COUNTED), page: perEach(s1, s2, COUNTED) };

  // Floor ↔ (a), alternated in slices so that both sides of the ratio see the same machine.
  const floorMeter = await Argon2Floor.prepare(a2);
  const floorSlices: FloorSlice[] = [];
  const loginSlices: LoginSlice[] = [];
  const floorUsage: ProcessUsage[] = [];
  const loginUsage: ProcessUsage[] = [];
  let driverCpuS = 0;
  for (let round = 1; round <= opts.rounds; round++) {
    log(`floor ↔ (a) full logins, round ${round}/${opts.rounds}: ${opts.floorS} s argon2id, ${opts.loginS} s logins…`);
    let p = probe(process.pid);
    floorSlices.push(await floorMeter.measure(opts.floorS));
    floorUsage.push(p.stop());
    const from = since();
    p = probe(portal.pid);
    const cpu0 = process.cpuUsage();
    loginSlices.push(await runLogins(client, pool, { concurrency: opts.loginConcurrency, durationS: opts.loginS }));
    const cpu = process.cpuUsage(cpu0);
    driverCpuS += (cpu.user + cpu.system) / 1e6;
    loginUsage.push(p.stop());
    windows.push({ label: `(a) full logins, round ${round}`, from, to: since() });
  }
  const floor = floorMeter.summarize(floorSlices);
  const login = summarizeLogins(loginSlices);
  const driverPercent = (driverCpuS / login.elapsedS) * 100;

  // Ceiling ↔ (b), alternated the same way; the bare server is its own process, as the portal is.
  const bare = forkBenchModule('./bare-server.ts', { ...passThroughEnv(), DATABASE_URL: database.url, PORT: String(barePort) });
  await message<'ready'>(bare);
  const bareUrl = `http://127.0.0.1:${barePort}/bare`;
  const pageUrl = `${origin}/`;
  await expectPage(bareUrl, cookies[0]!, '"ok":true');
  const job = (url: string, durationS: number): CannonJob => ({ url, connections: opts.connections, durationS, cookies });
  log('warm-up: bare route and page…');
  await cannon(job(bareUrl, opts.warmS));
  await cannon(job(pageUrl, opts.warmS));
  const ceilingSlices: CannonResult[] = [];
  const pageSlices: CannonResult[] = [];
  const ceilingUsage: ProcessUsage[] = [];
  const pageUsage: ProcessUsage[] = [];
  for (let round = 1; round <= opts.rounds; round++) {
    log(`ceiling ↔ (b) authenticated page, round ${round}/${opts.rounds}: ${opts.ceilingS} s bare route, ${opts.pageS} s page…`);
    let p = probe(bare.pid);
    ceilingSlices.push(await cannon(job(bareUrl, opts.ceilingS)));
    ceilingUsage.push(p.stop());
    const from = since();
    p = probe(portal.pid);
    pageSlices.push(await cannon(job(pageUrl, opts.pageS)));
    pageUsage.push(p.stop());
    windows.push({ label: `(b) authenticated page, round ${round}`, from, to: since() });
  }
  await stop(bare);

  log(`(c) authenticated page during a login flood for ${opts.floodS} s…`);
  const flag = { stopped: false };
  const floodProbe = probe(portal.pid);
  const floodRun = runLogins(client, pool, { concurrency: opts.loginConcurrency, stop: flag });
  await sleep(1000);   // the hash pool is full before the page load starts
  const from = since();
  const flood = await cannon(job(pageUrl, opts.floodS));
  windows.push({ label: '(c) page during login flood', from, to: since() });
  flag.stopped = true;
  const floodLogins = summarizeLogins([await floodRun]);
  const floodUsage = floodProbe.stop();
  client.close();

  const nodes = opts.nodes > 1
    ? await measureNodes({ ...opts, first: { portal, origin, env }, pool, cookies, log })
    : null;
  await stop(portal);

  const cpu = cpus()[0]?.model.trim() ?? 'unknown CPU';
  console.log(formatResults({
    machine: `${cpus().length} × ${cpu}, Node ${process.version}, ${opts.quick ? 'QUICK run (rough figures)' : 'full run'}`,
    database: database.label,
    argon2: `m=${a2.memoryCost} KiB, t=${a2.timeCost}, p=${a2.parallelism}; portal HASH_CONCURRENCY=${config.hashConcurrency}, queue ${config.hashQueueLimit}`,
    loginConcurrency: opts.loginConcurrency, connections: opts.connections, startup, backgroundPercent, statementCounts,
    rounds: opts.rounds,
    floor, floorMachinePercent: mergeUsage(floorUsage).machinePercent,
    ceiling: mergeCannon(ceilingSlices), ceilingUsage: mergeUsage(ceilingUsage),
    login, loginUsage: mergeUsage(loginUsage), driverPercent,
    page: mergeCannon(pageSlices), pageUsage: mergeUsage(pageUsage),
    flood, floodLogins, floodUsage,
  }));
  if (nodes) console.log(`\n${formatNodes(nodes, opts)}`);

  if (profDir) {
    const file = mainThreadProfile(profDir);
    if (!file) log(`no CPU profile written to ${profDir}`);
    else {
      console.log(`\nCPU profile of the portal: ${file} (kept; open in Chrome DevTools)`);
      for (const w of windows) {
        console.log(`\n${w.label} (${w.from.toFixed(1)}–${w.to.toFixed(1)} s after the portal started)\n${summarizeProfile(file, w.from, w.to).join('\n')}`);
      }
    }
  }
}

const started = Date.now();
try {
  await main();
} catch (err) {
  if (!interrupted) log(`failed: ${(err as Error).stack ?? String(err)}`);
  process.exitCode = 1;
} finally {
  await cleanup();
  log(`done in ${Math.round((Date.now() - started) / 1000)} s; temp files and the bench database removed`);
}
