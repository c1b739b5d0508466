// Attack: someone with write access to the database edits, swaps or replays an encrypted TOTP secret
// (SECURITY.md item 14). Every such change must make `open` throw.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { boxKeyId, keyId, open, seal, SecretBoxError } from '../secret-box.ts';

const key = randomBytes(32);
const otherKey = randomBytes(32);
const USER = 'user_7f3k92qd';
const SECRET = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';

function flipByte(part: string, index = 0): string {
  const bytes = Buffer.from(part, 'base64url');
  bytes[index % bytes.length]! ^= 0x01;
  return bytes.toString('base64url');
}
function withPart(box: string, i: number, value: string): string {
  const parts = box.split('.');
  parts[i] = value;
  return parts.join('.');
}

describe('secret-box', () => {
  it('round-trips text, including non-ASCII and empty text', () => {
    for (const text of [SECRET, 'ひみつ🔑', '']) assert.equal(open(key, seal(key, text, USER), USER), text);
    assert.equal(open(key, seal(key, SECRET)), SECRET);
  });

  it('has the format v1.<kid>.<iv>.<tag>.<ct> with a 96-bit IV and 128-bit tag', () => {
    const [v, kid, iv, tag, ct, ...rest] = seal(key, SECRET, USER).split('.');
    assert.equal(v, 'v1');
    assert.equal(kid, keyId(key));
    assert.equal(Buffer.from(iv!, 'base64url').length, 12);
    assert.equal(Buffer.from(tag!, 'base64url').length, 16);
    assert.equal(Buffer.from(ct!, 'base64url').length, Buffer.byteLength(SECRET));
    assert.deepEqual(rest, []);
  });

  it('seals the same text differently each time (random IV)', () => {
    const a = seal(key, SECRET, USER);
    const b = seal(key, SECRET, USER);
    assert.notEqual(a, b);
    assert.notEqual(a.split('.')[2], b.split('.')[2]);
  });

  it('refuses a flipped bit in the IV, tag or ciphertext', () => {
    const box = seal(key, SECRET, USER);
    for (const i of [2, 3, 4]) {
      const part = box.split('.')[i]!;
      for (const at of [0, 5, Buffer.from(part, 'base64url').length - 1]) {
        assert.throws(() => open(key, withPart(box, i, flipByte(part, at)), USER), SecretBoxError, `part ${i} byte ${at}`);
      }
    }
  });

  it('refuses changed characters, including ones Node would silently ignore', () => {
    const box = seal(key, SECRET, USER);
    const tag = box.split('.')[3]!;                  // 22 chars: the last one has 4 spare bits
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const sameBytesTag = tag.slice(0, -1) + alphabet[alphabet.indexOf(tag.at(-1)!) + 1]; // sets a spare bit
    assert.deepEqual(Buffer.from(sameBytesTag, 'base64url'), Buffer.from(tag, 'base64url'));
    for (const bad of [
      withPart(box, 3, sameBytesTag),                  // non-canonical, decodes to the same bytes
      withPart(box, 4, box.split('.')[4] + '!'),      // invalid character
      withPart(box, 2, box.split('.')[2]!.slice(1)),   // truncated IV
      withPart(box, 3, tag.slice(0, 16)),              // truncated tag
      withPart(box, 0, 'v2'),
      withPart(box, 1, '00000000'),
      box + '.x',
      box.split('.').slice(0, 4).join('.'),
      '',
    ]) {
      assert.throws(() => open(key, bad, USER), SecretBoxError, bad);
    }
  });

  it('refuses the wrong key, even if the kid is edited to match it', () => {
    const box = seal(key, SECRET, USER);
    assert.throws(() => open(otherKey, box, USER), SecretBoxError);
    assert.throws(() => open(otherKey, withPart(box, 1, keyId(otherKey)), USER), SecretBoxError);
  });

  it('refuses the wrong aad: a box copied onto another user does not open', () => {
    const box = seal(key, SECRET, USER);
    assert.throws(() => open(key, box, 'user_other'), SecretBoxError);
    assert.throws(() => open(key, box), SecretBoxError);
    assert.throws(() => open(key, seal(key, SECRET), USER), SecretBoxError);
  });

  it('opens with a key ring by kid, for rotation', () => {
    const oldBox = seal(otherKey, SECRET, USER);
    const newBox = seal(key, SECRET, USER);
    assert.equal(open([key, otherKey], oldBox, USER), SECRET);
    assert.equal(open([otherKey, key], newBox, USER), SECRET);
    assert.throws(() => open([randomBytes(32)], newBox, USER), SecretBoxError);
    assert.throws(() => open([], newBox, USER), SecretBoxError);
    assert.equal(boxKeyId(oldBox), keyId(otherKey));
    assert.equal(boxKeyId('not a box'), null);
  });

  it('derives keyId as the first 8 hex of SHA-256 and refuses keys that are not 32 bytes', () => {
    assert.equal(keyId(key), createHash('sha256').update(key).digest('hex').slice(0, 8));
    assert.match(keyId(key), /^[0-9a-f]{8}$/);
    assert.throws(() => seal(randomBytes(16), SECRET), RangeError);
    assert.throws(() => keyId(Buffer.alloc(0)), RangeError);
  });

  it('never puts the plaintext or aad into an error message', () => {
    const box = seal(key, SECRET, USER);
    try {
      open(key, box, 'user_other');
      assert.fail('should throw');
    } catch (err) {
      assert.ok(err instanceof SecretBoxError);
      assert.doesNotMatch(err.message, new RegExp(`${SECRET}|${USER}|user_other|${box.split('.')[4]}`));
    }
  });
});
