// Changing a maintenance window (issue 26 item 4) on both databases, through the service the
// console, the operator API and the CLI share: a change takes effect at the next request on the
// login page's announcement and in the 503 hook (moving the start, extending the end changes
// Retry-After, moving it away ends it); bad input names every refused field and changes nothing;
// a cancelled or finished window cannot be changed; every action is audited with its actor.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { testDialects } from '../../../../test/helpers/db.ts';
import { startTestApp } from '../../../../test/helpers/app.ts';
import { Browser, text } from '../../../../test/helpers/client.ts';
import { cancelMaintenance, changeMaintenance, checkMaintenance, maintenanceWindow, scheduleMaintenance } from '../service.ts';

const HOUR = 3_600_000;
const OPS = { userId: null, ip: '192.0.2.7' };

for (const dialect of testDialects()) {
  describe(`${dialect}: changing a maintenance window`, () => {
    it('a change applies at the next request: announcement text, start (503), end (Retry-After), moved away (200)', async (t) => {
      const app = await startTestApp(dialect, t);
      const now = app.clock.now;
      const anon = new Browser(app.url, { 'accept-language': 'en' });
      const w = await scheduleMaintenance(app.ctx.db, { startsAt: now + 2 * HOUR, endsAt: now + 3 * HOUR, announceFrom: now - 1, messageJa: '作業', messageEn: 'Old message' }, OPS, now);
      let login = await anon.get('/login');
      assert.equal(login.status, 200);
      assert.match(text(login.body), /Old message/);

      await changeMaintenance(app.ctx.db, w.id, { startsAt: now + 2 * HOUR, endsAt: now + 3 * HOUR, messageJa: '作業', messageEn: 'New message' }, OPS, now);
      login = await anon.get('/login');
      assert.match(text(login.body), /New message/);
      assert.doesNotMatch(text(login.body), /Old message/);

      // Brought forward: running now.
      await changeMaintenance(app.ctx.db, w.id, { startsAt: now - 1000, endsAt: now + HOUR, messageJa: '作業', messageEn: 'New message' }, OPS, now);
      login = await anon.get('/login');
      assert.equal(login.status, 503);
      assert.equal(login.headers.get('retry-after'), String(HOUR / 1000));
      // Extended while running.
      await changeMaintenance(app.ctx.db, w.id, { startsAt: now - 1000, endsAt: now + 2 * HOUR, messageJa: '作業', messageEn: 'Extended' }, OPS, now);
      login = await anon.get('/login');
      assert.equal(login.headers.get('retry-after'), String(2 * HOUR / 1000));
      assert.match(login.body, /Extended/);
      // Moved to tomorrow: the portal is back at once, announcing it (the announcement time is kept:
      // it moved back with the start brought forward above).
      await changeMaintenance(app.ctx.db, w.id, { startsAt: now + 24 * HOUR, endsAt: now + 25 * HOUR, messageJa: '作業', messageEn: 'Tomorrow' }, OPS, now);
      login = await anon.get('/login');
      assert.equal(login.status, 200);
      assert.match(text(login.body), /Tomorrow/);
      assert.equal((await maintenanceWindow(app.ctx.db, w.id)).announce_from, now - 1000);

      const events = await app.ctx.db.selectFrom('audit_log').select(['event', 'ip']).where('event', 'like', 'maintenance.%').execute();
      assert.deepEqual(events.map((e) => e.event).sort(), ['maintenance.changed', 'maintenance.changed', 'maintenance.changed', 'maintenance.changed', 'maintenance.scheduled']);
      assert.ok(events.every((e) => e.ip === OPS.ip));
    });

    it('bad input names every refused field and changes nothing; cancelled or over cannot be changed', async (t) => {
      const app = await startTestApp(dialect, t);
      const now = app.clock.now;
      const w = await scheduleMaintenance(app.ctx.db, { startsAt: now + HOUR, endsAt: now + 2 * HOUR, messageJa: 'a', messageEn: 'b' }, OPS, now);
      const before = await maintenanceWindow(app.ctx.db, w.id);
      const cases: [Parameters<typeof checkMaintenance>[0], string, string[]][] = [
        [{ startsAt: now + HOUR, endsAt: now + HOUR, messageJa: 'a', messageEn: 'b' }, 'portal.end_before_start', ['endsAt']],
        [{ startsAt: now + HOUR, endsAt: now + 2 * HOUR, announceFrom: now + 90 * 60_000, messageJa: ' ', messageEn: 'b' }, 'maintenance.announce_after_start', ['announceFrom', 'messageJa']],
        [{ startsAt: now - 2 * HOUR, endsAt: now - HOUR, messageJa: 'a', messageEn: 'b' }, 'maintenance.already_over', ['endsAt']],
        [{ startsAt: now + HOUR, endsAt: now + 2 * HOUR, messageJa: 'a', messageEn: 'x'.repeat(2001) }, 'portal.text_invalid', ['messageEn']],
      ];
      for (const [input, code, fields] of cases) {
        await assert.rejects(changeMaintenance(app.ctx.db, w.id, input, OPS, now), (e: { code: string; fields: Record<string, unknown> }) => {
          assert.equal(e.code, code);
          assert.deepEqual(Object.keys(e.fields).sort(), fields.sort());
          return true;
        });
      }
      assert.deepEqual(await maintenanceWindow(app.ctx.db, w.id), before, 'nothing changed');
      await assert.rejects(changeMaintenance(app.ctx.db, 'nope', cases[0]![0], OPS, now), { code: 'common.not_found' });
      await cancelMaintenance(app.ctx.db, w.id, OPS, now);
      await assert.rejects(changeMaintenance(app.ctx.db, w.id, { startsAt: now + HOUR, endsAt: now + 3 * HOUR, messageJa: 'a', messageEn: 'b' }, OPS, now), { code: 'maintenance.not_changeable' });
      const over = await scheduleMaintenance(app.ctx.db, { startsAt: now + 1000, endsAt: now + 2000, messageJa: 'a', messageEn: 'b' }, OPS, now);
      await assert.rejects(changeMaintenance(app.ctx.db, over.id, { startsAt: now + HOUR, endsAt: now + 3 * HOUR, messageJa: 'a', messageEn: 'b' }, OPS, now + 5000), { code: 'maintenance.not_changeable' });
    });
  });
}
