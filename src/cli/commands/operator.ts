// `operator org|add|list|set-role` (issue 26): the provider's staff are users of the provider's own
// organisation with an operator role. The same services as the console's operator admin pages.
import type { Lang, OperatorRole } from '../../db/schema.ts';
import {
  OPERATOR_ROLES, addOperator, ensureProviderOrganisation, findPublicUserByLoginId, listOperators, providerOrganisation, setOperatorRole,
} from '../../auth/service.ts';
import { oneOf, optional, required, requiredOneOf } from '../args.ts';
import { CliFailure, type Command, UsageError } from '../command.ts';
import { table } from '../table.ts';
import { localTime } from '../time.ts';
import { CLI_ACTOR } from './user.ts';

const LANGS: readonly Lang[] = ['ja', 'en'];
const ROLE_HELP = `agent (tickets) < service_manager (+ services, contracts, orders, notices, maintenance) < operator_admin (+ organisations, terms, operators)`;

export const operatorOrgCommand: Command = {
  path: ['operator', 'org'],
  summary: 'create the provider\'s own organisation (where operators live), once',
  synopsis: '--name NAME',
  help: [
    '--name NAME   the provider\'s name, e.g. "Example Telecom Support"',
    'There is exactly one provider organisation; if it exists already, it is shown and nothing changes.',
    '\'bizportal init\' creates it on a new database (BOOTSTRAP_PROVIDER_ORG).',
  ],
  options: { name: { type: 'string' } },
  prepare(values) {
    const name = required(values, 'name').trim();
    if (!name || name.length > 200) throw new UsageError('--name must be 1 to 200 characters');
    return async (ctx, io) => {
      const r = await ensureProviderOrganisation(ctx, name, CLI_ACTOR);
      io.out(r.created ? `created the provider organisation "${r.org.name}" (${r.org.id})` : `the provider organisation exists already: "${r.org.name}" (${r.org.id}); nothing changed`);
    };
  },
};

export const operatorAddCommand: Command = {
  path: ['operator', 'add'],
  summary: 'register an operator in the provider organisation and queue the starting guide; prints the setup link',
  synopsis: '--email E --name N --role ROLE [--phone P] [--login-id L] [--lang ja|en]',
  help: [
    '--email E      the operator\'s e-mail address; the starting guide goes there',
    '--name N       the operator\'s name, as identity verification will ask for it',
    `--role ROLE    ${ROLE_HELP}`,
    '--phone P      contact phone (4 to 32 digits; default 0312345678), asked by identity verification',
    '--login-id L   default: the e-mail address',
    '--lang L       ja (default) or en',
    'The operator signs in through the same login with TOTP; the console (/operator) needs a full 2-step session.',
  ],
  options: { email: { type: 'string' }, name: { type: 'string' }, role: { type: 'string' }, phone: { type: 'string' }, 'login-id': { type: 'string' }, lang: { type: 'string' } },
  prepare(values) {
    const email = required(values, 'email');
    const name = required(values, 'name');
    const role = requiredOneOf<OperatorRole>(values, 'role', OPERATOR_ROLES);
    const phone = optional(values, 'phone') ?? '0312345678';
    const loginId = optional(values, 'login-id');
    const lang = oneOf(values, 'lang', LANGS);
    return async (ctx, io) => {
      if (!(await providerOrganisation(ctx.db))) throw new CliFailure('there is no provider organisation yet: run \'bizportal operator org --name NAME\' first');
      const { user, setupUrl } = await addOperator(ctx, { email, name, role, phone, ...(loginId ? { loginId } : {}), ...(lang ? { lang } : {}) }, CLI_ACTOR);
      io.out(`user id:    ${user.id}`);
      io.out(`login id:   ${user.login_id}`);
      io.out(`role:       ${role}`);
      io.out(`setup link: ${setupUrl}`);
      io.out(`            single use, valid for ${Math.round(ctx.config.setupLinkMs / 3_600_000)} h; the starting guide mail is queued in the outbox`);
    };
  },
};

export const operatorListCommand: Command = {
  path: ['operator', 'list'],
  summary: 'list the operators (users of the provider organisation with an operator role)',
  synopsis: '',
  help: ['One line per operator: id, login ID, role, state, last login, name.'],
  options: {},
  prepare: () => async (ctx, io) => {
    const org = await providerOrganisation(ctx.db);
    if (!org) { io.out('no provider organisation (run \'bizportal operator org --name NAME\')'); return; }
    const ops = await listOperators(ctx.db);
    if (!ops.length) { io.out(`no operators in "${org.name}" (add one: 'bizportal operator add')`); return; }
    table(io, ['ID', 'LOGIN ID', 'ROLE', 'STATE', 'LAST LOGIN', 'NAME'], ops.map((u) => [
      u.id, u.login_id, u.operator_role ?? '-', u.disabled_at ? 'disabled' : u.first_login_done ? 'active' : 'setup pending',
      localTime(u.last_login_at), u.name,
    ]));
  },
};

export const operatorSetRoleCommand: Command = {
  path: ['operator', 'set-role'],
  summary: 'change an operator\'s role, make a provider user an operator, or (--role none) take the role away',
  synopsis: '--login-id L --role ROLE|none',
  help: ['--login-id L   a user of the provider organisation', `--role ROLE    ${ROLE_HELP}, or none`],
  options: { 'login-id': { type: 'string' }, role: { type: 'string' } },
  prepare(values) {
    const loginId = required(values, 'login-id').trim();
    const role = requiredOneOf<OperatorRole | 'none'>(values, 'role', [...OPERATOR_ROLES, 'none']);
    return async (ctx, io) => {
      const u = await findPublicUserByLoginId(ctx.db, loginId);
      if (!u) throw new CliFailure(`no user with login ID "${loginId}"`);
      const changed = await setOperatorRole(ctx, u.id, role === 'none' ? null : role, CLI_ACTOR);
      io.out(`${changed.login_id}: operator role ${changed.operator_role ?? 'none'}`);
    };
  },
};
