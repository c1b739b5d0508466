// One world in which every HTML page of the product can be opened (issue 20, tests and item 10):
// the portal world (two organisations, contracts, orders, notices, tickets), an operator admin,
// notices, a maintenance window and terms for the console, users stopped at each step of the first
// login and the 2-step login, and an OpenID Connect client waiting for consent. Each page is a GET
// path plus the cookie jar of whoever opens it; test/browser/every-page.browser.test.ts walks them
// and scripts/screenshots-readme.ts photographs some of them.
import type { TestApp } from '../helpers/app.ts';
import { Browser, formAction, type Res } from '../helpers/client.ts';
import { T0, givenWorld, sessionFor } from '../helpers/portal-world.ts';
import { loggedInOperator } from '../helpers/operator.ts';
import { publishFixtures } from '../helpers/operator-publish.ts';
import { adminAtMailOtpStep, completeFirstLogin, givenUser, independentTotp, loginAndEnrolTotp, secretOnPage } from '../helpers/scenario.ts';
import { Rp, registerClient } from '../helpers/oidc.ts';
import { createSession } from '../../src/auth/sessions/store.ts';
import { currentTerms } from '../../src/auth/service.ts';
import { cookieNames } from '../../src/web/cookies.ts';
import { setBrand } from '../../src/branding/service.ts';
import { updateOrganisationSettings } from '../../src/auth/tenancy/organisations.ts';
import { unsubscribeToken } from '../../src/portal/notices/contacts.ts';

export const PASSWORD = 'Kx7#mPq2vLa9';

/** Who opens a page: a signed-in person, or a browser stopped at one step of a flow. */
export type Who = 'anon' | 'customerAdmin' | 'customerGeneral' | 'operator' | 'termsPending'
  | 'flowIdentity' | 'flowPassword' | 'flowDone' | 'flowMethod' | 'flowTotpSetup' | 'flowPasskeySetup' | 'flowBackupCodes' | 'flowTotp' | 'flowMailOtp'
  | 'flowMatrix' | 'flowMatrixConfirm' | 'flowMatrixDone' | 'flowMatrixAnswer';

export interface WalkPage {
  /** The registered route it serves, as "GET /url" (the route-coverage check reads it). */
  route: string;
  path: string;
  who: Who;
  /** The status the page is answered with (an error page is a page too). */
  status: number;
  /** A short name for reports and screenshot files. */
  name: string;
}

/**
 * GET routes that are not pages a person looks at, with why. Every other GET route must be walked:
 * a new page route that nobody added to the walk fails the coverage test.
 */
export const NOT_PAGES: Record<string, string> = {
  'GET /admin/audit.csv': 'CSV download',
  'GET /portal/contracts.csv': 'CSV download',
  'GET /portal/tickets.csv': 'CSV download',
  'GET /portal/notices/:noticeId/report': 'file download: a notice\'s post-incident report (Content-Disposition: attachment)',
  'GET /operator/notices/:noticeId/report': 'file download: a notice\'s post-incident report, for the provider',
  'GET /calendar/:token.ics': 'iCalendar feed (BCOP MAINTNOTE) for calendar programs, by secret address',
  'GET /calendar/:token.atom': 'Atom feed for feed readers, by secret address',
  'GET /static/vendor/simplewebauthn/*': 'static files (the WebAuthn browser module)',
  'GET /operator/migrations/users.csv': 'CSV download',
  'GET /portal/tickets/:ticketId/attachments/:attachmentId': 'file download (Content-Disposition: attachment)',
  'GET /operator/tickets/:ticketId/attachments/:attachmentId': 'file download (Content-Disposition: attachment)',
  'GET /password/reset/:token': 'the mailed reset link: takes its token out of the address bar and redirects into the reset flow (its pages are /auth/flows/:id); a bad token is walked as /setup/:token is',
  'GET /oidc/auth': 'authorization endpoint: redirects to the interaction (walked) or back to the client',
  'GET /oidc/auth/:uid': 'authorization resumed: redirects back to the client',
  'GET /.well-known/openid-configuration': 'JSON (discovery)',
  'GET /oidc/jwks': 'JSON (keys)',
  'GET /oidc/me': 'JSON (UserInfo, Bearer token)',
  'GET /openapi.json': 'JSON (OpenAPI)',
  'GET /healthz': 'JSON (health)',
  'GET /readyz': 'JSON (readiness)',
  'GET /metrics': 'Prometheus text',
  'GET /static/*': 'static files (CSS, scripts, images)',
  'GET /brand/:scope/:id/logo': 'a brand\'s logo image (the header <img> of branded pages)',
  'GET /brand/:scope/:id/favicon': 'a brand\'s favicon image',
  'GET /brand/:scope/:id/theme.css': 'a brand\'s colour stylesheet (linked by branded pages)',
  'GET /dev/outbox': 'development-only mail viewer (not registered in production)',
};

