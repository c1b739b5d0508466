// Issue 13 §8: the MailOTP failure carry-over is a single guarded write. Wrong-code attempts racing a
// resend either count on the old code before it dies (and are carried over) or are refused on the
// dead code; none is counted after the copy and lost. The resend cooldown is one guarded write too.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { freshDb, testDialects } from '../../../../test/helpers/db.ts';
import { openDb } from '../../../db/index.ts';
import { createOrganisation } from '../../tenancy/organisations.ts';
import { insertUser } from '../../users/store.ts';
import { claimMailOtpResend, findMailOtp, issueMailOtp, latestMailOtp, reserveMailOtpAttempt } from '../factor-store.ts';

const NOW = 1_800_000_000_000;
const TTL = 600_000;

for (const dialect of testDialects()) {
  describe(`${dialect}: MailOTP store`, () => {
    it('attempts racing a resend are carried over or refused, never lost', async (t) => {
      const first = await freshDb(dialect, t, { poolSize: 10 });
      const org = await createOrganisation(first.db, { name: 'A', kind: 'direct' }, NOW);
      const u = await insertUser(first.db, { organisationId: org.id, loginId: 'a@example.com', email: 'a@example.com', name: 'n', phone: '0312345678', role: 'admin', lang: 'ja' }, NOW);
      // A second pool, as a second node has, so the writes really race on PostgreSQL.
      let other = first.db;
      if (dialect === 'postgres') {
        const h = openDb(first.url, { schema: first.schema, poolSize: 10 });
        t.after(() => h.close());
        other = h.db;
      }
      for (let round = 0; round < 5; round++) {
        const flowId = `flow-${round}`;
        await issueMailOtp(first.db, flowId, u.id, `${flowId}-a`, 'h', TTL, NOW);
        const results = await Promise.all([
          ...Array.from({ length: 8 }, (_, i) => reserveMailOtpAttempt(i % 2 ? other : first.db, `${flowId}-a`, 100)),
          issueMailOtp(other, flowId, u.id, `${flowId}-b`, 'h', TTL, NOW + 1).then(() => 'resent' as const),
        ]);
        const counted = results.filter((r) => r === true).length;
        const old = (await findMailOtp(first.db, `${flowId}-a`))!;
        const fresh = (await findMailOtp(first.db, `${flowId}-b`))!;
        assert.equal(fresh.failures, old.failures, `round ${round}: the new code carries every attempt counted on the old one`);
        assert.equal(old.failures, counted);
        assert.equal(await reserveMailOtpAttempt(first.db, `${flowId}-a`, 100), false, 'a dead code counts no more attempts');
      }
    });

    it('the resend cooldown: only a code sent at least the cooldown ago is claimed, once', async (t) => {
      const { db } = await freshDb(dialect, t);
      const org = await createOrganisation(db, { name: 'A', kind: 'direct' }, NOW);
      const u = await insertUser(db, { organisationId: org.id, loginId: 'a@example.com', email: 'a@example.com', name: 'n', phone: '0312345678', role: 'admin', lang: 'ja' }, NOW);
      await issueMailOtp(db, 'f', u.id, 'c1', 'h', TTL, NOW);
      assert.ok(await reserveMailOtpAttempt(db, 'c1', 5));
      assert.equal(await claimMailOtpResend(db, 'f', 60_000, NOW + 59_999), null, 'inside the cooldown');
      const claims = await Promise.all(Array.from({ length: 5 }, () => claimMailOtpResend(db, 'f', 60_000, NOW + 60_000)));
      assert.deepEqual(claims.filter(Boolean), [{ failures: 1 }], 'one claim, with the failure count to carry');
      assert.ok((await latestMailOtp(db, 'f'))!.superseded_at !== null);
    });
  });
}
