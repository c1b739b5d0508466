// A line diff (longest common subsequence), for showing an operator what a new terms version changes
// before it is published (issue 26 item 5). Pure, no I/O, no dependency: the texts are a few hundred
// lines, so the plain LCS table over the lines between the common head and tail is enough. Above
// MAX_CELLS table cells (two unrelated long texts) it gives up on alignment and shows the middle as
// removed then added — still a correct diff, only a less tidy one, and never a slow request.
export type DiffOp = 'same' | 'del' | 'add';
export interface DiffLine {
  op: DiffOp; text: string;
  /** 1-based line numbers in the old text (same, del) and the new text (same, add). */
  oldNo: number | null; newNo: number | null;
}

export const MAX_CELLS = 4_000_000;

/** Lines of a text; \r\n and \r count as \n, and a final newline does not make an empty last line. */
export function splitLines(text: string): string[] {
  if (text === '') return [];
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  if (lines.at(-1) === '') lines.pop();
  return lines;
}

export function diffLines(oldText: string, newText: string): DiffLine[] {
  const a = splitLines(oldText);
  const b = splitLines(newText);
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++;
  const out: DiffLine[] = [];
  for (let i = 0; i < head; i++) out.push({ op: 'same', text: a[i]!, oldNo: i + 1, newNo: i + 1 });
  const am = a.slice(head, a.length - tail);
  const bm = b.slice(head, b.length - tail);
  for (const d of middle(am, bm)) {
    out.push({ op: d.op, text: d.text, oldNo: d.i === null ? null : head + d.i + 1, newNo: d.j === null ? null : head + d.j + 1 });
  }
  for (let k = tail; k > 0; k--) out.push({ op: 'same', text: a[a.length - k]!, oldNo: a.length - k + 1, newNo: b.length - k + 1 });
  return out;
}

type Step = { op: DiffOp; text: string; i: number | null; j: number | null };

function middle(a: string[], b: string[]): Step[] {
  const n = a.length;
  const m = b.length;
  if ((n + 1) * (m + 1) > MAX_CELLS) {
    return [...a.map((text, i): Step => ({ op: 'del', text, i, j: null })), ...b.map((text, j): Step => ({ op: 'add', text, i: null, j }))];
  }
  // len[i][j] = LCS length of a[i..] and b[j..], one flat row-major table.
  const w = m + 1;
  const len = new Uint32Array((n + 1) * w);
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      len[i * w + j] = a[i] === b[j] ? len[(i + 1) * w + j + 1]! + 1 : Math.max(len[(i + 1) * w + j]!, len[i * w + j + 1]!);
    }
  }
  const out: Step[] = [];
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    if (a[i] === b[j]) { out.push({ op: 'same', text: a[i]!, i, j }); i++; j++; }
    // Removals before additions at a change, as unified diffs show them.
    else if (len[(i + 1) * w + j]! >= len[i * w + j + 1]!) { out.push({ op: 'del', text: a[i]!, i, j: null }); i++; }
    else { out.push({ op: 'add', text: b[j]!, i: null, j }); j++; }
  }
  for (; i < n; i++) out.push({ op: 'del', text: a[i]!, i, j: null });
  for (; j < m; j++) out.push({ op: 'add', text: b[j]!, i: null, j });
  return out;
}

/** A run of lines to show, or a count of unchanged lines left out between runs. */
export type DiffChunk = { kind: 'lines'; lines: DiffLine[] } | { kind: 'skipped'; count: number };

/** The changed lines with `context` unchanged lines around each change; the rest is counted, not shown. */
export function diffChunks(lines: DiffLine[], context = 3): DiffChunk[] {
  const keep = lines.map(() => false);
  lines.forEach((l, k) => {
    if (l.op === 'same') return;
    for (let x = Math.max(0, k - context); x <= Math.min(lines.length - 1, k + context); x++) keep[x] = true;
  });
  const out: DiffChunk[] = [];
  for (let k = 0; k < lines.length;) {
    const start = k;
    const kept = keep[k];
    while (k < lines.length && keep[k] === kept) k++;
    out.push(kept ? { kind: 'lines', lines: lines.slice(start, k) } : { kind: 'skipped', count: k - start });
  }
  return out;
}

/** True when the texts differ in some line. */
export function hasChanges(lines: DiffLine[]): boolean {
  return lines.some((l) => l.op !== 'same');
}

/** The diff as unified-diff text lines (the CLI): ' ', '-', '+' and '@@ … unchanged' markers. */
export function unifiedLines(lines: DiffLine[], context = 3): string[] {
  return diffChunks(lines, context).flatMap((c) => c.kind === 'skipped'
    ? [`@@ ${c.count} unchanged line${c.count === 1 ? '' : 's'} @@`]
    : c.lines.map((l) => `${l.op === 'same' ? ' ' : l.op === 'del' ? '-' : '+'}${l.text}`));
}
