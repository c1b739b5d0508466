// Issue 22 (SPEC S12, seed 001): the matrix password over real HTTP on SQLite and PostgreSQL —
// registration inside the first-login flow (7 and 16 positions refused, the re-click rule, confirm),
// then the login: a right and a wrong answer, an unknown login ID answered alike, a matrix used once,
// expiry, the password's throttle, and the organisation's 2-step rules and terms after it.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { AppContext } from '../../src/context.ts';
import { updateOrganisationSettings } from '../../src/auth/tenancy/organisations.ts';
import { testDialects } from '../helpers/db.ts';
import { startTestApp } from '../helpers/app.ts';
import { Browser, formAction, text, type Res } from '../helpers/client.ts';
import { givenTerms, givenUser, independentTotp, secretOnPage, type GivenUser } from '../helpers/scenario.ts';

const CELLS = ['B2', 'F5', 'A1', 'H6', 'C3', 'D1', 'G4', 'E6', 'A6'];

async function matrixUser(ctx: AppContext, role: 'general' | 'admin' = 'general'): Promise<GivenUser> {
  const u = await givenUser(ctx, { role });
  await updateOrganisationSettings(ctx.db, u.orgId, { firstFactor: 'matrix' }, ctx.now());
  return u;
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

/** /login/matrix → login ID → the answer page. */
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
      assert.match(text(refused.body), /ログインIDまたは数字が正しくありません/);
      assert.notEqual([...gridOf(refused.body).values()].join(''), [...gridOf(first.body).values()].join(''), 'a fresh matrix');
      // The first matrix's right answer, now that it was used: refused (unless the fresh grid happens to agree).
      if (answerFor(refused.body) !== right) assert.equal((await b.post(action, { answer: right })).status, 401);
      // An unknown login ID: a matrix all the same, and the same answer.
      const other = new Browser(app.url);
      const ghost = await matrixChallenge(other, 'nobody@example.co.jp');
      assert.equal(gridOf(ghost.body).size, 48);
      const ghostRefused = await other.post(formAction(ghost.body, '/matrix/answer'), { answer: '12345678' });
      assert.equal(ghostRefused.status, 401);
      assert.equal(text(ghostRefused.body).match(/<?ログインIDまたは[^。]+。/)![0], text(refused.body).match(/<?ログインIDまたは[^。]+。/)![0]);
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
  });
}
