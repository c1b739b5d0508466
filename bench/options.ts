// Command line of `npm run bench`: which database, how long each phase runs.
export interface BenchOptions {
  pg: boolean;
  quick: boolean;
  /** Writes a V8 CPU profile of the portal process (node --cpu-prof) and prints its top frames. */
  profile: boolean;
  users: number;
  /** Slices of each pair (floor ↔ logins, bare route ↔ page), alternated; seconds per slice. */
  rounds: number;
  floorS: number; loginS: number; ceilingS: number; pageS: number;
  /** Seconds of warm-up load before the page measurements; of the page load during a login flood. */
  warmS: number; floodS: number;
  /** Logins in flight at once (the custom driver); autocannon connections for pages. */
  loginConcurrency: number;
  connections: number;
  /** Portal processes on the one database for the scaling table (1 = no such phase; more needs --pg). */
  nodes: number;
  /** Cold starts measured in the start-up phase (after one that is not counted). */
  starts: number;
}

export const USAGE = `npm run bench [-- --pg] [--quick] [--profile] [--logins-in-flight=N] [--nodes=2]
  --pg                   PostgreSQL on 127.0.0.1:5432 (user postgres; BENCH_PG_URL overrides), a fresh database per run
  --quick                a short run that checks the script works (~30 s); figures are rough
  --profile              CPU-profile the portal process and print its top frames per phase
  --logins-in-flight=N   logins the driver keeps going at once (default 8)
  --nodes=2              also logins/s and page req/s with 2 (up to 4) portal processes on one database, next to 1 (needs --pg)
Portal settings pass through from the environment: ARGON2_*, HASH_CONCURRENCY, HASH_QUEUE_LIMIT, SESSION_*.`;

export function parseOptions(argv: string[]): BenchOptions {
  const known = new Set(['--pg', '--quick', '--profile', '--help']);
  const inFlight = argv.find((a) => a.startsWith('--logins-in-flight='));
  const loginConcurrency = inFlight ? Number(inFlight.split('=')[1]) : 8;
  const nodesArg = argv.find((a) => a.startsWith('--nodes='));
  const nodes = nodesArg ? Number(nodesArg.split('=')[1]) : 1;
  const bad = argv.filter((a) => !known.has(a) && a !== inFlight && a !== nodesArg);
  if (!Number.isInteger(loginConcurrency) || loginConcurrency < 1) bad.push(inFlight!);
  if (!Number.isInteger(nodes) || nodes < 1 || nodes > 4) bad.push(nodesArg!);
  if (bad.length || argv.includes('--help')) {
    console.error(bad.length ? `unknown option: ${bad.join(' ')}\n${USAGE}` : USAGE);
    process.exit(bad.length ? 2 : 0);
  }
  const pg = argv.includes('--pg');
  if (nodes > 1 && !pg) {
    // Several portal nodes share a database server; a SQLite file belongs to one machine.
    console.error(`--nodes=${nodes} needs --pg: the portal nodes share one PostgreSQL database (SQLite is a file on one machine)\n${USAGE}`);
    process.exit(2);
  }
  const quick = argv.includes('--quick');
  return {
    pg,
    quick,
    profile: argv.includes('--profile'),
    // Each TOTP step is accepted once per user: enough users that no login waits for the next step.
    users: quick ? 600 : 3000,
    rounds: quick ? 1 : 3,
    floorS: quick ? 1.5 : 2.5,
    loginS: quick ? 3 : 5,
    ceilingS: quick ? 2 : 4,
    pageS: quick ? 2 : 4,
    warmS: quick ? 1 : 2,
    floodS: quick ? 3 : 10,
    loginConcurrency,
    connections: 32,
    nodes,
    starts: 5,
  };
}
