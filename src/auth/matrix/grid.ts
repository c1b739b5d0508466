// The matrix password's domain (SPEC S12, seed 001): a grid of cells each showing a random digit,
// cell names, the positions a user chose, and the answer check. Pure: no database, no HTTP.
import { randomInt } from 'node:crypto';
import { constantTimeEqual } from '../crypto/tokens.ts';

/** Grid size and how many positions a password has (MATRIX_* settings, docs/matrix-password.md). */
export interface MatrixShape { rows: number; cols: number; min: number; max: number }

/** Columns are letters, so a grid is at most 26 wide; rows are 1-based numbers. */
export const MAX_COLS = 26;
export const MAX_ROWS = 20;

/**
 * A fresh grid: rows × cols digits, row by row, each from the operating system's CSPRNG
 * (crypto.randomInt is unbiased). Digits repeat: an observer cannot map a digit to one cell.
 */
export function newGrid(rows: number, cols: number): string {
  let digits = '';
  for (let i = 0; i < rows * cols; i++) digits += String(randomInt(10));
  return digits;
}

/** "A1" is the top-left cell: the column letter, then the row number (as a spreadsheet). */
export function cellName(index: number, cols: number): string {
  const row = Math.floor(index / cols);
  const col = index % cols;
  return `${String.fromCharCode(65 + col)}${row + 1}`;
}

/** The index of a cell name in a rows × cols grid, or null when it names no cell. Case and width tolerant. */
export function cellIndex(name: string, rows: number, cols: number): number | null {
  const m = /^([A-Z])(\d{1,2})$/.exec(name.normalize('NFKC').trim().toUpperCase());
  if (!m) return null;
  const col = m[1]!.charCodeAt(0) - 65;
  const row = Number(m[2]) - 1;
  if (col >= cols || row < 0 || row >= rows) return null;
  return row * cols + col;
}

/**
 * Seed 001: «The same box can be clicked multiple times, in which case the order of the last click
 * is displayed». The clicks in order become the positions: a cell clicked again leaves its earlier
 * place and takes the later one. The script (src/web/static/matrix.js) applies the same rule.
 */
export function positionsFromClicks(clicks: readonly number[]): number[] {
  const out: number[] = [];
  for (const c of clicks) {
    const at = out.indexOf(c);
    if (at >= 0) out.splice(at, 1);
    out.push(c);
  }
  return out;
}

export type PositionsError = 'unknown_cell' | 'too_few' | 'too_many';
export type ParsedPositions = { ok: true; positions: number[] } | { ok: false; error: PositionsError; cell?: string; count?: number };

/**
 * The positions as sent: the form's list of cell names (the script fills it, or the person types it
 * without JavaScript), separated by commas, spaces or 、. Clicks are read in order with the re-click
 * rule, then the count is checked against min..max.
 */
export function parsePositions(text: string, shape: MatrixShape): ParsedPositions {
  const names = text.normalize('NFKC').split(/[\s,、;]+/).filter((s) => s !== '');
  // A list far longer than any grid is not parsed further (the form caps it anyway).
  if (names.length > shape.rows * shape.cols * 4) return { ok: false, error: 'too_many' };
  const clicks: number[] = [];
  for (const n of names) {
    const i = cellIndex(n, shape.rows, shape.cols);
    if (i === null) return { ok: false, error: 'unknown_cell', cell: n.slice(0, 8) };
    clicks.push(i);
  }
  const positions = positionsFromClicks(clicks);
  if (positions.length < shape.min) return { ok: false, error: 'too_few', count: positions.length };
  if (positions.length > shape.max) return { ok: false, error: 'too_many', count: positions.length };
  return { ok: true, positions };
}

/** The digits a grid shows at the positions, in order: the right answer to that grid. */
export function expectedAnswer(grid: string, positions: readonly number[]): string {
  return positions.map((p) => grid[p] ?? '').join('');
}

/**
 * Whether `answer` is the digits at `positions` in `grid`. Spaces and full-width digits are
 * forgiven; the comparison takes the same time wherever the answers differ (constantTimeEqual).
 * No positions (an unknown login ID) compares against a dummy and is always wrong.
 */
export function answerMatches(grid: string, positions: readonly number[] | null, answer: string): boolean {
  const typed = answer.normalize('NFKC').replace(/\s+/g, '');
  const expected = positions ? expectedAnswer(grid, positions) : 'x';
  return constantTimeEqual(typed, expected) && positions !== null;
}
