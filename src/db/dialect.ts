// Which database a Kysely handle (or a transaction of it) talks to, read from its adapter. For the
// few statements that exist on one dialect only (a PostgreSQL extension index in a migration) and
// the few functions spelt differently (joining a subquery's ids into one column).
import { PostgresAdapter, sql, type Kysely, type RawBuilder } from 'kysely';

export function isPostgresHandle(db: Kysely<any>): boolean {
  return db.getExecutor().adapter instanceof PostgresAdapter;
}

/**
 * The values of `column` over a subquery's rows, joined with ',' in `orderBy` order; null when
 * there are none (SQLite's group_concat, PostgreSQL's string_agg; both take ORDER BY inside since
 * SQLite 3.44). For ids only: newId() is base64url, which has no comma.
 */
export function joinedIds(db: Kysely<any>, column: string, orderBy: string): RawBuilder<string | null> {
  const fn = sql.raw(isPostgresHandle(db) ? 'string_agg' : 'group_concat');
  return sql<string | null>`${fn}(${sql.ref(column)}, ',' order by ${sql.ref(orderBy)})`;
}

/** The ids joinedIds made, as a list. */
export function splitIds(joined: string | null): string[] {
  return joined ? joined.split(',') : [];
}
