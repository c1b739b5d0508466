// Configuration refuses what would be unsafe in production (SECURITY.md 34; issue 10 §6).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { ConfigError, defaultHashConcurrency, loadConfig } from '../config.ts';

const key = () => randomBytes(32).toString('base64');
const prod = (extra: Record<string, string> = {}) => ({ NODE_ENV: 'production', PUBLIC_URL: 'https://portal.example.com', SECRET_KEY: key(), TOTP_KEY: key(), DATA_DIR: '/tmp/bp-config-test', ...extra });

describe('configuration', () => {
  it('production starts with real secrets and an https public URL', () => {
    const c = loadConfig(prod());
    assert.equal(c.env, 'production');
    assert.equal(c.cookieSecure, true);
    assert.equal(c.devOutbox, false);
  });
  for (const [name, env] of [
    ['a missing SECRET_KEY', prod({ SECRET_KEY: '' })],
    ['a missing TOTP_KEY', prod({ TOTP_KEY: '' })],
    ['a short secret', prod({ SECRET_KEY: Buffer.alloc(16, 1).toString('base64') })],
    ['a default-looking secret', prod({ TOTP_KEY: 'changemechangemechangemechangemechangeme1234' })],
    ['an http public URL', prod({ PUBLIC_URL: 'http://portal.example.com' })],
    ['a bad DATABASE_URL', prod({ DATABASE_URL: 'mysql://x' })],
    ['a non-numeric PORT', prod({ PORT: 'eighty' })],
    ['a short retired TOTP key', prod({ TOTP_OLD_KEYS: 'c2hvcnQ=' })],
  ] as const) {
    it(`refuses ${name} with a clear message`, () => {
      assert.throws(() => loadConfig(env), (err: unknown) => err instanceof ConfigError && err.message.length > 10);
    });
  }
  it('keeps retired keys after the current one in the key ring', () => {
    const old = key();
    const c = loadConfig(prod({ TOTP_OLD_KEYS: old }));
    assert.equal(c.totpKeyRing.length, 2);
    assert.deepEqual(c.totpKeyRing[1], Buffer.from(old, 'base64'));
  });
  it('hashes one fewer than the cores at once by default (1 to 4), HASH_CONCURRENCY wins', () => {
    assert.deepEqual([1, 2, 3, 4, 8, 64].map((n) => defaultHashConcurrency(n)), [1, 1, 2, 3, 4, 4]);
    assert.equal(loadConfig(prod({ HASH_CONCURRENCY: '3' })).hashConcurrency, 3);
    assert.equal(loadConfig(prod({})).hashConcurrency, defaultHashConcurrency());
  });
});
