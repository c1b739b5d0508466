// The terms diff (issue 26 item 5): a line LCS diff. Checked against hand-made cases and, with
// fast-check, against its definition: dropping 'add' lines gives the old text, dropping 'del' lines
// the new one, and no diff is shorter than an LCS allows.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { diffChunks, diffLines, hasChanges, MAX_CELLS, splitLines, unifiedLines } from '../line-diff.ts';

const ops = (a: string, b: string) => diffLines(a, b).map((l) => `${l.op === 'same' ? ' ' : l.op === 'del' ? '-' : '+'}${l.text}`);

describe('line diff', () => {
  it('splits on \\n, \\r\\n and \\r; a final newline adds no line', () => {
    assert.deepEqual(splitLines('a\r\nb\rc\n'), ['a', 'b', 'c']);
    assert.deepEqual(splitLines(''), []);
    assert.deepEqual(splitLines('\n'), ['']);
  });

  it('shows a changed line as removed then added, with line numbers of both texts', () => {
    assert.deepEqual(ops('1\n2\n3', '1\nzwei\n3\n4'), [' 1', '-2', '+zwei', ' 3', '+4']);
    const d = diffLines('1\n2\n3', '1\nzwei\n3\n4');
    assert.deepEqual(d.map((l) => [l.oldNo, l.newNo]), [[1, 1], [2, null], [null, 2], [3, 3], [null, 4]]);
  });

  it('identical texts have no changes; empty to text is all added', () => {
    assert.equal(hasChanges(diffLines('a\nb', 'a\nb\n')), false);
    assert.deepEqual(ops('', 'x\ny'), ['+x', '+y']);
    assert.deepEqual(ops('x', ''), ['-x']);
  });

  it('keeps the text as it is: markup is data here, escaping is the view\'s job', () => {
    assert.deepEqual(ops('<b>', '<script>alert(1)</script>'), ['-<b>', '+<script>alert(1)</script>']);
  });

  it('collapses long unchanged runs to a count, keeping 3 lines of context', () => {
    const old = Array.from({ length: 20 }, (_, i) => `l${i}`).join('\n');
    const neu = old.replace('l10', 'L10');
    const chunks = diffChunks(diffLines(old, neu));
    assert.deepEqual(chunks.map((c) => c.kind === 'skipped' ? c.count : c.lines.length), [7, 8, 6]);
    assert.deepEqual(unifiedLines(diffLines(old, neu)).slice(0, 2), ['@@ 7 unchanged lines @@', ' l7']);
  });

  it('two unrelated texts beyond the table limit: everything old removed, everything new added', () => {
    const n = Math.ceil(Math.sqrt(MAX_CELLS)) + 1;
    const a = Array.from({ length: n }, (_, i) => `a${i}`).join('\n');
    const b = Array.from({ length: n }, (_, i) => `b${i}`).join('\n');
    const d = diffLines(a, b);
    assert.equal(d.length, 2 * n);
    assert.ok(d.slice(0, n).every((l) => l.op === 'del') && d.slice(n).every((l) => l.op === 'add'));
  });

  it('property: the old and new texts come back out of the diff, and common lines are maximal', () => {
    const line = fc.constantFrom('a', 'b', 'c', '', '第1条');
    fc.assert(fc.property(fc.array(line, { maxLength: 30 }), fc.array(line, { maxLength: 30 }), (a, b) => {
      const d = diffLines(a.join('\n'), b.join('\n'));
      assert.deepEqual(d.filter((l) => l.op !== 'add').map((l) => l.text), splitLines(a.join('\n')));
      assert.deepEqual(d.filter((l) => l.op !== 'del').map((l) => l.text), splitLines(b.join('\n')));
      assert.equal(d.filter((l) => l.op === 'same').length, lcs(splitLines(a.join('\n')), splitLines(b.join('\n'))));
    }));
  });
});

function lcs(a: string[], b: string[]): number {
  const t = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
  for (let i = a.length - 1; i >= 0; i--) for (let j = b.length - 1; j >= 0; j--) t[i]![j] = a[i] === b[j] ? t[i + 1]![j + 1]! + 1 : Math.max(t[i + 1]![j]!, t[i]![j + 1]!);
  return t[0]![0]!;
}
