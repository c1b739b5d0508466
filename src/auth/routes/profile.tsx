// The user's security settings page (issue 3 §7).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { AppContext } from '../../context.ts';
import type { DomainError } from '../../errors.ts';
import { cookieNames, cookieOptions } from '../../web/cookies.ts';
import { sendPage } from '../../web/render.ts';
import { sessionUserRow, type AuthState } from '../session-plugin.ts';
import type { UserRow } from '../users/store.ts';
import { authOf, guardRoutes, requirePortal } from '../guards.ts';
import { backupCodesText } from '../factors/backup-codes.ts';
import { findOrganisation } from '../tenancy/organisations.ts';
import { profileFor } from '../tenancy/presets.ts';
import {
  regenerateBackupCodes, revokeOwnSession, revokeOwnTrustedDevice, securityOverview, signOutEverywhere, startTotpReenrolment,
} from '../profile/service.ts';
import { ProfilePage } from '../views/profile.tsx';
import { BackupCodesPage } from '../views/second-factor.tsx';
import { attempt, formError, redirectIntoNewFlow } from './shared.ts';
import { changePassword } from '../profile/password.ts';
import { setOwnLanguage } from '../profile/language.ts';
import { FRESH_LOGIN_MS, listPasskeys, orgAllowsPasskeys, removeOwnPasskey, startPasskeyRegistration } from '../passkeys/service.ts';
import type { Lang } from '../../db/schema.ts';

const csrf = { _csrf: Type.Optional(Type.String({ maxLength: 128 })) };
const CodeBody = Type.Object({ code: Type.String({ maxLength: 40 }), ...csrf });

/** req.auth with the user's row instead of the PublicUser: these pages change the user's own secrets. */
type OwnSession = Omit<AuthState, 'user'> & { user: UserRow };

