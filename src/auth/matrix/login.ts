// Issue 22 (S12, seed 001 steps 5–6): the matrix password's login, a login flow whose first step is
// the challenge. GET /login/matrix opens it without a user; the login ID is sent; a fresh matrix is
// drawn and kept sealed on the flow row (any node can check the answer; nothing in memory); the
// digits at the registered positions, in order, are the answer. Each matrix is answered once and
// expires (MATRIX_CHALLENGE_SECONDS); attempts count on the password's own throttle keys and policy;
// a right answer goes on exactly as a right password does (the organisation's 2-step rules).
import { Type } from '@sinclair/typebox';
import type { AppContext } from '../../context.ts';
import { DomainError } from '../../errors.ts';
import { audit } from '../../audit/log.ts';
import { open, seal } from '../crypto/secret-box.ts';
import { advanceAnonymousFlow, createFlow, type Flow } from '../flows/flow.ts';
import { returnTarget } from '../flows/return-to.ts';
import type { FlowContext } from '../flows/states.ts';
import { defineStep, Refusal } from '../flows/step.ts';
import { sendMailOtpFor } from '../login/mail-otp.ts';
import { refuseWhileOtpLocked } from '../login/second-factor.ts';
import { firstSecondStepState, passwordKey, refusedByLock, secondStepSkip, skippedLogin, type LoginRequest, type Skip } from '../login/service.ts';
import type { Organisation } from '../tenancy/organisations.ts';
import { PASSWORD_POLICY, countSourceFailure, sourceLockedUntil, type ThrottleVerdict } from '../throttle/db-throttle.ts';
import { throttleKeys } from '../throttle/keys.ts';
import { refundIfInfrastructure } from '../throttle/refund.ts';
import { findUserForLogin, type UserRow } from '../users/store.ts';
import { answerMatches, cellIndex, cellName, newGrid } from './grid.ts';
import { findMatrixPassword, openPositions, resolveMatrixEntry } from './store.ts';

const csrf = { _csrf: Type.Optional(Type.String({ maxLength: 128 })) };
export const MatrixStartBody = Type.Object({ loginId: Type.String({ maxLength: 1024 }), ...csrf });
export const MatrixAnswerBody = Type.Object({ answer: Type.String({ maxLength: 64 }), ...csrf });

/** One matrix as shown: its digits, its size and when it stops being answerable. */
export interface Challenge { grid: string; rows: number; cols: number; expiresAt: number }

// The box is bound to its flow: a challenge copied onto another flow row does not open there.
const aad = (flowId: string) => `matrix-challenge\0${flowId}`;

function freshChallenge(ctx: AppContext, flowId: string, now: number): string {
  const { rows, cols, challengeMs } = ctx.config.matrix;
  return sealChallenge(ctx, flowId, { grid: newGrid(rows, cols), rows, cols, expiresAt: now + challengeMs });
}

export function sealChallenge(ctx: AppContext, flowId: string, c: Challenge): string {
  return seal(ctx.config.totpKey, JSON.stringify({ g: c.grid, r: c.rows, c: c.cols, e: c.expiresAt }), aad(flowId));
}

export function openChallenge(ctx: AppContext, flow: Flow): Challenge | null {
  if (!flow.context.matrixChallenge) return null;
  const v = JSON.parse(open(ctx.config.totpKeyRing, flow.context.matrixChallenge, aad(flow.id))) as { g: string; r: number; c: number; e: number };
  return { grid: v.g, rows: v.r, cols: v.c, expiresAt: v.e };
}

/** GET /login/matrix: an anonymous login flow at its login-ID step, with its own cookie (item 39). */
export async function openMatrixLoginFlow(ctx: AppContext, r: LoginRequest = {}): Promise<{ flowId: string; flowCookie: string }> {
  const context: FlowContext = { returnTo: returnTarget(r.returnTo) };
  if (r.requestedAal) context.requestedAal = r.requestedAal;
  const { flow, cookie } = await createFlow(ctx.db, { kind: 'login', userId: null, state: 'awaiting_matrix_login_id', context, securityEpoch: 0, ttlMs: ctx.config.flowMs }, ctx.now());
  return { flowId: flow.id, flowCookie: cookie };
}

/**
 * The login ID or e-mail address, then a matrix. Nothing is looked up: a known and an unknown
 * entry get the same matrix, in the same time (no account enumeration); the answer step resolves it.
 */
const start = defineStep({
  kinds: ['login'], step: 'matrix/start', body: MatrixStartBody,
  check({ body }) {
    const loginId = body.loginId.trim();
    if (!loginId) throw new DomainError('common.field_errors', {}, { loginId: [{ key: 'matrix.enter_login_id' }] });
    return Promise.resolve({ loginId: loginId.slice(0, 254) });
  },
  async apply({ tx, db, flow, now }, { loginId }) {
    await advanceAnonymousFlow(db, flow, 'awaiting_matrix_answer', now, { ...flow.context, matrixLoginId: loginId, matrixChallenge: freshChallenge(tx, flow.id, now) });
    return { action: 'show_step', flowId: flow.id, state: 'awaiting_matrix_answer' };
  },
});

type Checked =
  | { ok: false; error: 'matrix.invalid_answer' | 'matrix.challenge_expired'; counted?: Counted }
  | { ok: true; user: UserRow; org: Organisation; skip: Skip | null; counted: Counted };
interface Counted { key: string; verdict: ThrottleVerdict; at: number }

