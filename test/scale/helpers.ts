// Real portal processes for the scale tests: `node --import tsx src/server.ts` as operators run it
// (`npm start`), each on its own port, sharing one PostgreSQL schema (DATABASE_SCHEMA) and, where
// given, one Redis prefix. Every process this file starts is stopped, by its pid, when the test ends.
/** Where cleanup goes: a TestContext, or a suite's own list run in its after() hook. */
export interface Cleanup { after(fn: () => unknown): void }
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { fileURLToPath } from 'node:url';
import { freePort } from '../helpers/app.ts';
import { Browser, type Res } from '../helpers/client.ts';
import { independentTotp, secretOnPage, type GivenUser } from '../helpers/scenario.ts';

export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));

export interface PortalNode {
  readonly url: string;
  readonly port: number;
  readonly child: ChildProcess;
  /** Everything the process wrote to stdout/stderr so far, line by line. */
  readonly lines: string[];
  /** Resolves with exit code and signal once the process has ended. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Resolves with the first output line (already written or still to come) matching `test`. */
  waitForLine(test: (line: string) => boolean, timeoutMs?: number): Promise<string>;
}

/** Settings every node of one deployment shares: same keys, same public origin. */
export function sharedEnv(extra: Record<string, string> = {}): Record<string, string> {
  return {
    NODE_ENV: 'test',
    HOST: '127.0.0.1',
    SECRET_KEY: randomBytes(32).toString('base64'),
    TOTP_KEY: randomBytes(32).toString('base64'),
    // Small argon2 parameters keep the walk fast; hashing cost is the bench's subject, not this one's.
    ARGON2_MEMORY_KIB: '1024',
    ARGON2_TIME_COST: '1',
    // Secrets and the database come from the environment: nothing is written here.
    DATA_DIR: '/tmp/bizportal-test-unused',
    LOG_LEVEL: 'warn',
    ...extra,
  };
}

/**
 * Starts one node and waits until it answers /healthz. `env` is the whole configuration (nothing
 * is inherited from the test runner but PATH and HOME); PORT is chosen here unless given.
 */
export async function startNode(t: Cleanup, env: Record<string, string>, opts: { waitReady?: boolean; startTimeoutMs?: number } = {}): Promise<PortalNode> {
  const port = env.PORT ? Number(env.PORT) : await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    cwd: REPO_ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  const waiters = new Set<{ test: (l: string) => boolean; resolve: (l: string) => void }>();
  const onLine = (line: string) => {
    lines.push(line);
    for (const w of waiters) if (w.test(line)) { waiters.delete(w); w.resolve(line); }
  };
  for (const stream of [child.stdout!, child.stderr!]) {
    let buf = '';
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => {
      buf += chunk;
      let i: number;
      while ((i = buf.indexOf('\n')) >= 0) { onLine(buf.slice(0, i)); buf = buf.slice(i + 1); }
    });
  }
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal }));
  });
  t.after(async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL');
      await exited;
    }
  });
  const node: PortalNode = {
    url: `http://127.0.0.1:${port}`, port, child, lines, exited,
    waitForLine(test, timeoutMs = 60_000) {
      const seen = lines.find(test);
      if (seen !== undefined) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        const w = { test, resolve: (l: string) => { clearTimeout(timer); resolve(l); } };
        const timer = setTimeout(() => { waiters.delete(w); reject(new Error(`no matching line within ${timeoutMs} ms:\n${lines.join('\n')}`)); }, timeoutMs);
        waiters.add(w);
      });
    },
  };
  await waitForHttp(node, opts.waitReady === false ? '/healthz' : '/readyz', opts.startTimeoutMs);
  return node;
}

