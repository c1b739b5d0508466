// The console's migrations page over HTTP (issue 21 item 5), on both databases: before any import it
// says how to import (the CLI command and docs/migration.md); after the example file is imported
// through the service, the page shows the import (users, period and its state, mails sent) and per
// organisation the users who completed their first login and who did not, names linked to the
// organisation's page; the JSON and the CSV tell the same numbers as `migrate status`; a service
// manager may read it, an agent may not.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { testDialects } from '../helpers/db.ts';
import { startTestApp } from '../helpers/app.ts';
import { text } from '../helpers/client.ts';
import { api } from '../helpers/admin.ts';
import { loggedInOperator } from '../helpers/operator.ts';
import { importLegacyUsers } from '../../src/migration/service.ts';
import { sendFirstLoginGuides, setMigrationPeriod } from '../../src/migration/period.ts';

const EXAMPLE = new URL('../../docs/examples/legacy-users.csv', import.meta.url).pathname;
const DAY = 86_400_000;

for (const dialect of testDialects()) {
  describe(`${dialect}: the console's migrations page`, () => {
    it('empty until an import; then the import, its period and first-login progress per organisation as page, JSON and CSV', async (t) => {
      const app = await startTestApp(dialect, t);
      const manager = await loggedInOperator(app, 'service_manager');
      const agent = await loggedInOperator(app, 'agent');

      const empty = await manager.b.get('/operator/migrations?lang=en');
      assert.equal(empty.status, 200);
      assert.match(text(empty.body), /Nothing has been imported yet/);
      assert.match(text(empty.body), /bizportal migrate import FILE \(docs\/migration\.md\)/);
      assert.doesNotMatch(empty.body, /<table/);
      assert.deepEqual((await api(app, manager.b, 'GET', '/api/operator/migrations')).json(), { migrations: [], organisations: [] });

      const s = await importLegacyUsers({ db: app.ctx.db, now: () => app.clock.now }, EXAMPLE, { dryRun: false, onError: 'stop' }, () => {});
      assert.equal(s.created, 4);
      await setMigrationPeriod(app.ctx, undefined, app.clock.now - 1000, app.clock.now + DAY);
      // No progress callback: the limit still holds (it once counted inside `onProgress?.(++done)`).
      const sent = await sendFirstLoginGuides(app.ctx, undefined, { perSecond: 1000, limit: 1, sleep: async () => {} });
      assert.equal(sent.queued, 1);
      // One child user completed the first login (as the CLI test does: the last login is the mark).
      await app.ctx.db.updateTable('app_user').set({ last_login_at: app.clock.now }).where('login_id', '=', 'user@child.example.jp').execute();

      const page = await manager.b.get('/operator/migrations?lang=en');
      assert.equal(page.status, 200);
      const words = text(page.body);
      assert.match(words, /legacy-users\.csv/);
      assert.match(words, /In progress/, 'the period state');
      assert.match(page.body, /class="badge tone-success">In progress</);
      assert.match(words, /2 organisations, 4 imported users: 1 completed their first login, 3 not\./);
      const orgs = (await api(app, manager.b, 'GET', '/api/operator/migrations')).json();
      const child = orgs.organisations.find((o: { contract: string }) => o.contract === 'SDPF-C-0101');
      assert.match(page.body, new RegExp(`<a href="/operator/organisations/${child.organisationId}">Example Child Inc\\.</a>`));
      assert.match(page.body, /Example Partner Co\./);
      assert.match(page.body, /href="\/operator\/migrations\/users\.csv"/);

      assert.deepEqual(orgs.organisations.map((o: { contract: string; parentContract: string | null; organisation: string; users: number; completed: number; pending: number }) =>
        [o.contract, o.parentContract, o.organisation, o.users, o.completed, o.pending]),
      [['SDPF-C-0101', 'SDPF-P-0001', 'Example Child Inc.', 2, 1, 1], ['SDPF-P-0001', null, 'Example Partner Co.', 2, 0, 2]]);
      assert.equal(orgs.migrations.length, 1);
      const m = orgs.migrations[0];
      assert.deepEqual([m.fileName, m.imported, m.periodState, m.guidesSent], ['legacy-users.csv', 4, 'during', 1]);
      assert.equal(m.periodEndsAt, new Date(app.clock.now + DAY).toISOString());

      const ja = text((await manager.b.get('/operator/migrations?lang=ja')).body);
      assert.match(ja, /期間中/);
      assert.match(ja, /2 組織、取り込んだユーザー 4 人:初回ログイン完了 1 人、未完了 3 人。/);

      const csv = await manager.b.get('/operator/migrations/users.csv');
      assert.equal(csv.status, 200);
      assert.match(csv.headers.get('content-type') ?? '', /^text\/csv/);
      const rows = csv.body.replace(/^\uFEFF/, '').trimEnd().split('\r\n');
      assert.equal(rows[0], 'contract,organisation_id,login_id,email,name,first_login,last_login', 'the columns of migrate status --csv');
      assert.equal(rows.length, 5);
      assert.ok(rows.some((r) => r === `SDPF-C-0101,${child.organisationId},user@child.example.jp,user@child.example.jp,子 次郎,completed,${new Date(app.clock.now).toISOString()}`));
      const exports = await app.ctx.db.selectFrom('audit_log').select(['event', 'actor_user_id', 'detail']).where('event', '=', 'migration.users_exported').execute();
      assert.equal(exports.length, 1, 'the export is audited');
      assert.ok(exports[0]!.actor_user_id, 'with the operator who took it');

      // A period that has ended (moving the clock instead would end the operator's session too).
      await setMigrationPeriod(app.ctx, undefined, app.clock.now - 2 * DAY, app.clock.now - DAY);
      assert.match(text((await manager.b.get('/operator/migrations?lang=en')).body), /Ended/);

      // Below service_manager: refused (route-list.ts minRole), page, JSON and CSV alike.
      assert.equal((await agent.b.get('/operator/migrations')).status, 403);
      assert.equal((await api(app, agent.b, 'GET', '/api/operator/migrations')).status, 403);
      assert.equal((await agent.b.get('/operator/migrations/users.csv')).status, 403);
    });
  });
}
