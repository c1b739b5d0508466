// Throttle keys (S5, SECURITY.md items 21–22): every key is `<prefix>:<subject>`, built here and
// nowhere else, so the throttles, the metrics (a lockout's scope label) and the sweeper (which rows
// name a login ID) read one list. A new scope is one line in SCOPES; a key built elsewhere with a
// prefix not listed there shows up as scope 'other' in the metrics, which a test refuses.
import { canonicalLoginId } from '../identity/canonical.ts';

/** Prefix → the scope label the metrics use and what the subject after the colon is. */
export const SCOPES = {
  pw: { scope: 'password', subject: 'login_id' },
  pwip: { scope: 'password_source', subject: 'ip' },
  otp: { scope: 'otp', subject: 'user_id' },
  otpip: { scope: 'otp_source', subject: 'ip' },
  idip: { scope: 'identity_source', subject: 'ip' },
  reset: { scope: 'reset', subject: 'login_id' },
  resetip: { scope: 'reset_source', subject: 'ip' },
} as const;

export type ThrottlePrefix = keyof typeof SCOPES;
export type ThrottleScope = (typeof SCOPES)[ThrottlePrefix]['scope'];
export type ThrottleKey = `${ThrottlePrefix}:${string}`;

/**
 * A login ID as typed, in the canonical form (item 41: `TARO@…` and `taro@…` share a counter) and
 * cut to 254 characters so a megabyte of login ID never becomes a megabyte of key.
 */
const loginSubject = (loginId: string) => canonicalLoginId(loginId).slice(0, 254);

export const throttleKeys = {
  /** Password attempts per login ID as typed (unknown IDs count alike, item 22). */
  password: (loginId: string): ThrottleKey => `pw:${loginSubject(loginId)}`,
  passwordSource: (ip: string): ThrottleKey => `pwip:${ip}`,
  /** Second-step attempts per user (TOTP, MailOTP, backup codes share it). */
  otp: (userId: string): ThrottleKey => `otp:${userId}`,
  otpSource: (ip: string): ThrottleKey => `otpip:${ip}`,
  /** Identity checks of first login per source address. */
  identitySource: (ip: string): ThrottleKey => `idip:${ip}`,
  /** S4 reset requests per login ID as typed. */
  reset: (loginId: string): ThrottleKey => `reset:${loginSubject(loginId)}`,
  resetSource: (ip: string): ThrottleKey => `resetip:${ip}`,
};

function prefixOf(key: string): ThrottlePrefix | null {
  const p = key.slice(0, key.indexOf(':'));
  return Object.hasOwn(SCOPES, p) ? (p as ThrottlePrefix) : null;
}

/** The metrics label of a key; 'other' for a key not built by throttleKeys. */
export function scopeOf(key: string): ThrottleScope | 'other' {
  const p = prefixOf(key);
  return p ? SCOPES[p].scope : 'other';
}

/** Source-address keys are only ever read to refuse an attempt (sourceLockedUntil). */
export function isSourceKey(key: string): boolean {
  const p = prefixOf(key);
  return p !== null && SCOPES[p].subject === 'ip';
}

/** The prefixes whose subject is a login ID as typed: what the sweeper checks against app_user. */
export const LOGIN_ID_PREFIXES = (Object.keys(SCOPES) as ThrottlePrefix[]).filter((p) => SCOPES[p].subject === 'login_id');
