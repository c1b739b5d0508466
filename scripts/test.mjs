#!/usr/bin/env node
// Runs every *.test.ts(x) under src/ and test/ with node's built-in runner (Node 20 has no --test globs).
// Usage: npm test [-- <path filter>...]   e.g. npm test -- totp   (runs files whose path contains "totp")
// Env: TEST_DB=sqlite,postgres (default both; CI requires both), BROWSER=0 to leave out test/browser.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

function walk(dir, out = []) {
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules') continue;
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p, out);
    else if (/\.test\.tsx?$/.test(name)) out.push(p);
  }
  return out;
}

const filters = process.argv.slice(2);
let files = [...walk('src'), ...walk('test')].sort();
if (filters.length) files = files.filter((f) => filters.some((x) => f.includes(x)));
if (process.env.BROWSER === '0') files = files.filter((f) => !f.includes('browser'));
if (!files.length) { console.error('no test files matched'); process.exit(1); }
// Two files run at once: the longest start first, so the run does not end with one of them alone
// on a core while the other core idles (durations from a full run, docs/performance.md).
const LONGEST_FIRST = ['test/faults/faults', 'test/browser/', 'test/http/operator-authz', 'test/http/oidc-provider',
  'test/http/first-login-attacks', 'test/http/inputs-audit-mail', 'test/faults/', 'test/scale/', 'test/security/'];
const rank = (f) => { const i = LONGEST_FIRST.findIndex((p) => f.includes(p)); return i === -1 ? LONGEST_FIRST.length : i; };
files.sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));

const res = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=2', ...files], {
  stdio: 'inherit',
  env: { ...process.env, NODE_ENV: 'test' },
});
process.exit(res.status ?? 1);
