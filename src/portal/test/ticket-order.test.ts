// A ticket's conversation keeps the order messages were written in, even when two are written in
// the same millisecond or by a node whose clock is behind (the tie was broken by random ids before,
// so a reply could show above the message it answered: the browser walk failed about half the time).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { freshDb, testDialects } from '../../../test/helpers/db.ts';
import { givenWorld, T0 } from '../../../test/helpers/portal-world.ts';
import { insertMessage } from '../tickets/store.ts';
import type { Db } from '../../db/index.ts';

async function conversation(db: Db, ticketId: string): Promise<string[]> {
  return (await db.selectFrom('ticket_message').select('id').where('ticket_id', '=', ticketId).orderBy('created_at').orderBy('id').execute()).map((r) => r.id);
}

for (const dialect of testDialects()) {
  describe(`${dialect}: ticket conversation order`, () => {
    it('messages written at the same instant, or with an earlier clock, follow the latest one', async (t) => {
      const db = (await freshDb(dialect, t)).db;
      await givenWorld(db);
      const msg = (id: string, at: number) => ({ id, ticket_id: 'tA', side: 'customer' as const, author_user_id: 'aAdmin', author_name: 'User aAdmin', body: id, internal_at: null, created_at: at });
      // Ids chosen to sort before the existing ones: only the time can keep them last.
      const first = await insertMessage(db, msg('a1', T0 + 1), []);
      assert.equal(first.created_at, T0 + 2, 'after mAint (T0 + 1)');
      await insertMessage(db, msg('a0', T0 + 1), []);
      await insertMessage(db, msg('0skewed', T0 - 60_000), []);
      assert.deepEqual(await conversation(db, 'tA'), ['mA', 'mAint', 'a1', 'a0', '0skewed']);
      const later = await insertMessage(db, msg('a2', T0 + 3_600_000), []);
      assert.equal(later.created_at, T0 + 3_600_000, 'a later clock is kept as it is');
      assert.deepEqual(await conversation(db, 'tB'), ['mB'], 'another ticket is untouched');
    });
  });
}
