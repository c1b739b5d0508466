// `user list`, `user disable`, `user enable` (issue 20 item 9): the admin screens' list and
// actions for the operator, through the same service functions and audit rows (actor: the CLI).
import { disableUserByOperator, enableUserByOperator, findOrganisation, findPublicUserByLoginId, listUsersForOperator, type OperatorListedUser, type UserState } from '../../auth/service.ts';
import { optional, required } from '../args.ts';
import { CliFailure, type Command, type Runner } from '../command.ts';
import { jsonHelp, JSON_OPTION, printJson, wantsJson } from '../json.ts';
import { table } from '../table.ts';
import { iso, localTime } from '../time.ts';
import { CLI_ACTOR } from './user.ts';

const STATE_WORDS: Record<UserState, string> = { active: 'active', waiting: 'waiting for first login', locked: 'locked', disabled: 'disabled' };

function twoStep(u: OperatorListedUser): string {
  if (u.two_step.method === 'totp') return u.two_step.totpEnrolled ? 'totp' : 'totp (not set up)';
  return u.two_step.method ?? '-';
}

export const userListCommand: Command = {
  path: ['user', 'list'],
  summary: 'list the users: login id, name, role, state, 2-step method, last login',
  synopsis: '[--org ID] [--json]',
  help: [
    '--org ID         only this organisation\'s users (see \'bizportal org list\')',
    jsonHelp(),
    'State: active, waiting for first login (no password set yet), locked (too many failed',
    'password or code attempts; ends by itself or by unlock on the admin screen), disabled.',
    'Last login in the operator\'s time zone: the TZ of this process (TZ=Asia/Tokyo for JST).',
  ],
  options: { org: { type: 'string' }, ...JSON_OPTION },
  prepare(values) {
    const orgId = optional(values, 'org')?.trim();
    const json = wantsJson(values);
    return async (ctx, io) => {
      if (orgId !== undefined && !(await findOrganisation(ctx.db, orgId))) {
        throw new CliFailure(`no organisation with id "${orgId}" (see 'bizportal org list')`);
      }
      const users = await listUsersForOperator(ctx, orgId);
      if (json) {
        printJson(io, users.map((u) => ({
          id: u.id, loginId: u.login_id, name: u.name, email: u.email, role: u.role, operatorRole: u.operator_role,
          organisationId: u.organisation_id, organisationName: u.organisation_name, state: u.state,
          lockedUntil: u.locked_until === null ? null : iso(u.locked_until),
          twoStep: u.two_step.method, totpEnrolled: u.two_step.totpEnrolled,
          lastLoginAt: u.last_login_at === null ? null : iso(u.last_login_at),
        })));
        return;
      }
      if (users.length === 0) {
        io.out(orgId ? 'no users in this organisation' : 'no users');
        return;
      }
      table(io, ['LOGIN ID', 'ROLE', 'STATE', '2-STEP', 'LAST LOGIN', 'NAME'], users.map((u) => [
        u.login_id, u.role, STATE_WORDS[u.state], twoStep(u), localTime(u.last_login_at), u.name,
      ]));
    };
  },
};

/** disable and enable differ only in the word and the service function. */
function toggleCommand(verb: 'disable' | 'enable', summary: string, help: string, change: typeof disableUserByOperator): Command {
  return {
    path: ['user', verb],
    summary,
    synopsis: '--login-id L',
    help: ['--login-id L     the user', help, 'Recorded in the audit log like the admin screen\'s action (actor: the CLI).'],
    options: { 'login-id': { type: 'string' } },
    prepare(values): Runner {
      const loginId = required(values, 'login-id').trim();
      return async (ctx, io) => {
        const user = await findPublicUserByLoginId(ctx.db, loginId);
        if (!user) throw new CliFailure(`no user with login ID "${loginId}" (see 'bizportal user list')`);
        const already = verb === 'disable' ? user.disabled_at !== null : user.disabled_at === null;
        await change(ctx, user.id, CLI_ACTOR);
        io.out(`${user.login_id}: ${already ? `already ${verb}d` : `${verb}d`}`);
      };
    },
  };
}

export const userDisableCommand = toggleCommand('disable', 'disable a user: they cannot log in, and their sessions and links end now',
  'The user\'s sessions, trusted browsers, pending logins and mailed links end at once; enabling brings none back.', disableUserByOperator);
export const userEnableCommand = toggleCommand('enable', 'enable a disabled user again',
  'The user logs in afresh (old sessions and links stay ended).', enableUserByOperator);
