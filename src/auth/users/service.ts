// User-level operations shared by the admin pages and the operator CLI.
import type { AppContext } from '../../context.ts';
import type { SecondFactor } from '../../db/schema.ts';
import { DomainError } from '../../errors.ts';
import { audit } from '../../audit/log.ts';
import { findOrganisation } from '../tenancy/organisations.ts';
import { bumpSecurityEpoch } from './security-epoch.ts';
import type { UserRow } from './store.ts';

/**
 * S3.3: sets a user's second factor (MailOTP only ever by an admin or operator). The change starts
 * a new security epoch (item 38): sessions, pending flows and trusted browsers end, so it takes
 * effect at once.
 */
export async function assignMethod(ctx: AppContext, target: UserRow, method: string, actor: { userId: string | null; ip: string }): Promise<void> {
  const now = ctx.now();
  if (method !== 'totp' && method !== 'mail_otp') throw new DomainError('auth.method_not_allowed');
  const org = await findOrganisation(ctx.db, target.organisation_id);
  if (method === 'mail_otp' && org?.mail_otp_disabled_at != null) throw new DomainError('auth.method_not_allowed');
  await ctx.db.transaction().execute(async (trx) => {
    await trx.updateTable('app_user').set({ second_factor: method as SecondFactor, updated_at: now }).where('id', '=', target.id).execute();
    await bumpSecurityEpoch(trx, target.id, now);
    await audit(trx, { event: 'mfa.method_assigned', actorUserId: actor.userId, subjectUserId: target.id, organisationId: target.organisation_id, factor: method, ip: actor.ip }, now);
  });
}
