// Helpers shared by the auth routes: the browser's flow cookie, client info, issuing a session.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../context.ts';
import { DomainError } from '../../errors.ts';
import { cookieNames, cookieOptions } from '../../web/cookies.ts';
import type { ClientInfo, LoginNext } from '../login/service.ts';
import type { FormError } from '../../web/views/form.tsx';
import type { FieldErrors } from '../../errors.ts';
import { TRUSTED_BROWSER_DAYS } from '../login/second-factor.ts';
import { returnTarget } from '../flows/return-to.ts';

/**
 * Sets the cookie a new flow was opened with (item 39): issued by the server for that flow alone,
 * in the response that opened it, replacing whatever flow cookie the browser had.
 */
export function setFlowCookie(ctx: AppContext, reply: FastifyReply, value: string): void {
  reply.setCookie(cookieNames(ctx.config).flow, value, cookieOptions(ctx.config));
}

/**
 * The answer that opened a flow: its own cookie, and a redirect to its first step that no cache
 * keeps (the request URL may have carried a mailed token; issue 14 item 13).
 */
export function redirectIntoNewFlow(ctx: AppContext, reply: FastifyReply, opened: { flowId: string; flowCookie: string }): FastifyReply {
  setFlowCookie(ctx, reply, opened.flowCookie);
  return reply.header('cache-control', 'no-store').redirect(`/auth/flows/${opened.flowId}`, 303);
}

export function flowCookie(ctx: AppContext, req: FastifyRequest): string | undefined {
  return req.cookies[cookieNames(ctx.config).flow];
}

export function clientInfo(ctx: AppContext, req: FastifyRequest, reply: FastifyReply): ClientInfo {
  return {
    ip: req.ip,
    userAgent: String(req.headers['user-agent'] ?? '').slice(0, 300),
    deviceToken: req.cookies[cookieNames(ctx.config).device],
  };
}

/** Sets the new session cookie (a fresh id at each privilege step, item 10) and goes on. */
export function applyLoginNext(ctx: AppContext, req: FastifyRequest, reply: FastifyReply, next: LoginNext): FastifyReply {
  const names = cookieNames(ctx.config);
  if (next.action === 'show_step') {
    if (next.flowCookie) setFlowCookie(ctx, reply, next.flowCookie);
    return reply.redirect(`/auth/flows/${next.flowId}`, 303);
  }
  if (next.action === 'redirect') {
    if (req.wantsJson()) return reply.send({ status: 'redirect', location: next.to });
    return reply.redirect(next.to, 303);
  }
  reply.setCookie(names.session, next.sessionToken, cookieOptions(ctx.config));
  if (next.deviceToken) reply.setCookie(names.device, next.deviceToken, cookieOptions(ctx.config, TRUSTED_BROWSER_DAYS * 86400));
  if (req.wantsJson()) return reply.send({ status: 'session_issued', location: next.returnTo });
  // The flow's return target, validated again here: only a path of ours or a registered client.
  return reply.redirect(returnTarget(next.returnTo), 303);
}

/** A DomainError as the form error shown at the top, plus its field errors. */
export function formError(err: DomainError): { error: FormError; fieldErrors: FieldErrors } {
  return {
    // The unmet password rules are listed once, next to the field; the summary only points there.
    error: { key: err.code, params: err.params },
    fieldErrors: err.fields,
  };
}

/** Runs a step; DomainErrors come back as values so the route can re-render its form (one helper for every module). */
export { attempt } from '../../web/attempt.ts';
