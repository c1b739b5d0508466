// What the signed-in page costs before its own queries, measured in process (issue 19,
// docs/performance.md "One statement per signed-in session"): the session plugin's lookup, the
// contract scope (the viewer's groups) and the previous login, per request, on one database.
//
//   node --import tsx scripts/page-session-cost.ts [--pg] [--n=5000] [--root=DIR] [--session-only]
//
// --session-only measures the session plugin's lookup alone (older code: without the scope and the
// previous login, which the newer one brings in the same statement).
// --root runs another checkout's code (e.g. `git archive` of an older commit) against the same
// steps, so before and after are measured by one script. Prints the median of n lookups of Node
// CPU (user + system) and wall time, and the whole machine's CPU per lookup over the run (/proc/stat,
// which includes the PostgreSQL backend's parse, plan and execute).
import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import pg from 'pg';
import { median } from '../bench/stats.ts';
import { machineJiffies } from '../bench/processes.ts';

const arg = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const root = resolve(arg('root') ?? process.cwd());
const n = Number(arg('n') ?? 5000);
const pgWanted = process.argv.includes('--pg');
const PG_URL = process.env.TEST_PG_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
const NOW = Date.now();

const { openDb, migrateToLatest } = await import(`${root}/src/db/index.ts`);
const { createOrganisation } = await import(`${root}/src/auth/tenancy/organisations.ts`);
const { insertUser, recordLogin } = await import(`${root}/src/auth/users/store.ts`);
const sessions = await import(`${root}/src/auth/sessions/store.ts`);
const { resolveSession } = await import(`${root}/src/auth/sessions/resolve.ts`);
const access = await import(`${root}/src/portal/access.ts`);

const schema = `t_cost_${randomBytes(5).toString('hex')}`;
if (pgWanted) await adminQuery(`create schema ${schema}`);
const h = pgWanted ? openDb(PG_URL, { schema, poolSize: 4 }) : openDb('sqlite::memory:');
try {
  await migrateToLatest(h.db);
  const token = await seed(h.db);
  const ctx = { db: h.db, config: { sessionIdleMs: 30 * 60_000, sessionAbsoluteMs: 12 * 3_600_000 }, now: () => NOW + 1000 };
  // Before: the scope and the previous login were each a statement of their own; after, they came with the session.
  const before = 'previousLoginAt' in sessions;
  const sessionOnly = process.argv.includes('--session-only');
  const oneRequest = async () => {
    const found = await resolveSession(ctx, token);
    if (!found) throw new Error('no session');
    const viewer = { userId: found.user.id, organisationId: found.user.organisation_id, role: found.user.role };
    if (sessionOnly) return [found.session.id.length];
    if (before) {
      const scope = await access.contractScope(h.db, viewer);
      const prev = await sessions.previousLoginAt(h.db, found.user.id, found.session.id);
      return [scope.groupIds.length, prev];
    }
    return [access.scopeFrom(viewer, found).groupIds.length, found.previousLoginAt];
  };
  const answer = await oneRequest();
  for (let i = 0; i < 500; i++) await oneRequest();
  const cpu: number[] = [];
  const wall: number[] = [];
  const machine0 = machineBusyJiffies();
  for (let i = 0; i < n; i++) {
    const c0 = process.cpuUsage();
    const w0 = process.hrtime.bigint();
    await oneRequest();
    const c = process.cpuUsage(c0);
    wall.push(Number(process.hrtime.bigint() - w0) / 1000);
    cpu.push(c.user + c.system);
  }
  const machineUs = ((machineBusyJiffies() - machine0) * 1e6) / 100 / n; // USER_HZ = 100
  console.log(JSON.stringify({
    code: `${before ? 'before' : 'after'}${sessionOnly ? ', session lookup only' : ''}`, dialect: pgWanted ? 'postgres' : 'sqlite', n,
    answer, nodeCpuUsMedian: median(cpu), wallUsMedian: median(wall), machineCpuUsPerLookup: Math.round(machineUs),
  }));
} finally {
  await h.close();
  if (pgWanted) await adminQuery(`drop schema ${schema} cascade`);
}

/** An organisation, a general user in two groups (and one group of another organisation), accepted terms, two logins. */
async function seed(db: any): Promise<string> {
  const org = await createOrganisation(db, { name: 'Acme', kind: 'direct' }, NOW);
  const other = await createOrganisation(db, { name: 'Other', kind: 'direct' }, NOW);
  const user = await insertUser(db, { organisationId: org.id, loginId: 'u1', email: 'u1@example.com', name: 'User One', phone: '0312345678', role: 'general', lang: 'ja' }, NOW);
  for (const [id, orgId] of [['g1', org.id], ['g2', org.id], ['g3', other.id]]) {
    await db.insertInto('user_group').values({ id, organisation_id: orgId, name: id, created_at: NOW }).execute();
    await db.insertInto('user_group_member').values({ group_id: id, user_id: user.id }).execute();
  }
  await db.insertInto('terms_version').values({ id: 'tv1', version: 1, title_ja: 't', title_en: 't', body_ja: 'b', body_en: 'b', published_at: NOW }).execute();
  await db.insertInto('terms_acceptance').values({ user_id: user.id, terms_version_id: 'tv1', accepted_at: NOW, ip: '10.0.0.1' }).execute();
  const times = { idleMs: 30 * 60_000, absoluteMs: 12 * 3_600_000 };
  let token = '';
  for (const at of [NOW - 3_600_000, NOW]) {
    token = await sessions.createSession(db, { userId: user.id, aal: 'aal2', skipReason: null, ip: '10.0.0.1', userAgent: 'ua' }, times, at);
    await recordLogin(db, user.id, at);
  }
  return token;
}

/** Busy jiffies of the whole machine (bench/processes.ts reads /proc/stat). */
function machineBusyJiffies(): number {
  return machineJiffies().busy;
}

async function adminQuery(text: string): Promise<void> {
  const c = new pg.Client({ connectionString: PG_URL });
  await c.connect();
  try { await c.query(text); } finally { await c.end(); }
}