export function profileRoutes(ctx: AppContext): FastifyPluginAsyncTypebox {
  return async (app) => {
    // Each page of the security settings declares requirePortal (S6: terms first); one hook enforces it.
    guardRoutes(app as unknown as FastifyInstance, ctx, null);
    /** The session with the user's row: these pages change the user's own password and factors. */
    const ownSession = (req: FastifyRequest): OwnSession => ({ ...authOf(req), user: sessionUserRow(req) });
    async function render(req: FastifyRequest, reply: FastifyReply, auth: OwnSession, extra: { err?: DomainError; errorFor?: 'reenrol' | 'backup' | 'password' | 'language' | 'passkey'; notice?: string; lang?: Lang } = {}) {
      const [o, org, passkeys] = await Promise.all([securityOverview(ctx, auth.user), findOrganisation(ctx.db, auth.user.organisation_id), listPasskeys(ctx.db, auth.user.id)]);
      return sendPage(reply, ProfilePage({
        // A language just chosen is the page's language at once (the cookie carries it to the next pages).
        ctx: extra.lang ? req.pageCtxIn(extra.lang) : req.pageCtx(), user: auth.user, currentSessionId: auth.session.id, sessions: o.sessions, devices: o.devices,
        backupLeft: o.backupLeft, events: o.events, organisationName: org?.name ?? null, notice: extra.notice ?? null, errorFor: extra.errorFor ?? null,
        error: extra.err ? formError(extra.err).error : null, fieldErrors: extra.err?.fields ?? {},
        passkeys, passkeysAllowed: org ? orgAllowsPasskeys(org) : false, freshMinutes: FRESH_LOGIN_MS / 60_000,
      }), extra.err?.status ?? 200);
    }

    const ProfileQuery = Type.Object({ passkey: Type.Optional(Type.String({ maxLength: 10 })), lang: Type.Optional(Type.String({ maxLength: 5 })) });
    app.get('/profile', { config: { auth: requirePortal }, schema: { querystring: ProfileQuery } }, async (req, reply) =>
      render(req, reply, ownSession(req), req.query.passkey === 'added' ? { notice: req.t('passkey.added') } : {}));

    // Issue 23: «パスキーを追加» — after a fresh second step, a registration flow of its own (like TOTP re-enrolment).
    app.post('/profile/passkeys/add', { config: { auth: requirePortal }, schema: { body: Type.Object({ code: Type.Optional(Type.String({ maxLength: 40 })), ...csrf }) } }, async (req, reply) => {
      const auth = ownSession(req);
      const r = await attempt(() => startPasskeyRegistration(ctx, auth.user, auth.session, req.body.code || undefined, req.ip));
      if (!r.ok) return render(req, reply, auth, { err: r.err, errorFor: 'passkey' });
      return redirectIntoNewFlow(ctx, reply, r.value);
    });

    // Issue 23: removing a passkey needs the same fresh second step.
    app.post('/profile/passkeys/remove', { config: { auth: requirePortal }, schema: { body: Type.Object({ id: Type.String({ maxLength: 64 }), removeCode: Type.Optional(Type.String({ maxLength: 40 })), ...csrf }) } }, async (req, reply) => {
      const auth = ownSession(req);
      const r = await attempt(() => removeOwnPasskey(ctx, auth.user, auth.session, req.body.id, req.body.removeCode || undefined, req.ip));
      if (!r.ok) return render(req, reply, auth, { err: r.err, errorFor: 'passkey' });
      return render(req, reply, auth, { notice: req.t('passkey.removed') });
    });

    app.post('/profile/totp/reenrol', { config: { auth: requirePortal }, schema: { body: CodeBody } }, async (req, reply) => {
      const auth = ownSession(req);
      const r = await attempt(() => startTotpReenrolment(ctx, auth.user, auth.session.id, req.body.code, req.ip));
      if (!r.ok) return render(req, reply, auth, { err: r.err, errorFor: 'reenrol' });
      return redirectIntoNewFlow(ctx, reply, r.value);
    });

    app.post('/profile/backup-codes', { config: { auth: requirePortal }, schema: { body: CodeBody } }, async (req, reply) => {
      const auth = ownSession(req);
      const r = await attempt(() => regenerateBackupCodes(ctx, auth.user, req.body.code, req.ip));
      if (!r.ok) return render(req, reply, auth, { err: r.err, errorFor: 'backup' });
      const org = await findOrganisation(ctx.db, auth.user.organisation_id);
      const text = backupCodesText(r.value, { profileName: profileFor(org?.profile ?? 'business').displayName[auth.user.lang], loginId: auth.user.login_id, generatedAt: ctx.now() });
      // Shown once, in this response only (no-store): the codes exist nowhere else in plaintext.
      return sendPage(reply, BackupCodesPage({
        ctx: req.pageCtx(), action: '/profile/backup-codes/done', codes: r.value,
        downloadHref: `data:text/plain;charset=utf-8,${encodeURIComponent(text)}`,
      }));
    });

    app.post('/profile/password', { config: { auth: requirePortal }, schema: { body: Type.Object({ currentPassword: Type.String({ maxLength: 1024 }), password: Type.String({ maxLength: 1024 }), confirm: Type.String({ maxLength: 1024 }), ...csrf }) } }, async (req, reply) => {
      const auth = ownSession(req);
      const r = await attempt(() => changePassword(ctx, auth.user, auth.session.id, req.body.currentPassword, req.body.password, req.body.confirm, req.ip));
      if (!r.ok) return render(req, reply, auth, { err: r.err, errorFor: 'password' });
      return render(req, reply, auth, { notice: req.t('profile.password_changed') });
    });

    app.post('/profile/language', { config: { auth: requirePortal }, schema: { body: Type.Object({ lang: Type.String({ maxLength: 8 }), ...csrf }) } }, async (req, reply) => {
      const auth = ownSession(req);
      const r = await attempt(() => setOwnLanguage(ctx, auth.user, req.body.lang, req.ip));
      if (!r.ok) return render(req, reply, auth, { err: r.err, errorFor: 'language' });
      // The cookie is what picks the language of the next pages (web plugin: ?lang= > cookie > browser).
      reply.setCookie(cookieNames(ctx.config).lang, r.value, cookieOptions(ctx.config, 365 * 86400));
      return render(req, reply, { ...auth, user: { ...auth.user, lang: r.value } }, { lang: r.value, notice: req.pageCtxIn(r.value).t('profile.language_changed') });
    });

    app.post('/profile/backup-codes/done', { schema: { body: Type.Object({ ...csrf }) } }, async (_req, reply) => reply.redirect('/profile', 303));

    app.post('/profile/sessions/revoke', { config: { auth: requirePortal }, schema: { body: Type.Object({ sessionId: Type.String({ maxLength: 64 }), ...csrf }) } }, async (req, reply) => {
      const auth = ownSession(req);
      await revokeOwnSession(ctx, auth.user, req.body.sessionId, req.ip);
      return reply.redirect('/profile', 303);
    });

    app.post('/profile/sessions/revoke-all', { config: { auth: requirePortal }, schema: { body: Type.Object({ ...csrf }) } }, async (req, reply) => {
      const auth = ownSession(req);
      await signOutEverywhere(ctx, auth.user, req.ip);
      reply.clearCookie(cookieNames(ctx.config).session, cookieOptions(ctx.config));
      return reply.redirect('/login', 303);
    });

    app.post('/profile/trusted-browsers/revoke', { config: { auth: requirePortal }, schema: { body: Type.Object({ ...csrf }) } }, async (req, reply) => {
      const auth = ownSession(req);
      await revokeOwnTrustedDevice(ctx, auth.user, null, req.ip);
      return reply.redirect('/profile', 303);
    });
  };
}
