#!/usr/bin/env node
// `npm run security:map`: reads the table in docs/security.md and fails when one of the items of
// SECURITY.md has no proof, or a named test does not exist in the suite. The items are counted in
// the bar itself, ../shared/SECURITY.md beside the repository (SECURITY_MD=<path> to point
// elsewhere): every numbered line from its "## Checklist" on, which must run 1, 2, 3 … without gaps.
// A proof is `path/to/file.test.ts` › test name (the text of an it(...) in that file), or
// "waits for: <the later capability>" for an item honestly not met yet.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
process.chdir(root);

/** ../shared/SECURITY.md beside the repository; from a git worktree, beside its main checkout. */
function barPath() {
  if (process.env.SECURITY_MD) return process.env.SECURITY_MD;
  const beside = resolve(root, '../shared/SECURITY.md');
  if (existsSync(beside)) return beside;
  try {
    const common = execFileSync('git', ['rev-parse', '--path-format=absolute', '--git-common-dir'], { encoding: 'utf8' }).trim();
    return resolve(dirname(common), '../shared/SECURITY.md');
  } catch {
    return beside;
  }
}

/** The number of checklist items in SECURITY.md; exits when the file is missing or misnumbered. */
function itemCount() {
  const bar = barPath();
  if (!existsSync(bar)) {
    console.error(`security:map: ${bar} not found (the bar; set SECURITY_MD to its path)`);
    process.exit(1);
  }
  const lines = readFileSync(bar, 'utf8').split('\n');
  const start = lines.findIndex((l) => /^## Checklist/.test(l));
  const numbers = lines.slice(start + 1).map((l) => l.match(/^(\d+)\.\s/)?.[1]).filter(Boolean).map(Number);
  if (start < 0 || !numbers.length || numbers.some((n, i) => n !== i + 1)) {
    console.error(`security:map: cannot read the checklist of ${bar} (expected items numbered 1, 2, 3 … after "## Checklist")`);
    process.exit(1);
  }
  return numbers.length;
}
const items = itemCount();

const doc = readFileSync('docs/security.md', 'utf8');
const rows = new Map();
for (const line of doc.split('\n')) {
  const m = line.match(/^\|\s*(\d{1,2})\s*\|(.*)\|\s*$/);
  if (!m) continue;
  const cells = m[2].split('|').map((c) => c.trim());
  rows.set(Number(m[1]), cells[cells.length - 1]);
}

const problems = [];
let proven = 0;
let waiting = 0;
for (let item = 1; item <= items; item++) {
  const proof = rows.get(item);
  if (proof === undefined) { problems.push(`item ${item}: no row in docs/security.md`); continue; }
  const entries = proof.split(/<br\s*\/?>/).map((e) => e.trim()).filter(Boolean);
  if (!entries.length) { problems.push(`item ${item}: no proof named`); continue; }
  let tests = 0;
  for (const e of entries) {
    if (/^waits for: \S.{5,}/i.test(e)) { waiting++; continue; }
    const t = e.match(/^`([^`]+)`\s*›\s*(.+)$/);
    if (!t) { problems.push(`item ${item}: cannot read proof "${e}"`); continue; }
    const [, file, name] = t;
    if (!existsSync(file)) { problems.push(`item ${item}: ${file} does not exist`); continue; }
    const src = readFileSync(file, 'utf8');
    const quoted = [`'${name}'`, `'${name.replace(/'/g, "\\'")}'`, `"${name}"`, `\`${name}\``];
    if (!quoted.some((q) => src.includes(q)) && !new RegExp('`[^`]*' + name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&') + '[^`]*`').test(src)) {
      problems.push(`item ${item}: no test named "${name}" in ${file}`);
      continue;
    }
    tests++;
  }
  if (tests > 0) proven++;
}

if (problems.length) {
  console.error(problems.map((p) => `security:map: ${p}`).join('\n'));
  console.error(`security:map: ${problems.length} problem(s)`);
  process.exit(1);
}
console.log(`security:map: all ${items} items mapped — ${proven} proven by named tests, ${waiting} waiting entries`);
