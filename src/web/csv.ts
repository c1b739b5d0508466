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
