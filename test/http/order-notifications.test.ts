// Issue 24 item 5: a new planned date or a step done on an order mails everyone who may see that
// order in the portal, and nobody else (the contract rule of src/portal/access.ts), on both
// databases. World (test/helpers/portal-world.ts): org A's admin sees every order of A; aGen sees
// orders on contract cA1 (group gA); aNone sees none; org B's admin sees only B's.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { testDialects } from '../helpers/db.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { givenWorld, T0 } from '../helpers/portal-world.ts';
import { advanceOrder } from '../../src/portal/orders/service.ts';

async function orderMails(app: TestApp) {
  return app.ctx.db.selectFrom('mail_outbox').select(['to_addr', 'subject', 'body_text']).where('kind', '=', 'order_update').orderBy('to_addr').execute();
}

for (const dialect of testDialects()) {
  describe(`${dialect}: order notifications (issue 24 item 5)`, () => {
    it('a new planned opening date reaches who may see the order, in their language, and no one else', async (t) => {
      const app = await startTestApp(dialect, t);
      app.clock.now = T0;
      await givenWorld(app.ctx.db);
      const r = await advanceOrder(app.ctx.db, { orderNumber: 'O-oA1', step: 'opened', plannedDate: '2027-03-15' }, T0, undefined, { publicUrl: app.config.publicUrl });
      assert.equal(r.notified, 2);
      const mails = await orderMails(app);
      assert.deepEqual(mails.map((m) => m.to_addr), ['aAdmin@example.com', 'aGen@example.com'], 'not aNone (no grant), not org B');
      const gen = mails.find((m) => m.to_addr === 'aGen@example.com')!;
      assert.match(gen.subject, /Order O-oA1: planned date changed/, 'aGen reads English');
      assert.match(gen.body_text, /The planned opening date is now 2027-03-15\./);
      assert.ok(gen.body_text.includes(`${app.config.publicUrl}/portal/orders/oA1`));
      const admin = mails.find((m) => m.to_addr === 'aAdmin@example.com')!;
      assert.match(admin.body_text, /開通予定日が2027-03-15になりました。/);
      // The same date again is no news.
      const again = await advanceOrder(app.ctx.db, { orderNumber: 'O-oA1', step: 'opened', plannedDate: '2027-03-15' }, T0, undefined, { publicUrl: app.config.publicUrl });
      assert.equal(again.notified, 0);
    });

    it('a step done on an order without a contract reaches the organisation\'s admin only; a refused change mails nobody', async (t) => {
      const app = await startTestApp(dialect, t);
      app.clock.now = T0;
      await givenWorld(app.ctx.db);
      const r = await advanceOrder(app.ctx.db, { orderNumber: 'O-oA3', step: 'constructing', doneAt: T0 }, T0, undefined, { publicUrl: app.config.publicUrl });
      assert.equal(r.notified, 1);
      const mails = await orderMails(app);
      assert.deepEqual(mails.map((m) => m.to_addr), ['aAdmin@example.com']);
      assert.match(mails[0]!.body_text, /「工事」が完了しました。/);
      // Out of order (opened before constructing on another order): refused, rolled back, no mail.
      await assert.rejects(advanceOrder(app.ctx.db, { orderNumber: 'O-oB1', step: 'opened', doneAt: T0 }, T0, undefined, { publicUrl: app.config.publicUrl }), /step_not_next|already done/);
      assert.equal((await orderMails(app)).length, 1);
    });
  });
}
