// Every (state × step) of every flow kind through runStep (issue 13 item 9): the pairs the kind's
// table allows advance as the table says; every other pair — a step of another state, of another
// kind, or no step at all — answers wrong_step and changes nothing (the flow row, the audit log, the
// sessions, the mail outbox). Service level: a fresh database, no server.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { testDialects } from '../../../../test/helpers/db.ts';
import { independentTotp, mailOtpIn } from '../../../../test/helpers/scenario.ts';
import type { AppContext } from '../../../context.ts';
import { DomainError } from '../../../errors.ts';
import { seal } from '../../crypto/secret-box.ts';
import { generateBackupCodes, hashBackupCode } from '../../factors/backup-codes.ts';
import { generateTotpSecret } from '../../factors/totp.ts';
import { issueLink, findLinkByToken } from '../../links/store.ts';
import { replaceBackupCodes, saveTotpEnrolment } from '../../login/factor-store.ts';
import { sendMailOtpFor } from '../../login/mail-otp.ts';
import { setPasswordHash, setSecondFactor } from '../../users/store.ts';
import { createSession } from '../../sessions/store.ts';
import { sha256Hex } from '../../crypto/tokens.ts';
import { hashPassword } from '../../password/hash.ts';
import { runStep } from '../engine.ts';
import { createFlow, type Flow } from '../flow.ts';
import { FLOWS, type FlowContext, type FlowKind, type FlowState } from '../states.ts';
import { CLIENT, GOOD_PW, person, world } from './world.ts';
import { saveMatrixPassword, sealPositions } from '../../matrix/store.ts';
import { sealChallenge } from '../../matrix/login.ts';
import { updateOrganisationSettings } from '../../tenancy/organisations.ts';
import { SoftAuthenticator } from '../../../../test/helpers/passkey-authenticator.ts';
import { storedChallenge } from '../../passkeys/ceremony.ts';
import { insertPasskey } from '../../passkeys/store.ts';

const ORIGIN = 'http://127.0.0.1:9';
const RP_ID = '127.0.0.1';

const ALL_STEPS = [...new Set(Object.values(FLOWS).flatMap((t) => Object.keys(t.steps))), 'no-such-step'];

interface Prepared { flow: Flow; cookie: string; body: Record<string, string> }

