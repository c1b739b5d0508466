// `org create`, `org list` (S0): direct customers, partners («親契約») and a partner's children («子契約»).
import type { OrgKind } from '../../db/schema.ts';
import { PROFILES, passwordPolicies as policies, createCustomerOrganisation, findOrganisation, listOrganisations, organisationDetail, updateOrganisationSettings, type OrganisationChanges } from '../../auth/service.ts';
import { CLI_ACTOR } from './user.ts';
import { audit } from '../../audit/log.ts';
import { optional, oneOf, required, requiredOneOf } from '../args.ts';
import { CliFailure, type Command, UsageError } from '../command.ts';
import { table } from '../table.ts';
import { jsonHelp, JSON_OPTION, printJson, wantsJson } from '../json.ts';

const KINDS: readonly OrgKind[] = ['direct', 'partner', 'child'];
const MAX_NAME = 200;
/** Every preset of src/auth/password/policy.ts (issue 16 §5: legacy6 and nist were unreachable). */
const POLICIES = Object.keys(policies);
const policyHelp = `--password-policy P  ${POLICIES.join(' | ')}; default: the profile's own (business / partner-child)`;

export const orgCreateCommand: Command = {
  path: ['org', 'create'],
  summary: 'create a customer organisation; prints its id',
  synopsis: '--name NAME --kind direct|partner|child [--parent ID] [--profile PROFILE] [--password-policy P]',
  help: [
    '--name NAME        the company name (at most 200 characters)',
    '--kind KIND        direct (a direct customer), partner (a reseller) or child (a partner\'s customer)',
    '--parent ID        the partner organisation of a child; required for --kind child, only then',
    `--profile PROFILE  ${Object.keys(PROFILES).join(' | ')}; default: partner-child for a child, business otherwise`,
    policyHelp,
    'Prints only the new organisation id, so scripts can capture it.',
  ],
  options: {
    name: { type: 'string' }, kind: { type: 'string' }, parent: { type: 'string' }, profile: { type: 'string' }, 'password-policy': { type: 'string' },
  },
  prepare(values) {
    const name = required(values, 'name').trim();
    if (name.length > MAX_NAME) throw new UsageError(`--name must be at most ${MAX_NAME} characters`);
    const kind = requiredOneOf(values, 'kind', KINDS);
    const parentId = optional(values, 'parent')?.trim();
    const profile = oneOf(values, 'profile', Object.keys(PROFILES));
    const passwordPolicy = oneOf(values, 'password-policy', POLICIES);
    // S0: only a child belongs to a parent, and every child has one.
    if (kind === 'child' && !parentId) throw new UsageError('--kind child needs --parent (the partner organisation id)');
    if (kind !== 'child' && parentId !== undefined) throw new UsageError(`--parent applies to --kind child only, not ${kind}`);
    return async (ctx, io) => {
      const org = await createCustomerOrganisation(ctx.db, { name, kind, parentId: parentId ?? null, profile, passwordPolicy }, CLI_ACTOR, ctx.now());
      io.out(org.id);
    };
  },
};

const SWITCH = ['on', 'off'] as const;

