// The API module's one face for other modules (the admin's API tokens page): tokens and the
// organisation's recent webhook deliveries. Nothing else of src/api/ is imported from outside.
import type { AppContext } from '../context.ts';
import { targetOrg, type AdminActor } from '../auth/service.ts';
import { deliveriesOf } from './store.ts';

export { SCOPES, issueToken, listTokens, revokeToken, type Scope, type TokenView } from './tokens.ts';

/** The latest deliveries of the organisation's webhooks (the admin sees dead ones and why). */
export async function recentDeliveries(ctx: AppContext, actor: AdminActor, orgId: string | undefined, limit = 20) {
  return deliveriesOf(ctx.db, await targetOrg(ctx, actor.user, orgId), limit);
}
