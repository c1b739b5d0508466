// `user set-method` (S3.3): the operator's way to assign TOTP or MailOTP, like a portal admin can.
import { assignMethodTo, findPublicUserByLoginId } from '../../auth/service.ts';
import { required, requiredOneOf } from '../args.ts';
import { CliFailure, type Command } from '../command.ts';
import { CLI_ACTOR } from './user.ts';

export const userSetMethodCommand: Command = {
  path: ['user', 'set-method'],
  summary: 'assign the second verification method (totp or mail_otp) to a user',
  synopsis: '--login-id L --method totp|mail_otp',
  help: [
    '--login-id L   the user',
    '--method M     totp or mail_otp; applies at the user\'s next login and ends their trusted browsers',
  ],
  options: { 'login-id': { type: 'string' }, method: { type: 'string' } },
  prepare(values) {
    const loginId = required(values, 'login-id');
    const method = requiredOneOf(values, 'method', ['totp', 'mail_otp'] as const);
    return async (ctx, io) => {
      const user = await findPublicUserByLoginId(ctx.db, loginId);
      if (!user) throw new CliFailure(`no user with login ID "${loginId}"`);
      await assignMethodTo(ctx, user.id, method, CLI_ACTOR);
      io.out(`${loginId}: second verification set to ${method}`);
    };
  },
};
