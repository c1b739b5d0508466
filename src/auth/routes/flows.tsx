// Login, first-login and reset flow routes: HTTP in → service call → page or redirect out; no rules.
// GET /auth/flows/:id renders whatever step the flow is at; each POST serves one step only.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { AppContext } from '../../context.ts';
import { errorBody, errorBodyOf, retryAfterSeconds, type DomainError } from '../../errors.ts';
import { sendPage } from '../../web/render.ts';
import type { FormError } from '../../web/views/form.tsx';
import type { FieldErrors } from '../../errors.ts';
import { checkState, FlowGoneError, loadAnyFlow, peekFlowKind, StaleFlowError } from '../flows/flow.ts';
import { identityFieldsFor, linkFlowGuide, loadLinkFlow, loginFlowGuide, openLink, passwordPageRules, passwordStep } from '../first-login/service.ts';
import { runStep } from '../flows/engine.ts';
import { stepRoutes } from '../flows/registry.ts';
import { maskEmail } from '../factors/mail-otp.ts';
import { groupKey, totpIssuer, totpQrSvg, totpUri } from '../factors/totp.ts';
import { openLoginFlow } from '../login/service.ts';
import { CredentialsBody } from '../login/steps.ts';
import { returnTarget } from '../flows/return-to.ts';
import { allowedMethods, loadLoginStep, loginSubject, pendingBackupCodes, pendingTotpSecret } from '../login/second-factor.ts';
import { backupCodesText } from '../factors/backup-codes.ts';
import { findUserById } from '../users/store.ts';
import { findOrganisation } from '../tenancy/organisations.ts';
import { DEFAULT_PROFILE } from '../tenancy/presets.ts';
import { LoginPage } from '../views/login.tsx';
import { IdentityPage, LinkInvalidPage, PasswordDonePage, PasswordPage } from '../views/first-login.tsx';
import { BackupCodesPage, MailOtpPage, MethodChoicePage, TotpPage, TotpSetupPage } from '../views/second-factor.tsx';
import { MatrixAnswerPage, MatrixConfirmPage, MatrixDonePage, MatrixLoginPage, MatrixRegisterPage } from '../views/matrix.tsx';
import { newGrid } from '../matrix/grid.ts';
import { passwordlessOffered, registrationOptionsFor, secondStepOptions, signinOptions } from '../passkeys/service.ts';
import { passkeySetupOffered } from '../passkeys/setup-steps.ts';
import { PasskeyRegisterPage, PasskeyStepPage } from '../views/passkeys.tsx';
import { openPositions } from '../matrix/store.ts';
import { loginPageOffers } from '../tenancy/organisations.ts';
import { openChallenge, openMatrixLoginFlow } from '../matrix/login.ts';
import { applyLoginNext, attempt, clientInfo, flowCookie, formError, redirectIntoNewFlow, setFlowCookie } from './shared.ts';

const Str = (max = 1024) => Type.String({ maxLength: max });
const FlowParams = Type.Object({ id: Type.String({ maxLength: 64 }) });
const csrf = { _csrf: Type.Optional(Str(128)) };

interface StepError { error?: FormError | null; fieldErrors?: FieldErrors; values?: Record<string, string>; notice?: string | null; status?: number; errorFor?: 'backup' }

