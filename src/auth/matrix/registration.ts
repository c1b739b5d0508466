// Issue 22: the matrix password's registration as steps of the first-login flow (after identity
// verification, in place of the password step) and of the reset flow (the forgotten positions are
// chosen anew): choose positions → confirm → stored sealed.
import { Type } from '@sinclair/typebox';
import type { AppContext } from '../../context.ts';
import { DomainError } from '../../errors.ts';
import { audit } from '../../audit/log.ts';
import { defineStep } from '../flows/step.ts';
import { liveLink } from '../first-login/service.ts';
import { consumeLink } from '../links/store.ts';
import { bumpSecurityEpoch } from '../users/security-epoch.ts';
import { findUserById } from '../users/store.ts';
import { cellName, parsePositions, type MatrixShape } from './grid.ts';
import { openPositions, saveMatrixPassword, sealPositions } from './store.ts';

const csrf = { _csrf: Type.Optional(Type.String({ maxLength: 128 })) };
/** The positions as cell names (A1, C4, …): filled by matrix.js from the clicks, or typed. */
export const MatrixPositionsBody = Type.Object({ positions: Type.String({ maxLength: 2000 }), ...csrf });
const EmptyBody = Type.Object({ ...csrf });

export function matrixShape(ctx: AppContext): MatrixShape {
  const { rows, cols, min, max } = ctx.config.matrix;
  return { rows, cols, min, max };
}

/** The bottom-right cell's name, for hints and errors («A1〜H6»). */
export const lastCell = (s: { rows: number; cols: number }) => cellName(s.rows * s.cols - 1, s.cols);

const matrix = defineStep({
  kinds: ['first_login', 'reset'], step: 'matrix', body: MatrixPositionsBody,
  async check({ ctx, flow, body, now }) {
    const link = await liveLink(ctx, flow.context.linkId, now);
    const shape = matrixShape(ctx);
    const parsed = parsePositions(body.positions, shape);
    if (!parsed.ok) {
      const params = { min: shape.min, max: shape.max, count: parsed.count ?? 0, cell: parsed.cell ?? '', last: lastCell(shape) };
      throw new DomainError('matrix.positions_invalid', {}, { positions: [{ key: `matrix.${parsed.error}`, params }] });
    }
    return { link, box: sealPositions(ctx.config.totpKey, link.user_id, { rows: shape.rows, cols: shape.cols, positions: parsed.positions }) };
  },
  // Kept sealed on the flow until confirmed: nothing is the user's yet.
  async apply({ flow, advance }, { box }) {
    await advance('confirming_matrix', { ...flow.context, pendingMatrix: box });
  },
});

const redo = defineStep({
  kinds: ['first_login', 'reset'], step: 'matrix/redo', body: EmptyBody,
  async check({ ctx, flow, now }) { await liveLink(ctx, flow.context.linkId, now); },
  async apply({ flow, advance }) {
    await advance('awaiting_matrix', { ...flow.context, pendingMatrix: undefined });
  },
});

/**
 * Confirm: the link is consumed by its guarded UPDATE (two browsers with one link: one wins), the
 * positions become the user's, and a new security epoch ends their sessions and other flows, as a
 * new password does. Audited as `password.set` with factor `matrix`.
 */
const confirm = defineStep({
  kinds: ['first_login', 'reset'], step: 'matrix/confirm', body: EmptyBody,
  async check({ ctx, flow, now }) {
    const link = await liveLink(ctx, flow.context.linkId, now);
    const user = (await findUserById(ctx.db, link.user_id))!;
    if (!flow.context.pendingMatrix) throw new DomainError('auth.wrong_step', { state: flow.state });
    // Opened here so a box that does not open (a rotated-away key) fails before any write.
    openPositions(ctx.config.totpKeyRing, user.id, flow.context.pendingMatrix);
    return { link, user, box: flow.context.pendingMatrix };
  },
  async apply({ db, flow, advance, client, now }, { link, user, box }) {
    if (!(await consumeLink(db, link.id, now))) throw new DomainError('auth.link_invalid');
    await advance('password_set', { ...flow.context, pendingMatrix: undefined });
    await saveMatrixPassword(db, user.id, box, now);
    await bumpSecurityEpoch(db, user.id, now, { flowId: flow.id });
    await audit(db, { event: 'password.set', subjectUserId: user.id, organisationId: user.organisation_id, factor: 'matrix', ip: client.ip }, now);
  },
});

export const matrixRegistrationSteps = [matrix, redo, confirm] as const;
