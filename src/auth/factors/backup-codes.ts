// Backup (recovery) codes. SECURITY.md item 20: random, ≥64 bits each (they can recover an account),
// stored with a salted hash, shown once, one row per code (STYLE.md anchor 1: never one JSON blob).
import { randomInt } from 'node:crypto';
import { sha256Hex } from '../crypto/tokens.ts';

/** Crockford base32: no I, L, O, U, so nothing is misread between 1/I/L and 0/O when copied by hand. */
export const BACKUP_CODE_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
/** 16 characters × 5 bits = 80 random bits, above the 64 required by item 20. */
export const BACKUP_CODE_LENGTH = 16;
export const BACKUP_CODE_COUNT = 10;

const CANONICAL = /^[0-9A-HJKMNP-TV-Z]{16}$/;

/** `n` distinct codes formatted XXXX-XXXX-XXXX-XXXX. randomInt is uniform (no modulo bias). */
export function generateBackupCodes(n = BACKUP_CODE_COUNT): string[] {
  if (!Number.isInteger(n) || n < 1 || n > 100) throw new RangeError('generateBackupCodes: n must be 1..100');
  const codes = new Set<string>();
  while (codes.size < n) {
    let raw = '';
    for (let i = 0; i < BACKUP_CODE_LENGTH; i++) raw += BACKUP_CODE_ALPHABET[randomInt(BACKUP_CODE_ALPHABET.length)];
    codes.add(formatBackupCode(raw));
  }
  return [...codes];
}

/** "7F3K92QD…" → "7F3K-92QD-…": how codes are shown, printed and downloaded. */
export function formatBackupCode(canonical: string): string {
  return (canonical.match(/.{1,4}/g) ?? []).join('-');
}

/**
 * Typed input → the canonical 16 characters, or null. Forgiving of how people copy codes: case,
 * spaces and hyphens of any kind (a Japanese IME may type "ー" or "－"), full-width characters
 * (NFKC), and Crockford's read-alikes O→0, I/L→1.
 */
export function normalizeBackupCode(input: string): string | null {
  const folded = input
    .normalize('NFKC')
    .toUpperCase()
    .replace(/[\s\-‐‑‒–—―−ー]+/g, '')
    .replace(/O/g, '0')
    .replace(/[IL]/g, '1');
  return CANONICAL.test(folded) ? folded : null;
}

/**
 * Hex SHA-256 of `userId:code`, the value stored per code row and looked up on use.
 * A fast hash is sound here, unlike for passwords: each code has 80 random bits, so even at 10^12
 * guesses per second finding one code from its hash takes about 19,000 years on average; a slow hash
 * only helps low-entropy secrets. The user id salts it, so one precomputed table cannot cover all
 * users and equal codes of two users hash differently (item 20: "salted hash").
 * Accepts formatted or canonical input; throws if it is not a backup code at all (a caller bug).
 */
export function hashBackupCode(code: string, userId: string): string {
  const canonical = normalizeBackupCode(code);
  if (canonical === null) throw new RangeError('hashBackupCode: not a backup code');
  if (!userId) throw new RangeError('hashBackupCode: userId is required');
  return sha256Hex(`${userId}:${canonical}`);
}

export interface BackupCodesTextMeta {
  profileName: string;
  loginId: string;
  /** epoch ms (STYLE.md d: times are epoch-ms integers) */
  generatedAt: number;
}

/**
 * The downloadable .txt (served with `Cache-Control: no-store`, item 20). Japanese line first, then
 * English. CRLF so that older Windows Notepad shows the lines; the time is UTC because this pure
 * function does not know the reader's time zone.
 */
export function backupCodesText(codes: readonly string[], meta: BackupCodesTextMeta): string {
  const when = new Date(meta.generatedAt).toISOString().replace('T', ' ').slice(0, 16) + ' UTC';
  const lines = [
    `バックアップコード / Backup codes — ${oneLine(meta.profileName)}`,
    `ログインID / Login ID: ${oneLine(meta.loginId)}`,
    `発行日時 / Generated: ${when}`,
    '',
    '各コードは1回だけ使えます。認証アプリが使えないときに、確認コードの代わりに入力してください。',
    '新しいコードを発行すると、以下のコードはすべて無効になります。他人に見られない場所に保管してください。',
    'Each code works once. Enter one instead of a verification code when your authenticator app is unavailable.',
    'Generating new codes invalidates all of the codes below. Keep them where no one else can see them.',
    '',
    ...codes.map((code, i) => `${String(i + 1).padStart(2, ' ')}. ${code}`),
    '',
  ];
  return lines.join('\r\n');
}

/** Names come from user data: control characters would let them forge lines in the file. */
function oneLine(value: string): string {
  return value.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, ' ').trim();
}
