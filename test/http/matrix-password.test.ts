// Issue 22 (SPEC S12, seed 001): the matrix password over real HTTP on SQLite and PostgreSQL —
// registration inside the first-login flow (7 and 16 positions refused, the re-click rule, confirm),
// then the login: a right and a wrong answer, an unknown login ID answered alike, a matrix used once,
// expiry, the password's throttle, and the organisation's 2-step rules and terms after it.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { AppContext } from '../../src/context.ts';
import { createOrganisation, updateOrganisationSettings } from '../../src/auth/tenancy/organisations.ts';
import { registerUser } from '../../src/auth/registration/service.ts';
import { testDialects } from '../helpers/db.ts';
import { startTestApp } from '../helpers/app.ts';
import { Browser, formAction, text, type Res } from '../helpers/client.ts';
import { givenTerms, givenUser, independentTotp, secretOnPage, type GivenUser } from '../helpers/scenario.ts';
import { postResetForm, resetFields, resetLinkFor } from '../helpers/reset.ts';

const CELLS = ['B2', 'F5', 'A1', 'H6', 'C3', 'D1', 'G4', 'E6', 'A6'];

async function matrixUser(ctx: AppContext, role: 'general' | 'admin' = 'general'): Promise<GivenUser> {
  const u = await givenUser(ctx, { role });
  await updateOrganisationSettings(ctx.db, u.orgId, { firstFactor: 'matrix' }, ctx.now());
  return u;
}

/** A user of a matrix organisation whose login ID is not their e-mail address. */
async function matrixUserWithId(ctx: AppContext, loginId: string, email: string, orgId?: string): Promise<GivenUser> {
  const org = orgId ?? (await createOrganisation(ctx.db, { name: `Matrix ${loginId}`, kind: 'direct' }, ctx.now())).id;
  await updateOrganisationSettings(ctx.db, org, { firstFactor: 'matrix' }, ctx.now());
  const { user, setupUrl } = await registerUser(ctx, { organisationId: org, loginId, email, name: '山田 太郎', phone: '0312345678', role: 'general', lang: 'ja' }, { userId: null, ip: '127.0.0.1' });
  return { id: user.id, loginId: user.login_id, email, name: user.name, phone: user.phone, orgId: org, setupUrl };
}

/** Opens the link and passes identity verification: the browser is at the matrix registration page. */
async function atRegistration(b: Browser, u: GivenUser): Promise<{ flowPath: string; page: Res }> {
  await b.follow(await b.get(u.setupUrl));
  const flowPath = b.last!.body.match(/action="(\/auth\/flows\/[^/]+)\/identity"/)![1]!;
  const page = await b.follow(await b.post(`${flowPath}/identity`, { email: u.email, name: u.name, phone: u.phone }));
  return { flowPath, page };
}

async function register(b: Browser, u: GivenUser, cells = CELLS): Promise<Res> {
  const { flowPath } = await atRegistration(b, u);
  await b.follow(await b.post(`${flowPath}/matrix`, { positions: cells.join(', ') }));
  return b.follow(await b.post(`${flowPath}/matrix/confirm`, {}));
}

/** The digits a matrix page shows, by cell name. */
function gridOf(html: string): Map<string, string> {
  return new Map([...html.matchAll(/<td data-cell="([A-Z]\d+)">(\d?)<\/td>/g)].map((m) => [m[1]!, m[2]!]));
}
const answerFor = (html: string, cells = CELLS) => cells.map((c) => gridOf(html).get(c)).join('');

/** /login/matrix → e-mail address or login ID → the answer page. */
async function matrixChallenge(b: Browser, loginId: string): Promise<Res> {
  const start = await b.get('/login/matrix');
  assert.equal(start.status, 200);
  return b.follow(await b.post(formAction(start.body, '/matrix/start'), { loginId }));
}

