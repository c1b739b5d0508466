// Column output for listings. The last column is left unpadded: it may hold Japanese text, whose
// display width padEnd cannot know.
import type { CliIo } from './command.ts';

export function table(io: CliIo, header: readonly string[], rows: readonly (readonly string[])[]): void {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] ?? 0))).join('  ');
  io.out(line(header));
  for (const r of rows) io.out(line(r));
}