/** A flow of `kind` at `state`, with what the step needs to succeed when the table allows it. */
async function prepare(ctx: AppContext, kind: FlowKind, state: FlowState, step: string): Promise<Prepared> {
  const { user, setupToken } = await person(ctx, step === 'method' ? 'admin' : 'general');
  const now = ctx.now();
  const context: FlowContext = {};
  const body: Record<string, string> = { credential: '{}', code: '000000', backupCode: 'AAAA-AAAA-AAAA-AAAA', method: 'totp', password: GOOD_PW, confirm: GOOD_PW, email: user.email, name: user.name, phone: user.phone, loginId: user.login_id, positions: 'A1,B1,C1,D1,E1,F1,G1,H1', answer: '00000000' };
  if (kind === 'first_login') context.linkId = (await findLinkByToken(ctx.db, setupToken))!.id;
  if (kind === 'reset') context.linkId = (await issueLink(ctx.db, user.id, 'reset', 3_600_000, now)).row.id;
  const secret = generateTotpSecret();
  if (state === 'awaiting_totp_enrolment') {
    context.pendingTotp = seal(ctx.config.totpKey, secret, user.id);
    body.code = independentTotp(secret, now);
  }
  if (state === 'showing_backup_codes') context.pendingBackupCodes = seal(ctx.config.totpKey, generateBackupCodes().join('\n'), user.id);
  if (state === 'awaiting_totp') {
    await setSecondFactor(ctx.db, user.id, 'totp', now);
    await saveTotpEnrolment(ctx.db, user.id, seal(ctx.config.totpKey, secret, user.id), Math.floor(now / 30_000) - 5, now);
    const [code] = generateBackupCodes();
    await replaceBackupCodes(ctx.db, user.id, [hashBackupCode(code!, user.id)], now);
    body.code = independentTotp(secret, now);
    body.backupCode = code!;
  }
  // Issue 23: a user with TOTP and a registered passkey; the flow holds a live challenge; the body answers it.
  const passkeyLogin = kind === 'login' && (state === 'awaiting_passkey' || (state === 'awaiting_password' && step === 'passkey/signin'));
  let key: SoftAuthenticator | null = null;
  // A registration answers a challenge too: from the security settings or during the 2-step setup.
  const registering = kind === 'passkey_register' || state === 'awaiting_passkey_enrolment';
  if (passkeyLogin || registering) {
    context.passkeyChallenge = storedChallenge(now);
    key = new SoftAuthenticator({ origin: ORIGIN, rpId: RP_ID, counter: 1 });
  }
  if (passkeyLogin && key) {
    await setSecondFactor(ctx.db, user.id, 'totp', now);
    await saveTotpEnrolment(ctx.db, user.id, seal(ctx.config.totpKey, secret, user.id), Math.floor(now / 30_000) - 5, now);
    const reg = key.register({ challenge: 'x', rp: { id: RP_ID }, user: { id: 'dQ' } });
    const { verifyRegistration } = await import('../../passkeys/ceremony.ts');
    const created = await verifyRegistration({ id: RP_ID, origin: ORIGIN, name: 'x' }, reg as never, 'x', null);
    if (typeof created === 'string') throw new Error(created);
    await insertPasskey(ctx.db, user.id, 'k', created, now);
    await updateOrganisationSettings(ctx.db, user.organisation_id, { passkeySignin: true }, now);
    key.counter = 1;
    body.credential = JSON.stringify(key.assert({ challenge: context.passkeyChallenge!.c, rpId: RP_ID }));
  }
  if (registering && key) {
    body.credential = JSON.stringify(key.register({ challenge: context.passkeyChallenge!.c, rp: { id: RP_ID }, user: { id: 'dQ' } }));
    body.label = 'k';
  }
  // A re-enrolment (and a passkey registration) is started from a live session of the user.
  if (kind === 'totp_reenrol' || kind === 'passkey_register') {
    const token = await createSession(ctx.db, { userId: user.id, aal: 'aal2', skipReason: null, ip: CLIENT.ip, userAgent: CLIENT.userAgent }, { idleMs: 3_600_000, absoluteMs: 7_200_000 }, now);
    context.sessionId = sha256Hex(token);
  }
  // Issue 22: pending matrix positions to confirm; a matrix user's login at its login ID or answer step.
  const matrixBox = () => sealPositions(ctx.config.totpKey, user.id, { rows: 6, cols: 8, positions: [0, 1, 2, 3, 4, 5, 6, 7] });
  if (state === 'confirming_matrix') context.pendingMatrix = matrixBox();
  const matrixLogin = kind === 'login' && (state === 'awaiting_matrix_login_id' || state === 'awaiting_matrix_answer');
  if (matrixLogin) {
    await updateOrganisationSettings(ctx.db, user.organisation_id, { firstFactor: 'matrix' }, now);
    await saveMatrixPassword(ctx.db, user.id, matrixBox(), now);
    context.matrixLoginId = user.login_id;
  }
  // A login flow waits for its credentials with no user (GET /login opened it).
  const anonymous = (kind === 'login' && state === 'awaiting_password') || matrixLogin;
  if (anonymous && !passkeyLogin) {
    await setPasswordHash(ctx.db, user.id, await hashPassword(GOOD_PW, ctx.config.argon2), now);
    body.loginId = user.login_id;
    body.password = GOOD_PW;
  }
  const { flow, cookie } = await createFlow(ctx.db, { kind, userId: anonymous ? null : user.id, state, context, securityEpoch: anonymous ? 0 : user.security_epoch, ttlMs: 600_000 }, now);
  if (kind === 'login' && state === 'awaiting_matrix_answer') {
    // The challenge is bound to the flow's id, so it is sealed once the row exists: digits 0–7 at A1…H1.
    flow.context.matrixChallenge = sealChallenge(ctx, flow.id, { grid: '01234567'.padEnd(48, '9'), rows: 6, cols: 8, expiresAt: now + 600_000 });
    await ctx.db.updateTable('flow').set({ context: JSON.stringify(flow.context) }).where('id', '=', flow.id).execute();
    body.answer = '01234567';
  }
  if (state === 'awaiting_mail_otp' && step === 'mail-otp') {
    await sendMailOtpFor(ctx, flow, user, CLIENT.ip, now);
    const mail = await ctx.db.selectFrom('mail_outbox').select('body_text').where('to_addr', '=', user.email).where('kind', '=', 'mail_otp').executeTakeFirstOrThrow();
    body.code = mailOtpIn(mail.body_text);
  }
  return { flow, cookie, body };
}

