// Which database a Kysely handle (or a transaction of it) talks to, read from its adapter. For the
// few statements that exist on one dialect only (a PostgreSQL extension index in a migration).
import { PostgresAdapter, type Kysely } from 'kysely';

export function isPostgresHandle(db: Kysely<any>): boolean {
  return db.getExecutor().adapter instanceof PostgresAdapter;
}
