// Reading a legacy export, streamed: CSV through csv-parse, JSON through a small scanner that cuts
// a top-level array into its elements, so a million-user file never sits in memory (docs/migration.md,
// "Format"). Each record comes with the file line it starts on. A file of another shape (missing or
// unknown columns, not an array of objects) is refused by FileShapeError before the first record is
// handed out, so nothing is written for it.
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { parse, type CsvError } from 'csv-parse';
import { checkColumns, REQUIRED_COLUMNS, type Column, type RawRow, type RowProblem } from './rules.ts';

export type FileFormat = 'csv' | 'json';
export type SourceRecord = { line: number; raw: RawRow } | { line: number; problem: RowProblem; detail: string };

export class FileShapeError extends Error {}

/** JSON when the first character after a BOM and white space is «[», CSV otherwise. */
export async function sniffFormat(path: string): Promise<FileFormat> {
  const fh = await open(path, 'r');
  try {
    const buf = Buffer.alloc(4096);
    const { bytesRead } = await fh.read(buf, 0, buf.length, 0);
    const head = buf.subarray(0, bytesRead).toString('utf8').replace(/^\uFEFF/, '').trimStart();
    return head.startsWith('[') ? 'json' : 'csv';
  } finally {
    await fh.close();
  }
}

export function readLegacyFile(path: string, format: FileFormat): AsyncGenerator<SourceRecord> {
  return format === 'json' ? readJson(path) : readCsv(path);
}

function shapeProblem(header: readonly string[]): string | null {
  const { missing, unknown, repeated } = checkColumns(header);
  const parts: string[] = [];
  if (missing.length) parts.push(`missing column(s) ${missing.join(', ')}`);
  if (unknown.length) parts.push(`unknown column(s) ${unknown.join(', ')}`);
  if (repeated.length) parts.push(`repeated column(s) ${repeated.join(', ')}`);
  return parts.length ? parts.join('; ') : null;
}

function csvProblem(err: CsvError | undefined): string {
  const m = /^[^:]+: (.*?)( at line \d+.*)?$/.exec(err?.message ?? '');
  return m?.[1] ?? 'broken CSV';
}

async function* readCsv(path: string): AsyncGenerator<SourceRecord> {
  // Skipped records (broken quoting) are reported by csv-parse through on_skip; they are handed out
  // in line order with the records that follow them.
  const skipped: SourceRecord[] = [];
  const parser = createReadStream(path).pipe(parse({
    bom: true, info: true, relax_column_count: true, skip_empty_lines: true, skip_records_with_error: true,
    on_skip: (err) => { skipped.push({ line: Number((err as { lines?: number } | undefined)?.lines ?? 0), problem: 'broken_csv', detail: csvProblem(err) }); },
  }));
  let header: string[] | null = null;
  let overcount = 0;
  for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
    if (!header) {
      header = record.map((h) => h.trim());
      const problem = shapeProblem(header);
      if (problem) { parser.destroy(); throw new FileShapeError(`not a legacy user file: ${problem}`); }
      continue;
    }
    // info.lines is the line the record ends on, but csv-parse counts a CRLF inside a quoted field
    // as two lines (and so every line after it one too far): count the breaks inside fields ourselves.
    const breaks = record.reduce((n: number, f) => n + (f.match(/\r\n|\r|\n/g)?.length ?? 0), 0);
    const line = info.lines - overcount - breaks - record.reduce((n: number, f) => n + (f.match(/\r\n/g)?.length ?? 0), 0);
    overcount += record.reduce((n: number, f) => n + (f.match(/\r\n/g)?.length ?? 0), 0);
    // csv-parse reads ahead: a skipped record is reported in line order with the records around it.
    while (skipped.length && skipped[0]!.line < line) yield skipped.shift()!;
    if (record.length !== header.length) {
      yield { line, problem: 'broken_csv', detail: `${record.length} field(s), the header has ${header.length}` };
      continue;
    }
    const raw: RawRow = {};
    header.forEach((h, i) => { raw[h as Column] = record[i]!; });
    yield { line, raw };
  }
  if (!header && !skipped.length) throw new FileShapeError('not a legacy user file: empty, no header line');
  if (!header) throw new FileShapeError('not a legacy user file: the header line is broken');
  while (skipped.length) yield skipped.shift()!;
}

