// Issue 20 item 1: "a new page is assembled, not styled". Pages take their title block, lists,
// message boxes and buttons from src/web/views/ (docs/design-system.md); this reads every view
// outside it and fails on a hand-written h1, table, button class or alert box, so the next page
// cannot quietly grow its own markup. The exceptions are named, with the reason in the docs.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const ROOT = new URL('../../', import.meta.url).pathname;

/** file → the patterns it may use (docs/design-system.md "the few hand-made parts left"). */
const ALLOWED: Record<string, string[]> = {
  'src/operator/views/terms.tsx': ['<table'], // the line diff: rows spanning both columns
};

const RULES: { pattern: RegExp; name: string; use: string }[] = [
  { pattern: /<h1[\s>]/, name: '<h1', use: 'PageHeader' },
  { pattern: /<table[\s>]/, name: '<table', use: 'DataTable' },
  { pattern: /class=["{`][^"]*\bbutton\b/, name: 'class="button"', use: 'Button / ButtonLink' },
  { pattern: /<button[\s>]/, name: '<button', use: 'Button' },
  { pattern: /class=["{`]alert\b/, name: 'class="alert"', use: 'Alert' },
  { pattern: /class="crumbs"/, name: 'class="crumbs"', use: 'Breadcrumbs' },
];

function views(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) { if (name !== 'test') views(p, out); } else if (/\.tsx$/.test(name)) out.push(p);
  }
  return out;
}

/** "file:line: what (use X)" for each hand-written part of `text`. */
export function handMade(file: string, text: string): string[] {
  const allowed = ALLOWED[file] ?? [];
  const hits: string[] = [];
  text.split('\n').forEach((line, i) => {
    if (/^\s*(\/\/|\*|\/\*)/.test(line)) return;
    for (const r of RULES) if (r.pattern.test(line) && !allowed.includes(r.name)) hits.push(`${file}:${i + 1}: ${r.name} (use ${r.use})`);
  });
  return hits;
}

describe('pages are assembled from the design-system components (issue 20)', () => {
  it('the rules catch hand-written markup (so the check below can fail)', () => {
    assert.equal(handMade('src/x/views/a.tsx', '  <h1>{t("x")}</h1>\n  <table class="stack">\n  <a class="button primary" href="/">\n  <div class="alert warn">\n  <button type="submit">').length, 5);
    assert.deepEqual(handMade('src/x/views/a.tsx', '  <PageHeader title={t("x")} />\n  // a <table> in a comment'), []);
    assert.deepEqual(handMade('src/operator/views/terms.tsx', '<table class="line-diff">'), []);
  });

  it('no view outside src/web/views/ writes its own h1, table, button, alert box or breadcrumbs', () => {
    const files = views(join(ROOT, 'src')).map((f) => relative(ROOT, f)).filter((f) => !f.startsWith('src/web/views/'));
    assert.ok(files.length > 30, `views found: ${files.length}`);
    const hits = files.flatMap((f) => handMade(f, readFileSync(join(ROOT, f), 'utf8')));
    assert.deepEqual(hits, []);
  });
});
