// The flow cookie (SECURITY.md item 39; issue 14 item 3): every new flow gets a fresh cookie the
// server issues in the response that opens it; a planted or an earlier flow's cookie opens nothing.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { testDialects } from '../helpers/db.ts';
import { startTestApp } from '../helpers/app.ts';
import { Browser } from '../helpers/client.ts';
import { completeFirstLogin, givenUser } from '../helpers/scenario.ts';

const PW = 'Kx7#mPq2vLa9';

for (const dialect of testDialects()) {
  describe(`${dialect}: flow cookie`, () => {
    it('a planted flow cookie opens nothing: the login gets a fresh cookie, the planter sees 410', async (t) => {
      const app = await startTestApp(dialect, t);
      const u = await givenUser(app.ctx);
      await completeFirstLogin(new Browser(app.url), u, PW);
      const planted = randomBytes(32).toString('base64url');
      const victim = new Browser(app.url);
      victim.jar.set('bp_flow', planted);
      await victim.get('/login');
      const r = await victim.post('/login', { loginId: u.loginId, password: PW });
      assert.equal(r.status, 303);
      assert.notEqual(victim.jar.get('bp_flow'), planted, 'the flow got a cookie of its own');
      assert.match(r.headers.get('set-cookie') ?? '', /bp_flow=/, 'issued with the response that opened the flow');
      const attacker = new Browser(app.url);
      attacker.jar.set('bp_flow', planted);
      const stolen = await attacker.get(r.location!);
      assert.equal(stolen.status, 410);
      assert.doesNotMatch(stolen.body, /totp-key|otpauth:/, 'no TOTP secret on the page');
      assert.equal((await victim.get(r.location!)).status, 200, 'the victim continues');
    });

    it('every flow gets its own cookie: the cookie of an earlier flow cannot open a later one', async (t) => {
      const app = await startTestApp(dialect, t);
      const u = await givenUser(app.ctx);
      const b = new Browser(app.url);
      await completeFirstLogin(b, u, PW);
      const first = b.jar.get('bp_flow');
      assert.ok(first, 'the setup flow had a cookie');
      await b.get('/login');
      const r = await b.post('/login', { loginId: u.loginId, password: PW });
      const second = b.jar.get('bp_flow');
      assert.ok(second && second !== first, 'a new flow, a new cookie');
      const reuse = new Browser(app.url);
      reuse.jar.set('bp_flow', first!);
      assert.equal((await reuse.get(r.location!)).status, 410);
      const stored = await app.ctx.db.selectFrom('flow').select('browser_hash').where('user_id', '=', u.id).execute();
      assert.equal(new Set(stored.map((f) => f.browser_hash)).size, stored.length, 'no two flows share a cookie');
    });
  });
}
