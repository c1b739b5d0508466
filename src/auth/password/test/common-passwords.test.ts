// ASVS 6.2.4: the built-in list and its documented matching rule (common-passwords.ts header).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { commonPasswordCount, isCommonPassword } from '../common-passwords.ts';

describe('isCommonPassword', () => {
  it('holds about a thousand entries or more', () => {
    assert.ok(commonPasswordCount >= 1000, String(commonPasswordCount));
  });

  it('rule 1: the whole password, case-insensitively, also without spaces', () => {
    for (const pw of ['password', '123456', 'qwerty', 'iloveyou', 'QWERTY', 'Aa123456', '1qaz2wsx', 'I Love You']) {
      assert.ok(isCommonPassword(pw), pw);
    }
  });

  it('rule 2: a listed word with digits or symbols around it', () => {
    for (const pw of ['Password1', 'Welcome123', 'Summer2024!', 'Tokyo2020', '!Admin2023', '123Qwerty', 'Abcd1234']) {
      assert.ok(isCommonPassword(pw), pw);
    }
  });

  it('rule 3: leetspeak undone', () => {
    for (const pw of ['P@ssw0rd', 'Passw0rd!', 'P4ssw0rd1', 'Pa$$word1', 'Welc0me!', 'hell0', 'He11o2024']) {
      assert.ok(isCommonPassword(pw), pw);
    }
  });

  it('rule 4: one repeated character', () => {
    for (const pw of ['aaaaaaaa', 'Aaaaaaa1', '00000000', '!!!!zzzzzz!!!']) assert.ok(isCommonPassword(pw), pw);
  });

  it('accepts passwords that are not a listed word plus decoration', () => {
    for (const pw of ['Vq7#kLm2', 'Rain7#kq2', 'correct horse battery staple', 'Sakura7Blossom', 'x9$Tokyo$2z']) {
      assert.equal(isCommonPassword(pw), false, pw);
    }
  });
});
