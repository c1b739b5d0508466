// Login, first login and reset through runStep on a fresh database (issue 13 item 9): the rules of
// each flow in milliseconds, without a server. HTTP, race and browser suites keep the end-to-end view.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { testDialects } from '../../../../test/helpers/db.ts';
import { independentTotp } from '../../../../test/helpers/scenario.ts';
import type { AppContext } from '../../../context.ts';
import { DomainError } from '../../../errors.ts';
import { openLink } from '../../first-login/service.ts';
import { findLinkById, issueLink } from '../../links/store.ts';
import { openLoginFlow, type LoginRequest } from '../../login/service.ts';
import { otpKey } from '../../login/second-factor.ts';
import { runStep } from '../engine.ts';
import { createFlow } from '../flow.ts';
import { seal } from '../../crypto/secret-box.ts';
import { sha256Hex } from '../../crypto/tokens.ts';
import { generateTotpSecret } from '../../factors/totp.ts';
import { createSession, revokeSessionByToken } from '../../sessions/store.ts';
import type { NextAction } from '../step.ts';
import { CLIENT, GOOD_PW, person, reload, world } from './world.ts';

const step = (ctx: AppContext, flowId: string, flowCookie: string, name: string, body: Record<string, string> = {}) =>
  runStep(ctx, { flowId, step: name, flowCookie, body, client: CLIENT });

const refusedWith = (code: string) => (e: unknown) => e instanceof DomainError && e.code === code;

async function flowRow(ctx: AppContext, id: string) {
  return ctx.db.selectFrom('flow').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
}

async function events(ctx: AppContext, userId: string, event: string): Promise<number> {
  return (await ctx.db.selectFrom('audit_log').select('id').where('subject_user_id', '=', userId).where('event', '=', event).execute()).length;
}

/** GET /login then its credentials step, as the login page does. */
async function login(ctx: AppContext, loginId: string, password: string, r: LoginRequest = {}) {
  const opened = await openLoginFlow(ctx, r);
  const next = await step(ctx, opened.flowId, opened.flowCookie, 'credentials', { loginId, password });
  return { opened, next };
}

/** Starting guide → identity → password: the person can log in with GOOD_PW. */
async function firstLogin(ctx: AppContext, setupToken: string, user: { email: string; name: string; phone: string }) {
  const opened = await openLink(ctx, setupToken);
  await step(ctx, opened.flowId, opened.flowCookie, 'identity', { email: user.email, name: user.name, phone: user.phone });
  await step(ctx, opened.flowId, opened.flowCookie, 'password', { password: GOOD_PW, confirm: GOOD_PW });
}

