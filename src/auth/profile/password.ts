// Changing the password from the profile page (SECURITY.md item 3): needs the current one (checked
// on the same throttled counter as the login), the policy, then signs out the other sessions and
// tells the user by mail. No forced periodic expiry exists anywhere.
import type { AppContext } from '../../context.ts';
import { DomainError } from '../../errors.ts';
import { audit } from '../../audit/log.ts';
import { queueMail } from '../../mail/service.ts';
import { passwordPolicyFor, ruleParams } from '../first-login/service.ts';
import { checkPassword } from '../password/policy.ts';
import { hashPassword, verifyPassword } from '../password/hash.ts';
import { bumpSecurityEpoch } from '../users/security-epoch.ts';
import { PASSWORD_POLICY } from '../throttle/db-throttle.ts';
import { setPasswordHash, type UserRow } from '../users/store.ts';
import { lockedError, passwordKey } from '../login/service.ts';

export async function changePassword(ctx: AppContext, user: UserRow, sessionId: string, current: string, next: string, confirm: string, ip: string): Promise<void> {
  const now = ctx.now();
  const v = await ctx.throttle.begin(passwordKey(user.login_id), PASSWORD_POLICY, now);
  if (!v.ok) throw lockedError(v.retryAt, now);
  const ok = user.password_hash ? await ctx.hashPool.run(() => verifyPassword(user.password_hash!, current)) : false;
  if (!ok) {
    await audit(ctx.db, { event: 'login.failed', subjectUserId: user.id, organisationId: user.organisation_id, factor: 'password', ip, detail: { reason: 'bad_current_password' } }, now);
    throw new DomainError('auth.invalid_credentials', {}, { currentPassword: [{ key: 'auth.invalid_credentials' }] });
  }
  await ctx.throttle.succeed(passwordKey(user.login_id));
  const { policy, profile } = await passwordPolicyFor(ctx, user);
  const unmet = checkPassword(policy, next, { loginId: user.login_id, email: user.email, name: user.name, productWords: Object.values(profile.displayName) });
  if (unmet.length) throw new DomainError('auth.password_policy', {}, { password: unmet.map((r) => ({ key: `password.rule.${r}` as const, params: ruleParams(policy) })) });
  if (next !== confirm) throw new DomainError('auth.password_mismatch', {}, { confirm: [{ key: 'auth.password_mismatch' }] });
  const hash = await ctx.hashPool.run(() => hashPassword(next, ctx.config.argon2));
  await ctx.db.transaction().execute(async (trx) => {
    await setPasswordHash(trx, user.id, hash, now);
    // Item 38: this session stays; every other one, every pending flow and every mailed link ends.
    await bumpSecurityEpoch(trx, user.id, now, { sessionId });
    await audit(trx, { event: 'password.set', actorUserId: user.id, subjectUserId: user.id, organisationId: user.organisation_id, factor: 'password', ip, detail: { change: true } }, now);
    await queueMail(trx, { to: user.email, userId: user.id, lang: user.lang }, 'password_changed', { profileName: profile.displayName[user.lang], userName: user.name, at: now }, now);
  });
}
