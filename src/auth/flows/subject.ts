// A flow read together with its user and their organisation in ONE statement (issue 19): every step
// of a login needs the three (the epoch check, the second-step rules of the organisation's preset),
// and reading them one after the other was three round trips per request. The user columns come
// unprefixed (the app_user row as auth reads it everywhere, with its TOTP projection); the flow's and
// the organisation's are aliased, so no name of one table shadows another's.
import type { Db } from '../../db/index.ts';
import { precompiled } from '../../db/precompiled.ts';
import type { FlowTable } from '../../db/schema.ts';
import { TOTP_COLUMNS } from '../factors/rows.ts';
import { ORG_COLUMNS_ALIASED, splitOrganisation, type Organisation } from '../tenancy/organisations.ts';
import type { UserRow } from '../users/store.ts';

/** The flow's user and organisation as they were when the flow was read for this request. */
export interface FlowSubject { user: UserRow; org: Organisation }

// Every column, checked by the compiler: a column added to the table must be added here.
const FLOW_COLUMN_SET: Record<keyof FlowTable, true> = {
  id: true, kind: true, user_id: true, state: true, attempts: true, expires_at: true, version: true,
  browser_hash: true, security_epoch: true, context: true, created_at: true, updated_at: true,
};
const FLOW_COLUMNS = Object.keys(FLOW_COLUMN_SET) as (keyof FlowTable)[];

/** The flow row and, when the flow has a user that still exists, the subject; undefined: no such flow. */
// Every step of every flow runs it: compiled once per handle (src/db/precompiled.ts).
const flowWithSubject = precompiled(1, (db, [id]: readonly [string]) => db.selectFrom('flow')
  .leftJoin('app_user', 'app_user.id', 'flow.user_id')
  .leftJoin('organisation', 'organisation.id', 'app_user.organisation_id')
  .selectAll('app_user').select(TOTP_COLUMNS)
  .select(FLOW_COLUMNS.map((c) => `flow.${c} as flow__${c}` as const))
  .select(ORG_COLUMNS_ALIASED)
  .where('flow.id', '=', id));

export async function readFlowWithSubject(db: Db, id: string): Promise<{ flow: FlowTable; subject: FlowSubject | null } | undefined> {
  const [row] = await flowWithSubject(db, id) as Record<string, unknown>[];
  if (!row) return undefined;
  const { org, rest } = splitOrganisation(row);
  const flow: Record<string, unknown> = {};
  const user: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(rest)) {
    if (k.startsWith('flow__')) flow[k.slice(6)] = v;
    else user[k] = v;
  }
  // An anonymous login flow (no user yet) or a user gone since: no subject.
  const subject = org && user.id !== null && user.id !== undefined ? { user: user as unknown as UserRow, org } : null;
  return { flow: flow as unknown as FlowTable, subject };
}