/**
 * A top-level JSON array, element by element: the scanner keeps only the element being read. The
 * first element decides the shape (an object with every required key); a later element that is not
 * such an object, or is not JSON, is a bad row on its own line.
 */
async function* readJson(path: string): AsyncGenerator<SourceRecord> {
  let line = 1;
  let started = false;   // saw the opening «[»
  let ended = false;     // saw the closing «]»
  let depth = 0;         // nesting inside the current element
  let inString = false;
  let escaped = false;
  let buf = '';
  let startLine = 0;
  let first = true;
  const finish = (text: string, at: number): SourceRecord => {
    let value: unknown;
    try { value = JSON.parse(text); } catch { return { line: at, problem: 'broken_json', detail: 'not valid JSON' }; }
    const row = toRow(value);
    if (first) {
      first = false;
      const shape = row ? shapeProblem(Object.keys(value as object)) : 'the elements are not objects';
      if (shape) throw new FileShapeError(`not a legacy user file: ${shape}`);
    }
    return row ? { line: at, raw: row } : { line: at, problem: 'not_an_object', detail: `not an object of ${REQUIRED_COLUMNS.join(', ')}, …` };
  };
  const stream = createReadStream(path, { encoding: 'utf8' });
  for await (const chunk of stream as AsyncIterable<string>) {
    const out: SourceRecord[] = [];
    for (let i = 0; i < chunk.length; i++) {
      const ch = chunk[i]!;
      if (!started) {
        if (ch === '\n') line++;
        if (ch === '[') { started = true; continue; }
        if (ch === '\uFEFF' || /\s/.test(ch)) continue;
        stream.destroy();
        throw new FileShapeError('not a legacy user file: JSON must be an array of user objects');
      }
      if (ended) { if (ch === '\n') line++; else if (!/\s/.test(ch)) { stream.destroy(); throw new FileShapeError(`not a legacy user file: text after the array (line ${line})`); } continue; }
      // A bare scalar element (number, true, null) ends at the «,», «]» or space after it.
      if (depth === 0 && buf && !inString && (ch === ',' || ch === ']' || /\s/.test(ch))) { out.push(finish(buf, startLine)); buf = ''; }
      if (depth === 0 && !buf) {
        if (ch === '\n') { line++; continue; }
        if (/\s/.test(ch) || ch === ',') continue;
        if (ch === ']') { ended = true; continue; }
        startLine = line;
      }
      buf += ch;
      if (ch === '\n') line++;
      if (inString) {
        if (escaped) escaped = false;
        else if (ch === '\\') escaped = true;
        else if (ch === '"') inString = false;
        if (depth === 0 && !inString) { out.push(finish(buf, startLine)); buf = ''; }
        continue;
      }
      if (ch === '"') inString = true;
      else if (ch === '{' || ch === '[') depth++;
      else if (ch === '}' || ch === ']') {
        depth--;
        if (depth === 0) { out.push(finish(buf, startLine)); buf = ''; }
      }
    }
    for (const r of out) yield r;
  }
  if (!started) throw new FileShapeError('not a legacy user file: empty');
  if (!ended) yield { line, problem: 'broken_json', detail: 'the array is not closed' };
}

/** A JSON element as a row: an object whose values are strings or numbers (null: empty). */
function toRow(value: unknown): RawRow | null {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return null;
  const row: RawRow = {};
  for (const [k, v] of Object.entries(value)) {
    if (v === null || v === undefined) row[k as Column] = '';
    else if (typeof v === 'string' || typeof v === 'number') row[k as Column] = String(v);
    else return null;
  }
  return row;
}