/** Route prefixes that answer JSON only (the console's API). */
export const NOT_PAGE_PREFIXES: Record<string, string> = {
  'GET /api/': 'JSON API',
  'GET /tmf-api/': 'the TM Forum-shaped JSON API (bearer tokens only, docs/api.md)',
};

export interface EveryPageWorld {
  pages: WalkPage[];
  /** The cookies of each `Who`, as name → value. */
  jars: Record<Who, Map<string, string>>;
  /** Name of the cookie that holds the language (?lang= sets it). */
  langCookie: string;
}

/** Follows redirects like a browser and says where it ended (the client does not keep the URL). */
async function followTo(b: Browser, res: Res): Promise<{ res: Res; path: string | null }> {
  let r = res;
  let path: string | null = null;
  for (let i = 0; i < 10 && r.location && r.status >= 300 && r.status < 400; i++) {
    path = new URL(r.location, b.base).pathname + new URL(r.location, b.base).search;
    r = await b.get(r.location);
  }
  return { res: r, path };
}

function flowPathOf(html: string, step: string): string {
  return formAction(html, `/${step}`).replace(new RegExp(`/${step}$`), '');
}

/**
 * Builds the world on a fresh app; the clock is set to the portal world's T0 (its notices are
 * current then). Called once per test or script run.
 */
