// Changes to one user (S3.3, S3.7, S5, S13). Each answers the user page with a notice (or the error
// in place), or {status:'ok'} as JSON. A target outside the admin's organisations is a 403 before
// anything happens: manageableUser runs first in every service call.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { AppContext } from '../../context.ts';
import type { DomainError } from '../../errors.ts';
import type { AuthState } from '../../auth/index.ts';
import { attempt } from '../../web/attempt.ts';
import { actorOf, csrf, rethrowForbidden, sendJsonError } from '../guard.ts';
import { type AdminActor, revokePasskeyByAdmin, assignSecondFactor, resetUserTotp, revokeUserTrustedBrowsers, changeRole, disableUser, enableUser, resendGuide, revokeUserSessions, unlockUser, updateContact } from '../../auth/service.ts';
import { renderUserPage, UserParams, type UserPageExtra } from './users.tsx';
import { authOf } from '../../auth/index.ts';
import { DomainError as Refusal } from '../../errors.ts';
import { sendPage } from '../../web/render.ts';
import { userOverview } from '../overview.ts';
import { AdminConfirmPage } from '../views/confirm.tsx';

type Outcome = { notice: string; json?: Record<string, unknown> };
type Attempted<T> = { ok: true; value: T } | { ok: false; err: DomainError };

const Empty = Type.Object({ ...csrf });
/** Destructive actions carry confirm=yes from their confirmation page (issue 20 item 5). */
export const Confirmed = Type.Object({ confirm: Type.Optional(Type.Literal('yes')), ...csrf });

/** The destructive user actions and the texts of their confirmation pages (messages-list.ts). */
type Destructive = 'disable' | 'sessions' | 'totp' | 'browsers';

const ContactBody = Type.Object({ email: Type.String({ maxLength: 254 }), name: Type.String({ maxLength: 200 }), phone: Type.String({ maxLength: 40 }), ...csrf });
const RoleBody = Type.Object({ role: Type.Union([Type.Literal('general'), Type.Literal('admin')]), ...csrf });
const MethodBody = Type.Object({ method: Type.String({ maxLength: 20 }), ...csrf });

