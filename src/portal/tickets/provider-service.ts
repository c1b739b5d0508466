// The provider's side of tickets (issue 26): the console's inbox over every organisation, the whole
// conversation with internal notes, assignment, severity, notes, replies that mail the customer,
// asking for information, resolving and closing. The console pages, the operator JSON API and the
// CLI call these functions (no second implementation); every change is audited with the operator.
import type { Db } from '../../db/index.ts';
import { countInbox } from './store.ts';

/** What waits for the provider, for the console home. */
export async function inboxCounts(db: Db, operatorId: string): Promise<{ waiting: number; mine: number; unassigned: number }> {
  return countInbox(db, operatorId);
}
