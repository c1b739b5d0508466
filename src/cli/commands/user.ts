// `user create`, `user resend-guide` (S1): registration queues the starting guide mail («開通案内»)
// in the outbox; the CLI also prints the setup link, for an operator who hands it over directly.
import type { Lang, Role } from '../../db/schema.ts';
import { registerUser, resendStartingGuideTo, type Actor, findPublicUserByLoginId, findOrganisation } from '../../auth/service.ts';
import { oneOf, optional, required, requiredOneOf } from '../args.ts';
import { CliFailure, type Command, type CliIo } from '../command.ts';

const ROLES: readonly Role[] = ['admin', 'general'];
const LANGS: readonly Lang[] = ['ja', 'en'];
export const CLI_ACTOR: Actor = { userId: null, ip: 'cli' };

function printLink(io: CliIo, setupUrl: string, setupLinkMs: number): void {
  io.out(`setup link: ${setupUrl}`);
  io.out(`            single use, valid for ${Math.round(setupLinkMs / 3_600_000)} h; the starting guide mail is queued in the outbox`);
}

export const userCreateCommand: Command = {
  path: ['user', 'create'],
  summary: 'register a user and queue the starting guide mail; prints the setup link',
  synopsis: '--org ID --email E --name N --phone P --role admin|general [--login-id L] [--lang ja|en]',
  help: [
    '--org ID         the organisation (see \'bizportal org list\')',
    '--email E        the user\'s e-mail address; the starting guide goes there',
    '--name N         the user\'s name, as identity verification will ask for it',
    '--phone P        contact phone number (4 to 32 digits; spaces, hyphens and full-width digits are accepted)',
    '--role R         admin (portal admin) or general (general user)',
    '--login-id L     default: the e-mail address',
    '--lang L         language of the mails and pages: ja (default) or en',
  ],
  options: {
    org: { type: 'string' }, email: { type: 'string' }, name: { type: 'string' }, phone: { type: 'string' },
    role: { type: 'string' }, 'login-id': { type: 'string' }, lang: { type: 'string' },
  },
  prepare(values) {
    const organisationId = required(values, 'org').trim();
    const email = required(values, 'email');
    const name = required(values, 'name');
    const phone = required(values, 'phone');
    const role = requiredOneOf(values, 'role', ROLES);
    const loginId = optional(values, 'login-id');
    const lang = oneOf(values, 'lang', LANGS);
    return async (ctx, io) => {
      // registerUser says only 'not found'; the operator needs to know what was not found.
      if (!(await findOrganisation(ctx.db, organisationId))) {
        throw new CliFailure(`no organisation with id "${organisationId}" (see 'bizportal org list')`);
      }
      const { user, setupUrl } = await registerUser(ctx, { organisationId, email, name, phone, role, loginId, lang }, CLI_ACTOR);
      io.out(`user id:    ${user.id}`);
      io.out(`login id:   ${user.login_id}`);
      printLink(io, setupUrl, ctx.config.setupLinkMs);
    };
  },
};

export const userResendGuideCommand: Command = {
  path: ['user', 'resend-guide'],
  summary: 'send the starting guide again with a new setup link (the previous link stops working)',
  synopsis: '--login-id L',
  help: [
    '--login-id L     the user\'s login ID',
    'Only for a user who has not set a password yet; one who has uses password reset (S4).',
  ],
  options: { 'login-id': { type: 'string' } },
  prepare(values) {
    const loginId = required(values, 'login-id').trim();
    return async (ctx, io) => {
      const user = await findPublicUserByLoginId(ctx.db, loginId);
      if (!user) throw new CliFailure(`no user with login ID "${loginId}"`);
      if (user.disabled_at !== null) throw new CliFailure(`user "${loginId}" is disabled`);
      // The setup link sets a first password; it must not become a reset that skips S4's checks.
      if (user.first_login_done) {
        throw new CliFailure(`user "${loginId}" has already set a password; they can use "password reset" on the login page`);
      }
      const setupUrl = await resendStartingGuideTo(ctx, user.id, CLI_ACTOR, { quota: false }); // the operator is not held by item 44's admin quota
      io.out(`login id:   ${user.login_id}`);
      printLink(io, setupUrl, ctx.config.setupLinkMs);
    };
  },
};
