// CSV for spreadsheet users (RFC 4180 quoting, CRLF rows, UTF-8 BOM so Excel reads Japanese text).
// Cells that a spreadsheet would run as a formula are neutralised with a leading ' (OWASP "CSV
// Injection"): login IDs, names and audit details are user-controlled text.
export const CSV_BOM = '\uFEFF';

/** Characters that start a formula in Excel, LibreOffice and Google Sheets (tab and CR as well). */
const FORMULA_START = /^[=+\-@\t\r]/;

export function csvCell(value: string | number | null | undefined): string {
  let s = value === null || value === undefined ? '' : String(value);
  if (FORMULA_START.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function csvRow(cells: readonly (string | number | null | undefined)[]): string {
  return cells.map(csvCell).join(',') + '\r\n';
}

export class CsvSyntaxError extends Error {
  constructor(readonly line: number, readonly reason: 'unclosed_quote' | 'stray_quote') { super(`${reason} on line ${line}`); }
}

/**
 * Reads CSV as spreadsheets write it (RFC 4180): comma-separated, "quoted" cells that may hold
 * commas, "" and line breaks, CRLF or LF rows, an optional UTF-8 BOM. Returns each record with the
 * file line it starts on; blank lines are skipped. Throws CsvSyntaxError on an unclosed quote or a
 * quote inside an unquoted cell, naming the line.
 */
export function parseCsv(text: string): { line: number; cells: string[] }[] {
  const s = text.startsWith(CSV_BOM) ? text.slice(1) : text;
  const out: { line: number; cells: string[] }[] = [];
  let line = 1;
  let i = 0;
  while (i < s.length) {
    const start = line;
    const cells: string[] = [];
    for (;;) {
      let cell = '';
      if (s[i] === '"') {
        i++;
        for (;;) {
          if (i >= s.length) throw new CsvSyntaxError(start, 'unclosed_quote');
          const c = s[i]!;
          if (c === '"') {
            if (s[i + 1] === '"') { cell += '"'; i += 2; continue; }
            i++;
            break;
          }
          if (c === '\n') line++;
          cell += c;
          i++;
        }
        if (i < s.length && s[i] !== ',' && s[i] !== '\n' && s[i] !== '\r') throw new CsvSyntaxError(line, 'stray_quote');
      } else {
        while (i < s.length && s[i] !== ',' && s[i] !== '\n' && s[i] !== '\r') {
          if (s[i] === '"') throw new CsvSyntaxError(line, 'stray_quote');
          cell += s[i];
          i++;
        }
      }
      cells.push(cell);
      if (s[i] === ',') { i++; continue; }
      break;
    }
    if (s[i] === '\r') i++;
    if (s[i] === '\n') i++;
    line++;
    if (!(cells.length === 1 && cells[0] === '')) out.push({ line: start, cells });
  }
  return out;
}
