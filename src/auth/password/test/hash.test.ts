// SECURITY.md item 4 (argon2id, per-hash salt, rehash on parameter change), item 24 and STYLE.md
// anchor 6 (unknown login ID costs a verify), PERFORMANCE.md (bounded hashing concurrency).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { dummyHash, dummyVerify, hashPassword, HashPool, HashPoolBusy, needsRehash, prepareDummyHash, verifyPassword } from '../hash.ts';

// Small parameters keep the suite fast; production ones come from config.
const params = { memoryCost: 1024, timeCost: 1, parallelism: 1 };

describe('hashPassword / verifyPassword', () => {
  it('makes an argon2id v19 PHC string with the given parameters and a fresh salt', async () => {
    const a = await hashPassword('Vq7#kLm2', params);
    const b = await hashPassword('Vq7#kLm2', params);
    assert.match(a, /^\$argon2id\$v=19\$m=1024,t=1,p=1\$[A-Za-z0-9+/]+\$[A-Za-z0-9+/]+$/);
    assert.notEqual(a, b);
  });

  it('verifies the whole password exactly: no truncation, case folding or normalisation', async () => {
    const long = 'Vq7#kLm2'.repeat(16);   // 128 characters
    const h = await hashPassword(long, params);
    assert.equal(await verifyPassword(h, long), true);
    assert.equal(await verifyPassword(h, long.slice(0, 127)), false);
    assert.equal(await verifyPassword(h, long.toLowerCase()), false);
    const u = await hashPassword('猫が好き 😀', params);
    assert.equal(await verifyPassword(u, '猫が好き 😀'), true);
    assert.equal(await verifyPassword(u, '猫が好き　😀'), false);
  });

  it('answers false, never throws, for malformed or foreign hashes', async () => {
    for (const bad of ['', 'garbage', '$argon2id$', '$argon2id$v=19$m=1024,t=1,p=1$AAAA$', '$2b$10$abcdefghijklmnopqrstuv',
      '$argon2id$v=19$m=abc,t=1,p=1$c2FsdHNhbHQ$aGFzaA']) {
      assert.equal(await verifyPassword(bad, 'x'), false, bad);
    }
    assert.equal(await verifyPassword(undefined as unknown as string, 'x'), false);
  });
});

describe('needsRehash', () => {
  it('is false for the same parameters and true when any differs', async () => {
    const h = await hashPassword('Vq7#kLm2', params);
    assert.equal(needsRehash(h, params), false);
    assert.equal(needsRehash(h, { ...params, memoryCost: 2048 }), true);
    assert.equal(needsRehash(h, { ...params, timeCost: 2 }), true);
    assert.equal(needsRehash(h, { ...params, parallelism: 2 }), true);
  });

  it('is true for other algorithms, versions and malformed strings', () => {
    const salt = 'c2FsdHNhbHRzYWx0c2FsdA', digest = 'aGFzaGhhc2hoYXNoaGFzaA';
    assert.equal(needsRehash(`$argon2i$v=19$m=1024,t=1,p=1$${salt}$${digest}`, params), true);
    assert.equal(needsRehash(`$argon2id$v=16$m=1024,t=1,p=1$${salt}$${digest}`, params), true);
    assert.equal(needsRehash(`$argon2id$v=19$m=1024,t=1,p=1$${salt}$${digest}`, params), false);
    assert.equal(needsRehash('$2b$10$abcdefghijklmnopqrstuv', params), true);
    assert.equal(needsRehash('', params), true);
  });
});

describe('dummyVerify (anti-enumeration)', () => {
  it('always answers false, even for the empty password', async () => {
    await prepareDummyHash(params);
    assert.equal(await dummyVerify('', params), false);
    assert.equal(await dummyVerify('Vq7#kLm2', params), false);
  });

  // Its cost is the cost of verifying a hash of the same parameters: checked by what it verifies,
  // not by timing (a loaded machine made a timed ratio fail; tests never assert on timings).
  // `npm run security:timing` measures the real login timings (docs/security.md).
  it('verifies a real argon2id hash made with the parameters real hashes have', async () => {
    const slow = { memoryCost: 8192, timeCost: 2, parallelism: 1 };
    const dummy = await dummyHash(slow);
    const real = await hashPassword('Vq7#kLm2', slow);
    assert.match(dummy, /^\$argon2id\$/);
    assert.equal(needsRehash(dummy, slow), false, 'same memory, time and parallelism as a real hash');
    assert.equal(dummy.split('$').slice(0, 4).join('$'), real.split('$').slice(0, 4).join('$'), 'same algorithm, version and parameters');
    assert.equal(needsRehash(dummy, { ...slow, timeCost: 3 }), true, 'a parameter change would show');
  });

});

describe('HashPool', () => {
  const deferred = () => {
    let resolve!: () => void;
    const promise = new Promise<void>((r) => { resolve = r; });
    return { promise, resolve };
  };

  it('runs at most `concurrency` tasks at once and the rest in order', async () => {
    const pool = new HashPool({ concurrency: 2, queueLimit: 10 });
    let active = 0, peak = 0;
    const order: number[] = [];
    const gates = Array.from({ length: 6 }, deferred);
    const runs = gates.map((g, i) => pool.run(async () => {
      active++; peak = Math.max(peak, active); order.push(i);
      await g.promise;
      active--;
      return i;
    }));
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(pool.stats(), { running: 2, waiting: 4 });
    for (const g of gates) g.resolve();
    assert.deepEqual(await Promise.all(runs), [0, 1, 2, 3, 4, 5]);
    assert.equal(peak, 2);
    assert.deepEqual(order, [0, 1, 2, 3, 4, 5]);
    assert.deepEqual(pool.stats(), { running: 0, waiting: 0 });
  });

  it('throws HashPoolBusy when more than queueLimit would wait', async () => {
    const pool = new HashPool({ concurrency: 1, queueLimit: 2 });
    const gate = deferred();
    const accepted = [0, 1, 2].map(() => pool.run(() => gate.promise));
    await assert.rejects(pool.run(async () => 'never'), (err: unknown) => {
      assert.ok(err instanceof HashPoolBusy);
      assert.equal(err.retryAfterSeconds, 1);
      return true;
    });
    assert.deepEqual(pool.stats(), { running: 1, waiting: 2 });
    gate.resolve();
    await Promise.all(accepted);
    assert.equal(await pool.run(async () => 'again'), 'again');
  });

  it('frees the slot when a task fails', async () => {
    const pool = new HashPool({ concurrency: 1, queueLimit: 0 });
    await assert.rejects(pool.run(async () => { throw new Error('boom'); }), /boom/);
    assert.deepEqual(pool.stats(), { running: 0, waiting: 0 });
    assert.equal(await pool.run(async () => 1), 1);
  });

  it('bounds real argon2 verifies', async () => {
    const pool = new HashPool({ concurrency: 2, queueLimit: 4 });
    const h = await hashPassword('Vq7#kLm2', params);
    const results = await Promise.allSettled(Array.from({ length: 8 }, () => pool.run(() => verifyPassword(h, 'Vq7#kLm2'))));
    assert.equal(results.filter((r) => r.status === 'fulfilled' && r.value === true).length, 6);
    assert.equal(results.filter((r) => r.status === 'rejected' && r.reason instanceof HashPoolBusy).length, 2);
  });

  it('refuses nonsensical limits', () => {
    assert.throws(() => new HashPool({ concurrency: 0, queueLimit: 1 }), RangeError);
    assert.throws(() => new HashPool({ concurrency: 1, queueLimit: -1 }), RangeError);
  });
});
