// `org create`, `org list` (S0): direct customers, partners («親契約») and a partner's children («子契約»).
import type { OrgKind } from '../../db/schema.ts';
import { PROFILES } from '../../auth/profiles.ts';
import { createOrganisation, findOrganisation, listOrganisations } from '../../portal/organisations.ts';
import { optional, oneOf, required, requiredOneOf } from '../args.ts';
import { CliFailure, type Command, UsageError } from '../command.ts';
import { table } from '../table.ts';

const KINDS: readonly OrgKind[] = ['direct', 'partner', 'child'];
const MAX_NAME = 200;

export const orgCreateCommand: Command = {
  path: ['org', 'create'],
  summary: 'create a customer organisation; prints its id',
  synopsis: '--name NAME --kind direct|partner|child [--parent ID] [--profile PROFILE]',
  help: [
    '--name NAME        the company name (at most 200 characters)',
    '--kind KIND        direct (a direct customer), partner (a reseller) or child (a partner\'s customer)',
    '--parent ID        the partner organisation of a child; required for --kind child, only then',
    `--profile PROFILE  ${Object.keys(PROFILES).join(' | ')}; default: partner-child for a child, business otherwise`,
    'Prints only the new organisation id, so scripts can capture it.',
  ],
  options: {
    name: { type: 'string' }, kind: { type: 'string' }, parent: { type: 'string' }, profile: { type: 'string' },
  },
  prepare(values) {
    const name = required(values, 'name').trim();
    if (name.length > MAX_NAME) throw new UsageError(`--name must be at most ${MAX_NAME} characters`);
    const kind = requiredOneOf(values, 'kind', KINDS);
    const parentId = optional(values, 'parent')?.trim();
    const profile = oneOf(values, 'profile', Object.keys(PROFILES));
    // S0: only a child belongs to a parent, and every child has one.
    if (kind === 'child' && !parentId) throw new UsageError('--kind child needs --parent (the partner organisation id)');
    if (kind !== 'child' && parentId !== undefined) throw new UsageError(`--parent applies to --kind child only, not ${kind}`);
    return async (ctx, io) => {
      if (parentId) {
        const parent = await findOrganisation(ctx.db, parentId);
        if (!parent) throw new CliFailure(`no organisation with id "${parentId}" (see 'bizportal org list')`);
        if (parent.kind !== 'partner') throw new CliFailure(`--parent must be a partner organisation; "${parent.name}" is ${parent.kind}`);
      }
      const org = await createOrganisation(ctx.db, { name, kind, parentId: parentId ?? null, ...(profile ? { profile } : {}) }, ctx.now());
      io.out(org.id);
    };
  },
};

export const orgListCommand: Command = {
  path: ['org', 'list'],
  summary: 'list the organisations',
  synopsis: '',
  help: ['One line per organisation, oldest first: id, kind, profile, parent id, name.'],
  options: {},
  prepare: () => async (ctx, io) => {
    const orgs = await listOrganisations(ctx.db);
    if (orgs.length === 0) {
      io.out('no organisations (run \'bizportal init\' or \'bizportal org create\')');
      return;
    }
    table(io, ['ID', 'KIND', 'PROFILE', 'PARENT', 'NAME'], orgs.map((o) => [o.id, o.kind, o.profile, o.parent_id ?? '-', o.name]));
  },
};
