// A flow read together with its user and their organisation in ONE statement (issue 19): every step
// of a login needs the three (the epoch check, the second-step rules of the organisation's preset),
// and reading them one after the other was three round trips per request. The user columns come
// unprefixed (the app_user row as auth reads it everywhere, with its TOTP projection); the flow's and
// the organisation's are aliased, so no name of one table shadows another's.
import type { Db } from '../../db/index.ts';
import { precompiled } from '../../db/precompiled.ts';
import { prefixedColumns, takePrefixed } from '../../db/prefixed.ts';
import type { FlowTable } from '../../db/schema.ts';
import { TOTP_COLUMNS } from '../factors/rows.ts';
import { ORG_COLUMNS_ALIASED, takeOrganisation, type Organisation } from '../tenancy/organisations.ts';
import type { UserRow } from '../users/store.ts';

/** The flow's user and organisation as they were when the flow was read for this request. */
export interface FlowSubject { user: UserRow; org: Organisation }

// Every column, checked by the compiler (src/db/prefixed.ts).
const FLOW_COLUMN_SET: Record<keyof FlowTable, true> = {
  id: true, kind: true, user_id: true, state: true, attempts: true, expires_at: true, version: true,
  browser_hash: true, security_epoch: true, context: true, created_at: true, updated_at: true,
};
const FLOW_PREFIX = 'flow__';

// Every step of every flow runs it: compiled once per handle (src/db/precompiled.ts).
const flowWithSubject = precompiled(1, (db, [id]: readonly [string]) => db.selectFrom('flow')
  .leftJoin('app_user', 'app_user.id', 'flow.user_id')
  .leftJoin('organisation', 'organisation.id', 'app_user.organisation_id')
  .selectAll('app_user').select(TOTP_COLUMNS)
  .select(prefixedColumns<FlowTable>('flow', FLOW_COLUMN_SET, FLOW_PREFIX))
  .select(ORG_COLUMNS_ALIASED)
  .where('flow.id', '=', id));

/** The flow row and, when the flow has a user that still exists, the subject; undefined: no such flow. */
export async function readFlowWithSubject(db: Db, id: string): Promise<{ flow: FlowTable; subject: FlowSubject | null } | undefined> {
  const [row] = await flowWithSubject(db, id) as Record<string, unknown>[];
  if (!row) return undefined;
  const flow = takePrefixed(row, FLOW_PREFIX) as unknown as FlowTable;
  const org = takeOrganisation(row);
  // What is left is the user row; an anonymous login flow (no user yet) or a user gone since: no subject.
  const subject = org && row.id !== null && row.id !== undefined ? { user: row as unknown as UserRow, org } : null;
  return { flow, subject };
}