export function userActionRoutes(ctx: AppContext): FastifyPluginAsyncTypebox {
  return async (app) => {
    async function answer<T>(req: FastifyRequest, reply: FastifyReply, auth: AuthState, userId: string, r: Attempted<T>, ok: (v: T) => Outcome, onError: UserPageExtra = {}) {
      if (!r.ok) {
        rethrowForbidden(r.err);
        if (req.wantsJson()) return sendJsonError(req, reply, r.err);
        return renderUserPage(ctx, req, reply, auth, userId, { ...onError, err: r.err });
      }
      const out = ok(r.value);
      if (req.wantsJson()) return reply.send({ status: 'ok', ...out.json });
      return renderUserPage(ctx, req, reply, auth, userId, { notice: out.notice });
    }

    /** One POST /admin/users/:userId/<action> with no fields but the CSRF token. */
    function simple<T>(action: string, run: (actor: AdminActor, userId: string) => Promise<T>, ok: (req: FastifyRequest, v: T) => Outcome) {
      app.post(`/admin/users/:userId/${action}`, { schema: { params: UserParams, body: Empty } }, async (req, reply) => {
        const auth = authOf(req);
        const r = await attempt(() => run(actorOf(req, auth), req.params.userId));
        return answer(req, reply, auth, req.params.userId, r, (v) => ok(req, v));
      });
    }

    /** The confirmation page of a destructive action on a user (a foreign user: 404 like the user page). */
    async function confirmPage(req: FastifyRequest, reply: FastifyReply, auth: AuthState, userId: string, action: string, kind: Destructive) {
      const o = await userOverview(ctx, auth.user, userId);
      const t = req.t;
      const count = kind === 'sessions' ? o.liveSessions : kind === 'browsers' ? o.trustedBrowsers : 0;
      const base = `/admin/users/${o.user.id}`;
      return sendPage(reply, AdminConfirmPage({
        ctx: req.pageCtx(), crumbs: [{ href: '/admin/users', label: t('admin.users') }, { href: base, label: o.user.name }, { label: t(`admin.confirm.${kind}.do`) }],
        title: t(`admin.confirm.${kind}.title`, { name: o.user.name }), what: t(`admin.confirm.${kind}.what`, { count }),
        action: `${base}/${action}`, confirmLabel: t(`admin.confirm.${kind}.do`), cancelHref: base,
      }));
    }

    /**
     * A destructive action: GET shows its confirmation page; a POST without confirm=yes changes
     * nothing and answers that page again (JSON: 409 admin.confirm_required), so the server, not the
     * page, enforces the step.
     */
    function destructive<T>(action: string, kind: Destructive, run: (actor: AdminActor, userId: string) => Promise<T>, ok: (req: FastifyRequest, v: T) => Outcome) {
      app.get(`/admin/users/:userId/${action}`, { schema: { params: UserParams } }, async (req, reply) => {
        const auth = authOf(req);
        if (req.wantsJson()) {
          await userOverview(ctx, auth.user, req.params.userId); // a foreign user: 404 first
          return sendJsonError(req, reply, new Refusal('admin.confirm_required'));
        }
        return confirmPage(req, reply, auth, req.params.userId, action, kind);
      });
      app.post(`/admin/users/:userId/${action}`, { schema: { params: UserParams, body: Confirmed } }, async (req, reply) => {
        const auth = authOf(req);
        if (req.body.confirm !== 'yes') {
          await userOverview(ctx, auth.user, req.params.userId); // a foreign user: 404 before anything else
          if (req.wantsJson()) return sendJsonError(req, reply, new Refusal('admin.confirm_required'));
          return confirmPage(req, reply, auth, req.params.userId, action, kind);
        }
        const r = await attempt(() => run(actorOf(req, auth), req.params.userId));
        return answer(req, reply, auth, req.params.userId, r, (v) => ok(req, v));
      });
    }

    app.post('/admin/users/:userId/contact', { schema: { params: UserParams, body: ContactBody } }, async (req, reply) => {
      const auth = authOf(req);
      // Only these three fields are read: a posted role, organisation or password changes nothing (item 11).
      const input = { email: req.body.email, name: req.body.name, phone: req.body.phone };
      const r = await attempt(() => updateContact(ctx, actorOf(req, auth), req.params.userId, input));
      return answer(req, reply, auth, req.params.userId, r,
        (changed) => ({ notice: req.t(changed.length ? 'admin.saved' : 'admin.no_change'), json: { changed } }), { contactValues: input });
    });

    app.post('/admin/users/:userId/role', { schema: { params: UserParams, body: RoleBody } }, async (req, reply) => {
      const auth = authOf(req);
      const r = await attempt(() => changeRole(ctx, actorOf(req, auth), req.params.userId, req.body.role));
      return answer(req, reply, auth, req.params.userId, r, () => ({ notice: req.t('admin.saved') }));
    });

    app.post('/admin/users/:userId/second-factor', { schema: { params: UserParams, body: MethodBody } }, async (req, reply) => {
      const auth = authOf(req);
      const r = await attempt(() => assignSecondFactor(ctx, actorOf(req, auth), req.params.userId, req.body.method));
      return answer(req, reply, auth, req.params.userId, r, () => ({ notice: req.t('admin.saved') }));
    });

    simple('starting-guide', (a, id) => resendGuide(ctx, a, id), (req) => ({ notice: req.t('admin.guide_sent') }));
    destructive('totp-reset', 'totp', (a, id) => resetUserTotp(ctx, a, id), (req) => ({ notice: req.t('admin.saved') }));
    destructive('trusted-browsers/revoke', 'browsers', (a, id) => revokeUserTrustedBrowsers(ctx, a, id), (req) => ({ notice: req.t('admin.saved') }));
    destructive('sessions/revoke', 'sessions', (a, id) => revokeUserSessions(ctx, a, id), (req, count) => ({ notice: req.t('admin.sessions_revoked', { count }), json: { count } }));
    destructive('disable', 'disable', (a, id) => disableUser(ctx, a, id), (req) => ({ notice: req.t('admin.saved') }));
    simple('enable', (a, id) => enableUser(ctx, a, id), (req) => ({ notice: req.t('admin.saved') }));
    simple('unlock', (a, id) => unlockUser(ctx, a, id), (req) => ({ notice: req.t('admin.unlocked') }));

    // Issue 23: revoke one passkey of the user — a destructive action with its no-JS confirmation page.
    const PasskeyParams = Type.Object({ userId: UserParams.properties.userId, passkeyId: Type.String({ maxLength: 64 }) });
    async function passkeyConfirm(req: FastifyRequest, reply: FastifyReply, auth: AuthState, userId: string, passkeyId: string) {
      const o = await userOverview(ctx, auth.user, userId); // a foreign user: 404 like the user page
      const p = o.passkeys.find((x) => x.id === passkeyId);
      if (!p) throw new Refusal('common.not_found');
      if (req.wantsJson()) return sendJsonError(req, reply, new Refusal('admin.confirm_required'));
      const t = req.t;
      const base = `/admin/users/${o.user.id}`;
      const label = p.label || t('passkey.label_default');
      return sendPage(reply, AdminConfirmPage({
        ctx: req.pageCtx(), crumbs: [{ href: '/admin/users', label: t('admin.users') }, { href: base, label: o.user.name }, { label: t('admin.confirm.passkey.do') }],
        title: t('admin.confirm.passkey.title', { name: o.user.name, label }), what: t('admin.confirm.passkey.what'),
        action: `${base}/passkeys/${p.id}/revoke`, confirmLabel: t('admin.confirm.passkey.do'), cancelHref: base,
      }));
    }
    app.get('/admin/users/:userId/passkeys/:passkeyId/revoke', { schema: { params: PasskeyParams } }, async (req, reply) =>
      passkeyConfirm(req, reply, authOf(req), req.params.userId, req.params.passkeyId));
    app.post('/admin/users/:userId/passkeys/:passkeyId/revoke', { schema: { params: PasskeyParams, body: Confirmed } }, async (req, reply) => {
      const auth = authOf(req);
      if (req.body.confirm !== 'yes') return passkeyConfirm(req, reply, auth, req.params.userId, req.params.passkeyId);
      const r = await attempt(async () => {
        const o = await userOverview(ctx, auth.user, req.params.userId);
        return revokePasskeyByAdmin(ctx, actorOf(req, auth).user, o.user, req.params.passkeyId, req.ip);
      });
      return answer(req, reply, auth, req.params.userId, r, () => ({ notice: req.t('passkey.revoked') }));
    });
  };
}
