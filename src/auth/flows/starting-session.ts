// Flows opened from a signed-in session to change something of it — a TOTP re-enrolment, a passkey
// registration from the security settings — go on only while that session lives: signing out (or a
// session timeout) ends them. The session is the one named by the flow's `context.sessionId`.
import type { AppContext } from '../../context.ts';
import { DomainError } from '../../errors.ts';
import { listLiveSessions } from '../sessions/store.ts';
import type { Flow } from './flow.ts';
import type { FlowKind } from './states.ts';

const OPENED_FROM_A_SESSION: ReadonlySet<FlowKind> = new Set<FlowKind>(['totp_reenrol', 'passkey_register']);

/** Refuses (flow_expired) a step of such a flow once its session has ended; other kinds pass. */
export async function requireStartingSession(ctx: AppContext, flow: Flow, userId: string, now: number): Promise<void> {
  if (!OPENED_FROM_A_SESSION.has(flow.kind)) return;
  const live = await listLiveSessions(ctx.db, userId, now);
  if (!live.some((x) => x.id === flow.context.sessionId)) throw new DomainError('auth.flow_expired');
}
