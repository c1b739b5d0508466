// Portal-admin operations of issue 3 (S3.3 method rules, S3.7 trusted networks/browsers, TOTP
// reset). Every target is checked against the admin's organisation on the server (SECURITY.md 34).
// Identity's rules, so they live in auth; admin's pages call them through src/auth/service.ts.
import type { AppContext } from '../../context.ts';
import { DomainError } from '../../errors.ts';
import { audit } from '../../audit/log.ts';
import { findOrganisation, type Organisation } from '../tenancy/organisations.ts';
import { newId } from '../../lib/index.ts';
import { coverageProblem, MIN_PUBLIC_PREFIX, parseTrustedCidr } from '../../lib/cidr.ts';
import { assignMethod } from '../users/service.ts';
import { clearTotp, replaceBackupCodes, revokeTrustedDevice } from '../login/factor-store.ts';
import { bumpSecurityEpoch } from '../users/security-epoch.ts';
import { manageableOrgIds, manageableUserRow, targetOrg, type AdminActor, type AdminRef } from '../tenancy/admin-scope.ts';

/**
 * S3.3: «Only a Portal Admin can change the setting of the second verification to MailOTP.»
 * The tenancy check is the admin's part; the change itself is the one the operator CLI makes too.
 */
export async function assignSecondFactor(ctx: AppContext, actor: AdminActor, userId: string, method: string): Promise<void> {
  const target = await manageableUserRow(ctx, actor.user, userId);
  await assignMethod(ctx, target, method, { userId: actor.user.id, ip: actor.ip });
}

/** The user sets up TOTP again at next login; a new security epoch ends their sessions and pending flows now (item 38). */
export async function resetUserTotp(ctx: AppContext, actor: AdminActor, userId: string): Promise<void> {
  const now = ctx.now();
  const target = await manageableUserRow(ctx, actor.user, userId);
  await ctx.db.transaction().execute(async (trx) => {
    // Through the factor functions, not the tables: how factors are stored is theirs to change.
    await clearTotp(trx, target.id, now);
    await replaceBackupCodes(trx, target.id, [], now);
    await bumpSecurityEpoch(trx, target.id, now);
    await audit(trx, { event: 'mfa.totp_reset', actorUserId: actor.user.id, subjectUserId: target.id, organisationId: target.organisation_id, factor: 'totp', ip: actor.ip }, now);
  });
}

export async function revokeUserTrustedBrowsers(ctx: AppContext, actor: AdminActor, userId: string): Promise<void> {
  const now = ctx.now();
  const target = await manageableUserRow(ctx, actor.user, userId);
  const n = await revokeTrustedDevice(ctx.db, target.id, null, now);
  await audit(ctx.db, { event: 'device.revoked', actorUserId: actor.user.id, subjectUserId: target.id, organisationId: target.organisation_id, ip: actor.ip, detail: { count: n } }, now);
}

// --- organisation settings (S3.7): the admin's own organisation or, for a partner, a child ------

export async function orgSettings(ctx: AppContext, admin: AdminRef, orgId?: string): Promise<{ org: Organisation; networks: { id: string; cidr: string; label: string }[] }> {
  const org = (await findOrganisation(ctx.db, await targetOrg(ctx, admin, orgId)))!;
  const networks = await ctx.db.selectFrom('trusted_network').select(['id', 'cidr', 'label']).where('organisation_id', '=', org.id).orderBy('created_at').orderBy('id').execute();
  return { org, networks };
}

export async function addTrustedNetwork(ctx: AppContext, actor: AdminActor, orgIdParam: string | undefined, cidrText: string, label: string): Promise<void> {
  const now = ctx.now();
  const orgId = await targetOrg(ctx, actor.user, orgIdParam);
  // IPv4-mapped ranges are stored as the IPv4 range they are (SECURITY.md item 42).
  const parsed = parseTrustedCidr(cidrText.trim());
  if (!parsed.ok) throw new DomainError('admin.cidr_invalid', {}, { cidr: [{ key: 'admin.cidr_invalid' }] });
  // A range wide enough to reach much of the internet would switch 2-step verification off for
  // strangers: the new entry is judged together with the organisation's others.
  const existing = await ctx.db.selectFrom('trusted_network').select('cidr').where('organisation_id', '=', orgId).execute();
  const problem = coverageProblem([...existing.map((e) => e.cidr), parsed.cidr].map((c) => { const p = parseTrustedCidr(c); return p.ok ? p.cidr : c; }), ctx.config.trustedNetworksMaxPercent);
  if (problem === 'public_too_wide') throw new DomainError('admin.cidr_invalid', {}, { cidr: [{ key: 'admin.cidr_public_too_wide', params: { v4: MIN_PUBLIC_PREFIX.v4, v6: MIN_PUBLIC_PREFIX.v6 } }] });
  if (problem === 'share_exceeded') throw new DomainError('admin.cidr_invalid', {}, { cidr: [{ key: 'admin.cidr_share_exceeded', params: { percent: ctx.config.trustedNetworksMaxPercent } }] });
  await ctx.db.insertInto('trusted_network').values({ id: newId(), organisation_id: orgId, cidr: parsed.cidr, label: label.trim().slice(0, 100), created_at: now }).execute();
  await audit(ctx.db, { event: 'network.added', actorUserId: actor.user.id, organisationId: orgId, ip: actor.ip, detail: { cidr: parsed.cidr } }, now);
}

/** Removes a network of a manageable organisation; returns that organisation. A foreign id is a 403. */
export async function removeTrustedNetwork(ctx: AppContext, actor: AdminActor, networkId: string): Promise<string> {
  const now = ctx.now();
  const row = networkId.length <= 64
    ? await ctx.db.selectFrom('trusted_network').select(['organisation_id', 'cidr']).where('id', '=', networkId).executeTakeFirst()
    : undefined;
  if (!row || !(await manageableOrgIds(ctx, actor.user)).includes(row.organisation_id)) throw new DomainError('common.forbidden');
  const r = await ctx.db.deleteFrom('trusted_network').where('id', '=', networkId).executeTakeFirst();
  if (Number(r.numDeletedRows)) await audit(ctx.db, { event: 'network.removed', actorUserId: actor.user.id, organisationId: row.organisation_id, ip: actor.ip, detail: { cidr: row.cidr } }, now);
  return row.organisation_id;
}

export async function setTrustedBrowsers(ctx: AppContext, actor: AdminActor, orgIdParam: string | undefined, enabled: boolean): Promise<void> {
  const now = ctx.now();
  const orgId = await targetOrg(ctx, actor.user, orgIdParam);
  await ctx.db.updateTable('organisation').set({ trusted_browsers_enabled_at: enabled ? now : null }).where('id', '=', orgId).execute();
  await audit(ctx.db, { event: 'org.settings_changed', actorUserId: actor.user.id, organisationId: orgId, ip: actor.ip, detail: { trustedBrowsers: enabled } }, now);
}
