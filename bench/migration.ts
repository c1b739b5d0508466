// `npm run bench:migration [-- --users N] [--batch N] [--sqlite]`: the legacy-user import at scale
// (issue 21 "Scale"; docs/migration.md, "Figures"). Generates a legacy export of N users (default
// 1,000,000) as a CSV file, streamed to a temp directory: one partner contract per 1,000 users,
// every fifth block of 200 users a child contract of it, phones in mixed shapes, 0.1 % of login IDs
// taken in the new portal already. Imports it into a fresh PostgreSQL database (DATABASE_URL, or a
// temp database on 127.0.0.1:5432 dropped afterwards) through the same service the CLI runs, and
// prints users/s, elapsed time and peak RSS next to the goal. Never asserted.
import { createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { migrateToLatest, openDb } from '../src/db/index.ts';
import { createOrganisation, insertUsers, type NewUser } from '../src/auth/service.ts';
import { importLegacyUsers, DEFAULT_BATCH } from '../src/migration/service.ts';
import { freshDatabase, type BenchDatabase } from './database.ts';

const argv = process.argv.slice(2);
function arg(name: string): string | undefined {
  const i = argv.findIndex((a) => a === `--${name}` || a.startsWith(`--${name}=`));
  if (i < 0) return undefined;
  return argv[i]!.includes('=') ? argv[i]!.split('=')[1] : argv[i + 1];
}
const N = Number(arg('users') ?? 1_000_000);
const BATCH = Number(arg('batch') ?? DEFAULT_BATCH);
const usePg = !argv.includes('--sqlite');
const GOAL_USERS = 1_000_000;
const GOAL_MS = 5 * 60_000;
const log = (line: string) => console.error(`[bench:migration ${new Date().toISOString().slice(11, 19)}] ${line}`);
if (!Number.isInteger(N) || N < 1) throw new Error('--users must be a positive whole number');

const PHONES = (i: number) => [`03-${String(i % 10000).padStart(4, '0')}-5678`, `0312345${String(i % 1000).padStart(3, '0')}`, '', '+81 (3) 1234', '123'][i % 5]!;

async function generate(path: string): Promise<void> {
  const out = createWriteStream(path);
  const write = async (s: string) => { if (!out.write(s)) await once(out, 'drain'); };
  await write('ecid,contract,parent_contract,contract_name,login_id,email,name,phone,role\n');
  for (let i = 0; i < N; i++) {
    const partner = `P${Math.floor(i / 1000)}`;
    const block = Math.floor(i / 200);
    const child = block % 5 === 4 ? `C${block}` : '';
    const contract = child || partner;
    const name = i % 3 === 0 ? `山田 太郎${i}` : `User ${i}`;
    await write(`ecid${i},${contract},${child ? partner : ''},${contract === partner ? `Partner ${partner}` : `Child ${child}`},u${i}@bench.example,u${i}@bench.example,${name},${PHONES(i)},${i % 200 === 0 ? 'admin' : 'general'}\n`);
  }
  out.end();
  await once(out, 'finish');
}

const tempDir = mkdtempSync(join(tmpdir(), 'bizportal-bench-migration-'));
let database: BenchDatabase | undefined;
try {
  const file = join(tempDir, 'legacy.csv');
  let t0 = Date.now();
  await generate(file);
  log(`generated ${N.toLocaleString('en')} users (${(statSync(file).size / 1e6).toFixed(0)} MB) in ${((Date.now() - t0) / 1000).toFixed(1)} s`);

  const fromEnv = process.env.DATABASE_URL;
  database = fromEnv ? { url: fromEnv, label: 'DATABASE_URL', drop: async () => {} } : await freshDatabase(usePg, tempDir);
  const h = openDb(database.url);
  await migrateToLatest(h.db);
  // 0.1 % of the legacy login IDs exist in the new portal already: those users get «_ecid».
  const org = await createOrganisation(h.db, { name: 'Existing customer', kind: 'direct' }, Date.now());
  const taken: NewUser[] = [];
  for (let i = 0; i < N; i += 1000) taken.push({ organisationId: org.id, loginId: `u${i}@bench.example`, email: 'x@example.com', name: 'X', phone: '0312345678', role: 'general', lang: 'ja' });
  for (let i = 0; i < taken.length; i += 1000) await insertUsers(h.db, taken.slice(i, i + 1000), Date.now());

  const rssBefore = process.memoryUsage().rss;
  t0 = Date.now();
  let seen = 0;
  const s = await importLegacyUsers({ db: h.db, now: Date.now }, file, { dryRun: false, onError: 'skip', batchSize: BATCH }, (d) => {
    if (d.kind !== 'org' && ++seen % 100_000 === 0) log(`${seen.toLocaleString('en')} rows, ${Math.round(seen / ((Date.now() - t0) / 1000)).toLocaleString('en')} users/s, RSS ${(process.memoryUsage().rss / 1e6).toFixed(0)} MB`);
  });
  const ms = Date.now() - t0;
  await h.close();
  const perSec = s.created / (ms / 1000);
  const peakMb = process.resourceUsage().maxRSS / 1024;
  const goalPerSec = GOAL_USERS / (GOAL_MS / 1000);
  console.log(`legacy-user import into ${database.label}, batches of ${BATCH}`);
  console.log(`  created ${s.created.toLocaleString('en')} users, ${s.organisations.toLocaleString('en')} organisations; ${s.loginIdsChanged} login IDs and ${s.phonesChanged.toLocaleString('en')} phones changed; ${s.errors} refused`);
  console.log(`  elapsed ${(ms / 1000).toFixed(1)} s, ${Math.round(perSec).toLocaleString('en')} users/s   goal: ${GOAL_USERS.toLocaleString('en')} users in < ${GOAL_MS / 60_000} min (≥ ${Math.round(goalPerSec).toLocaleString('en')} users/s)  ${perSec >= goalPerSec ? 'met' : 'NOT met'}`);
  console.log(`  1,000,000 users at this rate: ${(GOAL_USERS / perSec / 60).toFixed(1)} min`);
  console.log(`  peak RSS ${peakMb.toFixed(0)} MB (before the import ${(rssBefore / 1e6).toFixed(0)} MB)   goal: flat (streamed, batched)`);
} finally {
  await database?.drop().catch((err) => log(`could not drop the database: ${String(err)}`));
  rmSync(tempDir, { recursive: true, force: true });
}
