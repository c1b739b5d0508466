// `contract create|list|grant|revoke` (S8): contracts of an organisation, and which of its user
// groups may view them. Every refusal is one line and writes nothing.
import type { Db } from '../../db/index.ts';
import { contractScope } from '../../portal/access.ts';
import { createContract, contractByNumber, grantContract, listContracts, normaliseContractNumber, revokeContract } from '../../portal/contracts/service.ts';
import { findOrganisation } from '../../auth/service.ts';
import { intInRange, optional, required } from '../args.ts';
import { CliFailure, type Command, UsageError } from '../command.ts';
import { table } from '../table.ts';
import { refusing } from './service.ts';

function contractNumber(raw: string): string {
  const n = normaliseContractNumber(raw);
  if (!n) throw new UsageError(`--number must be «N» followed by 9 digits, e.g. N123456789 (got "${raw}")`);
  return n;
}

async function groupById(db: Db, id: string) {
  const g = id.length <= 64 ? await db.selectFrom('user_group').selectAll().where('id', '=', id).executeTakeFirst() : undefined;
  if (!g) throw new CliFailure(`no user group with id "${id}"`);
  return g;
}

export const contractCreateCommand: Command = {
  path: ['contract', 'create'],
  summary: 'register a contract of an organisation; prints its id',
  synopsis: '--org ID --number N123456789 --service CODE [--group-number G] [--site S] [--memo M] [--status STATUS]',
  help: [
    '--org ID           the organisation (see \'bizportal org list\')',
    '--number N         the contract number: «N» and 9 digits, unique',
    '--service CODE     the service code (see \'bizportal service list\')',
    '--group-number G   the group number, if any',
    '--site S           the site («拠点»)',
    '--memo M           the customer\'s memo («ごメモ»)',
    '--status STATUS    normal (default), failure, maintenance or suspended',
    'Nobody but the organisation\'s portal admins sees it until a group is granted it (contract grant).',
  ],
  options: {
    org: { type: 'string' }, number: { type: 'string' }, service: { type: 'string' }, 'group-number': { type: 'string' },
    site: { type: 'string' }, memo: { type: 'string' }, status: { type: 'string' },
  },
  prepare(values) {
    const organisationId = required(values, 'org').trim();
    const number = contractNumber(required(values, 'number'));
    const serviceCode = required(values, 'service');
    const input = {
      organisationId, number, serviceCode, groupNumber: optional(values, 'group-number'), site: optional(values, 'site'),
      memo: optional(values, 'memo'), status: optional(values, 'status'),
    };
    return async (ctx, io) => {
      const c = await refusing(() => createContract(ctx.db, Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined)) as typeof input, ctx.now()));
      io.out(c.id);
    };
  },
};

export const contractListCommand: Command = {
  path: ['contract', 'list'],
  summary: 'list an organisation\'s contracts (the portal admin\'s view), with the portal\'s keyword filter',
  synopsis: '--org ID [--q KEYWORDS] [--limit N]',
  help: [
    '--org ID        the organisation',
    '--q KEYWORDS    terms separated by spaces; all must match (as in the portal)',
    '--limit N       at most N lines (default 100, at most 100)',
  ],
  options: { org: { type: 'string' }, q: { type: 'string' }, limit: { type: 'string' } },
  prepare(values) {
    const orgId = required(values, 'org').trim();
    const q = optional(values, 'q');
    const limit = intInRange(values, 'limit', 100, 1, 100);
    return async (ctx, io) => {
      const org = await findOrganisation(ctx.db, orgId);
      if (!org) throw new CliFailure(`no organisation with id "${orgId}" (see 'bizportal org list')`);
      // The organisation's own view: a portal admin's scope without the partner's children.
      const scope = { ...(await contractScope(ctx.db, { userId: '-', organisationId: org.id, role: 'admin' })), wholeOrgIds: [org.id] };
      const p = await listContracts(ctx.db, scope, { q, size: String(limit) });
      if (!p.rows.length) { io.out(q ? 'no contract matches' : 'no contracts (create one: bizportal contract create)'); return; }
      table(io, ['ID', 'NUMBER', 'STATUS', 'SERVICE', 'SITE', 'MEMO'], p.rows.map((r) => [r.id, r.number, r.status, r.service_code, r.site, r.memo]));
      io.out(`${p.capped ? `more than ${p.total}` : p.total} contract(s)${p.total > p.rows.length ? `, first ${p.rows.length} shown` : ''}`);
    };
  },
};

function grantCommand(kind: 'grant' | 'revoke'): Command {
  return {
    path: ['contract', kind],
    summary: kind === 'grant' ? 'let a user group view a contract (S8)' : 'stop a user group from viewing a contract',
    synopsis: '--number N123456789 --group GROUP_ID',
    help: [
      '--number N      the contract number',
      '--group ID      the user group (same organisation as the contract; see the admin\'s group page)',
    ],
    options: { number: { type: 'string' }, group: { type: 'string' } },
    prepare(values) {
      const number = contractNumber(required(values, 'number'));
      const groupId = required(values, 'group').trim();
      return async (ctx, io) => {
        const contract = await contractByNumber(ctx.db, number);
        if (!contract) throw new CliFailure(`no contract ${number} (see 'bizportal contract list')`);
        const group = await groupById(ctx.db, groupId);
        if (group.organisation_id !== contract.organisation_id) throw new CliFailure(`group "${group.name}" belongs to another organisation than contract ${number}`);
        if (kind === 'grant') {
          const added = await refusing(() => grantContract(ctx.db, group, contract, ctx.now()));
          io.out(added ? `group "${group.name}" may now view ${number}` : `group "${group.name}" could already view ${number}`);
        } else {
          const removed = await revokeContract(ctx.db, group.id, contract.id);
          io.out(removed ? `group "${group.name}" may no longer view ${number}` : `group "${group.name}" could not view ${number}; nothing changed`);
        }
      };
    },
  };
}

export const contractGrantCommand = grantCommand('grant');
export const contractRevokeCommand = grantCommand('revoke');