/**
 * The registered positions mapped onto the current grid by cell name (a MATRIX_COLS change moves
 * indices, not names); null when the user has none, or one falls outside the grid now.
 */
async function positionsFor(ctx: AppContext, user: UserRow, rows: number, cols: number): Promise<number[] | null> {
  const box = await findMatrixPassword(ctx.db, user.id);
  if (!box) return null;
  const s = openPositions(ctx.config.totpKeyRing, user.id, box);
  const mapped = s.positions.map((p) => cellIndex(cellName(p, s.cols), rows, cols));
  return mapped.every((p) => p !== null) ? mapped as number[] : null;
}

const answer = defineStep({
  kinds: ['login'], step: 'matrix/answer', body: MatrixAnswerBody,
  async check({ ctx, flow, body, client, now }): Promise<Checked> {
    const challenge = openChallenge(ctx, flow);
    const loginId = flow.context.matrixLoginId ?? '';
    if (!challenge || challenge.expiresAt <= now) return { ok: false, error: 'matrix.challenge_expired' };
    // The password's throttles, keys and policy (before any lookup): a matrix guess and a password
    // guess of one login ID share one counter.
    const ipKey = throttleKeys.passwordSource(client.ip);
    const ipLock = await sourceLockedUntil(ctx.throttle, ipKey, now);
    if (ipLock > now) throw await refusedByLock(ctx, 'source', ipKey, ipLock, { factor: 'matrix', ip: client.ip, detail: { loginId: loginId.slice(0, 100) } }, now);
    // The entry may be the e-mail address (seed 001): the counter is the account's login ID, so a
    // matrix guess by address, by login ID and a password guess share one.
    const entry = await resolveMatrixEntry(ctx.db, loginId);
    const key = passwordKey(entry.loginId ?? loginId);
    const verdict = await ctx.throttle.begin(key, PASSWORD_POLICY, now);
    if (!verdict.ok) {
      throw await refusedByLock(ctx, 'account', key, verdict.retryAt, { factor: 'matrix', ip: client.ip, detail: { loginId: loginId.slice(0, 100) } }, now);
    }
    const counted = { key, verdict, at: now };
    const found = await findUserForLogin(ctx.db, entry.loginId ?? loginId);
    const user = found && found.org.first_factor === 'matrix' && found.user.disabled_at === null ? found.user : undefined;
    const positions = user ? await positionsFor(ctx, user, challenge.rows, challenge.cols) : null;
    // An unknown login ID compares against nothing, in the same code path: the same answer.
    if (!answerMatches(challenge.grid, positions, body.answer) || !user || !found) {
      await countSourceFailure(ctx.throttle, ipKey, now);
      const reason = entry.by === 'ambiguous_email' ? 'ambiguous_email' : !found ? 'unknown_login_id' : !user ? 'not_matrix' : !positions ? 'no_matrix' : 'bad_matrix_answer';
      await audit(ctx.db, { event: 'login.failed', subjectUserId: found?.user.id ?? null, organisationId: found?.user.organisation_id ?? null, factor: 'matrix', ip: client.ip, detail: { reason } }, now);
      ctx.metrics?.login('failed');
      return { ok: false, error: 'matrix.invalid_answer', counted };
    }
    const skip = flow.context.requestedAal !== 'aal2' ? await secondStepSkip(ctx, user, found.org, found.hasTrustedNetworks, client, now) : null;
    if (!skip) await refuseWhileOtpLocked(ctx, user.id, now);
    return { ok: true, user, org: found.org, skip, counted };
  },
  async apply(c, v: Checked) {
    const { flow, now } = c;
    if (!v.ok) {
      // The matrix is used up either way: the next answer needs the fresh one shown with the error.
      await advanceAnonymousFlow(c.db, flow, 'awaiting_matrix_answer', now, { ...flow.context, matrixChallenge: freshChallenge(c.tx, flow.id, now) });
      return new Refusal(new DomainError(v.error));
    }
    await c.tx.throttle.succeed(v.counted.key);
    await audit(c.db, { event: 'login.password_ok', subjectUserId: v.user.id, organisationId: v.user.organisation_id, factor: 'matrix', ip: c.client.ip }, now);
    c.tx.metrics?.login('password_ok');
    const context: FlowContext = { ...flow.context, matrixChallenge: undefined, matrixLoginId: undefined };
    if (v.skip) {
      await c.bindUser({ userId: v.user.id, securityEpoch: v.user.security_epoch, to: 'done', context });
      return skippedLogin(c.tx, { user: v.user, org: v.org, skip: v.skip, counted: v.counted }, c.client, now, returnTarget(flow.context.returnTo));
    }
    const state = firstSecondStepState(v.user, v.org);
    const cookie = await c.bindUser({ userId: v.user.id, securityEpoch: v.user.security_epoch, to: state, context });
    return { action: 'show_step', flowId: flow.id, state, flowCookie: cookie };
  },
  failed: ({ ctx }, v: Checked, err) => (v.counted ? refundIfInfrastructure(ctx.throttle, PASSWORD_POLICY, v.counted, err, ctx.log) : Promise.resolve()),
  async after({ ctx, flow, client, now }, v: Checked) {
    if (v.ok && !v.skip && flow.state === 'awaiting_mail_otp') await sendMailOtpFor(ctx, flow, v.user, client.ip, now);
  },
});

export const matrixLoginSteps = [start, answer] as const;
