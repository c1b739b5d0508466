// Identity verification matching (SPEC S2.1, S4). Knowledge-based, never an authentication factor:
// it is only used together with possession of the mailed link (SECURITY.md stance 4, ASVS 6.4.2).
// Every listed field is compared in constant time and all are evaluated, so the time taken does
// not tell which field was wrong (SECURITY item 7: answers are uniform).
import { constantTimeEqual } from '../crypto/tokens.ts';
import { canonicalLoginId, emailForComparison } from './canonical.ts';

export type IdentityField = 'loginId' | 'email' | 'name' | 'phone';
export type StoredIdentity = Record<IdentityField, string>;
export type GivenIdentity = Partial<Record<IdentityField, string>>;

export interface IdentityFieldSet {
  firstLogin: readonly IdentityField[];
  reset: readonly IdentityField[];
}

/** Which fields each built-in profile asks (S2.1 first login, S4 reset). */
export const profileIdentityFields: Record<'business' | 'partner-child', IdentityFieldSet> = Object.freeze({
  business: Object.freeze({
    firstLogin: Object.freeze(['email', 'name', 'phone'] as const),
    reset: Object.freeze(['loginId', 'email', 'name', 'phone'] as const),
  }),
  'partner-child': Object.freeze({
    firstLogin: Object.freeze(['loginId', 'email'] as const),
    reset: Object.freeze(['loginId', 'email'] as const),
  }),
});

/**
 * S2.1: «contact telephone number (without hyphens)»; stored numbers are 4–32 digits (seed 004).
 * NFKC turns full-width digits and hyphens into ASCII ('０３−１２３４' → '03-1234'); then spaces,
 * dashes of every kind (incl. U+2212 minus and the katakana long-vowel mark an IME gives for "ー"),
 * parentheses and dots are removed. Anything else (letters, '+') stays and so fails to match.
 */
export function normalizePhone(input: string): string {
  return input.normalize('NFKC').replace(/[\s\p{Dash}\u30FC().]/gu, '');
}

/**
 * S2.1 «名前は全角/半角スペースを区別します»: the name is exact. Full-width and half-width spaces
 * differ, nothing is trimmed, half-width katakana differs from full-width. Only two things are
 * removed: one trailing newline (a value pasted into the API or CLI), and canonical-equivalence
 * differences (NFC: 'か'+U+3099 and 'が' are the same text, one typed on a Mac, one elsewhere).
 * NFC is not NFKC: it leaves U+3000 and half-width forms alone.
 */
function normalizeName(input: string): string {
  return input.replace(/\r?\n$/u, '').normalize('NFC');
}

/**
 * The e-mail comparison rule (docs/security.md, stated on the forms): outer whitespace dropped, the
 * domain compared case-insensitively and in its IDNA form (`例え.jp` = `xn--r8jz45g.jp`), the local
 * part exact — RFC 5321 §2.4 lets only the receiving server fold it (`Taro@` ≠ `taro@`).
 */
function normalizeEmail(input: string): string {
  return emailForComparison(input);
}

/** Login ID: by its canonical form, as at login and for uniqueness (NFKC, case-folded; item 41). */
function normalizeLoginId(input: string): string {
  return canonicalLoginId(input);
}

const normalizers: Record<IdentityField, (s: string) => string> = {
  loginId: normalizeLoginId,
  email: normalizeEmail,
  name: normalizeName,
  phone: normalizePhone,
};

/**
 * True when every listed field matches. No early return: each field is normalised and compared
 * with constantTimeEqual, also after a mismatch. An empty list, or a field whose stored or given
 * value is empty after normalising, never matches: an unknown answer is no knowledge.
 */
export function matchIdentity(
  fields: readonly IdentityField[],
  stored: StoredIdentity,
  given: GivenIdentity,
): boolean {
  let mismatches = fields.length === 0 ? 1 : 0;
  for (const field of fields) {
    const normalize = normalizers[field];
    const want = normalize(stored[field] ?? '');
    const got = normalize(given[field] ?? '');
    const equal = constantTimeEqual(want, got);   // always evaluated, before the emptiness test
    mismatches += equal && want.length > 0 ? 0 : 1;
  }
  return mismatches === 0;
}
