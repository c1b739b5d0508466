// Issue 13 §8: lockouts are counted by the scope their key names (src/auth/throttle/keys.ts), source
// address lockouts included (refused when the key is read, never through `begin`), and `idip`
// (first-login identity checks per address) has its own scope instead of falling into 'other'.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { freshDb, testDialects } from '../../../test/helpers/db.ts';
import { HashPool } from '../../auth/password/hash.ts';
import { DbThrottle, IP_POLICY, PASSWORD_POLICY, countSourceFailure, sourceLockedUntil } from '../../auth/throttle/db-throttle.ts';
import { SCOPES, scopeOf, throttleKeys } from '../../auth/throttle/keys.ts';
import { Metrics } from '../metrics.ts';

const NOW = 1_800_000_000_000;

async function lockouts(m: Metrics): Promise<Record<string, number>> {
  const data = await m.registry.getSingleMetric('bizportal_lockouts_total')!.get();
  return Object.fromEntries(data.values.map((v) => [String(v.labels.scope), v.value]));
}

describe('throttle keys', () => {
  it('every key the module builds has a scope of its own, none is "other"', () => {
    const built = Object.values(throttleKeys).map((k) => k('192.0.2.1'));
    assert.equal(built.length, Object.keys(SCOPES).length);
    const scopes = built.map(scopeOf);
    assert.ok(!scopes.includes('other'), scopes.join());
    assert.equal(new Set(scopes).size, scopes.length, 'one scope per key kind');
    assert.equal(scopeOf('idip:192.0.2.1'), 'identity_source');
    assert.equal(scopeOf('guide:u1'), 'other');
  });

  it('login-ID keys use the canonical form, cut to 254 characters', () => {
    assert.equal(throttleKeys.password('ＴＡＲＯ@Example.com'), throttleKeys.password('taro@example.com'));
    assert.equal(throttleKeys.reset('x'.repeat(5000)).length, 'reset:'.length + 254);
  });
});

for (const dialect of testDialects()) {
  describe(`${dialect}: lockout metrics`, () => {
    it('count source-address lockouts (idip, pwip) when they refuse, and account-key reads not at all', async (t) => {
      const { db } = await freshDb(dialect, t);
      const metrics = new Metrics({ db, now: () => NOW, hashPool: new HashPool({ concurrency: 1, queueLimit: 1 }) });
      const throttle = metrics.countLockouts(new DbThrottle(db));
      for (const key of [throttleKeys.identitySource('192.0.2.7'), throttleKeys.passwordSource('192.0.2.7')]) {
        for (let i = 0; i < IP_POLICY.freeFailures; i++) await countSourceFailure(throttle, key, NOW);
        assert.ok((await sourceLockedUntil(throttle, key, NOW)) > NOW, `${key} locked`);
      }
      assert.equal(await sourceLockedUntil(throttle, throttleKeys.identitySource('192.0.2.8'), NOW), 0, 'another address is free');

      const account = throttleKeys.password('taro@example.com');
      for (let i = 0; i < PASSWORD_POLICY.freeFailures; i++) assert.ok((await throttle.begin(account, PASSWORD_POLICY, NOW)).ok);
      assert.equal((await throttle.begin(account, PASSWORD_POLICY, NOW)).ok, false);
      assert.ok((await throttle.lockedUntil(account, NOW)) > NOW, 'an admin page reading the lock');

      assert.deepEqual(await lockouts(metrics), { identity_source: 1, password_source: 1, password: 1 });
    });
  });
}