export function flowRoutes(ctx: AppContext): FastifyPluginAsyncTypebox {
  return async (app) => {
    /** Renders the flow's current step; an unknown/expired flow shows where to start again. */
    async function renderFlow(req: FastifyRequest, reply: FastifyReply, flowId: string, e: StepError = {}): Promise<FastifyReply> {
      let ctxPage = req.pageCtx();
      const status = e.status ?? 200;
      const bt = flowCookie(ctx, req);
      // One read in the common case: the flow with its user and organisation (issue 19). A flow that
      // cannot go on still names its kind, and the kind's own path below gives its own answer.
      const first = await attempt(() => loadAnyFlow(ctx.db, flowId, bt, ctx.now()));
      const loaded = first.ok ? first.value : null;
      const kind = loaded?.kind ?? (first.ok ? undefined : kindOfDeadFlow(first.err));
      if (!kind) return sendPage(reply, LoginPage({ ctx: ctxPage, error: { key: 'auth.flow_expired' } }), 410);
      const r = await attempt(async () => {
        if (kind === 'first_login' || kind === 'reset') {
          const flow = await loadLinkFlow(ctx, flowId, bt, kind);
          const user = (await findUserById(ctx.db, flow.userId!))!;
          // The flow's user is known: the page shows their organisation's profile (issue 16) and brand (issue 20).
          const profileId = (await findOrganisation(ctx.db, user.organisation_id))?.profile;
          await req.useBrandOf(user.organisation_id, profileId ?? DEFAULT_PROFILE);
          ctxPage = req.pageCtx(profileId);
          if (flow.state === 'awaiting_identity') {
            return sendPage(reply, IdentityPage({ ctx: ctxPage, flowId, fields: await identityFieldsFor(ctx, user), values: e.values, error: e.error, fieldErrors: e.fieldErrors, guide: await linkFlowGuide(ctx, kind, 'identity') }), status);
          }
          if (flow.state === 'awaiting_password') {
            const { policy, profile } = await passwordStep(ctx, flowId, bt, kind);
            const { rules, live } = passwordPageRules(policy, user, profile);
            return sendPage(reply, PasswordPage({ ctx: ctxPage, action: `/auth/flows/${flowId}/password`, rules, live, error: e.error, fieldErrors: e.fieldErrors, loginId: user.login_id, guide: await linkFlowGuide(ctx, kind, 'password') }), status);
          }
          // Issue 22: a matrix organisation's user chooses positions, confirms them, then logs in at /login/matrix.
          if (flow.state === 'awaiting_matrix') {
            const { rows, cols, min, max } = ctx.config.matrix;
            return sendPage(reply, MatrixRegisterPage({ ctx: ctxPage, flowId, shape: { rows, cols }, grid: newGrid(rows, cols), min, max, positions: e.values?.positions, error: e.error, fieldErrors: e.fieldErrors, guide: await linkFlowGuide(ctx, kind, 'password') }), status);
          }
          if (flow.state === 'confirming_matrix') {
            const pending = openPositions(ctx.config.totpKeyRing, user.id, flow.context.pendingMatrix!);
            return sendPage(reply, MatrixConfirmPage({ ctx: ctxPage, flowId, shape: pending, positions: pending.positions, guide: await linkFlowGuide(ctx, kind, 'password') }), status);
          }
          if ((await findOrganisation(ctx.db, user.organisation_id))?.first_factor === 'matrix') {
            return sendPage(reply, MatrixDonePage({ ctx: ctxPage, guide: await linkFlowGuide(ctx, kind, 'password') }), status);
          }
          return sendPage(reply, PasswordDonePage({ ctx: ctxPage, guide: await linkFlowGuide(ctx, kind, 'password') }), status);
        }
        if (kind === 'login' && loaded?.userId === null) {
          // The flow's first step: no user yet, only the cookie says whose form it is.
          checkState(loaded, ['awaiting_password', 'awaiting_matrix_login_id', 'awaiting_matrix_answer']);
          if (loaded.state === 'awaiting_matrix_login_id') {
            return sendPage(reply, MatrixLoginPage({ ctx: ctxPage, flowId, error: e.error, fieldErrors: e.fieldErrors, loginId: e.values?.loginId ?? '' }), status);
          }
          if (loaded.state === 'awaiting_matrix_answer') {
            const challenge = openChallenge(ctx, loaded)!;
            return sendPage(reply, MatrixAnswerPage({ ctx: ctxPage, flowId, shape: challenge, grid: challenge.grid, minutes: Math.max(1, Math.round(ctx.config.matrix.challengeMs / 60_000)), error: e.error }), status);
          }
          // Issue 23: the passwordless sign-in's challenge lives on this flow (a fresh one after each answer).
          const passkeyOptions = await passwordlessOffered(ctx) ? await signinOptions(ctx, loaded) : null;
          return sendPage(reply, LoginPage({ ctx: ctxPage, flowId, error: e.error, fieldErrors: e.fieldErrors, loginId: e.values?.loginId ?? '', passkeyOptions }), status);
        }
        if (kind === 'passkey_register' && loaded) {
          // Issue 23: a passkey registration from the security settings.
          if (loaded.state !== 'awaiting_passkey_registration') return reply.redirect('/profile', 303);
          const s = await loginSubject(ctx, loaded);
          await req.useBrandOf(s.org.id, s.profile.id);
          return sendPage(reply, PasskeyRegisterPage({ ctx: req.pageCtx(s.profile.id), flowId, options: await registrationOptionsFor(ctx, loaded, s.user, s.org), error: e.error }), status);
        }
        const s = loaded ? await loginSubject(ctx, loaded) : await loadLoginStep(ctx, flowId, bt, null);
        await req.useBrandOf(s.org.id, s.profile.id);
        ctxPage = req.pageCtx(s.profile.id);
        const allowTrust = s.org.trusted_browsers_enabled_at !== null;
        const guide = await loginFlowGuide(ctx, s.flow.kind, s.user);
        switch (s.flow.state) {
          case 'awaiting_method_choice':
            return sendPage(reply, MethodChoicePage({ ctx: ctxPage, flowId, methods: allowedMethods(s.user, s.org, s.profile), error: e.error, guide, passkey: passkeySetupOffered(s) }), status);
          case 'awaiting_totp_enrolment': {
            const secret = await pendingTotpSecret(ctx, s);
            const uri = totpUri({ issuer: totpIssuer(s.profile.displayName[s.user.lang]), account: s.user.login_id, secretBase32: secret });
            // Issue 23: the login's setup offers a passkey too; a re-enrolment from the settings does not.
            const passkey = s.flow.kind === 'login' ? passkeySetupOffered(s) : null;
            return sendPage(reply, TotpSetupPage({ ctx: ctxPage, flowId, qrSvg: await totpQrSvg(uri), key: groupKey(secret), uri, error: e.error, guide, passkey }), status);
          }
          case 'awaiting_passkey_enrolment':
            return sendPage(reply, PasskeyRegisterPage({ ctx: ctxPage, flowId, options: await registrationOptionsFor(ctx, s.flow, s.user, s.org), error: e.error, setup: true, guide }), status);
          case 'showing_backup_codes': {
            const codes = pendingBackupCodes(ctx, s);
            const text = backupCodesText(codes, { profileName: s.profile.displayName[s.user.lang], loginId: s.user.login_id, generatedAt: ctx.now() });
            return sendPage(reply, BackupCodesPage({ ctx: ctxPage, action: `/auth/flows/${flowId}/backup-codes`, codes, downloadHref: `data:text/plain;charset=utf-8,${encodeURIComponent(text)}`, guide }), status);
          }
          case 'awaiting_totp':
            return sendPage(reply, TotpPage({ ctx: ctxPage, flowId, error: e.error, allowTrust, errorFor: e.errorFor, guide }), status);
          case 'awaiting_passkey':
            return sendPage(reply, PasskeyStepPage({ ctx: ctxPage, flowId, options: await secondStepOptions(ctx, s.flow, s.user), error: e.error }), status);
          case 'awaiting_mail_otp':
            return sendPage(reply, MailOtpPage({ ctx: ctxPage, flowId, masked: maskEmail(s.user.email), error: e.error, notice: e.notice, allowTrust, guide }), status);
          default:
            // A finished flow: a late or repeated step gets its error (never a second session).
            if (e.error) return sendPage(reply, LoginPage({ ctx: req.pageCtx(), error: e.error }), status);
            return reply.redirect(kind === 'totp_reenrol' || kind === 'passkey_register' ? '/profile' : '/', 303);
        }
      });
      if (r.ok) return r.value;
      return renderDead(req, reply, kind, r.err);
    }

    /** The kind of a flow that cannot go on, when its row exists (unknown id: undefined). */
    function kindOfDeadFlow(err: DomainError) {
      return err instanceof FlowGoneError || err instanceof StaleFlowError ? err.kind : undefined;
    }

    /** A flow that cannot continue: expired/foreign → start again; a dead link → the reset pointer. */
    function renderDead(req: FastifyRequest, reply: FastifyReply, kind: string, err: DomainError): FastifyReply {
      if (kind !== 'first_login' && kind !== 'reset') return sendPage(reply, LoginPage({ ctx: req.pageCtx(), error: { key: err.code } }), err.status);
      return sendPage(reply, LinkInvalidPage({ ctx: req.pageCtx(), locked: err.code === 'auth.link_locked' }), err.status);
    }

    /** Runs a POST step; on a domain error re-renders the step with it (or the dead-flow page). */
    async function step(req: FastifyRequest, reply: FastifyReply, fn: () => Promise<FastifyReply | void>, values?: Record<string, string>, errorFor?: 'backup'): Promise<FastifyReply> {
      const flowId = (req.params as { id: string }).id;
      const r = await attempt(fn);
      // A step that answered already (applyLoginNext) returns the reply, which awaiting turns into
      // undefined (a reply is thenable): redirect only when nothing was sent (issue 15 §8).
      if (r.ok) return r.value ?? (reply.sent ? reply : reply.redirect(`/auth/flows/${flowId}`, 303));
      const err = r.err;
      // A double submit whose twin won (the link consumed, the flow moved on, its epoch renewed by
      // the twin's own step): the flow still lives, so its current page tells the truth (the
      // completion, the backup codes) with 409, not a dead link or «start again».
      if ((err.code === 'auth.flow_expired' || err.code === 'auth.link_invalid') && !req.wantsJson()
        && (await attempt(() => loadAnyFlow(ctx.db, flowId, flowCookie(ctx, req), ctx.now()))).ok) {
        return renderFlow(req, reply, flowId, { status: 409 });
      }
      if (['auth.flow_expired', 'auth.link_invalid', 'auth.link_locked'].includes(err.code)) {
        return renderDead(req, reply, (await peekFlowKind(ctx.db, flowId)) ?? 'login', err);
      }
      if (err.status === 503) throw err;
      if (err.status === 429) reply.header('retry-after', String(retryAfterSeconds(err)));
      if (req.wantsJson()) return reply.code(err.status).send(errorBody(req.t, err));
      return renderFlow(req, reply, flowId, { ...formError(err), values, status: err.status, ...(errorFor ? { errorFor } : {}) });
    }

    // S3.1: the login is a flow from its first request (issue 13 item 1). The page carries the flow
    // (its cookie, its form action) and what was asked: where to return to, the assurance, prompt=login.
    const LoginQuery = Type.Object({
      signed_out: Type.Optional(Type.String({ maxLength: 2 })), lang: Type.Optional(Type.String({ maxLength: 5 })), portal: Type.Optional(Type.String({ maxLength: 40 })),
      return_to: Type.Optional(Type.String({ maxLength: 2048 })), aal: Type.Optional(Type.Union([Type.Literal('aal1'), Type.Literal('aal2')])),
      prompt: Type.Optional(Type.Literal('login')),
    });
    app.get('/login', { schema: { querystring: LoginQuery } }, async (req, reply) => {
      const refresh = req.query.prompt === 'login';
      if (req.auth && !refresh) return reply.redirect(returnTarget(req.query.return_to), 303);
      // Issue 23: where some organisation offers the passkey sign-in, the flow opens with its challenge;
      // issue 22: where one uses the matrix password, the page links its login. One read for both.
      const offers = await loginPageOffers(ctx.db);
      const passkey = offers.passkeySignin;
      const opened = await openLoginFlow(ctx, { returnTo: req.query.return_to, requestedAal: req.query.aal, refresh, passkey });
      setFlowCookie(ctx, reply, opened.flowCookie);
      const passkeyOptions = passkey ? await signinOptions(ctx, opened.flow) : null;
      return sendPage(reply, LoginPage({ ctx: req.pageCtx(), flowId: opened.flowId, notice: req.query.signed_out ? req.t('login.signed_out') : null, passkeyOptions, matrixLink: offers.matrix }));
    });

    // Issue 22 (S12): the matrix password's login, a login flow whose first step is the challenge.
    const MatrixLoginQuery = Type.Object({
      lang: Type.Optional(Type.String({ maxLength: 5 })), portal: Type.Optional(Type.String({ maxLength: 40 })),
      return_to: Type.Optional(Type.String({ maxLength: 2048 })), aal: Type.Optional(Type.Union([Type.Literal('aal1'), Type.Literal('aal2')])),
    });
    app.get('/login/matrix', { schema: { querystring: MatrixLoginQuery } }, async (req, reply) => {
      if (req.auth) return reply.redirect(returnTarget(req.query.return_to), 303);
      const opened = await openMatrixLoginFlow(ctx, { returnTo: req.query.return_to, requestedAal: req.query.aal });
      setFlowCookie(ctx, reply, opened.flowCookie);
      return sendPage(reply, MatrixLoginPage({ ctx: req.pageCtx(), flowId: opened.flowId }));
    });

    // The login form as it was before login flows (pages opened earlier, API clients): a flow is
    // opened on the spot and its credentials step run, the same handler as the flow's own route.
    app.post('/login', { schema: { body: CredentialsBody } }, async (req, reply) => {
      const empty = emptyLoginFields(req.body);
      if (empty) return refuseEmpty(req, reply, empty, req.body.loginId);
      const opened = await openLoginFlow(ctx);
      setFlowCookie(ctx, reply, opened.flowCookie);
      const r = await attempt(() => runStep(ctx, { flowId: opened.flowId, step: 'credentials', flowCookie: opened.flowCookie, body: req.body, client: clientInfo(ctx, req, reply), opened: opened.flow }));
      if (r.ok) return applyLoginNext(ctx, req, reply, r.value);
      if (r.err.status === 503) throw r.err;
      if (r.err.status === 429) reply.header('retry-after', String(retryAfterSeconds(r.err)));
      if (req.wantsJson()) return reply.code(r.err.status).send(errorBody(req.t, r.err));
      return sendPage(reply, LoginPage({ ctx: req.pageCtx(), flowId: opened.flowId, error: { key: r.err.code, params: r.err.params }, loginId: req.body.loginId.slice(0, 254) }), r.err.status);
    });

    /**
     * An empty field is a question about the input alone (seed wording: «ログインIDを入力してください»),
     * answered before anything is looked up, so it says nothing about any account.
     */
    function emptyLoginFields(body: { loginId: string; password: string }): FieldErrors | null {
      const empty: FieldErrors = {};
      if (!body.loginId.trim()) empty.loginId = [{ key: 'login.enter_login_id' }];
      if (!body.password) empty.password = [{ key: 'login.enter_password' }];
      return Object.keys(empty).length ? empty : null;
    }

    function refuseEmpty(req: FastifyRequest, reply: FastifyReply, empty: FieldErrors, loginId: string, flowId?: string): FastifyReply {
      if (req.wantsJson()) return reply.code(422).send(errorBodyOf(req.t, 'common.field_errors', {}, empty));
      return sendPage(reply, LoginPage({ ctx: req.pageCtx(), ...(flowId ? { flowId } : {}), error: { key: 'common.field_errors' }, fieldErrors: empty, loginId: loginId.slice(0, 254) }), 422);
    }

    // S1: the mailed link. The token is checked, a flow bound to this browser is opened, and the
    // browser moves on to a URL without the token (SECURITY.md item 26).
    app.get('/setup/:token', { schema: { params: Type.Object({ token: Type.String({ maxLength: 200 }) }) } }, async (req, reply) => {
      const r = await attempt(() => openLink(ctx, req.params.token));
      if (!r.ok) return sendPage(reply, LinkInvalidPage({ ctx: req.pageCtx() }), 410);
      return redirectIntoNewFlow(ctx, reply, r.value);
    });

    app.get('/auth/flows/:id', { schema: { params: FlowParams } }, async (req, reply) => renderFlow(req, reply, req.params.id));

    // Every registered step has its route, validated by the step's own TypeBox body; runStep does the rest.
    for (const [name, body] of stepRoutes()) {
      app.post(`/auth/flows/:id/${name}`, { schema: { params: FlowParams, body } }, async (req, reply) => {
        const flowId = (req.params as { id: string }).id;
        if (name === 'credentials') {
          const body = req.body as { loginId: string; password: string };
          const empty = emptyLoginFields(body);
          if (empty) return refuseEmpty(req, reply, empty, body.loginId, flowId);
        }
        const run = () => runStep(ctx, { flowId, step: name, flowCookie: flowCookie(ctx, req), body: req.body, client: clientInfo(ctx, req, reply) });
        if (name === 'mail-otp/resend') return step(req, reply, () => resend(req, reply, flowId, run));
        // The identity answers are shown again with their error; the backup-code form has its own error place.
        const values = name === 'credentials' || name === 'matrix/start' ? { loginId: String((req.body as { loginId: string }).loginId).slice(0, 254) }
          : name === 'matrix' ? { positions: String((req.body as { positions: string }).positions).slice(0, 2000) }
          : name === 'identity' ? Object.fromEntries(Object.entries(req.body as Record<string, string>).filter(([k]) => k !== '_csrf')) : undefined;
        return step(req, reply, async () => applyLoginNext(ctx, req, reply, await run()), values, name === 'backup-code' ? 'backup' : undefined);
      });
    }

    async function resend(req: FastifyRequest, reply: FastifyReply, flowId: string, run: () => Promise<unknown>): Promise<FastifyReply> {
      const r = await attempt(run);
      // The cooldown is information, not an error of the code field: a notice with the seconds left
      // (still 429 for clients that read the status).
      if (!r.ok && r.err.code === 'auth.resend_cooldown') {
        if (req.wantsJson()) return reply.code(429).send(errorBody(req.t, r.err));
        return renderFlow(req, reply, flowId, { notice: req.t(r.err.code, r.err.params), status: 429 });
      }
      if (!r.ok) throw r.err;
      return renderFlow(req, reply, flowId, { notice: req.t('mfa.mail_otp.sent') });
    }
  };
}