/** Everything a refused step must leave alone. */
async function snapshot(ctx: AppContext, flowId: string) {
  const count = async (table: 'audit_log' | 'session' | 'mail_outbox' | 'mail_otp') =>
    Number((await ctx.db.selectFrom(table).select((e) => e.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
  const flow = await ctx.db.selectFrom('flow').selectAll().where('id', '=', flowId).executeTakeFirstOrThrow();
  return { flow, audit: await count('audit_log'), sessions: await count('session'), mails: await count('mail_outbox'), codes: await count('mail_otp') };
}

for (const dialect of testDialects()) {
  describe(`${dialect}: every (state × step) of every flow kind`, () => {
    for (const kind of Object.keys(FLOWS) as FlowKind[]) {
      it(kind, async (t) => {
        const { ctx, clock } = await world(dialect, t);
        const table = FLOWS[kind];
        const serves = table.steps as Record<string, readonly FlowState[]>;
        let allowedRun = 0;
        for (const state of Object.keys(table.transitions) as FlowState[]) {
          for (const step of ALL_STEPS) {
            clock.advance(90_000); // a fresh TOTP step and no MailOTP cooldown for each pair
            const p = await prepare(ctx, kind, state, step);
            const before = await snapshot(ctx, p.flow.id);
            const run = () => runStep(ctx, { flowId: p.flow.id, step, flowCookie: p.cookie, body: p.body, client: CLIENT });
            const label = `${kind}: ${state} × ${step}`;
            if (serves[step]?.includes(state)) {
              const next = await run();
              allowedRun++;
              const after = await snapshot(ctx, p.flow.id);
              const moved = after.flow.state as FlowState;
              if (step === 'mail-otp/resend') {
                assert.equal(moved, state, `${label}: a resend stays`);
                assert.equal(after.codes, before.codes + 1, `${label}: a new code`);
              } else {
                assert.ok((table.transitions as Record<string, readonly string[]>)[state]!.includes(moved), `${label}: moved along the table (${moved})`);
                assert.equal(after.flow.version, before.flow.version + 1, `${label}: one version-checked advance`);
              }
              if (moved === 'done') {
                const noSession = kind === 'totp_reenrol' || kind === 'passkey_register';
                assert.equal(next.action, noSession ? 'redirect' : 'session_issued', label);
                assert.equal(after.sessions, before.sessions + (noSession ? 0 : 1), `${label}: sessions`);
              }
            } else {
              await assert.rejects(run, (e: unknown) => e instanceof DomainError && e.code === 'auth.wrong_step', label);
              assert.deepEqual(await snapshot(ctx, p.flow.id), before, `${label}: nothing changed`);
            }
          }
        }
        assert.equal(allowedRun, Object.values(serves).flat().length, 'every allowed pair was run');
      });
    }
  });
}