for (const dialect of testDialects()) {
  describe(`${dialect}: flows through runStep (service level)`, () => {
    it('first login: a wrong identity answer stays counted on the link though the step fails; the password lists every broken rule; no session', async (t) => {
      const { ctx } = await world(dialect, t);
      const { user, setupToken } = await person(ctx);
      const opened = await openLink(ctx, setupToken);
      assert.equal(opened.kind, 'first_login');
      const linkId = JSON.parse((await flowRow(ctx, opened.flowId)).context).linkId as string;
      await assert.rejects(step(ctx, opened.flowId, opened.flowCookie, 'identity', { email: user.email, name: '山田 花子', phone: user.phone }), refusedWith('auth.identity_mismatch'));
      assert.equal((await findLinkById(ctx.db, linkId))!.identity_failures, 1, 'the failure was committed before the step threw');
      assert.equal((await flowRow(ctx, opened.flowId)).state, 'awaiting_identity');
      const ok = await step(ctx, opened.flowId, opened.flowCookie, 'identity', { email: user.email, name: user.name, phone: user.phone });
      assert.deepEqual(ok, { action: 'show_step', flowId: opened.flowId, state: 'awaiting_password' });
      await assert.rejects(step(ctx, opened.flowId, opened.flowCookie, 'password', { password: 'abc', confirm: 'abc' }),
        (e: unknown) => e instanceof DomainError && e.code === 'auth.password_policy' && (e.fields.password?.length ?? 0) >= 2);
      await assert.rejects(step(ctx, opened.flowId, opened.flowCookie, 'identity', { email: user.email, name: user.name, phone: user.phone }), refusedWith('auth.wrong_step'));
      const done = await step(ctx, opened.flowId, opened.flowCookie, 'password', { password: GOOD_PW, confirm: GOOD_PW });
      assert.equal(done.action, 'show_step');
      assert.equal((await flowRow(ctx, opened.flowId)).state, 'password_set');
      assert.ok((await reload(ctx, user.id)).password_hash);
      assert.equal((await findLinkById(ctx.db, linkId))!.used_at !== null, true, 'the link is used');
      assert.equal((await ctx.db.selectFrom('session').select('id').execute()).length, 0, 'first login never logs in');
      await assert.rejects(step(ctx, opened.flowId, 'not-the-cookie', 'password', { password: GOOD_PW, confirm: GOOD_PW }), refusedWith('auth.flow_expired'));
    });

    it('reset: one password set per link; the security epoch moves and the mail is queued in the same transaction', async (t) => {
      const { ctx } = await world(dialect, t);
      const { user, setupToken } = await person(ctx);
      await firstLogin(ctx, setupToken, user);
      const epoch = (await reload(ctx, user.id)).security_epoch;
      const { token } = await issueLink(ctx.db, user.id, 'reset', 3_600_000, ctx.now());
      const a = await openLink(ctx, token);
      const b = await openLink(ctx, token);
      assert.equal(a.kind, 'reset');
      await step(ctx, a.flowId, a.flowCookie, 'password', { password: 'Nw8$rTy3uWq5', confirm: 'Nw8$rTy3uWq5' });
      await assert.rejects(step(ctx, b.flowId, b.flowCookie, 'password', { password: 'Att4ck#Pass9', confirm: 'Att4ck#Pass9' }), refusedWith('auth.flow_expired'));
      assert.ok(Number((await reload(ctx, user.id)).security_epoch) > Number(epoch));
      assert.equal(await events(ctx, user.id, 'password.reset'), 1);
      assert.equal((await ctx.db.selectFrom('mail_outbox').select('id').where('kind', '=', 'password_changed').execute()).length, 1);
    });

    it('login: a wrong TOTP code stays counted though the step fails; the right one issues one session with the flow\'s return target', async (t) => {
      const { ctx, clock } = await world(dialect, t);
      const { user, setupToken } = await person(ctx);
      await firstLogin(ctx, setupToken, user);
      // First login of a general user: TOTP enrolment.
      const first = (await login(ctx, user.login_id, GOOD_PW)).next;
      assert.equal(first.action, 'show_step');
      const { flowId, flowCookie } = first as Extract<NextAction, { action: 'show_step' }> & { flowCookie: string };
      // The enrolment page makes the pending secret; read it the way the page does.
      const { loadLoginStep, pendingTotpSecret } = await import('../../login/second-factor.ts');
      const secret = await pendingTotpSecret(ctx, await loadLoginStep(ctx, flowId, flowCookie, null));
      await assert.rejects(step(ctx, flowId, flowCookie, 'totp', { code: '123456' }), refusedWith('auth.wrong_step'));
      await step(ctx, flowId, flowCookie, 'totp-setup', { code: independentTotp(secret, clock.now) });
      const enrolled = await step(ctx, flowId, flowCookie, 'backup-codes');
      assert.equal(enrolled.action, 'session_issued');
      assert.equal((enrolled as Extract<NextAction, { action: 'session_issued' }>).returnTo, '/');

      clock.advance(60_000);
      // The flow carries its validated return target from the login page's ?return_to=.
      const { opened, next } = await login(ctx, user.login_id, GOOD_PW, { returnTo: '/contracts' });
      const second = next as Extract<NextAction, { action: 'show_step' }> & { flowCookie: string };
      assert.equal(second.state, 'awaiting_totp');
      assert.notEqual(second.flowCookie, opened.flowCookie, 'the flow gets a new cookie once it has its user');
      await assert.rejects(step(ctx, second.flowId, opened.flowCookie, 'totp', { code: '000000' }), refusedWith('auth.flow_expired'), 'the anonymous cookie does not carry the login on');
      const wrong = independentTotp(secret, clock.now, 5);
      await assert.rejects(step(ctx, second.flowId, second.flowCookie, 'totp', { code: wrong }), refusedWith('auth.invalid_code'));
      const counter = await ctx.db.selectFrom('throttle').select('failures').where('key', '=', otpKey(user.id)).executeTakeFirstOrThrow();
      assert.equal(Number(counter.failures), 1, 'the counted failure was committed before the step threw');
      assert.equal(await events(ctx, user.id, 'mfa.totp_failed'), 1);
      assert.equal((await flowRow(ctx, second.flowId)).state, 'awaiting_totp');
      const sessionsBefore = (await ctx.db.selectFrom('session').select('id').execute()).length;
      const ok = await step(ctx, second.flowId, second.flowCookie, 'totp', { code: independentTotp(secret, clock.now) }) as Extract<NextAction, { action: 'session_issued' }>;
      assert.equal(ok.action, 'session_issued');
      assert.equal(ok.returnTo, '/contracts');
      assert.equal((await ctx.db.selectFrom('session').select('id').execute()).length, sessionsBefore + 1);
      assert.equal((await flowRow(ctx, second.flowId)).state, 'done');
      await assert.rejects(step(ctx, second.flowId, second.flowCookie, 'totp', { code: independentTotp(secret, clock.now) }), refusedWith('auth.wrong_step'));
      assert.equal((await ctx.db.selectFrom('session').select('id').execute()).length, sessionsBefore + 1, 'never a second session');
    });

    it('login: a trusted network skips the second step, unless the flow asked for aal2', async (t) => {
      const { ctx, clock } = await world(dialect, t);
      const { user, setupToken } = await person(ctx);
      await firstLogin(ctx, setupToken, user);
      const enrol = (await login(ctx, user.login_id, GOOD_PW)).next as Extract<NextAction, { action: 'show_step' }> & { flowCookie: string };
      const { loadLoginStep, pendingTotpSecret } = await import('../../login/second-factor.ts');
      const secret = await pendingTotpSecret(ctx, await loadLoginStep(ctx, enrol.flowId, enrol.flowCookie, null));
      await step(ctx, enrol.flowId, enrol.flowCookie, 'totp-setup', { code: independentTotp(secret, clock.now) });
      await step(ctx, enrol.flowId, enrol.flowCookie, 'backup-codes');
      await ctx.db.insertInto('trusted_network').values({ id: 'tn-1', organisation_id: user.organisation_id, cidr: `${CLIENT.ip}/32`, label: 'office', created_at: clock.now }).execute();
      clock.advance(60_000);
      const skipped = await login(ctx, user.login_id, GOOD_PW, { returnTo: '/contracts' });
      assert.equal(skipped.next.action, 'session_issued', 'skipped from the trusted network');
      assert.equal((skipped.next as Extract<NextAction, { action: 'session_issued' }>).returnTo, '/contracts');
      assert.equal((await flowRow(ctx, skipped.opened.flowId)).state, 'done');
      clock.advance(1000);
      const strict = await login(ctx, user.login_id, GOOD_PW, { requestedAal: 'aal2' });
      assert.equal(strict.next.action, 'show_step', 'aal2 asked: the second step is not skipped');
      assert.equal((strict.next as Extract<NextAction, { action: 'show_step' }>).state, 'awaiting_totp');
    });

    it('re-enrolment: goes on only while the session it was started from is live, and ends without a session', async (t) => {
      const { ctx, clock } = await world(dialect, t);
      const { user } = await person(ctx);
      const times = { idleMs: 3_600_000, absoluteMs: 7_200_000 };
      const open = async () => {
        const token = await createSession(ctx.db, { userId: user.id, aal: 'aal2', skipReason: null, ip: CLIENT.ip, userAgent: CLIENT.userAgent }, times, clock.now);
        const secret = generateTotpSecret();
        const { flow, cookie } = await createFlow(ctx.db, {
          kind: 'totp_reenrol', userId: user.id, state: 'awaiting_totp_enrolment', securityEpoch: (await reload(ctx, user.id)).security_epoch, ttlMs: 600_000,
          context: { sessionId: sha256Hex(token), pendingTotp: seal(ctx.config.totpKey, secret, user.id) },
        }, clock.now);
        return { token, secret, flow, cookie };
      };
      const signedOut = await open();
      await revokeSessionByToken(ctx.db, signedOut.token, clock.now);
      await assert.rejects(step(ctx, signedOut.flow.id, signedOut.cookie, 'totp-setup', { code: independentTotp(signedOut.secret, clock.now) }), refusedWith('auth.flow_expired'));
      clock.advance(60_000);
      const live = await open();
      const sessionsBefore = (await ctx.db.selectFrom('session').select('id').execute()).length;
      await step(ctx, live.flow.id, live.cookie, 'totp-setup', { code: independentTotp(live.secret, clock.now) });
      const end = await step(ctx, live.flow.id, live.cookie, 'backup-codes');
      assert.deepEqual(end, { action: 'redirect', to: '/profile' });
      assert.equal((await ctx.db.selectFrom('session').select('id').execute()).length, sessionsBefore, 'no new session');
      assert.equal(await events(ctx, user.id, 'login.succeeded'), 0);
      const kept = await ctx.db.selectFrom('session').select(['revoked_at']).where('id', '=', sha256Hex(live.token)).executeTakeFirstOrThrow();
      assert.equal(kept.revoked_at, null, 'the session it started from survives the new epoch');
    });

    it('login: a wrong password stays counted and leaves the flow anonymous at awaiting_password; a foreign return target falls back to /', async (t) => {
      const { ctx, clock } = await world(dialect, t);
      const { user, setupToken } = await person(ctx);
      await firstLogin(ctx, setupToken, user);
      const opened = await openLoginFlow(ctx, { returnTo: '//evil.example/x' });
      assert.equal(JSON.parse((await flowRow(ctx, opened.flowId)).context).returnTo, '/');
      await assert.rejects(step(ctx, opened.flowId, opened.flowCookie, 'credentials', { loginId: user.login_id, password: 'wrong-password-1' }), refusedWith('auth.invalid_credentials'));
      const row = await flowRow(ctx, opened.flowId);
      assert.equal(row.state, 'awaiting_password');
      assert.equal(row.user_id, null);
      assert.equal(await events(ctx, user.id, 'login.failed'), 1, 'the failure was recorded though the step threw');
      await assert.rejects(step(ctx, opened.flowId, opened.flowCookie, 'totp', { code: '000000' }), refusedWith('auth.wrong_step'));
      clock.advance(1000);
      const ok = await step(ctx, opened.flowId, opened.flowCookie, 'credentials', { loginId: user.login_id, password: GOOD_PW });
      assert.equal(ok.action, 'show_step');
      assert.equal((await flowRow(ctx, opened.flowId)).user_id, user.id);
    });
  });
}
