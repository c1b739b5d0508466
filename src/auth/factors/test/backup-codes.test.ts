// Backup codes (SECURITY.md item 20): enough entropy to resist guessing, distinct, stored salted.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  BACKUP_CODE_ALPHABET, backupCodesText, formatBackupCode, generateBackupCodes, hashBackupCode, normalizeBackupCode,
} from '../backup-codes.ts';

const FORMAT = /^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){3}$/;

describe('generateBackupCodes', () => {
  it('returns 10 codes by default, or n', () => {
    assert.equal(generateBackupCodes().length, 10);
    assert.equal(generateBackupCodes(3).length, 3);
    assert.throws(() => generateBackupCodes(0), RangeError);
  });

  it('formats each as XXXX-XXXX-XXXX-XXXX from the 32-letter alphabet: 80 bits ≥ 64 (item 20)', () => {
    assert.equal(BACKUP_CODE_ALPHABET.length, 32);
    assert.doesNotMatch(BACKUP_CODE_ALPHABET, /[ILOU]/);
    for (const code of generateBackupCodes(50)) {
      assert.match(code, FORMAT);
      assert.ok(code.replace(/-/g, '').length * Math.log2(BACKUP_CODE_ALPHABET.length) >= 64);
    }
  });

  it('gives distinct codes within a set and across sets', () => {
    const all = [...generateBackupCodes(100), ...generateBackupCodes(100)];
    assert.equal(new Set(all).size, all.length);
  });

  it('uses every letter of the alphabet (no stuck or missing characters)', () => {
    const seen = new Set(generateBackupCodes(100).join('').replace(/-/g, ''));
    assert.equal(seen.size, 32); // 1600 draws: P(some letter missing) ≈ 32·(31/32)^1600 ≈ 10⁻²¹
  });
});

describe('normalizeBackupCode', () => {
  it('round-trips generated codes to their 16 canonical characters', () => {
    for (const code of generateBackupCodes(20)) {
      const canonical = normalizeBackupCode(code);
      assert.equal(canonical, code.replace(/-/g, ''));
      assert.equal(formatBackupCode(canonical!), code);
    }
  });

  it('forgives case, spaces, hyphens of any kind, full width and read-alikes', () => {
    const canonical = '7F3K92QD0A1BXYZ5';
    for (const typed of [
      '7F3K-92QD-0A1B-XYZ5', '7f3k 92qd 0a1b xyz5', ' 7F3K92QD0A1BXYZ5 ', '7F3K－92QD－OA1B－XYZ5',
      '７Ｆ３Ｋ９２ＱＤ０Ａ１ＢＸＹＺ５', '7F3K-92QD-oAiB-XYZ5', '7F3K-92QD-0AlB-XYZ5', '7F3Kー92QDー0A1BーXYZ5',
      '7F3K\u300092QD\t0A1B\nXYZ5',
    ]) {
      assert.equal(normalizeBackupCode(typed), canonical, typed);
    }
  });

  it('refuses wrong lengths and letters outside the alphabet', () => {
    for (const bad of ['', '7F3K-92QD-0A1B-XYZ', '7F3K-92QD-0A1B-XYZ55', '7F3K-92QD-0A1B-XYU5', '7F3K-92QD-0A1B-XY!5', '7F3K_92QD_0A1B_XYZ5']) {
      assert.equal(normalizeBackupCode(bad), null, bad);
    }
  });
});

describe('hashBackupCode', () => {
  const code = '7F3K-92QD-0A1B-XYZ5';

  it('is hex SHA-256, stable for any typing of the same code', () => {
    const h = hashBackupCode(code, 'u1');
    assert.match(h, /^[0-9a-f]{64}$/);
    assert.equal(hashBackupCode('7f3k92qdoa1bxyz5', 'u1'), h);
  });

  it('differs per user (salted) and per code', () => {
    assert.notEqual(hashBackupCode(code, 'u1'), hashBackupCode(code, 'u2'));
    assert.notEqual(hashBackupCode(code, 'u1'), hashBackupCode('7F3K-92QD-0A1B-XYZ6', 'u1'));
  });

  it('refuses input that is not a backup code, and an empty user id', () => {
    assert.throws(() => hashBackupCode('123456', 'u1'), RangeError);
    assert.throws(() => hashBackupCode(code, ''), RangeError);
  });
});

describe('backupCodesText', () => {
  const codes = ['7F3K-92QD-0A1B-XYZ5', 'AAAA-BBBB-CCCC-DDDD'];
  const text = backupCodesText(codes, {
    profileName: 'Acme 株式会社', loginId: 'taro01', generatedAt: Date.UTC(2025, 0, 2, 3, 4, 5),
  });

  it('has ja + en header lines, the login ID, the UTC time and every code', () => {
    const lines = text.split('\r\n');
    assert.equal(lines[0], 'バックアップコード / Backup codes — Acme 株式会社');
    assert.equal(lines[1], 'ログインID / Login ID: taro01');
    assert.equal(lines[2], '発行日時 / Generated: 2025-01-02 03:04 UTC');
    assert.ok(lines.includes(' 1. 7F3K-92QD-0A1B-XYZ5'));
    assert.ok(lines.includes(' 2. AAAA-BBBB-CCCC-DDDD'));
    assert.ok(lines.some((l) => l.startsWith('Each code works once.')));
    assert.doesNotMatch(text, /(?<!\r)\n/); // CRLF only
  });

  it('keeps user-supplied names on one line', () => {
    const forged = backupCodesText(codes, { profileName: 'x\r\n 1. FAKE-CODE', loginId: 'a\u2028b', generatedAt: 0 });
    assert.equal(forged.split('\r\n')[0], 'バックアップコード / Backup codes — x  1. FAKE-CODE');
    assert.equal(forged.split('\r\n')[1], 'ログインID / Login ID: a b');
  });
});
