// Admin pages and their JSON twins (Accept: application/json) for portal admins.
// Admin routes need a full 2-step session (aal2), the admin role and the terms (SECURITY.md 34).
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { AppContext } from '../context.ts';
import { DomainError } from '../errors.ts';
import { sendPage } from '../web/render.ts';
import { requirePortal, type AuthState } from '../web/session-plugin.ts';
import { attempt } from '../auth/routes/shared.ts';
import {
  addTrustedNetwork, assignSecondFactor, listManageableUsers, manageableUser, orgSettings, removeTrustedNetwork,
  resetUserTotp, revokeUserTrustedBrowsers, setTrustedBrowsers,
} from './service.ts';
import { AdminSettingsPage, AdminUserPage, AdminUsersPage } from './views/users.tsx';

const csrf = { _csrf: Type.Optional(Type.String({ maxLength: 128 })) };
const UserParams = Type.Object({ id: Type.String({ maxLength: 64 }) });

export function adminRoutes(ctx: AppContext): FastifyPluginAsyncTypebox {
  return async (app) => {
    async function requireAdmin(req: FastifyRequest, reply: FastifyReply): Promise<AuthState | null> {
      const auth = await requirePortal(ctx, req, reply);
      if (!auth) return null;
      if (auth.user.role !== 'admin' || auth.session.aal !== 'aal2') throw new DomainError('common.forbidden');
      return auth;
    }

    /** After a change: JSON clients get {status}, browsers the page again with a notice. */
    async function done(req: FastifyRequest, reply: FastifyReply, auth: AuthState, userId: string, err?: DomainError) {
      if (err?.code === 'common.forbidden') throw err;
      if (req.wantsJson()) return err ? reply.code(err.status).send({ error: err.code, message: req.t(err.code) }) : reply.send({ status: 'ok' });
      const user = await manageableUser(ctx, auth.user, userId);
      return sendPage(reply, AdminUserPage({ ctx: req.pageCtx(), user, notice: err ? null : req.t('admin.saved'), error: err ? { key: err.code } : null }), err?.status ?? 200);
    }

    app.get('/admin/users', async (req, reply) => {
      const auth = await requireAdmin(req, reply);
      if (!auth) return reply;
      const users = await listManageableUsers(ctx, auth.user);
      if (req.wantsJson()) {
        return reply.send({ users: users.map((u) => ({ id: u.id, loginId: u.login_id, name: u.name, email: u.email, role: u.role, secondFactor: u.second_factor, totpEnrolled: u.totp_enrolled_at !== null, organisation: u.organisation_name, disabled: u.disabled_at !== null })) });
      }
      return sendPage(reply, AdminUsersPage({ ctx: req.pageCtx(), users }));
    });

    app.get('/admin/users/:id', { schema: { params: UserParams } }, async (req, reply) => {
      const auth = await requireAdmin(req, reply);
      if (!auth) return reply;
      const user = await manageableUser(ctx, auth.user, req.params.id);
      return sendPage(reply, AdminUserPage({ ctx: req.pageCtx(), user }));
    });

    app.post('/admin/users/:id/second-factor', { schema: { params: UserParams, body: Type.Object({ method: Type.String({ maxLength: 20 }), ...csrf }) } }, async (req, reply) => {
      const auth = await requireAdmin(req, reply);
      if (!auth) return reply;
      const r = await attempt(() => assignSecondFactor(ctx, { user: auth.user, ip: req.ip }, req.params.id, req.body.method));
      return done(req, reply, auth, req.params.id, r.ok ? undefined : r.err);
    });

    app.post('/admin/users/:id/totp-reset', { schema: { params: UserParams, body: Type.Object({ ...csrf }) } }, async (req, reply) => {
      const auth = await requireAdmin(req, reply);
      if (!auth) return reply;
      const r = await attempt(() => resetUserTotp(ctx, { user: auth.user, ip: req.ip }, req.params.id));
      return done(req, reply, auth, req.params.id, r.ok ? undefined : r.err);
    });

    app.post('/admin/users/:id/trusted-browsers/revoke', { schema: { params: UserParams, body: Type.Object({ ...csrf }) } }, async (req, reply) => {
      const auth = await requireAdmin(req, reply);
      if (!auth) return reply;
      const r = await attempt(() => revokeUserTrustedBrowsers(ctx, { user: auth.user, ip: req.ip }, req.params.id));
      return done(req, reply, auth, req.params.id, r.ok ? undefined : r.err);
    });

    async function settingsPage(req: FastifyRequest, reply: FastifyReply, auth: AuthState, extra: { notice?: string; err?: DomainError; cidr?: string } = {}) {
      const s = await orgSettings(ctx, auth.user);
      if (req.wantsJson()) {
        if (extra.err) return reply.code(extra.err.status).send({ error: extra.err.code, message: req.t(extra.err.code) });
        return reply.send({ trustedNetworks: s.networks, trustedBrowsers: s.org.trusted_browsers_enabled_at !== null });
      }
      return sendPage(reply, AdminSettingsPage({
        ctx: req.pageCtx(), networks: s.networks, trustedBrowsers: s.org.trusted_browsers_enabled_at !== null,
        notice: extra.notice ?? null, error: extra.err ? { key: extra.err.code } : null, ...(extra.cidr !== undefined ? { cidrValue: extra.cidr } : {}),
      }), extra.err?.status ?? 200);
    }

    app.get('/admin/settings', async (req, reply) => {
      const auth = await requireAdmin(req, reply);
      return auth ? settingsPage(req, reply, auth) : reply;
    });

    app.post('/admin/settings/networks', { schema: { body: Type.Object({ cidr: Type.String({ maxLength: 64 }), label: Type.Optional(Type.String({ maxLength: 100 })), ...csrf }) } }, async (req, reply) => {
      const auth = await requireAdmin(req, reply);
      if (!auth) return reply;
      const r = await attempt(() => addTrustedNetwork(ctx, { user: auth.user, ip: req.ip }, req.body.cidr, req.body.label ?? ''));
      return settingsPage(req, reply, auth, r.ok ? { notice: req.t('admin.saved') } : { err: r.err, cidr: req.body.cidr });
    });

    app.post('/admin/settings/networks/:id/remove', { schema: { params: UserParams, body: Type.Object({ ...csrf }) } }, async (req, reply) => {
      const auth = await requireAdmin(req, reply);
      if (!auth) return reply;
      await removeTrustedNetwork(ctx, { user: auth.user, ip: req.ip }, req.params.id);
      return settingsPage(req, reply, auth, { notice: req.t('admin.saved') });
    });

    app.post('/admin/settings/trusted-browsers', { schema: { body: Type.Object({ enabled: Type.Optional(Type.String({ maxLength: 5 })), ...csrf }) } }, async (req, reply) => {
      const auth = await requireAdmin(req, reply);
      if (!auth) return reply;
      await setTrustedBrowsers(ctx, { user: auth.user, ip: req.ip }, req.body.enabled === '1');
      return settingsPage(req, reply, auth, { notice: req.t('admin.saved') });
    });
  };
}
