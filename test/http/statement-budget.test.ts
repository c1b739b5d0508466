// The SQL a full login and a signed-in page cost (issue 19, docs/performance.md): counted, not
// timed, so the figure is the same on any machine. A change that reads a row twice or commits a
// step's writes one by one again fails here on both databases, before any benchmark would show it.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { testDialects } from '../helpers/db.ts';
import { startTestApp } from '../helpers/app.ts';
import { givenOrg, loggedIn, PW, STEP } from '../helpers/admin.ts';
import { Browser, formAction } from '../helpers/client.ts';
import { independentTotp } from '../helpers/scenario.ts';

/** Statements and commits (an explicit COMMIT, or a write outside a transaction, which commits alone). */
function tally(sqls: readonly string[]): { statements: number; commits: number } {
  let statements = 0;
  let commits = 0;
  let inTx = false;
  for (const s of sqls.map((x) => x.trim().toLowerCase())) {
    if (s.startsWith('begin')) { inTx = true; continue; }
    if (s.startsWith('commit') || s.startsWith('rollback')) { if (s.startsWith('commit')) commits++; inTx = false; continue; }
    statements++;
    if (!inTx && /^(insert|update|delete)\b/.test(s)) commits++;
  }
  return { statements, commits };
}

// The budgets of docs/performance.md ("Issue 19, third step"); lower them when the path gets cheaper.
// 24 since issues 22 and 23: GET /login asks, in one statement, whether an organisation uses the matrix
// password (its link) or offers the passkey sign-in (docs/performance.md).
const LOGIN_BUDGET = { statements: 24, commits: 5 };
const HOME_BUDGET = { statements: 4 };

for (const dialect of testDialects()) {
  describe(`SQL statement budget (${dialect})`, () => {
    it('a full login (password + TOTP, the form the login page serves) and a signed-in home page', async (t) => {
      const app = await startTestApp(dialect, t, { BRAND_CACHE_SECONDS: '3600' }); // the brand copy's reload (one statement per 30 s per node) must not land in a counted request on a slow machine
      const orgId = await givenOrg(app, 'direct');
      const p = await loggedIn(app, orgId);
      let seen: string[] = [];
      app.handle.observeStatements((sql) => seen.push(sql));
      app.clock.advance(STEP);
      const b = new Browser(app.url);
      seen = [];
      const page = await b.get('/login');
      const pw = await b.post(formAction(page.body, '/credentials'), { loginId: p.u.loginId, password: PW });
      assert.equal(pw.status, 303);
      const totpPage = await b.follow(pw);
      const done = await b.post(formAction(totpPage.body, '/totp'), { code: independentTotp(p.secret, app.clock.now) });
      assert.equal(done.status, 303);
      assert.equal(done.location, '/');
      const login = tally(seen);
      seen = [];
      const home = await b.get('/');
      assert.equal(home.status, 200);
      const homeTally = tally(seen);
      t.diagnostic(`full login: ${login.statements} statements, ${login.commits} commits; home: ${homeTally.statements} statements`);
      assert.ok(login.statements <= LOGIN_BUDGET.statements, `full login: ${login.statements} statements > ${LOGIN_BUDGET.statements}`);
      assert.ok(login.commits <= LOGIN_BUDGET.commits, `full login: ${login.commits} commits > ${LOGIN_BUDGET.commits}`);
      assert.ok(homeTally.statements <= HOME_BUDGET.statements, `home page: ${homeTally.statements} statements > ${HOME_BUDGET.statements}`);
    });
  });
}
