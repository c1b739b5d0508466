// `--nodes=N` (PostgreSQL): the portal as N processes on one database, as N machines behind a
// balancer would run it. The login driver and autocannon spread their connections over the nodes;
// one node alone is measured in the same run, alternated slice by slice with all N, so both rows
// see the same machine. On one machine the nodes share its cores: the table shows the shape, not
// what N machines would give (docs/performance.md).
import { cpus } from 'node:os';
import type { CannonResult } from './cannon.ts';
import { cannon } from './cannon-run.ts';
import { HttpClient, freePort } from './http-client.ts';
import { runLogins, summarizeLogins, type LoginRun, type LoginSlice, type UserPool } from './login-driver.ts';
import { mergeCannon, mergeConcurrentLogins, mergeUsage, sumUsage } from './merge.ts';
import { otherNodeEnv } from './portal-env.ts';
import { probe, startPortal, stop, waitForHttp, type ProcessUsage, type Started } from './processes.ts';
import { table } from './report.ts';

export interface NodesPhase {
  nodes: number; rounds: number; loginS: number; pageS: number; warmS: number;
  loginConcurrency: number; connections: number;
  /** The portal the bench already runs: node 1, whose environment the others copy. */
  first: { portal: Started; origin: string; env: NodeJS.ProcessEnv };
  pool: UserPool;
  /** Logged-in browsers for the page load: sessions are rows, so any node accepts them. */
  cookies: string[];
  log(line: string): void;
}

export interface NodesRow { nodes: number; login: LoginRun; loginUsage: ProcessUsage; page: CannonResult; pageUsage: ProcessUsage }

/** Node i's part of `total` logins in flight over `n` nodes (the first ones take the remainder). */
function share(total: number, n: number, i: number): number {
  return Math.floor(total / n) + (i < total % n ? 1 : 0);
}

export async function measureNodes(p: NodesPhase): Promise<NodesRow[]> {
  const nodes = [{ portal: p.first.portal, origin: p.first.origin }];
  try {
    for (let i = 1; i < p.nodes; i++) {
      const port = await freePort();
      const portal = startPortal(otherNodeEnv(p.first.env, port));
      nodes.push({ portal, origin: `http://127.0.0.1:${port}` });
      await waitForHttp(`${nodes[i]!.origin}/healthz`, portal);
    }
    // Each client may use every socket: with one node, it carries all the logins in flight.
    const clients = nodes.map(({ origin }) => new HttpClient(new URL(origin), p.loginConcurrency));
    const urls = nodes.map(({ origin }) => `${origin}/`);
    try {
      const logins = async (n: number): Promise<LoginSlice> => mergeConcurrentLogins(await Promise.all(clients.slice(0, n)
        .map((client, i) => runLogins(client, p.pool, { concurrency: share(p.loginConcurrency, n, i), durationS: p.loginS }))));
      const pages = (n: number) => cannon({ url: n === 1 ? urls[0]! : urls.slice(0, n), connections: p.connections, durationS: p.pageS, cookies: p.cookies });
      const measured = async <T>(n: number, run: () => Promise<T>): Promise<[T, ProcessUsage]> => {
        const probes = nodes.slice(0, n).map(({ portal }) => probe(portal.pid));
        const result = await run();
        return [result, sumUsage(probes.map((pr) => pr.stop()))];
      };

      p.log(`${p.nodes} nodes: warm-up of the new ones…`);
      await Promise.all(clients.slice(1).map((client) => runLogins(client, p.pool, { concurrency: 2, count: 8 })));
      await cannon({ url: urls, connections: p.connections, durationS: p.warmS, cookies: p.cookies });

      const rows = [1, p.nodes].map((n) => ({ n, logins: [] as LoginSlice[], loginUsage: [] as ProcessUsage[], pages: [] as CannonResult[], pageUsage: [] as ProcessUsage[] }));
      for (let round = 1; round <= p.rounds; round++) {
        p.log(`1 node ↔ ${p.nodes} nodes, round ${round}/${p.rounds}: ${p.loginS} s logins each, ${p.pageS} s page each…`);
        for (const row of rows) {
          const [slice, usage] = await measured(row.n, () => logins(row.n));
          row.logins.push(slice);
          row.loginUsage.push(usage);
        }
        for (const row of rows) {
          const [result, usage] = await measured(row.n, () => pages(row.n));
          row.pages.push(result);
          row.pageUsage.push(usage);
        }
      }
      return rows.map((row) => ({
        nodes: row.n, login: summarizeLogins(row.logins), loginUsage: mergeUsage(row.loginUsage),
        page: mergeCannon(row.pages), pageUsage: mergeUsage(row.pageUsage),
      }));
    } finally {
      for (const client of clients) client.close();
    }
  } finally {
    await Promise.all(nodes.slice(1).map(({ portal }) => stop(portal)));
  }
}

const fixed = (v: number, unit: string) => `${v < 100 ? v.toFixed(1) : Math.round(v).toLocaleString('en')}${unit}`;
const cpu = (u: ProcessUsage) => `${Math.round(u.cpuPercent)}% / ${Math.round(u.machinePercent)}%`;

export function formatNodes(rows: NodesRow[], p: Pick<NodesPhase, 'rounds' | 'loginConcurrency' | 'connections'>): string {
  const n = rows.at(-1)!.nodes;
  const problems = (r: NodesRow) => [
    ...Object.entries(r.login.failures).map(([k, v]) => `${v}× ${k}`),
    r.page.non2xx && `${r.page.non2xx} non-2xx pages`, r.page.errors && `${r.page.errors} page errors`,
  ].filter(Boolean).join(', ') || '–';
  return [
    `portal processes on one database: ${p.loginConcurrency} logins in flight and ${p.connections} page connections spread over them; `
      + `${p.rounds} alternated slice(s) each. CPU: the portal processes together / the whole machine (100% = one core).`,
    table([
      ['portals', 'full logins/s', 'login p50', 'login p99', 'CPU (logins)', 'page req/s', 'page p50', 'page p99', 'CPU (page)', 'failures'],
      ...rows.map((r) => [String(r.nodes), fixed(r.login.loginsPerS, ''), fixed(r.login.p50, ' ms'), fixed(r.login.p99, ' ms'), cpu(r.loginUsage),
        fixed(r.page.reqPerS, ''), fixed(r.page.p50, ' ms'), fixed(r.page.p99, ' ms'), cpu(r.pageUsage), problems(r)]),
    ]),
    `${n} ÷ 1: logins ×${(rows[1]!.login.loginsPerS / rows[0]!.login.loginsPerS).toFixed(2)}, pages ×${(rows[1]!.page.reqPerS / rows[0]!.page.reqPerS).toFixed(2)}`
      + ` (the nodes share this machine's ${cpus().length} cores)`,
  ].join('\n');
}
