// The architecture rules of docs/architecture.md («Modules and their walls»), checked over the
// import graph (issue 13 §6): every `import … from` / `export … from` / `import()` of src/**/*.ts(x)
// is resolved to a file, files are grouped into modules, and the test fails on an edge the rules
// forbid, on an import into auth other than its front doors, and on a cycle between modules.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';

const ROOT = new URL('../../', import.meta.url).pathname;

/**
 * Which module may import which (runtime and type imports alike). `app` is the composition root
 * (src/app.ts, server.ts, messages.ts): it wires every module. `core` is what every module shares
 * (src/errors.ts, config.ts, context.ts). `lib` is the kernel and imports nothing of ours.
 */
export const ALLOWED: Record<string, readonly string[]> = {
  lib: [],
  db: ['lib'],
  i18n: ['lib', 'db'],
  core: ['lib', 'db', 'i18n'],
  web: ['lib', 'db', 'i18n', 'core'],
  audit: ['lib', 'db', 'i18n', 'core'],
  mail: ['lib', 'db', 'i18n', 'core', 'web', 'audit'],
  auth: ['lib', 'db', 'i18n', 'core', 'web', 'audit', 'mail'],
  ops: ['lib', 'db', 'i18n', 'core', 'web', 'audit', 'mail', 'auth'],
  portal: ['lib', 'db', 'i18n', 'core', 'web', 'audit', 'mail', 'auth'],
  help: ['lib', 'db', 'i18n', 'core', 'web', 'auth'],
  admin: ['lib', 'db', 'i18n', 'core', 'web', 'audit', 'mail', 'auth', 'portal', 'api'],
  // Issue 24 item 6: the TM Forum-shaped API and its webhooks, over auth's and portal's services.
  api: ['lib', 'db', 'i18n', 'core', 'web', 'audit', 'mail', 'auth', 'portal'],
  // Issue 26: the provider's console, pages and JSON over auth's and portal's services (as admin).
  // Issue 20: brands of presets and organisations (pages, assets, the mail brand lookup the app hands mail).
  branding: ['lib', 'db', 'i18n', 'core', 'web', 'audit', 'auth'],
  // Issue 21 item 5: the console's migrations page reads migration/status.ts, as `migrate status` does.
  operator: ['lib', 'db', 'i18n', 'core', 'web', 'audit', 'mail', 'auth', 'portal', 'branding', 'migration'],
  oidc: ['lib', 'db', 'i18n', 'core', 'web', 'audit', 'mail', 'auth', 'portal'],
  // Issue 21: the legacy-user importer (docs/migration.md); the CLI is its door.
  migration: ['lib', 'db', 'i18n', 'core', 'audit', 'mail', 'auth'],
  cli: ['lib', 'db', 'i18n', 'core', 'audit', 'mail', 'auth', 'portal', 'oidc', 'app', 'branding', 'migration'],
  app: ['lib', 'db', 'i18n', 'core', 'web', 'audit', 'mail', 'auth', 'ops', 'portal', 'help', 'admin', 'operator', 'oidc', 'branding', 'migration', 'api'],
};

/** The files of auth other modules may import: its two front doors and its texts (src/messages.ts). */
export const AUTH_DOORS = ['src/auth/service.ts', 'src/auth/index.ts', 'src/auth/messages-en.ts', 'src/auth/messages-ja.ts'];

/**
 * Known edges that break a rule, each with its reason and owner. Shrinks, never grows without a
 * decision: a new entry needs a line in docs/architecture.md.
 */
export const EXCEPTIONS: readonly { from: string; to: string; why: string }[] = [
  { from: 'src/context.ts', to: 'src/auth/password/hash.ts', why: 'AppContext names the hash pool type (type-only)' },
  { from: 'src/context.ts', to: 'src/auth/throttle/db-throttle.ts', why: 'AppContext names the throttle type (type-only)' },
  { from: 'src/context.ts', to: 'src/ops/metrics.ts', why: 'AppContext names the metrics type (type-only)' },
  { from: 'src/app.ts', to: 'src/auth/throttle/redis-throttle.ts', why: 'the app picks the throttle store (REDIS_URL)' },
  { from: 'src/ops/metrics.ts', to: 'src/auth/password/hash.ts', why: 'hash-pool gauges (type-only); typed throttle keys of issue 13 §8 replace these' },
  { from: 'src/ops/metrics.ts', to: 'src/auth/throttle/db-throttle.ts', why: 'lockout counters wrap the throttle; typed throttle keys of issue 13 §8 replace these' },
];

interface Edge { from: string; to: string; typeOnly: boolean }

function files(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) {
      // Tests may reach inside a module to set up a world; migrations are frozen history.
      if (name !== 'test' && name !== 'migrations') files(p, out);
    } else if (/\.tsx?$/.test(name) && !/\.test\.tsx?$/.test(name)) out.push(relative(ROOT, p));
  }
  return out;
}

