// A row read together with rows of other tables in one statement (issue 19): one table's columns
// come aliased `<prefix><column>`, so no name of one table (id, name, created_at …) shadows
// another's, and are taken back out of the joined row as an object of their own.
import { sql } from 'kysely';

/**
 * Every column of `table` as `<prefix><column>`. `columns` lists them all, checked by the compiler
 * against the table's type (`Record<keyof T, true>`): a column added to the table must be added there.
 */
export function prefixedColumns<T>(table: string, columns: Record<keyof T & string, true>, prefix: string) {
  return Object.keys(columns).map((c) => sql.ref(`${table}.${c}`).as(`${prefix}${c}`));
}

/** Moves the `<prefix>…` fields out of a joined row into an object of their own, unprefixed. */
export function takePrefixed(row: Record<string, unknown>, prefix: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(row)) {
    if (!k.startsWith(prefix)) continue;
    out[k.slice(prefix.length)] = row[k];
    delete row[k];
  }
  return out;
}
