// The results table and the goal ratios (PERFORMANCE.md). Goals are printed, never asserted.
import type { CannonResult } from './cannon.ts';
import type { FloorResult } from './floor.ts';
import { LOGIN_STEPS, type LoginRun } from './login-driver.ts';
import type { ProcessUsage } from './processes.ts';
import { formatStartup, type StartupResult } from './startup-measure.ts';

export interface Results {
  machine: string; database: string; argon2: string;
  loginConcurrency: number; connections: number;
  /** Cold starts of the portal against the seeded database, before the load phases. */
  startup: StartupResult; backgroundPercent: number;
  /** Per full login and per authenticated page, counted one at a time (bizportal_db_statements_total). */
  statementCounts: Record<'login' | 'page', { statements: number; writes: number; transactions: number }>;
  rounds: number;
  floor: FloorResult; floorMachinePercent: number;
  ceiling: CannonResult; ceilingUsage: ProcessUsage;
  login: LoginRun; loginUsage: ProcessUsage;
  /** CPU of the bench's own login driver during (a) (100% = one core). */
  driverPercent: number;
  page: CannonResult; pageUsage: ProcessUsage;
  flood: CannonResult; floodLogins: LoginRun; floodUsage: ProcessUsage;
}

const ms = (v: number) => (Number.isFinite(v) ? `${v < 10 ? v.toFixed(1) : Math.round(v)} ms` : '–');
const rate = (v: number, unit: string) => `${v < 100 ? v.toFixed(1) : Math.round(v).toLocaleString('en')} ${unit}`;
const mib = (u?: ProcessUsage) => (u ? `${Math.round(u.rssPeakMiB)} MiB` : '–');
const cpu = (u?: ProcessUsage) => (u ? `${Math.round(u.cpuPercent)}% / ${Math.round(u.machinePercent)}%` : '–');

function failures(f: Record<string, number>): string {
  const list = Object.entries(f).map(([k, v]) => `${v}× ${k}`);
  return list.length ? `failed: ${list.join(', ')}` : '';
}

function cannonNotes(c: CannonResult): string {
  const bad = [c.non2xx && `${c.non2xx} non-2xx`, c.errors && `${c.errors} errors`, c.timeouts && `${c.timeouts} timeouts`].filter(Boolean);
  return bad.length ? bad.join(', ') : `${c.total.toLocaleString('en')} requests`;
}

export function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  const line = (r: string[]) => `| ${r.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  return [line(rows[0]!), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.slice(1).map(line)].join('\n');
}

function goal(text: string, met: boolean): string {
  return `${text}  →  ${met ? 'met' : 'NOT met'}`;
}

export function formatResults(r: Results): string {
  const rows = [
    ['measurement', 'rate', 'p50', 'p99', 'RSS peak', 'CPU server / machine', 'notes'],
    [`floor: argon2id verify, ${r.floor.concurrency} at once`, rate(r.floor.verifiesPerS, 'verifies/s'), ms(r.floor.p50), ms(r.floor.p99), '–', `– / ${Math.round(r.floorMachinePercent)}%`,
      `one verify alone: ${ms(r.floor.singleMs)}`],
    ['ceiling: bare Fastify, cookie → session row', rate(r.ceiling.reqPerS, 'req/s'), ms(r.ceiling.p50), ms(r.ceiling.p99), mib(r.ceilingUsage), cpu(r.ceilingUsage),
      `${r.connections} conns; ${cannonNotes(r.ceiling)}`],
    [`(a) full login: password + TOTP → session`, rate(r.login.loginsPerS, 'logins/s'), ms(r.login.p50), ms(r.login.p99), mib(r.loginUsage), cpu(r.loginUsage),
      `${r.loginConcurrency} in flight, 4 requests each; ${r.login.logins} logins ${failures(r.login.failures)}`.trim()],
    ['(b) authenticated page GET /', rate(r.page.reqPerS, 'req/s'), ms(r.page.p50), ms(r.page.p99), mib(r.pageUsage), cpu(r.pageUsage),
      `${r.connections} conns; ${cannonNotes(r.page)}`],
    ['(c) GET / during login flood', rate(r.flood.reqPerS, 'req/s'), ms(r.flood.p50), ms(r.flood.p99), mib(r.floodUsage), cpu(r.floodUsage),
      `${cannonNotes(r.flood)}; logins meanwhile ${rate(r.floodLogins.loginsPerS, '/s')} (p99 ${ms(r.floodLogins.p99)}) ${failures(r.floodLogins.failures)}`.trim()],
  ];
  const loginRatio = r.login.loginsPerS / r.floor.verifiesPerS;
  const pageRatio = r.page.reqPerS / r.ceiling.reqPerS;
  const stepLine = (run: LoginRun) => LOGIN_STEPS.map((name, i) => `${name} ${ms(run.stepP50[i]!)}`).join(', ');
  return [
    `machine:   ${r.machine}`,
    `database:  ${r.database}`,
    `argon2id:  ${r.argon2}`,
    formatStartup(r.startup),
    `machine CPU before the run, from other work: ${Math.round(r.backgroundPercent)}%`,
    'RSS: the server process (VmRSS peak). CPU: the server process / the whole machine, 100% = one core, 200% = both.',
    '',
    table(rows),
    `floor, ceiling, (a) and (b): ${r.rounds} alternated slices each (floor ↔ (a), ceiling ↔ (b)); autocannon p50/p99 = median of the slices'.`,
    `(a) median per request of a login: ${stepLine(r.login)}; the driver itself used ${Math.round(r.driverPercent)}% CPU`,
    `(c) same, during the page load:    ${stepLine(r.floodLogins)}`,
    '',
    'goals (PERFORMANCE.md; reported, not asserted):',
    `  ${goal(`full logins/s ÷ argon2id verifies/s = ${loginRatio.toFixed(2)}   (goal ≥ 0.9)`, loginRatio >= 0.9)}`,
    `  ${goal(`page req/s ÷ bare route req/s      = ${pageRatio.toFixed(2)}   (goal ≥ 0.5)`, pageRatio >= 0.5)}`,
    `  ${goal(`page p99 under login flood         = ${ms(r.flood.p99)}   (goal < 100 ms)`, r.flood.p99 < 100)}`,
    `  ${goal(`page p99 without flood             = ${ms(r.page.p99)}   (goal ≤ 15 ms)`, r.page.p99 <= 15)}`,
    `  ${goal(`SQL statements per full login      = ${r.statementCounts.login.statements.toFixed(1)}   (goal ≤ 10; ${r.statementCounts.login.writes.toFixed(1)} writes, ${r.statementCounts.login.transactions.toFixed(1)} explicit transactions)`, r.statementCounts.login.statements <= 10)}`,
    `  ${goal(`SQL statements per page            = ${r.statementCounts.page.statements.toFixed(1)}   (goal ≤ 3)`, r.statementCounts.page.statements <= 3)}`,
  ].join('\n');
}
