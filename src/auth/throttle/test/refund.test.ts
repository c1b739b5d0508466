// SECURITY.md item 45: the check of a counted attempt that fails for infrastructure reasons gives the
// attempt back; a verdict (DomainError) keeps it. Used by the password and every 2-step code check.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { freshDb } from '../../../../test/helpers/db.ts';
import { DomainError } from '../../../errors.ts';
import { HashPoolBusy } from '../../password/hash.ts';
import { DbThrottle, OTP_POLICY, type Throttle } from '../db-throttle.ts';
import { isInfrastructureFailure, refundOnInfrastructureFailure } from '../refund.ts';

const NOW = 1_750_000_000_000;

describe('refundOnInfrastructureFailure', () => {
  it('refunds on a database error, a 503 DomainError or a busy hash pool; keeps the count on a verdict', async (t) => {
    const db = await freshDb('sqlite', t);
    const th = new DbThrottle(db.db);
    const attempt = async (err: unknown) => {
      const v = await th.begin('otp:u', OTP_POLICY, NOW);
      await assert.rejects(refundOnInfrastructureFailure(th, 'otp:u', OTP_POLICY, v, NOW, async () => { throw err; }));
    };
    for (let i = 0; i < 10; i++) await attempt(Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' }));
    await attempt(new DomainError('common.busy'));
    await attempt(new HashPoolBusy());
    assert.equal(await th.lockedUntil('otp:u', NOW), 0, 'twelve outages, no lock');
    for (let i = 0; i < OTP_POLICY.freeFailures; i++) await attempt(new DomainError('auth.invalid_code'));
    assert.ok((await th.lockedUntil('otp:u', NOW)) > NOW, 'five wrong codes lock as before');
    assert.equal(isInfrastructureFailure(new DomainError('auth.account_locked')), false);
  });

  it('a refund the counter store cannot take now is retried until it can', async (t) => {
    const db = await freshDb('sqlite', t);
    const inner = new DbThrottle(db.db);
    let down = true;
    const flaky: Throttle = { ...inner, begin: (...a) => inner.begin(...a), succeed: (k) => inner.succeed(k), lockedUntil: (k, n) => inner.lockedUntil(k, n), clear: (k) => inner.clear(k),
      refund: async (...a) => { if (down) throw new Error('Connection terminated unexpectedly'); return inner.refund(...a); } };
    for (let i = 0; i < OTP_POLICY.freeFailures; i++) {
      const v = await flaky.begin('otp:v', OTP_POLICY, NOW);
      await assert.rejects(refundOnInfrastructureFailure(flaky, 'otp:v', OTP_POLICY, v, NOW, async () => { throw new Error('Connection terminated unexpectedly'); }));
    }
    assert.ok((await inner.lockedUntil('otp:v', NOW)) > NOW, 'still counted while the store is away');
    down = false;
    const until = Date.now() + 10_000;
    while ((await inner.lockedUntil('otp:v', NOW)) > NOW && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
    assert.equal(await inner.lockedUntil('otp:v', NOW), 0, 'refunded once the store is back');
  });
});
