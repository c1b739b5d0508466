// The steps of the link flows (S2 first login, S4 reset) as registered handlers (src/auth/flows/step.ts):
// identity (first login only) and the new password (both kinds).
import { Type } from '@sinclair/typebox';
import { DomainError } from '../../errors.ts';
import { audit } from '../../audit/log.ts';
import { queueMail } from '../../mail/service.ts';
import { matchIdentity } from '../identity/match.ts';
import { consumeLink, releaseIdentityAttempt, reserveIdentityAttempt } from '../links/store.ts';
import { checkPassword } from '../password/policy.ts';
import { hashPassword } from '../password/hash.ts';
import { defineStep } from '../flows/step.ts';
import { countSourceFailure, sourceLockedUntil } from '../throttle/db-throttle.ts';
import { bumpSecurityEpoch } from '../users/security-epoch.ts';
import { findUserById, setPasswordHash } from '../users/store.ts';
import { identityFieldsFor, liveLink, MAX_IDENTITY_FAILURES, nameSpaceHint, passwordPolicyFor, ruleParams } from './service.ts';
import { throttleKeys } from '../throttle/keys.ts';
import { findOrganisation } from '../tenancy/organisations.ts';

const Str = (max: number) => Type.String({ maxLength: max });
const csrf = { _csrf: Type.Optional(Str(128)) };

export const IdentityBody = Type.Object({ loginId: Type.Optional(Str(254)), email: Type.Optional(Str(254)), name: Type.Optional(Str(254)), phone: Type.Optional(Str(254)), ...csrf });
export const PasswordBody = Type.Object({ password: Str(1024), confirm: Str(1024), ...csrf });

const identity = defineStep({
  kinds: ['first_login'], step: 'identity', body: IdentityBody,
  // The attempt is reserved on the link before the answer is checked (committed at once), so
  // parallel guesses cannot exceed the limit and a wrong answer stays counted.
  async check({ ctx, flow, body, client, now }) {
    const link = await liveLink(ctx, flow.context.linkId, now);
    const user = (await findUserById(ctx.db, link.user_id))!;
    const ipLock = await sourceLockedUntil(ctx.throttle, throttleKeys.identitySource(client.ip), now);
    if (ipLock > now) throw new DomainError('auth.too_many_attempts', { minutes: Math.max(1, Math.ceil((ipLock - now) / 60_000)) });
    if (!(await reserveIdentityAttempt(ctx.db, link.id, MAX_IDENTITY_FAILURES))) {
      await audit(ctx.db, { event: 'identity.link_locked', subjectUserId: user.id, organisationId: user.organisation_id, ip: client.ip }, now);
      throw new DomainError('auth.link_locked');
    }
    const fields = await identityFieldsFor(ctx, user);
    const stored = { loginId: user.login_id, email: user.email, name: user.name, phone: user.phone };
    const { _csrf, ...answers } = body;
    if (!matchIdentity(fields, stored, answers)) {
      await countSourceFailure(ctx.throttle, throttleKeys.identitySource(client.ip), now);
      await audit(ctx.db, { event: 'identity.failed', subjectUserId: user.id, organisationId: user.organisation_id, ip: client.ip }, now);
      // Issue 16: say what to do next. The tries left, and which kind of space the person typed (read
      // from their own input only, so it tells nothing about the registered name).
      const left = Math.max(0, MAX_IDENTITY_FAILURES - link.identity_failures - 1);
      throw new DomainError('auth.identity_mismatch', { left }, fields.includes('name') ? nameSpaceHint(answers.name ?? '') : {});
    }
    // Issue 22: a matrix organisation's user registers matrix positions instead of a password.
    const matrix = (await findOrganisation(ctx.db, user.organisation_id))?.first_factor === 'matrix';
    return { link, user, matrix };
  },
  async apply({ db, advance, client, now }, { link, user, matrix }) {
    await releaseIdentityAttempt(db, link.id);
    await advance(matrix ? 'awaiting_matrix' : 'awaiting_password');
    await audit(db, { event: 'identity.verified', subjectUserId: user.id, organisationId: user.organisation_id, ip: client.ip }, now);
  },
});

/**
 * Sets the password from a first-login or reset flow. The policy and argon2 run before the write
 * transaction; the link is consumed by a guarded UPDATE inside it, so two browsers racing with one
 * link: exactly one succeeds (item 6).
 */
const password = defineStep({
  kinds: ['first_login', 'reset'], step: 'password', body: PasswordBody,
  async check({ ctx, flow, body, now }) {
    const link = await liveLink(ctx, flow.context.linkId, now);
    const user = (await findUserById(ctx.db, link.user_id))!;
    const { policy, profile } = await passwordPolicyFor(ctx, user);
    const unmet = checkPassword(policy, body.password, {
      loginId: user.login_id, email: user.email, name: user.name, productWords: Object.values(profile.displayName),
    });
    if (unmet.length) {
      throw new DomainError('auth.password_policy', {}, { password: unmet.map((r) => ({ key: `password.rule.${r}` as const, params: ruleParams(policy) })) });
    }
    if (body.password !== body.confirm) throw new DomainError('auth.password_mismatch', {}, { confirm: [{ key: 'auth.password_mismatch' }] });
    const hash = await ctx.hashPool.run(() => hashPassword(body.password, ctx.config.argon2));
    return { link, user, profile, hash };
  },
  async apply({ db, flow, advance, client, now }, { link, user, profile, hash }) {
    if (!(await consumeLink(db, link.id, now))) throw new DomainError('auth.link_invalid');
    await advance('password_set');
    await setPasswordHash(db, user.id, hash, now);
    // Item 38 / S4 / item 27: a new password signs the user out everywhere, ends their other flows
    // and supersedes every other link; this flow goes on to its completion page. It never logs in.
    await bumpSecurityEpoch(db, user.id, now, { flowId: flow.id });
    const reset = flow.kind === 'reset';
    if (reset) {
      await queueMail(db, { to: user.email, userId: user.id, lang: user.lang }, 'password_changed', {
        profileName: profile.displayName[user.lang], userName: user.name, at: now,
      }, now);
    }
    await audit(db, { event: reset ? 'password.reset' : 'password.set', subjectUserId: user.id, organisationId: user.organisation_id, factor: 'password', ip: client.ip }, now);
  },
});

export const firstLoginSteps = [identity, password] as const;
