// Issue 19: the signed-in home page in four statements — the maintenance windows (the maintenance
// plugin, no cache by decision), the session with everything a page needs of it, the services with
// the viewer's shortcuts, the running notices — and still the same page: the previous login, the
// pins, the services of the viewer's groups. The contract list builds its scope from the session too.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { testDialects } from '../helpers/db.ts';
import { startTestApp } from '../helpers/app.ts';
import { givenWorld, sessionFor, T0 } from '../helpers/portal-world.ts';
import { recordLogin } from '../../src/auth/users/store.ts';

const HOUR = 3_600_000;

for (const dialect of testDialects()) {
  describe(`${dialect}: the signed-in home page`, () => {
    it('runs four statements and shows the previous login, pins and services of the viewer', async (t) => {
      const app = await startTestApp(dialect, t, { BRAND_CACHE_SECONDS: '3600' }); // the brand copy's reload (one statement per 30 s per node) must not land in a counted request on a slow machine
      app.clock.now = T0;
      await givenWorld(app.ctx.db);
      await recordLogin(app.ctx.db, 'aGen', T0 - HOUR);
      await recordLogin(app.ctx.db, 'aGen', T0);
      const b = await sessionFor(app, 'aGen', 'A'); // created at T0: this session is the last login
      await app.ctx.db.insertInto('service_shortcut').values({ user_id: 'aGen', service_id: 'S1', pinned_at: T0, last_used_at: null }).execute();
      const json = { accept: 'application/json' };
      await b.get('/', json); // warm: nothing below depends on a first request's work

      const statements: string[] = [];
      app.handle.observeStatements((s) => statements.push(s.replace(/\s+/g, ' ')));
      const home = await b.get('/', json);
      assert.equal(home.status, 200);
      const page = JSON.parse(home.body);
      assert.equal(page.previousLoginAt, T0 - HOUR);
      assert.deepEqual(page.services.map((s: { id: string; pinned: boolean }) => [s.id, s.pinned]), [['S1', true]], 'S1 through group gA, pinned; not S2');
      assert.equal(statements.length, 4, statements.join('\n'));
      assert.ok(!statements.some((s) => /user_group_member/.test(s) && !/from "?session"?/.test(s)), 'the groups come with the session');

      statements.length = 0;
      const list = await b.get('/portal/contracts', json);
      assert.deepEqual(JSON.parse(list.body).contracts.map((c: { id: string }) => c.id), ['cA1']);
      assert.ok(!statements.some((s) => /user_group_member/.test(s) && !/from "?session"?/.test(s)), statements.join('\n'));
    });
  });
}
