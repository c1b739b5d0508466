// S13 «manage groups and contract permissions»: a portal admin lets a group of an organisation they
// manage view contracts of that same organisation. The rule and the writes are the portal's
// (src/portal/contracts/service.ts); this adds the admin's scope check and the audit entry.
import type { AppContext } from '../../context.ts';
import { DomainError } from '../../errors.ts';
import { audit } from '../../audit/log.ts';
import { contractOfGroupOrg, grantNumbers, grantedContracts, MAX_NUMBERS_AT_ONCE, parseNumbers, revokeContract } from '../contracts/service.ts';
import { manageableGroup } from './service.ts';
import type { AdminActor, AdminRef } from '../../auth/service.ts';

export async function groupContracts(ctx: AppContext, admin: AdminRef, groupId: string) {
  const g = await manageableGroup(ctx, admin, groupId);
  return grantedContracts(ctx.db, g.id);
}

export async function grantGroupContracts(ctx: AppContext, actor: AdminActor, groupId: string, raw: string): Promise<number> {
  const g = await manageableGroup(ctx, actor.user, groupId);
  const { numbers, invalid } = parseNumbers(raw);
  if (invalid.length || !numbers.length || numbers.length > MAX_NUMBERS_AT_ONCE) {
    throw new DomainError('common.field_errors', {}, { numbers: [{ key: 'portal.admin.numbers_invalid' }] });
  }
  const now = ctx.now();
  const { granted, unknown } = await grantNumbers(ctx.db, g, numbers, now);
  if (unknown.length) throw new DomainError('common.field_errors', {}, { numbers: [{ key: 'portal.admin.numbers_unknown', params: { numbers: unknown.join(' ') } }] });
  if (granted.length) {
    await audit(ctx.db, { event: 'group.contracts_granted', actorUserId: actor.user.id, organisationId: g.organisation_id, ip: actor.ip, detail: { group: g.id, contracts: granted.map((c) => c.number).join(' ') } }, now);
  }
  return granted.length;
}

export async function revokeGroupContract(ctx: AppContext, actor: AdminActor, groupId: string, contractId: string): Promise<void> {
  const g = await manageableGroup(ctx, actor.user, groupId);
  const c = await contractOfGroupOrg(ctx.db, g, contractId);
  if (!c) throw new DomainError('common.not_found');
  if (await revokeContract(ctx.db, g.id, c.id)) {
    await audit(ctx.db, { event: 'group.contract_revoked', actorUserId: actor.user.id, organisationId: g.organisation_id, ip: actor.ip, detail: { group: g.id, contract: c.number } }, ctx.now());
  }
}
