// S10 maintenance windows over HTTP on both databases: at start-1 ms the portal works and the
// login page announces the window; from start to end-1 ms every page answers the maintenance page
// and the JSON API `{error, message}`, both 503 with Retry-After counting down to the end, while
// /healthz, /readyz and static files stay up; at end it is over by itself. Cancelled windows never apply.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { testDialects } from '../../../../test/helpers/db.ts';
import { startTestApp } from '../../../../test/helpers/app.ts';
import { Browser, text } from '../../../../test/helpers/client.ts';
import { givenWorld, sessionFor } from '../../../../test/helpers/portal-world.ts';
import { cancelMaintenance, maintenanceState, scheduleMaintenance } from '../service.ts';

const HOUR = 3_600_000;
const OPS = { userId: null, ip: 'cli' };

for (const dialect of testDialects()) {
  describe(`${dialect}: maintenance windows (S10)`, () => {
    it('refuses end before start, an announcement after the start, a window already over', async (t) => {
      const app = await startTestApp(dialect, t);
      const now = app.clock.now;
      const m = { messageJa: '作業', messageEn: 'Work' };
      const code = (p: Promise<unknown>) => p.then(() => 'ok', (e: { code: string }) => e.code);
      assert.equal(await code(scheduleMaintenance(app.ctx.db, { startsAt: now + HOUR, endsAt: now + HOUR, ...m }, OPS, now)), 'portal.end_before_start');
      assert.equal(await code(scheduleMaintenance(app.ctx.db, { startsAt: now + HOUR, endsAt: now + 2 * HOUR, announceFrom: now + 2 * HOUR, ...m }, OPS, now)), 'maintenance.announce_after_start');
      assert.equal(await code(scheduleMaintenance(app.ctx.db, { startsAt: now - 2 * HOUR, endsAt: now - HOUR, ...m }, OPS, now)), 'maintenance.already_over');
      const n = await app.ctx.db.selectFrom('maintenance_window').select((e) => e.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      assert.equal(Number(n.n), 0);
    });

    it('start-1 ms announced, start and end-1 ms in maintenance (503, Retry-After), end over — pages, JSON, health and static', async (t) => {
      const app = await startTestApp(dialect, t);
      await givenWorld(app.ctx.db);
      const user = await sessionFor(app, 'aGen', 'A');
      const anon = new Browser(app.url, { 'accept-language': 'en' });
      // Within the session idle timeout, so the signed-in user's session lives through the test.
      const start = app.clock.now + 60_000;
      const end = start + 10 * 60_000;
      await scheduleMaintenance(app.ctx.db, { startsAt: start, endsAt: end, announceFrom: start - 24 * HOUR, messageJa: '認証方式変更のための作業', messageEn: 'Changing the login method' }, OPS, app.clock.now);

      const at = (ms: number) => { app.clock.now = ms; };
      at(start - 1);
      let login = await anon.get('/login');
      assert.equal(login.status, 200);
      assert.match(text(login.body), /Scheduled maintenance: .* You cannot log in during this time\. Changing the login method/);
      assert.equal((await user.get('/portal/tickets', { accept: 'application/json' })).status, 200);

      for (const ms of [start, start + 1000, end - 1]) {
        at(ms);
        const retry = String(Math.ceil((end - ms) / 1000));
        login = await anon.get('/login');
        assert.equal(login.status, 503, `login at ${ms - start}`);
        assert.equal(login.headers.get('retry-after'), retry);
        assert.match(login.body, /Under maintenance/);
        assert.match(login.body, /Changing the login method/);
        assert.doesNotMatch(login.body, /name="password"/, 'no login form during maintenance');
        const post = await anon.post('/login', { loginId: 'aGen@example.com', password: 'x' }, { csrf: anon.csrfFor() });
        assert.equal(post.status, 503, 'nobody can log in');
        const page = await user.get('/');
        assert.equal(page.status, 503);
        assert.equal(page.headers.get('retry-after'), retry);
        const api = await user.get('/portal/tickets', { accept: 'application/json' });
        assert.equal(api.status, 503);
        assert.equal(api.headers.get('retry-after'), retry);
        const body = JSON.parse(api.body);
        assert.equal(body.error, 'common.maintenance');
        assert.equal(typeof body.message, 'string');
        assert.equal((await anon.get('/healthz')).status, 200);
        assert.equal((await anon.get('/readyz')).status, 200);
        assert.equal((await anon.get('/static/app.css')).status, 200);
        assert.equal((await anon.get('/metrics')).status, 200);
      }

      at(end);
      assert.equal((await anon.get('/login')).status, 200, 'over by itself at the end');
      assert.doesNotMatch((await anon.get('/login')).body, /Scheduled maintenance/);
      assert.equal((await user.get('/')).status, 200);
    });

    it('a cancelled window does not apply; the state is read from the database on every request', async (t) => {
      const app = await startTestApp(dialect, t);
      const now = app.clock.now;
      const w = await scheduleMaintenance(app.ctx.db, { startsAt: now - 1000, endsAt: now + HOUR, messageJa: 'a', messageEn: 'b' }, OPS, now - 2000);
      const anon = new Browser(app.url);
      assert.equal((await anon.get('/login')).status, 503);
      assert.equal((await maintenanceState(app.ctx.db, now)).kind, 'active');
      await cancelMaintenance(app.ctx.db, w.id, OPS, now);
      assert.equal((await anon.get('/login')).status, 200, 'the next request already sees the cancellation');
      await assert.rejects(cancelMaintenance(app.ctx.db, w.id, OPS, now), { code: 'maintenance.not_cancellable' });
    });
  });
}
