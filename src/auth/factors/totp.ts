// TOTP (RFC 6238) over HOTP (RFC 4226), using the `otpauth` package for the HMAC + truncation.
// Pure: no clock, no storage. The caller passes the server's `now` (SECURITY.md item 15: server clock
// only) and records the returned step with a guarded write so each step is used once (item 16).
import { HOTP, Secret } from 'otpauth';
import QRCode from 'qrcode';
import { constantTimeEqual } from '../crypto/tokens.ts';

export type TotpAlgorithm = 'SHA1' | 'SHA256' | 'SHA512';

// SECURITY.md item 14: most authenticator apps ignore algorithm/digits/period, so only SHA1/6/30 is
// ever enrolled; the options below exist for the RFC 6238 Appendix B vectors.
export const TOTP_ALGORITHM: TotpAlgorithm = 'SHA1';
export const TOTP_DIGITS = 6;
export const TOTP_PERIOD_S = 30;
/** Item 15: current and previous step accepted, next step tolerated; two steps away refused. */
export const TOTP_MAX_WINDOW = 1;

/** 160 random bits (RFC 4226 §4 R6 recommends 160; item 14), base32 without padding. */
export function generateTotpSecret(): string {
  return new Secret({ size: 20 }).base32;
}

/**
 * RFC 6238 §4.2: T = floor((now - T0) / X), T0 = 0. Plain float arithmetic on milliseconds: a JS
 * number is exact to 2^53, so steps stay correct past 2038 and for the year-2603 vector (item 13).
 */
export function totpStep(nowMs: number, period = TOTP_PERIOD_S): number {
  if (!Number.isFinite(nowMs) || nowMs < 0) throw new RangeError('totpStep: nowMs must be a non-negative finite number');
  if (!Number.isInteger(period) || period <= 0) throw new RangeError('totpStep: period must be a positive integer');
  return Math.floor(nowMs / (period * 1000));
}

/** The code for one time step (or HOTP counter: RFC 6238 §4 is HOTP with C = T). */
export function totpCodeAt(
  secretBase32: string,
  step: number,
  opts: { digits?: number; algorithm?: TotpAlgorithm } = {},
): string {
  // otpauth writes the counter as 8 big-endian bytes (RFC 4226 §5.1) from a double: exact up to 2^53.
  if (!Number.isSafeInteger(step) || step < 0) throw new RangeError('totpCodeAt: step must be a non-negative safe integer');
  return HOTP.generate({
    secret: parseSecret(secretBase32),
    algorithm: opts.algorithm ?? TOTP_ALGORITHM,
    digits: opts.digits ?? TOTP_DIGITS,
    counter: step,
  });
}

/**
 * Returns the matched time step (to be stored as `last_step`, item 16) or null. Checks the current
 * step, then the previous, then the next (item 15; RFC 6238 §5.2 allows one step of network delay).
 * Every candidate is computed and compared in constant time, with no early exit.
 */
export function matchTotp(secretBase32: string, code: string, nowMs: number, window = TOTP_MAX_WINDOW): number | null {
  if (!Number.isInteger(window) || window < 0 || window > TOTP_MAX_WINDOW) {
    throw new RangeError(`matchTotp: window must be 0..${TOTP_MAX_WINDOW} (SECURITY.md item 15)`);
  }
  const typed = normalizeTotpInput(code);
  if (typed === null) return null;
  const current = totpStep(nowMs);
  const candidates = [current];
  for (let d = 1; d <= window; d++) candidates.push(current - d, current + d);
  let matched: number | null = null;
  for (const step of candidates) {
    if (step < 0) continue;
    const ok = constantTimeEqual(totpCodeAt(secretBase32, step), typed);
    if (ok && matched === null) matched = step;
  }
  return matched;
}

/**
 * Strips spaces (apps show "123 456") and folds full-width digits typed with a Japanese IME (NFKC);
 * anything that is not then exactly six ASCII digits is refused before any HMAC is computed.
 */
export function normalizeTotpInput(code: string): string | null {
  const typed = code.normalize('NFKC').replace(/\s+/g, '');
  return /^[0-9]{6}$/.test(typed) ? typed : null;
}

/**
 * Google Authenticator Key URI (item 14): label "Issuer:account", issuer parameter equal to the
 * label prefix, both percent-encoded; a colon inside either would split the label wrongly, so it
 * becomes a space.
 */
export function totpUri({ issuer, account, secretBase32 }: { issuer: string; account: string; secretBase32: string }): string {
  const cleanIssuer = labelPart(issuer, 'issuer');
  const cleanAccount = labelPart(account, 'account');
  const secret = parseSecret(secretBase32).base32;
  const i = encodeURIComponent(cleanIssuer);
  return `otpauth://totp/${i}:${encodeURIComponent(cleanAccount)}?secret=${secret}&issuer=${i}` +
    `&algorithm=${TOTP_ALGORITHM}&digits=${TOTP_DIGITS}&period=${TOTP_PERIOD_S}`;
}

/** The longest issuer an authenticator app shows in full next to the account (its list row is narrow). */
export const TOTP_ISSUER_MAX = 24;

/**
 * The issuer an authenticator app lists the account under: the preset's short display name, one
 * line, cut at TOTP_ISSUER_MAX code points. The app shows it with the login ID («ビジネスポータル
 * (yamada)»), so a sentence there would push the login ID out of sight.
 */
export function totpIssuer(displayName: string): string {
  const oneLine = displayName.replace(/\s+/gu, ' ').trim();
  return [...oneLine].slice(0, TOTP_ISSUER_MAX).join('').trim();
}

/**
 * The enrolment QR code as inline SVG. `qrcode` emits only <svg> and <path> elements; the check
 * below fails closed if a future version ever emits anything scriptable, since the page inlines it.
 */
export async function totpQrSvg(uri: string): Promise<string> {
  // 256 px: large enough for a phone camera at arm's length (CSS scales it down on narrow screens);
  // the modules are drawn as one path with crisp edges, so it stays sharp at any size.
  const svg = await QRCode.toString(uri, { type: 'svg', errorCorrectionLevel: 'M', margin: 2, width: 256 });
  if (!/^<svg[\s>]/.test(svg) || /<script|<foreignObject|\son[a-z]+\s*=|javascript:|href\s*=/i.test(svg)) {
    throw new Error('totpQrSvg: unexpected SVG content');
  }
  return svg;
}

/** The key in groups of four for typing by hand: "ABCD EFGH IJKL …". */
export function groupKey(secretBase32: string): string {
  return (parseSecret(secretBase32).base32.match(/.{1,4}/g) ?? []).join(' ');
}

/** Accepts lower case, spaces and "=" padding (as typed or copied); refuses anything else. */
function parseSecret(secretBase32: string): Secret {
  const clean = secretBase32.replace(/[\s=]+/g, '').toUpperCase();
  if (!/^[A-Z2-7]+$/.test(clean)) throw new TypeError('TOTP secret is not base32');
  return Secret.fromBase32(clean);
}

function labelPart(value: string, what: string): string {
  const clean = value.replace(/[:：]/g, ' ').replace(/\s+/g, ' ').trim();
  if (!clean) throw new TypeError(`totpUri: ${what} is empty`);
  return clean;
}