export async function buildEveryPageWorld(app: TestApp): Promise<EveryPageWorld> {
  app.clock.now = T0;
  const ctx = app.ctx;
  await givenWorld(ctx.db);
  // Issue 23: aGen holds a passkey, so the admin's user page lists it and its revoke confirmation is a page.
  await ctx.db.insertInto('factor').values({
    id: 'pkAGen', user_id: 'aGen', kind: 'passkey', secret_enc: '', label: '業務用ノートPC', created_at: T0, last_used_at: null, last_step: 0,
    credential_id: 'every-page-credential', public_key: 'pQECAyYgASFYIA', sign_count: 0, transports: 'internal',
  }).execute();
  // Names a person would see in a real portal (the README's pictures come from this world).
  for (const [id, name] of [['A', '株式会社みなと商事'], ['B', '北星物流株式会社']]) await ctx.db.updateTable('organisation').set({ name }).where('id', '=', id!).execute();
  for (const [id, name] of [['aAdmin', '山田 太郎'], ['aGen', 'Emily Carter'], ['aNone', '佐藤 花子'], ['bAdmin', '鈴木 一郎']]) await ctx.db.updateTable('app_user').set({ name }).where('id', '=', id!).execute();
  await ctx.db.updateTable('ticket').set({ subject: '内線通話が数秒で切れる' }).where('id', '=', 'tA').execute();
  await ctx.db.updateTable('ticket_message').set({ author_name: '山田 太郎', body: '昨日の 15:00 頃から、拠点Aの内線通話が数秒で切れます。再起動しても改善しません。' }).where('id', '=', 'mA').execute();
  for (const [id, ja, en] of [['nAll', '東京第2データセンター 電源設備点検', 'Power maintenance, Tokyo DC 2'], ['nS1', 'コロケーション ラック増設工事', 'Colocation rack extension work'], ['nS2', '音声サービス 交換機更改', 'Voice service switch replacement']]) {
    await ctx.db.updateTable('notice').set({ title_ja: ja!, title_en: en! }).where('id', '=', id!).execute();
  }
  // Colocation has a settings site (S8): its contract's «設定を変更する» page and the settings-site list show it.
  await ctx.db.updateTable('service').set({ settings_site_url: 'https://settings.example.net/' }).where('id', '=', 'S1').execute();
  const customerAdmin = await sessionFor(app, 'aAdmin', 'A');
  const customerGeneral = await sessionFor(app, 'aGen', 'A');
  // aNone has a full session but has not accepted the terms: /terms asks for them.
  const termsPending = new Browser(app.url);
  await termsPending.get('/login');
  termsPending.jar.set(cookieNames(app.config).session, await createSession(ctx.db, { userId: 'aNone', aal: 'aal2', skipReason: null, ip: '127.0.0.1', userAgent: 'test' },
    { idleMs: app.config.sessionIdleMs, absoluteMs: app.config.sessionAbsoluteMs }, ctx.now()));

  const operator = await loggedInOperator(app, 'operator_admin', { name: '窓口 一郎' });
  const fx = await publishFixtures(app);
  // Organisation B has a brand, so the console's branding page shows a saved one with its preview.
  await setBrand(ctx.db, 'org', 'B', { text: { name_ja: 'ビー社ポータル', name_en: 'B-Corp Portal', support_email: 'help@b-corp.example' }, colour: '#1d5c3a' }, { userId: null, ip: 'cli' }, T0);
  const terms = await currentTerms(ctx.db);

  // Browsers stopped at each step of the first login and the 2-step login.
  const anon = new Browser(app.url);
  await anon.get('/login');

  const idUser = await givenUser(ctx, { name: '初回 一郎' });
  const flowIdentity = new Browser(app.url);
  const atIdentity = await followTo(flowIdentity, await flowIdentity.get(idUser.setupUrl));
  const identityPath = atIdentity.path!;

  const pwUser = await givenUser(ctx, { name: '初回 二郎' });
  const flowPassword = new Browser(app.url);
  const p1 = await followTo(flowPassword, await flowPassword.get(pwUser.setupUrl));
  const pwFlow = flowPathOf(p1.res.body, 'identity');
  await flowPassword.follow(await flowPassword.post(`${pwFlow}/identity`, { email: pwUser.email, name: pwUser.name, phone: pwUser.phone }));

  const doneUser = await givenUser(ctx, { name: '初回 三郎' });
  const flowDone = new Browser(app.url);
  const d1 = await followTo(flowDone, await flowDone.get(doneUser.setupUrl));
  const doneFlow = flowPathOf(d1.res.body, 'identity');
  await flowDone.follow(await flowDone.post(`${doneFlow}/identity`, { email: doneUser.email, name: doneUser.name, phone: doneUser.phone }));
  await flowDone.follow(await flowDone.post(`${doneFlow}/password`, { password: PASSWORD, confirm: PASSWORD }));

  // Issue 22: the matrix password's pages — registration, its confirmation, its completion, a login matrix.
  const matrixUser = async (name: string) => {
    const u = await givenUser(ctx, { name });
    await updateOrganisationSettings(ctx.db, u.orgId, { firstFactor: 'matrix' }, ctx.now());
    const b = new Browser(app.url);
    const r = await followTo(b, await b.get(u.setupUrl));
    const path = flowPathOf(r.res.body, 'identity');
    await b.follow(await b.post(`${path}/identity`, { email: u.email, name: u.name, phone: u.phone }));
    return { u, b, path };
  };
  const matrixCells = 'B2, F5, A1, H6, C3, D1, G4, E6';
  const mReg = await matrixUser('行列 一郎');
  const mConfirm = await matrixUser('行列 二郎');
  await mConfirm.b.follow(await mConfirm.b.post(`${mConfirm.path}/matrix`, { positions: matrixCells }));
  const mDone = await matrixUser('行列 三郎');
  await mDone.b.follow(await mDone.b.post(`${mDone.path}/matrix`, { positions: matrixCells }));
  await mDone.b.follow(await mDone.b.post(`${mDone.path}/matrix/confirm`, {}));
  const flowMatrixAnswer = new Browser(app.url);
  const ma = await flowMatrixAnswer.get('/login/matrix');
  const maRes = await followTo(flowMatrixAnswer, await flowMatrixAnswer.post(formAction(ma.body, '/matrix/start'), { loginId: mDone.u.loginId }));

  const methodUser = await givenUser(ctx, { role: 'admin', name: '管理 花子' });
  const flowMethod = new Browser(app.url);
  await completeFirstLogin(flowMethod, methodUser, PASSWORD);
  await flowMethod.get('/login');
  const m1 = await followTo(flowMethod, await flowMethod.post('/login', { loginId: methodUser.loginId, password: PASSWORD }));

  const setupUser = await givenUser(ctx, { name: '設定 次郎' });
  const flowTotpSetup = new Browser(app.url);
  await completeFirstLogin(flowTotpSetup, setupUser, PASSWORD);
  await flowTotpSetup.get('/login');
  const s1 = await followTo(flowTotpSetup, await flowTotpSetup.post('/login', { loginId: setupUser.loginId, password: PASSWORD }));

  // Issue 23: the passkey registration during the 2-step setup (a detour from the TOTP setup).
  const passkeySetupUser = await givenUser(ctx, { name: '鍵 五郎' });
  const flowPasskeySetup = new Browser(app.url);
  await completeFirstLogin(flowPasskeySetup, passkeySetupUser, PASSWORD);
  await flowPasskeySetup.get('/login');
  const pk1 = await followTo(flowPasskeySetup, await flowPasskeySetup.post('/login', { loginId: passkeySetupUser.loginId, password: PASSWORD }));
  const pk2 = await followTo(flowPasskeySetup, await flowPasskeySetup.post(formAction(pk1.res.body, '/passkey/setup'), {}));

  const codesUser = await givenUser(ctx, { name: '保管 三郎' });
  const flowBackupCodes = new Browser(app.url);
  await completeFirstLogin(flowBackupCodes, codesUser, PASSWORD);
  await flowBackupCodes.get('/login');
  const c1 = await followTo(flowBackupCodes, await flowBackupCodes.post('/login', { loginId: codesUser.loginId, password: PASSWORD }));
  const c2 = await followTo(flowBackupCodes, await flowBackupCodes.post(formAction(c1.res.body, '/totp-setup'), { code: independentTotp(secretOnPage(c1.res.body), app.clock.now) }));

  const totpUser = await givenUser(ctx, { name: '認証 四郎' });
  const enrol = new Browser(app.url);
  await completeFirstLogin(enrol, totpUser, PASSWORD);
  await loginAndEnrolTotp(enrol, totpUser, PASSWORD, app.clock.now);
  app.clock.advance(30_000);
  const flowTotp = new Browser(app.url);
  await flowTotp.get('/login');
  const t1 = await followTo(flowTotp, await flowTotp.post('/login', { loginId: totpUser.loginId, password: PASSWORD }));

  const flowMailOtp = new Browser(app.url);
  const mail = await adminAtMailOtpStep(ctx, flowMailOtp, PASSWORD);

  // A client that is not first-party: the signed-in customer is asked for consent on our page.
  const client = await registerClient(ctx, { firstParty: false, name: 'Partner settings' });
  const rp = await Rp.discover(app.url, client.id, client.secret);
  const begun = await rp.begin();
  // The provider's redirects and its "continue" page (the login part of the interaction is done by
  // the session) up to the second interaction, the consent page of ours.
  let interaction: string | null = null;
  let r = await customerAdmin.get(begun.url.href);
  for (let i = 0; i < 12 && !/action="\/oidc\/interaction\/[^"]+\/consent"/.test(r.body); i++) {
    const next = r.location ?? r.body.match(/http-equiv="refresh" content="0;url=([^"]+)"/)?.[1]?.replace(/&amp;/g, '&') ?? null;
    if (!next) break;
    const url = new URL(next, app.url);
    if (url.pathname.startsWith('/oidc/interaction/')) interaction = url.pathname;
    r = await customerAdmin.get(url.href);
  }
  if (!/\/consent"/.test(r.body)) interaction = null;
  if (!interaction) throw new Error(`no consent page reached: ${r.status} ${r.body.slice(0, 300)}`);

  // Issue 24 item 2: a technical contact of cA1, so the admin's list has a row and the unsubscribe link a target.
  await ctx.db.insertInto('contract_contact').values({ id: 'ctA1', contract_id: 'cA1', organisation_id: 'A', name: '保守 窓口', email: 'noc@a.example', created_by: 'aAdmin', created_at: T0 }).execute();
  const unsubscribe = `/notices/unsubscribe/${unsubscribeToken(app.config.secretKey, 'ctA1')}`;

  const page = (route: string, path: string, who: Who, name: string, status = 200): WalkPage => ({ route: `GET ${route}`, path, who, status, name });
  const pages: WalkPage[] = [
    // Anyone
    page('/login', '/login', 'anon', 'login'),
    page('/password/reset', '/password/reset', 'anon', 'reset-request'),
    page('/setup/:token', '/setup/not-a-real-token', 'anon', 'link-invalid', 410),
    page('/help', '/help', 'anon', 'help'),
    page('/help/:topic', '/help/authenticator', 'anon', 'help-authenticator'),
    page('/oidc/session/end/success', '/oidc/session/end/success', 'anon', 'oidc-signed-out'),
    // Steps of the first login and the 2-step login (one route renders each step)
    page('/auth/flows/:id', identityPath, 'flowIdentity', 'first-login-identity'),
    page('/auth/flows/:id', pwFlow, 'flowPassword', 'first-login-password'),
    page('/auth/flows/:id', doneFlow, 'flowDone', 'first-login-done'),
    page('/login/matrix', '/login/matrix', 'anon', 'matrix-login'),
    page('/auth/flows/:id', mReg.path, 'flowMatrix', 'matrix-register'),
    page('/auth/flows/:id', mConfirm.path, 'flowMatrixConfirm', 'matrix-confirm'),
    page('/auth/flows/:id', mDone.path, 'flowMatrixDone', 'matrix-done'),
    page('/auth/flows/:id', maRes.path!, 'flowMatrixAnswer', 'matrix-answer'),
    page('/auth/flows/:id', m1.path!, 'flowMethod', 'second-step-choice'),
    page('/auth/flows/:id', s1.path!, 'flowTotpSetup', 'totp-setup'),
    page('/auth/flows/:id', pk2.path!, 'flowPasskeySetup', 'passkey-setup'),
    page('/auth/flows/:id', c2.path!, 'flowBackupCodes', 'backup-codes'),
    page('/auth/flows/:id', t1.path!, 'flowTotp', 'totp-code'),
    page('/auth/flows/:id', mail.action.replace(/\/mail-otp$/, ''), 'flowMailOtp', 'mail-otp'),
    page('/terms', '/terms', 'termsPending', 'terms'),
    // The customer's portal (a portal admin sees every part of it)
    page('/', '/', 'customerAdmin', 'home'),
    page('/', '/', 'customerGeneral', 'home-general'),
    page('/profile', '/profile', 'customerAdmin', 'security-settings'),
    page('/portal/contracts', '/portal/contracts', 'customerAdmin', 'contracts'),
    page('/portal/contracts/:contractId', '/portal/contracts/cA1', 'customerAdmin', 'contract'),
    page('/portal/contracts/:contractId/settings-site', '/portal/contracts/cA1/settings-site', 'customerAdmin', 'contract-settings-site'),
    page('/portal/settings-sites', '/portal/settings-sites', 'customerAdmin', 'settings-sites'),
    page('/portal/orders', '/portal/orders', 'customerAdmin', 'orders'),
    page('/portal/orders/:orderId', '/portal/orders/oA1', 'customerAdmin', 'order'),
    page('/portal/notices', '/portal/notices', 'customerAdmin', 'notices'),
    page('/portal/calendar', '/portal/calendar', 'customerAdmin', 'calendar'),
    page('/portal/subscriptions', '/portal/subscriptions', 'customerAdmin', 'subscriptions'),
    page('/notices/unsubscribe/:token', unsubscribe, 'anon', 'contact-unsubscribe'),
    page('/notices/unsubscribe/:token/one-click', `${unsubscribe}/one-click`, 'anon', 'contact-unsubscribe-one-click'),
    page('/portal/notices/:noticeId', '/portal/notices/nAll', 'customerAdmin', 'notice'),
    page('/portal/tickets', '/portal/tickets', 'customerAdmin', 'tickets'),
    page('/portal/tickets/new', '/portal/tickets/new', 'customerAdmin', 'ticket-new'),
    page('/portal/tickets/:ticketId', '/portal/tickets/tA', 'customerAdmin', 'ticket'),
    page('/admin', '/admin', 'customerAdmin', 'admin-overview'),
    page('/admin/users', '/admin/users', 'customerAdmin', 'admin-users'),
    // The confirmation step of each destructive action (issue 20 item 5).
    page('/admin/users/:userId/disable', '/admin/users/aGen/disable', 'customerAdmin', 'admin-confirm-disable'),
    page('/admin/users/:userId/sessions/revoke', '/admin/users/aGen/sessions/revoke', 'customerAdmin', 'admin-confirm-sessions'),
    page('/admin/users/:userId/totp-reset', '/admin/users/aGen/totp-reset', 'customerAdmin', 'admin-confirm-totp-reset'),
    page('/admin/users/:userId/trusted-browsers/revoke', '/admin/users/aGen/trusted-browsers/revoke', 'customerAdmin', 'admin-confirm-browsers'),
    page('/admin/groups/:groupId/delete', '/admin/groups/gA/delete', 'customerAdmin', 'admin-confirm-group-delete'),
    page('/admin/users/:userId/passkeys/:passkeyId/revoke', '/admin/users/aGen/passkeys/pkAGen/revoke', 'customerAdmin', 'admin-confirm-passkey-revoke'),
    page('/admin/groups/:groupId/members/:userId/remove', '/admin/groups/gA/members/aGen/remove', 'customerAdmin', 'admin-confirm-member-remove'),
    page('/admin/users/new', '/admin/users/new', 'customerAdmin', 'admin-user-new'),
    page('/admin/users/:userId', '/admin/users/aGen', 'customerAdmin', 'admin-user'),
    page('/admin/groups', '/admin/groups', 'customerAdmin', 'admin-groups'),
    page('/admin/groups/:groupId', '/admin/groups/gA', 'customerAdmin', 'admin-group'),
    page('/admin/audit', '/admin/audit', 'customerAdmin', 'admin-audit'),
    page('/admin/settings', '/admin/settings', 'customerAdmin', 'admin-settings'),
    page('/admin/api-tokens', '/admin/api-tokens', 'customerAdmin', 'admin-api-tokens'),
    page('/admin/contacts', '/admin/contacts', 'customerAdmin', 'admin-contacts'),
    page('/oidc/interaction/:uid', interaction, 'customerAdmin', 'oidc-consent'),
    page('/oidc/session/end', '/oidc/session/end', 'customerAdmin', 'oidc-sign-out'),
    // Error pages: unknown address, another organisation's ticket, a page above one's role
    page('/*', '/no-such-page', 'customerAdmin', 'not-found', 404),
    page('/portal/tickets/:ticketId', '/portal/tickets/tB', 'customerAdmin', 'ticket-of-another-org', 404),
    page('/admin/users', '/admin/users', 'customerGeneral', 'admin-forbidden', 403),
    // The provider's console
    page('/operator', '/operator', 'operator', 'console-home'),
    page('/operator/operators', '/operator/operators', 'operator', 'console-operators'),
    page('/operator/tickets', '/operator/tickets', 'operator', 'console-tickets'),
    page('/operator/tickets/:ticketId', '/operator/tickets/tA', 'operator', 'console-ticket'),
    page('/operator/notices', '/operator/notices', 'operator', 'console-notices'),
    page('/operator/notices/new', '/operator/notices/new', 'operator', 'console-notice-new'),
    page('/operator/notices/:noticeId', `/operator/notices/${fx.noticeId}`, 'operator', 'console-notice'),
    page('/operator/maintenance', '/operator/maintenance', 'operator', 'console-maintenance'),
    page('/operator/maintenance/:windowId', `/operator/maintenance/${fx.windowId}`, 'operator', 'console-maintenance-window'),
    page('/operator/terms', '/operator/terms', 'operator', 'console-terms'),
    page('/operator/terms/:versionId', `/operator/terms/${terms!.id}`, 'operator', 'console-terms-version'),
    page('/operator/migrations', '/operator/migrations', 'operator', 'console-migrations'),
    page('/operator/organisations', '/operator/organisations', 'operator', 'console-organisations'),
    page('/operator/organisations/:orgId', '/operator/organisations/A', 'operator', 'console-organisation'),
    page('/operator/services', '/operator/services', 'operator', 'console-services'),
    page('/operator/services/:code', '/operator/services/colo', 'operator', 'console-service'),
    page('/operator/services/categories/:code', '/operator/services/categories/dc', 'operator', 'console-category'),
    page('/operator/contracts', '/operator/contracts', 'operator', 'console-contracts'),
    page('/operator/contracts/import', '/operator/contracts/import', 'operator', 'console-contracts-import'),
    page('/operator/contracts/:contractId', '/operator/contracts/cA1', 'operator', 'console-contract'),
    page('/operator/branding', '/operator/branding', 'operator', 'console-branding'),
    page('/operator/branding/:scope/:id', '/operator/branding/org/B', 'operator', 'console-branding-org'),
    page('/operator/orders', '/operator/orders', 'operator', 'console-orders'),
    page('/operator/orders/:number', '/operator/orders/O-oA1', 'operator', 'console-order'),
  ];
  const jars: Record<Who, Map<string, string>> = {
    anon: anon.jar, customerAdmin: customerAdmin.jar, customerGeneral: customerGeneral.jar, operator: operator.b.jar, termsPending: termsPending.jar,
    flowIdentity: flowIdentity.jar, flowPassword: flowPassword.jar, flowDone: flowDone.jar, flowMethod: flowMethod.jar,
    flowTotpSetup: flowTotpSetup.jar, flowPasskeySetup: flowPasskeySetup.jar, flowBackupCodes: flowBackupCodes.jar, flowTotp: flowTotp.jar, flowMailOtp: flowMailOtp.jar,
    flowMatrix: mReg.b.jar, flowMatrixConfirm: mConfirm.b.jar, flowMatrixDone: mDone.b.jar, flowMatrixAnswer: flowMatrixAnswer.jar,
  };
  return { pages, jars, langCookie: cookieNames(app.config).lang };
}
