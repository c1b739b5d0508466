// MailOTP (SECURITY.md items 18–19): random 6-digit codes, stored hashed per challenge, masked address.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import {
  generateMailOtp, hashMailOtp, mailOtpMatches, maskEmail, normalizeMailOtp,
  MAIL_OTP_MAX_FAILURES, MAIL_OTP_RESEND_COOLDOWN_MS, MAIL_OTP_TTL_MS,
} from '../mail-otp.ts';

describe('generateMailOtp (item 18)', () => {
  it('gives six ASCII digits, leading zeros kept', () => {
    const codes = Array.from({ length: 20_000 }, generateMailOtp);
    for (const c of codes) assert.match(c, /^[0-9]{6}$/);
    // P(no code below 100000 in 20,000 draws) = 0.9^20000 ≈ 10⁻⁹¹⁵: the padding path is exercised.
    assert.ok(codes.some((c) => c.startsWith('0')));
  });

  it('is roughly uniform over each digit position', () => {
    const codes = Array.from({ length: 20_000 }, generateMailOtp);
    for (let pos = 0; pos < 6; pos++) {
      const counts = new Array<number>(10).fill(0);
      for (const c of codes) counts[Number(c[pos])]! += 1;
      // Expected 2000 each, σ ≈ 42; ±300 is > 7σ, so a correct generator never fails this.
      for (const n of counts) assert.ok(n > 1700 && n < 2300, `position ${pos}: ${counts.join(',')}`);
    }
  });

  it('does not repeat much: 2,000 codes from 10^6 give few collisions', () => {
    const codes = Array.from({ length: 2000 }, generateMailOtp);
    assert.ok(new Set(codes).size > 1980); // expected ≈ 2 collisions
  });
});

describe('hashMailOtp and mailOtpMatches', () => {
  it('is hex SHA-256 of challengeId:code', () => {
    assert.equal(hashMailOtp('012345', 'ch1'), createHash('sha256').update('ch1:012345').digest('hex'));
  });

  it('binds the code to its challenge: the same code hashes differently elsewhere', () => {
    assert.notEqual(hashMailOtp('012345', 'ch1'), hashMailOtp('012345', 'ch2'));
    assert.equal(mailOtpMatches('012345', 'ch2', hashMailOtp('012345', 'ch1')), false);
  });

  it('accepts the right code however it was typed, refuses others', () => {
    const stored = hashMailOtp('012345', 'ch1');
    for (const typed of ['012345', ' 012 345 ', '０１２３４５']) assert.equal(mailOtpMatches(typed, 'ch1', stored), true, typed);
    for (const typed of ['012346', '12345', '0123456', '', 'abcdef', '12345６7']) {
      assert.equal(mailOtpMatches(typed, 'ch1', stored), false, typed);
    }
    assert.equal(normalizeMailOtp('１２３ ４５６'), '123456');
  });

  it('refuses an empty challenge id', () => {
    assert.throws(() => hashMailOtp('012345', ''), RangeError);
  });
});

describe('limits (items 18–19, 21)', () => {
  it('expire within 10 minutes, cap failures at 5, cool down resends for 60 s', () => {
    assert.equal(MAIL_OTP_TTL_MS, 600_000);
    assert.equal(MAIL_OTP_MAX_FAILURES, 5);
    assert.equal(MAIL_OTP_RESEND_COOLDOWN_MS, 60_000);
  });
});

describe('maskEmail', () => {
  it('keeps the first characters and the TLD only', () => {
    assert.equal(maskEmail('taro@example.com'), 't***@e***.com');
    assert.equal(maskEmail('t@e.com'), 't***@e***.com');
    assert.equal(maskEmail('hanako.yamada@mail.example.co.jp'), 'h***@m***.jp');
    assert.equal(maskEmail('root@localhost'), 'r***@l***');
    assert.equal(maskEmail('"a@b"@example.org'), '"***@e***.org');
  });

  it('never cuts a character in half and leaks no length', () => {
    assert.equal(maskEmail('😀x@例え.jp'), '😀***@例***.jp');
    assert.equal(maskEmail('a@example.com').length, maskEmail('abcdefgh@example.com').length);
  });

  it('fully masks anything not shaped like local@domain', () => {
    for (const bad of ['', 'taro', '@example.com', 'taro@']) assert.equal(maskEmail(bad), '****@****', bad);
  });
});
