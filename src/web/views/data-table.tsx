// A table that becomes a labelled list under 640 px (table.stack: each cell shows its column name
// from data-label). Columns are declared once; the header and the labels cannot drift apart.
import type { ComponentChildren } from 'preact';

export interface Column<R> {
  /** The column heading (also each cell's label on a phone). */
  label: string;
  cell: (row: R) => ComponentChildren;
  /** Right-aligned figures. */
  numeric?: boolean;
  /** The cell that names the row: a <th scope="row">. At most one column. */
  rowHeader?: boolean;
  /** `aria-sort` on the heading when the list is sorted by this column. */
  sort?: 'ascending' | 'descending';
  /** Header content instead of the plain label (e.g. a sort link); the label stays the phone label. */
  header?: ComponentChildren;
  /** Extra classes on this column's body cells (e.g. `nowrap` for a time). */
  class?: string;
}

/**
 * Props: `caption` (visible, or `captionHidden` to keep it for screen readers only), `columns`,
 * `rows`, `rowKey`, `class` (extra table classes), `rowClass` (e.g. a state class per row),
 * `stack` (default true: the phone layout; false keeps a scrolling table), `scrollLabel` (a wide
 * table's scroll region gets this name, role=region and tabindex=0, so a keyboard can scroll it).
 */
export function DataTable<R>({ caption, captionHidden, columns, rows, class: cls, rowClass, stack = true, scrollLabel }: {
  caption: ComponentChildren; captionHidden?: boolean; columns: Column<R>[]; rows: R[]; class?: string; rowClass?: (row: R) => string | undefined; stack?: boolean; scrollLabel?: string;
}) {
  const tableClass = [stack ? 'stack' : '', 'data', cls ?? ''].filter(Boolean).join(' ');
  return (
    <div class="table-wrap" {...(scrollLabel ? { role: 'region', 'aria-label': scrollLabel, tabIndex: 0 } : {})}>
      <table class={tableClass}>
        <caption class={captionHidden ? 'sr' : undefined}>{caption}</caption>
        <thead>
          <tr>{columns.map((c) => <th scope="col" class={c.numeric ? 'num' : undefined} aria-sort={c.sort}>{c.header ?? c.label}</th>)}</tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr class={rowClass?.(r)}>
              {columns.map((c) => c.rowHeader
                ? <th scope="row" data-label={c.label} class={c.class}>{cellContent(c.cell(r))}</th>
                : <td data-label={c.label} class={[c.numeric ? 'num' : '', c.class ?? ''].filter(Boolean).join(' ') || undefined}>{cellContent(c.cell(r))}</td>)}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/**
 * A cell's content in one span: on a phone the cell is a two-column grid (its label, its value), and
 * a grid makes every child and text run an item of its own, so mixed content ("name <code>")
 * would be scattered over rows and a lone badge stretched to the column's width. An empty cell
 * stays empty (hidden on a phone by td:empty).
 */
function cellContent(v: ComponentChildren): ComponentChildren {
  return v === null || v === undefined || v === false || v === '' ? null : <span class="cell">{v}</span>;
}
