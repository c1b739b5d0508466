// The matrix password's grid (issue 22): a table whose column headers are letters and row headers
// numbers, each cell named (data-cell) for src/web/static/matrix.js. Not a DataTable: its cells are
// positions, not records. The caller says what each cell shows and how cells are named.
interface Shape { rows: number; cols: number }
const letter = (c: number) => String.fromCharCode(65 + c);

/** The grid: `cell(i)` is what cell i shows (a digit, an order number or nothing). */
export function MatrixGrid({ shape, caption, cell, cellName, id }: { shape: Shape; caption: string; cell: (i: number) => string; cellName: (i: number) => string; id?: string }) {
  const cols = Array.from({ length: shape.cols }, (_, c) => c);
  return (
    <div class="table-wrap">
      <table class="matrix" id={id}>
        <caption>{caption}</caption>
        <thead><tr><td />{cols.map((c) => <th scope="col">{letter(c)}</th>)}</tr></thead>
        <tbody>
          {Array.from({ length: shape.rows }, (_, r) => (
            <tr>
              <th scope="row">{r + 1}</th>
              {cols.map((c) => {
                const i = r * shape.cols + c;
                return <td data-cell={cellName(i)}>{cell(i)}</td>;
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

