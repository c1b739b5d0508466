// Brute force (S5, issue 4 §4; SECURITY.md items 21–22): per-account and per-source counters.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { testDialects } from '../helpers/db.ts';
import { startTestApp } from '../helpers/app.ts';
import { Browser, text } from '../helpers/client.ts';
import { adminAtMailOtpStep, completeFirstLogin, givenUser } from '../helpers/scenario.ts';
import { IP_POLICY, PASSWORD_POLICY } from '../../src/auth/throttle/db-throttle.ts';

const PW = 'Kx7#mPq2vLa9';

for (const dialect of testDialects()) {
  describe(`${dialect}: brute force`, () => {
    it('a locked account gets a clear message, the same for an unknown login ID, and the lock ends', async (t) => {
      const app = await startTestApp(dialect, t);
      const u = await givenUser(app.ctx);
      await completeFirstLogin(new Browser(app.url), u, PW);
      const b = new Browser(app.url);
      await b.get('/login');
      for (let i = 0; i < PASSWORD_POLICY.freeFailures; i++) {
        assert.equal((await b.post('/login', { loginId: u.loginId, password: 'Wrong#Pass1' })).status, 401);
        assert.equal((await b.post('/login', { loginId: 'ghost@example.co.jp', password: 'Wrong#Pass1' })).status, 401);
      }
      const locked = await b.post('/login', { loginId: u.loginId, password: PW });
      const ghost = await b.post('/login', { loginId: 'ghost@example.co.jp', password: PW });
      assert.equal(locked.status, 429);
      assert.equal(ghost.status, 429, 'unknown IDs lock alike: the lock reveals nothing');
      assert.match(text(locked.body), /1分間停止/);
      app.clock.advance(61_000);
      assert.equal((await b.post('/login', { loginId: u.loginId, password: PW })).status, 303, 'temporary');
    });

    it('the lock grows with each further failure, up to 15 minutes', async (t) => {
      const app = await startTestApp(dialect, t);
      const u = await givenUser(app.ctx);
      await completeFirstLogin(new Browser(app.url), u, PW);
      const b = new Browser(app.url);
      await b.get('/login');
      for (let i = 0; i < PASSWORD_POLICY.freeFailures; i++) await b.post('/login', { loginId: u.loginId, password: 'Wrong#Pass1' });
      const minutes: number[] = [];
      for (let i = 0; i < 6; i++) {
        const until = await app.ctx.throttle.lockedUntil(`pw:${u.loginId}`, app.clock.now);
        minutes.push(Math.round((until - app.clock.now) / 60_000));
        app.clock.advance(until - app.clock.now + 1);
        assert.equal((await b.post('/login', { loginId: u.loginId, password: 'Wrong#Pass1' })).status, 401);
      }
      assert.deepEqual(minutes, [1, 2, 4, 8, 15, 15]);
    });

    it(`one source address: ${IP_POLICY.freeFailures} failures across many login IDs lock the address; successes never count`, async (t) => {
      const app = await startTestApp(dialect, t);
      const u = await givenUser(app.ctx);
      await completeFirstLogin(new Browser(app.url), u, PW);
      const b = new Browser(app.url);
      await b.get('/login');
      const csrf = b.csrf();
      for (let i = 0; i < IP_POLICY.freeFailures + 10; i++) {
        const ok = await b.post('/login', { loginId: u.loginId, password: PW }, { csrf });
        assert.equal(ok.status, 303, 'an office logging in often is never locked');
      }
      for (let i = 0; i < IP_POLICY.freeFailures; i++) {
        assert.equal((await b.post('/login', { loginId: `spray${i}@example.co.jp`, password: 'Wrong#Pass1' }, { csrf })).status, 401);
      }
      const blocked = await b.post('/login', { loginId: u.loginId, password: PW }, { csrf });
      assert.equal(blocked.status, 429, 'the address is locked, even for a right password');
    });

    it('MailOTP codes expire after 10 minutes', async (t) => {
      const app = await startTestApp(dialect, t);
      const b = new Browser(app.url);
      const { action, code } = await adminAtMailOtpStep(app.ctx, b, PW);
      app.clock.advance(10 * 60_000 + 1);
      const late = await b.post(action, { code });
      assert.equal(late.status, 400);
    });
  });
}
