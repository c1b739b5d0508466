#!/usr/bin/env node
// `npm run security:map`: reads the table in docs/security.md and fails when one of the items 1–37
// of SECURITY.md has no proof, or a named test does not exist in the suite.
// A proof is `path/to/file.test.ts` › test name (the text of an it(...) in that file), or
// "waits for: <the later capability>" for an item honestly not met yet.
import { existsSync, readFileSync } from 'node:fs';

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
for (let item = 1; item <= 37; item++) {
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
console.log(`security:map: all 37 items mapped — ${proven} proven by named tests, ${waiting} waiting entries`);
