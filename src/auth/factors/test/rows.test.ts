// Factors as rows (issue 13 §3, decision 042): one TOTP row per user that re-enrolment replaces and
// an admin reset removes, the replay guard on it, summaries without secrets, and the allowed methods
// from the organisation's preset.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { freshDb, testDialects } from '../../../../test/helpers/db.ts';
import { createOrganisation } from '../../tenancy/organisations.ts';
import { insertUser, findUserById } from '../../users/store.ts';
import { acceptTotpStep, clearTotp, saveTotpEnrolment } from '../../login/factor-store.ts';
import { factorSummaries, listFactors } from '../rows.ts';
import { allowedMethods, methodPreset } from '../methods.ts';
import { PROFILES } from '../../tenancy/presets.ts';

const NOW = 1_800_000_000_000;

describe('allowed methods from the preset', () => {
  const business = PROFILES.business!;
  it('TOTP for everyone, MailOTP for admins unless the organisation turned it off, in the preset order', () => {
    assert.deepEqual(allowedMethods(methodPreset(business, { mail_otp_disabled_at: null }), 'admin'), ['totp', 'mail_otp']);
    assert.deepEqual(allowedMethods(methodPreset(business, { mail_otp_disabled_at: null }), 'general'), ['totp']);
    assert.deepEqual(allowedMethods(methodPreset(business, { mail_otp_disabled_at: NOW }), 'admin'), ['totp']);
  });
  it('a method the preset does not offer is never allowed', () => {
    assert.deepEqual(allowedMethods({ offered: ['mail_otp'], mailOtpOff: false }, 'admin'), ['mail_otp']);
    assert.deepEqual(allowedMethods({ offered: ['mail_otp'], mailOtpOff: false }, 'general'), []);
    assert.deepEqual(allowedMethods({ offered: [], mailOtpOff: false }, 'admin'), []);
  });
});

for (const dialect of testDialects()) {
  describe(`${dialect}: factor rows`, () => {
    it('enrolment is one TOTP row; re-enrolment replaces it; a reset removes it; steps are used once', async (t) => {
      const { db } = await freshDb(dialect, t);
      const org = await createOrganisation(db, { name: 'A', kind: 'direct' }, NOW);
      const u = await insertUser(db, { organisationId: org.id, loginId: 'a@example.com', email: 'a@example.com', name: 'n', phone: '0312345678', role: 'general', lang: 'ja' }, NOW);
      const other = await insertUser(db, { organisationId: org.id, loginId: 'b@example.com', email: 'b@example.com', name: 'n', phone: '0312345678', role: 'general', lang: 'ja' }, NOW);
      assert.equal(u.totp_enrolled_at, null);

      await Promise.all([saveTotpEnrolment(db, u.id, 'box-1', 100, NOW), saveTotpEnrolment(db, u.id, 'box-2', 100, NOW)]);
      assert.equal((await listFactors(db, u.id)).length, 1, 'two confirmations racing leave one row');
      await saveTotpEnrolment(db, u.id, 'box-3', 200, NOW + 1);
      const [f] = await listFactors(db, u.id);
      assert.deepEqual({ secret: f!.secret_enc, step: f!.last_step, created: f!.created_at }, { secret: 'box-3', step: 200, created: NOW + 1 });
      const seen = (await findUserById(db, u.id))!;
      assert.deepEqual({ s: seen.totp_secret_enc, e: seen.totp_enrolled_at, m: seen.second_factor }, { s: 'box-3', e: NOW + 1, m: 'totp' });

      assert.equal(await acceptTotpStep(db, u.id, 200, NOW + 2), false, 'the enrolment step is used');
      const results = await Promise.all(Array.from({ length: 10 }, () => acceptTotpStep(db, u.id, 201, NOW + 3)));
      assert.equal(results.filter(Boolean).length, 1, 'one step, once');
      assert.equal((await listFactors(db, u.id))[0]!.last_used_at, NOW + 3);

      const summaries = await factorSummaries(db, [u.id, other.id]);
      assert.deepEqual(summaries.get(u.id), [{ kind: 'totp', label: null, createdAt: NOW + 1, lastUsedAt: NOW + 3 }]);
      assert.deepEqual(summaries.get(other.id), []);
      assert.ok(!JSON.stringify([...summaries]).includes('box-3'), 'no secret in a summary');

      await clearTotp(db, u.id, NOW + 4);
      assert.deepEqual(await listFactors(db, u.id), []);
      assert.equal((await findUserById(db, u.id))!.totp_enrolled_at, null);
      assert.equal((await findUserById(db, u.id))!.second_factor, 'totp', 'still the method: re-enrols at next login');
    });
  });
}