for (const dialect of testDialects()) {
  describe(`${dialect}: matrix password (issue 22)`, () => {
    it('registration: 7 and 16 positions and unknown cells refused, re-click takes the later order, confirm stores them sealed', async (t) => {
      const app = await startTestApp(dialect, t);
      const u = await matrixUser(app.ctx);
      const b = new Browser(app.url);
      const { flowPath, page } = await atRegistration(b, u);
      assert.match(text(page.body), /パスワード登録/);
      assert.match(page.body, /<script type="module" src="\/static\/matrix.js">/);
      assert.equal(gridOf(page.body).size, 48, '6 × 8 cells, A1…H6');
      assert.ok([...gridOf(page.body).values()].every((d) => /^\d$/.test(d)), 'each cell shows a digit');
      const seven = await b.post(`${flowPath}/matrix`, { positions: CELLS.slice(0, 7).join(',') });
      assert.equal(seven.status, 422);
      assert.match(text(seven.body), /8か所以上選んでください\(選択: 7か所\)/);
      assert.match(seven.body, /value="B2,F5,A1,H6,C3,D1,G4"/, 'the list is kept for correction');
      const sixteen = await b.post(`${flowPath}/matrix`, { positions: 'A1 B1 C1 D1 E1 F1 G1 H1 A2 B2 C2 D2 E2 F2 G2 H2' });
      assert.equal(sixteen.status, 422);
      assert.match(text(sixteen.body), /15か所以下にしてください\(選択: 16か所\)/);
      const unknown = await b.post(`${flowPath}/matrix`, { positions: 'A1,B1,C1,D1,E1,F1,G1,I9' });
      assert.equal(unknown.status, 422);
      assert.match(text(unknown.body), /「I9」はマトリクスのマスではありません/);
      // 9 clicks on 8 cells: A1 clicked first and again last takes order 8; B1 becomes 1.
      const confirm = await b.follow(await b.post(`${flowPath}/matrix`, { positions: 'a1,B1,C1,D1,E1,F1,G1,H1,A1' }));
      assert.equal(confirm.status, 200);
      assert.match(text(confirm.body), /パスワード登録確認/);
      const shown = gridOf(confirm.body.replace(/<td data-cell="([A-Z]\d+)">(\d+)<\/td>/g, (_, c, n) => `<td data-cell="${c}">${n.length === 1 ? n : 'x'}</td>`));
      assert.equal(shown.get('A1'), '8');
      assert.equal(shown.get('B1'), '1');
      assert.equal(shown.get('H1'), '7');
      assert.equal(shown.get('H6'), '');
      // Choose again: back to the grid, nothing stored.
      const again = await b.follow(await b.post(`${flowPath}/matrix/redo`, {}));
      assert.match(text(again.body), /パスワード登録/);
      assert.equal(await app.ctx.db.selectFrom('matrix_password').select('user_id').where('user_id', '=', u.id).executeTakeFirst(), undefined);
      await b.follow(await b.post(`${flowPath}/matrix`, { positions: CELLS.join(',') }));
      const done = await b.follow(await b.post(`${flowPath}/matrix/confirm`, {}));
      assert.match(text(done.body), /パスワード登録完了/);
      assert.match(done.body, /href="\/login\/matrix"/);
      const row = await app.ctx.db.selectFrom('matrix_password').selectAll().where('user_id', '=', u.id).executeTakeFirstOrThrow();
      assert.match(row.positions_enc, /^v1\./, 'sealed with the secret box');
      assert.doesNotMatch(row.positions_enc, /B2|F5|\[/);
      const link = await app.ctx.db.selectFrom('link_token').select('used_at').where('user_id', '=', u.id).executeTakeFirstOrThrow();
      assert.ok(link.used_at !== null, 'the link is used up');
      const audit = await app.ctx.db.selectFrom('audit_log').select(['event', 'factor']).where('subject_user_id', '=', u.id).where('event', '=', 'password.set').executeTakeFirstOrThrow();
      assert.equal(audit.factor, 'matrix');
      // The confirmed flow takes no second confirm.
      assert.equal((await b.post(`${flowPath}/matrix/confirm`, {}, { csrf: b.csrfFor() })).status, 409);
    });

    it('login: a right answer goes on to the 2-step setup, then terms, then home; the same matrix is not taken twice', async (t) => {
      const app = await startTestApp(dialect, t);
      await givenTerms(app.ctx);
      const u = await matrixUser(app.ctx);
      const b = new Browser(app.url);
      await register(b, u);
      const challenge = await matrixChallenge(b, u.loginId);
      assert.match(text(challenge.body), /ユーザー認証/);
      const action = formAction(challenge.body, '/matrix/answer');
      const right = answerFor(challenge.body);
      assert.match(right, /^\d{9}$/);
      const setup = await b.follow(await b.post(action, { answer: right }));
      assert.match(text(setup.body), /2段階認証/);
      const secret = secretOnPage(setup.body);
      const flow = formAction(setup.body, '/totp-setup');
      let r = await b.follow(await b.post(flow, { code: independentTotp(secret, app.clock.now) }));
      r = await b.follow(await b.post(formAction(r.body, '/backup-codes'), {}));
      assert.match(text(r.body), /ご利用規約/);
      const versionId = r.body.match(/name="versionId" value="([^"]+)"/)![1]!;
      const home = await b.follow(await b.post('/terms', { versionId, accept: '1' }));
      assert.match(text(home.body), /ようこそ、山田 太郎 様/);
      const ok = await app.ctx.db.selectFrom('audit_log').select(['event', 'factor']).where('subject_user_id', '=', u.id).where('event', '=', 'login.password_ok').executeTakeFirstOrThrow();
      assert.equal(ok.factor, 'matrix');
      // The answered matrix again (the flow has moved on and its cookie was replaced): refused.
      const replay = await b.post(action, { answer: right }, { csrf: b.csrfFor() });
      assert.ok(replay.status === 409 || replay.status === 410, `replay refused, got ${replay.status}`);
    });

    it('login: a wrong answer and an unknown login ID get the same refusal and a fresh matrix; the old matrix cannot be answered again', async (t) => {
      const app = await startTestApp(dialect, t);
      const u = await matrixUser(app.ctx);
      const b = new Browser(app.url);
      await register(b, u);
      const first = await matrixChallenge(b, u.loginId);
      const action = formAction(first.body, '/matrix/answer');
      const right = answerFor(first.body);
      const wrong = right.slice(0, -1) + String((Number(right.at(-1)) + 1) % 10);
      const refused = await b.post(action, { answer: wrong });
      assert.equal(refused.status, 401);
      assert.match(text(refused.body), /メールアドレス\(ログインID\)または数字が正しくありません/);
      assert.notEqual([...gridOf(refused.body).values()].join(''), [...gridOf(first.body).values()].join(''), 'a fresh matrix');
      // The first matrix's right answer, now that it was used: refused (unless the fresh grid happens to agree).
      if (answerFor(refused.body) !== right) assert.equal((await b.post(action, { answer: right })).status, 401);
      // An unknown login ID: a matrix all the same, and the same answer.
      const other = new Browser(app.url);
      const ghost = await matrixChallenge(other, 'nobody@example.co.jp');
      assert.equal(gridOf(ghost.body).size, 48);
      const ghostRefused = await other.post(formAction(ghost.body, '/matrix/answer'), { answer: '12345678' });
      assert.equal(ghostRefused.status, 401);
      assert.equal(text(ghostRefused.body).match(/メールアドレス\(ログインID\)または[^。]+。/)![0], text(refused.body).match(/メールアドレス\(ログインID\)または[^。]+。/)![0]);
      const reasons = await app.ctx.db.selectFrom('audit_log').select(['detail']).where('event', '=', 'login.failed').where('factor', '=', 'matrix').execute();
      assert.ok(reasons.some((x) => x.detail.includes('unknown_login_id')) && reasons.some((x) => x.detail.includes('bad_matrix_answer')));
    });

    it('login: a matrix expires; the answer then gets a fresh one, which works', async (t) => {
      const app = await startTestApp(dialect, t);
      const u = await matrixUser(app.ctx);
      const b = new Browser(app.url);
      await register(b, u);
      const first = await matrixChallenge(b, u.loginId);
      const action = formAction(first.body, '/matrix/answer');
      app.clock.advance(app.config.matrix.challengeMs + 1);
      const late = await b.post(action, { answer: answerFor(first.body) });
      assert.equal(late.status, 409);
      assert.match(text(late.body), /有効期限が切れました/);
      const next = await b.follow(await b.post(action, { answer: answerFor(late.body) }));
      assert.match(text(next.body), /2段階認証/);
    });

    it('login: wrong answers lock the login ID like passwords do, on the same counter', async (t) => {
      const app = await startTestApp(dialect, t);
      const u = await matrixUser(app.ctx);
      const b = new Browser(app.url);
      await register(b, u);
      let page = await matrixChallenge(b, u.loginId);
      const action = formAction(page.body, '/matrix/answer');
      for (let i = 0; i < 5; i++) {
        const right = answerFor(page.body);
        page = await b.post(action, { answer: right.slice(0, -1) + String((Number(right.at(-1)) + 1) % 10) });
        assert.equal(page.status, 401, `attempt ${i + 1}`);
      }
      const locked = await b.post(action, { answer: answerFor(page.body) });
      assert.equal(locked.status, 429);
      assert.match(text(locked.body), /アカウントのログインを\d+分間停止しています/);
      // The typed password's login of the same ID is locked too (one counter).
      const pw = new Browser(app.url);
      await pw.get('/login');
      assert.equal((await pw.post('/login', { loginId: u.loginId, password: 'whatever-1A' })).status, 429);
    });
    it('login by e-mail address (seed 001 step 5): in any case; an address two matrix accounts share names neither, their login IDs do', async (t) => {
      const app = await startTestApp(dialect, t);
      const u = await matrixUserWithId(app.ctx, 'tanaka-01', 'tanaka@example.co.jp');
      await register(new Browser(app.url), u);
      const b = new Browser(app.url);
      const start = await b.get('/login/matrix');
      assert.match(text(start.body), /メールアドレスまたはログインID/);
      const challenge = await matrixChallenge(b, ' TANAKA@Example.co.jp ');
      const next = await b.follow(await b.post(formAction(challenge.body, '/matrix/answer'), { answer: answerFor(challenge.body) }));
      assert.match(text(next.body), /2段階認証/, 'the address named the account');
      // A second matrix account with the same address: the address alone is ambiguous.
      const twin = await matrixUserWithId(app.ctx, 'tanaka-02', 'tanaka@example.co.jp', u.orgId);
      await register(new Browser(app.url), twin, ['A1', 'B1', 'C1', 'D1', 'E1', 'F1', 'G1', 'H1']);
      const c = new Browser(app.url);
      const ambiguous = await matrixChallenge(c, 'tanaka@example.co.jp');
      const refused = await c.post(formAction(ambiguous.body, '/matrix/answer'), { answer: answerFor(ambiguous.body) });
      assert.equal(refused.status, 401);
      assert.match(text(refused.body), /メールアドレス\(ログインID\)または数字が正しくありません/);
      const reason = await app.ctx.db.selectFrom('audit_log').select('detail').where('event', '=', 'login.failed').where('factor', '=', 'matrix').orderBy('id', 'desc').executeTakeFirstOrThrow();
      assert.match(reason.detail, /ambiguous_email/);
      // Each login ID still names its own account.
      const d = new Browser(app.url);
      const byId = await matrixChallenge(d, 'TANAKA-02');
      const ok = await d.follow(await d.post(formAction(byId.body, '/matrix/answer'), { answer: answerFor(byId.body, ['A1', 'B1', 'C1', 'D1', 'E1', 'F1', 'G1', 'H1']) }));
      assert.match(text(ok.body), /2段階認証/);
    });

    it('the login page links to the matrix login once an organisation uses it; a typed password is refused for its users', async (t) => {
      const app = await startTestApp(dialect, t);
      const before = await new Browser(app.url).get('/login');
      assert.doesNotMatch(before.body, /href="\/login\/matrix"/, 'no matrix organisation: no link');
      // A user who set a typed password while the organisation still used one.
      const u = await givenUser(app.ctx);
      const b = new Browser(app.url);
      await b.follow(await b.get(u.setupUrl));
      const flowPath = b.last!.body.match(/action="(\/auth\/flows\/[^/]+)\/identity"/)![1]!;
      await b.follow(await b.post(`${flowPath}/identity`, { email: u.email, name: u.name, phone: u.phone }));
      const done = await b.follow(await b.post(`${flowPath}/password`, { password: 'Kx7#mPq2vLa9', confirm: 'Kx7#mPq2vLa9' }));
      assert.equal(done.status, 200);
      const pw = new Browser(app.url);
      await pw.get('/login');
      assert.equal((await pw.follow(await pw.post('/login', { loginId: u.loginId, password: 'Kx7#mPq2vLa9' }))).status, 200, 'the typed password works while the organisation uses one');
      await updateOrganisationSettings(app.ctx.db, u.orgId, { firstFactor: 'matrix' }, app.ctx.now());
      const after = await new Browser(app.url).get('/login');
      assert.match(after.body, /<a href="\/login\/matrix">マトリクスパスワードでログイン<\/a>/);
      const again = new Browser(app.url);
      await again.get('/login');
      const refused = await again.post('/login', { loginId: u.loginId, password: 'Kx7#mPq2vLa9' });
      assert.equal(refused.status, 401, 'the same refusal as a wrong password');
      const row = await app.ctx.db.selectFrom('audit_log').select('detail').where('event', '=', 'login.failed').where('subject_user_id', '=', u.id).orderBy('id', 'desc').executeTakeFirstOrThrow();
      assert.match(row.detail, /matrix_only/);
    });

    it('password reset for a matrix user chooses new positions (not a typed password); the old ones stop working', async (t) => {
      const app = await startTestApp(dialect, t);
      const u = await matrixUserWithId(app.ctx, 'suzuki-01', 'suzuki@example.co.jp');
      await register(new Browser(app.url), u);
      const b = new Browser(app.url);
      assert.equal((await postResetForm(b, resetFields(u))).status, 200);
      const page = await b.follow(await b.get(await resetLinkFor(app, u)));
      assert.match(text(page.body), /パスワード登録/);
      assert.match(page.body, /name="positions"/);
      assert.doesNotMatch(page.body, /type="password"/, 'no typed password for a matrix user');
      const flowPath = page.body.match(/action="(\/auth\/flows\/[^/]+)\/matrix"/)![1]!;
      // The password step is not this flow's step.
      assert.equal((await b.post(`${flowPath}/password`, { password: 'Kx7#mPq2vLa9', confirm: 'Kx7#mPq2vLa9' })).status, 409);
      const seven = await b.post(`${flowPath}/matrix`, { positions: 'A1,B1,C1,D1,E1,F1,G1' });
      assert.equal(seven.status, 422);
      const fresh = ['H1', 'G2', 'F3', 'E4', 'D5', 'C6', 'B5', 'A4'];
      await b.follow(await b.post(`${flowPath}/matrix`, { positions: fresh.join(',') }));
      const done = await b.follow(await b.post(`${flowPath}/matrix/confirm`, {}));
      assert.match(text(done.body), /パスワード登録完了/);
      // Old positions: refused; new ones: on to the 2-step setup.
      const old = new Browser(app.url);
      const c1 = await matrixChallenge(old, u.email);
      assert.equal((await old.post(formAction(c1.body, '/matrix/answer'), { answer: answerFor(c1.body) })).status, 401, 'the nine old positions');
      const now = new Browser(app.url);
      const c2 = await matrixChallenge(now, u.email);
      assert.match(text((await now.follow(await now.post(formAction(c2.body, '/matrix/answer'), { answer: answerFor(c2.body, fresh) }))).body), /2段階認証/);
      const set = await app.ctx.db.selectFrom('audit_log').select('id').where('event', '=', 'password.set').where('subject_user_id', '=', u.id).where('factor', '=', 'matrix').execute();
      assert.equal(set.length, 2, 'registration and reset, both audited with factor matrix');
    });
  });
}