const IMPORT = /(?:^|\n)\s*(import|export)\s+(type\s+)?(?:[^'"`;]*?\sfrom\s+)?['"](\.{1,2}\/[^'"]+)['"]|import\(\s*['"](\.{1,2}\/[^'"]+)['"]\s*\)/g;

export function edgesOf(file: string, text: string): Edge[] {
  const out: Edge[] = [];
  for (const m of text.matchAll(IMPORT)) {
    const spec = m[3] ?? m[4]!;
    out.push({ from: file, to: normalize(join(dirname(file), spec)), typeOnly: Boolean(m[2]) });
  }
  return out;
}

export function moduleOf(file: string): string {
  const rest = file.replace(/^src\//, '');
  if (!rest.includes('/')) return ['errors.ts', 'config.ts', 'context.ts'].includes(rest) ? 'core' : 'app';
  return rest.split('/')[0]!;
}

function graph(): Edge[] {
  return files(join(ROOT, 'src')).flatMap((f) => edgesOf(f, readFileSync(join(ROOT, f), 'utf8')));
}

const excepted = (e: Edge) => EXCEPTIONS.some((x) => x.from === e.from && x.to === e.to);

export function forbiddenEdges(edges: readonly Edge[]): string[] {
  const bad: string[] = [];
  for (const e of edges) {
    const [a, b] = [moduleOf(e.from), moduleOf(e.to)];
    if (a === b || excepted(e)) continue;
    if (!(ALLOWED[a] ?? []).includes(b)) bad.push(`${e.from} → ${e.to} (${a} may not import ${b})`);
    else if (b === 'auth' && !AUTH_DOORS.includes(e.to)) bad.push(`${e.from} → ${e.to} (outside auth, import src/auth/service.ts or index.ts)`);
  }
  return bad;
}

/** Cycles between modules over runtime imports (a type-only import has no load order). */
export function moduleCycles(edges: readonly Edge[]): string[] {
  const next = new Map<string, Set<string>>();
  for (const e of edges) {
    const [a, b] = [moduleOf(e.from), moduleOf(e.to)];
    if (a === b || e.typeOnly || excepted(e)) continue;
    if (!next.has(a)) next.set(a, new Set());
    next.get(a)!.add(b);
  }
  const cycles: string[] = [];
  const state = new Map<string, 'open' | 'done'>();
  const path: string[] = [];
  const visit = (m: string) => {
    state.set(m, 'open');
    path.push(m);
    for (const n of next.get(m) ?? []) {
      if (state.get(n) === 'open') cycles.push([...path.slice(path.indexOf(n)), n].join(' → '));
      else if (!state.has(n)) visit(n);
    }
    path.pop();
    state.set(m, 'done');
  };
  for (const m of [...next.keys()].sort()) if (!state.has(m)) visit(m);
  return cycles;
}

describe('module walls (docs/architecture.md)', () => {
  it('the checks see what they should', () => {
    const e = (from: string, to: string, typeOnly = false): Edge => ({ from, to, typeOnly });
    assert.deepEqual(edgesOf('src/admin/x.ts', "import { a } from '../auth/users/store.ts';\nimport type { B } from './b.ts';\nconst m = await import('../lib/ids.ts');"), [
      e('src/admin/x.ts', 'src/auth/users/store.ts'), e('src/admin/x.ts', 'src/admin/b.ts', true), e('src/admin/x.ts', 'src/lib/ids.ts'),
    ]);
    assert.equal(forbiddenEdges([e('src/admin/x.ts', 'src/auth/users/store.ts')]).length, 1);
    assert.equal(forbiddenEdges([e('src/admin/x.ts', 'src/auth/service.ts')]).length, 0);
    assert.equal(forbiddenEdges([e('src/lib/ids.ts', 'src/auth/service.ts')]).length, 1);
    assert.deepEqual(moduleCycles([e('src/auth/a.ts', 'src/portal/b.ts'), e('src/portal/b.ts', 'src/auth/service.ts')]), ['auth → portal → auth']);
    assert.deepEqual(moduleCycles([e('src/auth/a.ts', 'src/portal/b.ts', true), e('src/portal/b.ts', 'src/auth/service.ts')]), []);
  });

  it('src/lib/ imports no module of ours', () => {
    const edges = graph().filter((x) => moduleOf(x.from) === 'lib' && moduleOf(x.to) !== 'lib');
    assert.deepEqual(edges, []);
  });

  it('no edge breaks the rules, and modules outside auth use its front doors', () => {
    assert.deepEqual(forbiddenEdges(graph()), []);
  });

  it('no cycle between modules (the auth↔portal cycle through organisations is gone)', () => {
    assert.deepEqual(moduleCycles(graph()), []);
  });

  it('no handler calls a guard by hand, inside auth or out: modules declare it (guardRoutes, config.auth)', () => {
    const calls = files(join(ROOT, 'src')).filter((f) => !f.endsWith('src/auth/guards.ts'))
      .filter((f) => /\brequire(Session|Portal|Admin|Aal)\s*\(\s*(ctx|req)\b/.test(readFileSync(join(ROOT, f), 'utf8')));
    assert.deepEqual(calls, []);
  });

  it('every listed exception still exists (a fixed one is removed from the list)', () => {
    const edges = graph();
    const stale = EXCEPTIONS.filter((x) => !edges.some((e) => e.from === x.from && e.to === x.to)).map((x) => `${x.from} → ${x.to}`);
    assert.deepEqual(stale, []);
  });
});