// Generous: a loaded CI machine may take many seconds to load the TypeScript sources.
async function waitForHttp(node: PortalNode, path: string, timeoutMs = 90_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    if (node.child.exitCode !== null) throw new Error(`node exited (${node.child.exitCode}) before answering ${path}:\n${node.lines.join('\n')}`);
    try {
      const res = await fetch(node.url + path);
      await res.arrayBuffer();
      if (res.ok) return;
    } catch { /* not listening yet */ }
    if (Date.now() > until) throw new Error(`no answer from ${node.url}${path} within ${timeoutMs} ms:\n${node.lines.join('\n')}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Polls `fn` until it returns true (for state that changes outside the test's control). */
export async function eventually(fn: () => Promise<boolean>, what: string, timeoutMs = 15_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await fn())) {
    if (Date.now() > until) throw new Error(`not within ${timeoutMs} ms: ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * A browser whose requests go to the given nodes in turn, as a load balancer without session
 * affinity would send them. One cookie jar; absolute URLs make Browser ignore its own base.
 */
export class RoundRobin {
  private i = 0;
  readonly browser: Browser;
  constructor(readonly nodes: string[]) {
    this.browser = new Browser(nodes[0]!, { 'accept-language': 'en' });
  }

  /** The node the next request goes to. */
  next(): string {
    return this.nodes[this.i++ % this.nodes.length]!;
  }

  get(path: string): Promise<Res> {
    return this.browser.get(this.next() + path);
  }

  post(path: string, fields: Record<string, string>): Promise<Res> {
    return this.browser.post(this.next() + path, fields);
  }

  /** Follows redirects, each hop on the next node. */
  async follow(res: Res): Promise<Res> {
    let r = res;
    for (let n = 0; n < 10 && r.location && r.status >= 300 && r.status < 400; n++) {
      r = await this.get(r.location.startsWith('http') ? new URL(r.location).pathname : r.location);
    }
    return r;
  }
}

/** The setup link as a path: the mailed link carries PUBLIC_URL, the test picks the node. */
export function pathOf(url: string): string {
  const u = new URL(url);
  return u.pathname + u.search;
}

/** S2 first login: link → identity → password, every request on the next node. */
export async function firstLogin(rr: RoundRobin, u: GivenUser, password: string): Promise<Res> {
  const page = await rr.follow(await rr.get(pathOf(u.setupUrl)));
  const flow = /action="(\/auth\/flows\/[^/"]+)\/identity"/.exec(page.body)?.[1];
  if (!flow) throw new Error(`no identity form (status ${page.status})`);
  await rr.follow(await rr.post(`${flow}/identity`, { email: u.email, name: u.name, phone: u.phone }));
  return rr.follow(await rr.post(`${flow}/password`, { password, confirm: password }));
}

/** S3 login of a not-yet-enrolled user through TOTP enrolment and the backup codes; returns the secret. */
export async function loginAndEnrol(rr: RoundRobin, u: GivenUser, password: string): Promise<{ secret: string; home: Res }> {
  await rr.get('/login');
  const setup = await rr.follow(await rr.post('/login', { loginId: u.loginId, password }));
  const secret = secretOnPage(setup.body);
  const flow = /action="(\/auth\/flows\/[^/"]+)\/totp-setup"/.exec(setup.body)![1]!;
  const codes = await rr.follow(await rr.post(`${flow}/totp-setup`, { code: independentTotp(secret, Date.now()) }));
  if (!codes.body.includes('/backup-codes')) throw new Error(`enrolment not accepted (status ${codes.status})`);
  const home = await rr.follow(await rr.post(`${flow}/backup-codes`, {}));
  return { secret, home };
}

/**
 * A TCP relay to PostgreSQL the test can cut: `stop()` drops every connection and refuses new
 * ones, as a network partition or a database host going away would look to the node.
 */
export interface Relay { readonly port: number; start(): Promise<void>; stop(): Promise<void> }

export async function startRelay(t: Cleanup, target: { host: string; port: number }): Promise<Relay> {
  let server: Server | null = null;
  const sockets = new Set<Socket>();
  const port = await freePort();
  const relay: Relay = {
    port,
    async start() {
      if (server) return;
      const s = createServer((client) => {
        const upstream = createConnection(target);
        for (const sock of [client, upstream]) { sockets.add(sock); sock.on('close', () => sockets.delete(sock)); sock.on('error', () => {}); }
        client.pipe(upstream).pipe(client);
      });
      await new Promise<void>((resolve, reject) => { s.once('error', reject); s.listen(port, '127.0.0.1', () => resolve()); });
      server = s;
    },
    async stop() {
      const s = server;
      server = null;
      for (const sock of sockets) sock.destroy();
      if (s) await new Promise<void>((resolve) => s.close(() => resolve()));
    },
  };
  await relay.start();
  t.after(() => relay.stop());
  return relay;
}
