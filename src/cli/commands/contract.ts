// `contract create|list|grant|revoke` (S8): contracts of an organisation, and which of its user
// groups may view them. Every refusal is one line and writes nothing.
import type { Db } from '../../db/index.ts';
import { contractScope } from '../../portal/access.ts';
import { createContract, contractByNumber, grantContract, listAllContracts, listContracts, normaliseContractNumber, revokeContract, updateContract } from '../../portal/contracts/service.ts';
import { CLI_ACTOR } from './user.ts';
import { findOrganisation } from '../../auth/service.ts';
import { intInRange, optional, required } from '../args.ts';
import { CliFailure, type Command, UsageError } from '../command.ts';
import { table } from '../table.ts';
import { jsonHelp, JSON_OPTION, printJson, wantsJson } from '../json.ts';
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
      const c = await createContract(ctx.db, input, ctx.now(), CLI_ACTOR);
      io.out(c.id);
    };
  },
};

export const contractListCommand: Command = {
  path: ['contract', 'list'],
  summary: 'list contracts: one organisation\'s (its portal admin\'s view) or every organisation\'s, with the portal\'s keyword filter',
  synopsis: '[--org ID] [--q KEYWORDS] [--service ID] [--status S] [--limit N] [--json]',
  help: [
    '--org ID        one organisation (without it: every organisation\'s contracts, as the console lists them)',
    '--q KEYWORDS    terms separated by spaces (full- or half-width); all must match (as in the portal)',
    '--status S      normal, failure, maintenance or suspended',
    '--limit N       at most N lines (default 100, at most 100)',
    jsonHelp(16),
  ],
  options: { org: { type: 'string' }, q: { type: 'string' }, status: { type: 'string' }, limit: { type: 'string' }, ...JSON_OPTION },
  prepare(values) {
    const orgId = optional(values, 'org')?.trim();
    const q = optional(values, 'q');
    const status = optional(values, 'status');
    const limit = intInRange(values, 'limit', 100, 1, 100);
    return async (ctx, io) => {
      let p;
      if (orgId) {
        const org = await findOrganisation(ctx.db, orgId);
        if (!org) throw new CliFailure(`no organisation with id "${orgId}" (see 'bizportal org list')`);
        // The organisation's own view: a portal admin's scope without the partner's children.
        const scope = { ...(await contractScope(ctx.db, { userId: '-', organisationId: org.id, role: 'admin' })), wholeOrgIds: [org.id] };
        p = await listContracts(ctx.db, scope, { q, status, size: String(limit) });
      } else {
        p = await listAllContracts(ctx.db, { q, status, size: String(limit) });
      }
      if (wantsJson(values)) {
        printJson(io, p.rows.map((r) => ({ id: r.id, number: r.number, status: r.status, service: r.service_code, site: r.site, memo: r.memo, organisationId: r.organisation_id })));
        return;
      }
      if (!p.rows.length) { io.out(q || status ? 'no contract matches' : 'no contracts (create one: bizportal contract create)'); return; }
      table(io, ['ID', 'NUMBER', 'STATUS', 'SERVICE', 'SITE', 'MEMO', ...(orgId ? [] : ['ORG'])],
        p.rows.map((r) => [r.id, r.number, r.status, r.service_code, r.site, r.memo, ...(orgId ? [] : [r.organisation_id])]));
      io.out(`${p.capped ? `more than ${p.total}` : p.total} contract(s)${p.total > p.rows.length ? `, first ${p.rows.length} shown` : ''}`);
    };
  },
};

export const contractSetCommand: Command = {
  path: ['contract', 'set'],
  summary: 'edit a contract: site, memo, group number, status, or move it to another service',
  synopsis: '--number N123456789 [--site S] [--memo M] [--group-number G] [--status STATUS] [--service CODE]',
  help: [
    '--number N         the contract',
    '--site S, --memo M, --group-number G   new values ("" empties one)',
    '--status STATUS    normal, failure, maintenance or suspended',
    '--service CODE     move the contract to this service; the groups that may view it keep it',
    'Only the options given change; customers see the change at once.',
  ],
  options: {
    number: { type: 'string' }, site: { type: 'string' }, memo: { type: 'string' }, 'group-number': { type: 'string' },
    status: { type: 'string' }, service: { type: 'string' },
  },
  prepare(values) {
    const number = contractNumber(required(values, 'number'));
    const change = {
      site: optional(values, 'site'), memo: optional(values, 'memo'), groupNumber: optional(values, 'group-number'),
      status: optional(values, 'status'), serviceCode: optional(values, 'service'),
    };
    if (Object.values(change).every((v) => v === undefined)) throw new UsageError('nothing to change: give --site, --memo, --group-number, --status or --service');
    return async (ctx, io) => {
      const r = await updateContract(ctx.db, number, change, ctx.now(), CLI_ACTOR);
      io.out(r.changed.length ? `${number}: changed ${r.changed.map((c) => c === 'service_id' ? 'service' : c).join(', ')}` : `${number}: nothing changed`);
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