export const orgSetCommand: Command = {
  path: ['org', 'set'],
  summary: 'change an organisation\'s name, profile, password policy or 2-step switches',
  synopsis: '--id ID [--name NAME] [--profile PROFILE] [--password-policy P|profile] [--trusted-browsers on|off] [--mail-otp on|off] [--first-factor password|matrix] [--passkeys on|off|profile] [--passkey-signin on|off] [--passkey-aaguids LIST|any]',
  help: [
    '--id ID                   the organisation (see \'bizportal org list\')',
    '--name NAME               the company name (at most 200 characters)',
    `--profile PROFILE         ${Object.keys(PROFILES).join(' | ')}`,
    `${policyHelp}; "profile" goes back to it`,
    '--trusted-browsers on|off users may mark a browser as trusted and skip the second step there (S3.7; off by default)',
    '--mail-otp on|off         MailOTP is offered as a 2-step method (off: TOTP only; users on MailOTP choose again at their next login)',
    '--first-factor password|matrix  the first factor: a typed password (default) or the matrix password (S12, docs/matrix-password.md); users who have none register one at their first login',
    '--passkeys on|off|profile  passkeys as a 2-step method (issue 23; "profile": the profile\'s default, on for business)',
    '--passkey-signin on|off   passwordless sign-in with a passkey from the login page (off by default)',
    '--passkey-aaguids LIST|any  only authenticators with these AAGUIDs may be registered (comma-separated; attestation "direct"); any: no list',
    'A new policy applies to the next password set; existing passwords keep working. Every change is audited.',
  ],
  options: {
    id: { type: 'string' }, name: { type: 'string' }, profile: { type: 'string' }, 'password-policy': { type: 'string' },
    'trusted-browsers': { type: 'string' }, 'mail-otp': { type: 'string' }, 'first-factor': { type: 'string' },
    passkeys: { type: 'string' }, 'passkey-signin': { type: 'string' }, 'passkey-aaguids': { type: 'string' },
  },
  prepare(values) {
    const id = required(values, 'id').trim();
    const rawName = optional(values, 'name');
    const name = rawName?.trim();
    if (rawName !== undefined && (!name || name.length > MAX_NAME)) throw new UsageError(`--name must be 1 to ${MAX_NAME} characters`);
    const profile = oneOf(values, 'profile', Object.keys(PROFILES));
    const policy = oneOf(values, 'password-policy', [...POLICIES, 'profile']);
    const trusted = oneOf(values, 'trusted-browsers', SWITCH);
    const mailOtp = oneOf(values, 'mail-otp', SWITCH);
    const firstFactor = oneOf(values, 'first-factor', ['password', 'matrix']) as 'password' | 'matrix' | undefined;
    const passkeys = oneOf(values, 'passkeys', ['on', 'off', 'profile']);
    const passkeySignin = oneOf(values, 'passkey-signin', SWITCH);
    const rawAaguids = optional(values, 'passkey-aaguids')?.trim().toLowerCase();
    if (rawAaguids !== undefined && rawAaguids !== 'any' && !rawAaguids.split(/[\s,]+/).filter(Boolean).every((a) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(a))) {
      throw new UsageError('--passkey-aaguids must be AAGUIDs (8-4-4-4-12 hex digits) separated by commas, or any');
    }
    const changes: OrganisationChanges = {
      ...(name !== undefined ? { name } : {}),
      ...(profile ? { profile } : {}),
      ...(policy !== undefined ? { passwordPolicy: policy === 'profile' ? null : policy } : {}),
      ...(trusted ? { trustedBrowsers: trusted === 'on' } : {}),
      ...(mailOtp ? { mailOtp: mailOtp === 'on' } : {}),
      ...(firstFactor ? { firstFactor } : {}),
      ...(passkeys ? { passkeys: passkeys === 'profile' ? null : passkeys as 'on' | 'off' } : {}),
      ...(passkeySignin ? { passkeySignin: passkeySignin === 'on' } : {}),
      ...(rawAaguids !== undefined ? { passkeyAaguids: rawAaguids === 'any' ? null : rawAaguids.split(/[\s,]+/).filter(Boolean).join(',') } : {}),
    };
    if (Object.keys(changes).length === 0) throw new UsageError('nothing to change: give --name, --profile, --password-policy, --trusted-browsers, --mail-otp, --first-factor, --passkeys, --passkey-signin or --passkey-aaguids');
    return async (ctx, io) => {
      const now = ctx.now();
      if (!(await updateOrganisationSettings(ctx.db, id, changes, now))) {
        throw new CliFailure(`no organisation with id "${id}" (see 'bizportal org list')`);
      }
      await audit(ctx.db, { event: 'org.settings_changed', organisationId: id, ip: CLI_ACTOR.ip, detail: { ...changes, via: 'cli' } }, now);
      const org = (await findOrganisation(ctx.db, id))!;
      const policyText = org.password_policy ?? `${PROFILES[org.profile]?.passwordPolicy ?? org.profile} (the profile's)`;
      io.out(`organisation ${org.id} (${org.name}): profile: ${org.profile}, password policy: ${policyText}, `
        + `trusted browsers: ${org.trusted_browsers_enabled_at !== null ? 'on' : 'off'}, MailOTP: ${org.mail_otp_disabled_at === null ? 'on' : 'off'}, first factor: ${org.first_factor ?? 'password'}, `
        + `passkeys: ${org.passkey_policy ?? `${PROFILES[org.profile]?.passkeys ? 'on' : 'off'} (the profile's)`}, passkey sign-in: ${org.passkey_signin_enabled_at ? 'on' : 'off'}, AAGUIDs: ${org.passkey_aaguids ?? 'any'}`);
    };
  },
};

export const orgListCommand: Command = {
  path: ['org', 'list'],
  summary: 'list the organisations',
  synopsis: '[--json]',
  help: ['One line per organisation, oldest first: id, kind, profile, parent id, name.', jsonHelp()],
  options: { ...JSON_OPTION },
  prepare: (values) => async (ctx, io) => {
    const orgs = await listOrganisations(ctx.db);
    if (wantsJson(values)) {
      printJson(io, orgs.map((o) => ({ id: o.id, kind: o.kind, profile: o.profile, passwordPolicy: o.password_policy, parentId: o.parent_id, name: o.name })));
      return;
    }
    if (orgs.length === 0) {
      io.out('no organisations (run \'bizportal init\' or \'bizportal org create\')');
      return;
    }
    table(io, ['ID', 'KIND', 'PROFILE', 'PARENT', 'NAME'], orgs.map((o) => [o.id, o.kind, o.profile, o.parent_id ?? '-', o.name]));
  },
};

export const orgShowCommand: Command = {
  path: ['org', 'show'],
  summary: 'show one organisation: kind, parent, children, users',
  synopsis: '--id ID',
  help: ['--id ID   the organisation (see \'bizportal org list\')'],
  options: { id: { type: 'string' } },
  prepare(values) {
    const id = required(values, 'id').trim();
    return async (ctx, io) => {
      const d = await organisationDetail(ctx.db, id);
      if (!d) throw new CliFailure(`no organisation with id "${id}" (see 'bizportal org list')`);
      io.out(`id:        ${d.org.id}`);
      io.out(`name:      ${d.org.name}`);
      io.out(`kind:      ${d.org.kind}`);
      io.out(`profile:   ${d.org.profile}${d.org.password_policy ? `, password policy ${d.org.password_policy}` : ''}`);
      io.out(`parent:    ${d.parent ? `${d.parent.name} (${d.parent.id})` : '-'}`);
      io.out(`children:  ${d.children.length ? d.children.map((c) => `${c.name} (${c.id})`).join(', ') : '-'}`);
      io.out(`users:     ${d.users} (portal admins: ${d.admins})`);
    };
  },
};
