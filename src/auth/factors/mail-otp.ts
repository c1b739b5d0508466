// One-time codes sent by e-mail (MailOTP). Kept despite NIST 800-63B-4 §3.1.3.1 because the seeds
// require it (SECURITY.md stance 2). Pure: the challenge row, its expiry and counters live in the flow.
import { randomInt } from 'node:crypto';
import { constantTimeEqual, sha256Hex } from '../crypto/tokens.ts';

/** Item 18: a code lives at most 10 minutes. */
export const MAIL_OTP_TTL_MS = 10 * 60 * 1000;
/**
 * Item 21 (and RFC 4226 §7.3 throttling): after 5 wrong codes the challenge is dead, and a resend
 * does not reset the count (item 19). This cap, not the hash, is what bounds guessing: 5 tries
 * against 10^6 codes succeed with p = 5·10⁻⁶.
 */
export const MAIL_OTP_MAX_FAILURES = 5;
/** Item 19: resend is rate limited; it kills the previous code and keeps the failure count. */
export const MAIL_OTP_RESEND_COOLDOWN_MS = 60 * 1000;
export const MAIL_OTP_DIGITS = 6;

/** Item 18: six random digits; randomInt is uniform over 0..999999, leading zeros kept. */
export function generateMailOtp(): string {
  return String(randomInt(0, 10 ** MAIL_OTP_DIGITS)).padStart(MAIL_OTP_DIGITS, '0');
}

/**
 * Hex SHA-256 of `challengeId:code`, stored instead of the code (item 18: "stored hashed") so that
 * live codes do not sit in rows, logs of queries or backups. A fast hash does not make a 6-digit code
 * safe against someone holding the hash (10^6 candidates fall to any hash); a slow one would not
 * either, and would cost CPU on every attempt. What makes it acceptable is the rest of item 18–19
 * and item 21: 10-minute life, single use, bound to one challenge (the id in the hash), and
 * MAIL_OTP_MAX_FAILURES online attempts.
 */
export function hashMailOtp(code: string, challengeId: string): string {
  if (!challengeId) throw new RangeError('hashMailOtp: challengeId is required');
  return sha256Hex(`${challengeId}:${code}`);
}

/**
 * Typed input → six ASCII digits, or null. Strips spaces and folds full-width digits (Japanese IME,
 * NFKC); anything else is refused before hashing.
 */
export function normalizeMailOtp(input: string): string | null {
  const typed = input.normalize('NFKC').replace(/\s+/g, '');
  return /^[0-9]{6}$/.test(typed) ? typed : null;
}

/** Whether typed input matches the stored hash; constant-time compare (STYLE.md anchor 2: no ===). */
export function mailOtpMatches(input: string, challengeId: string, storedHash: string): boolean {
  const code = normalizeMailOtp(input);
  if (code === null) return false;
  return constantTimeEqual(hashMailOtp(code, challengeId), storedHash);
}

/**
 * "taro@example.com" → "t***@e***.com": enough for the user to recognise which address was used,
 * not enough to learn it (the seeds' "****@****" gives no hint at all). The fixed "***" hides lengths.
 * Anything not shaped like local@domain gets the seeds' fully masked form.
 */
export function maskEmail(email: string): string {
  const at = email.lastIndexOf('@');
  const local = email.slice(0, at);
  const domain = email.slice(at + 1);
  if (at < 1 || !domain) return '****@****';
  const dot = domain.lastIndexOf('.');
  const tld = dot > 0 && dot < domain.length - 1 ? domain.slice(dot) : '';
  return `${firstChar(local)}***@${firstChar(domain)}***${tld}`;
}

/** The first code point, so an emoji or surrogate pair is never cut in half. */
function firstChar(text: string): string {
  return String.fromCodePoint(text.codePointAt(0)!);
}
