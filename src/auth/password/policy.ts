// Password policies as data (SPEC S2.2; SECURITY.md stance 1, items 1–2).
// The seed rules are the defaults of the built-in profiles; the `nist` preset is the
// standard-conforming choice one setting away (NIST SP 800-63B-4 §3.1.1.2, ASVS 6.2.5/6.2.9).
import { isCommonPassword } from './common-passwords.ts';

export interface PasswordPolicy {
  name: string;
  /** Counted in Unicode code points, not UTF-16 units. */
  minLength: number;
  maxLength: number;
  requireDigit: boolean;
  requireUpper: boolean;
  requireLower: boolean;
  /** Symbols allowed besides ASCII letters and digits; null = any printable incl. spaces & Unicode. */
  allowedSymbols: string | null;
  /** Reject passwords on the common-password list (ASVS 6.2.4). */
  blocklist: boolean;
  /** Reject login ID, e-mail, name and product words (ASVS 6.2.11/6.2.12). */
  rejectContext: boolean;
}

/** Every rule a password can fail, in the order they are reported and shown. */
export const passwordRuleIds = [
  'too_short', 'too_long', 'need_digit', 'need_upper', 'need_lower', 'bad_character',
  'common', 'contains_login_id', 'contains_email', 'contains_name', 'contains_product',
] as const;
export type PasswordRuleId = (typeof passwordRuleIds)[number];

export interface PasswordContext {
  loginId: string;
  email: string;
  name: string;
  /** Extra words of the portal profile (e.g. its display name), treated like the product name. */
  productWords?: readonly string[];
}

// Seed 004, kept exactly: no single quote, no space. ¥ is the backslash in Japanese fonts,
// so both U+00A5 and `\` are accepted (SPEC S2.2).
export const SEED_004_SYMBOLS = '!"#$%&()*+,-./:;<=>?@[¥]^_`{|}~';

const business: PasswordPolicy = Object.freeze({
  name: 'business', minLength: 8, maxLength: 32,
  requireDigit: true, requireUpper: true, requireLower: true,
  allowedSymbols: SEED_004_SYMBOLS + '\\',
  blocklist: true, rejectContext: true,   // S2.2: "additionally reject" common and context words
});

export const policies: Record<string, PasswordPolicy> = Object.freeze({
  business,
  'partner-child': Object.freeze({ ...business, name: 'partner-child' }),
  // Seed 000's older rule: 6–32, same composition. Kept for legacy organisations only.
  legacy6: Object.freeze({ ...business, name: 'legacy6', minLength: 6 }),
  // NIST 800-63B-4 §3.1.1.2: min 8 (always used with 2-step here), allow ≥ 64 (we allow 128),
  // no composition rules, any Unicode incl. spaces, blocklist on.
  nist: Object.freeze({
    name: 'nist', minLength: 8, maxLength: 128,
    requireDigit: false, requireUpper: false, requireLower: false,
    allowedSymbols: null, blocklist: true, rejectContext: true,
  }),
});

const ASCII_ALNUM = /^[A-Za-z0-9]$/;
// Even with "any character", control characters and lone surrogates are refused: they cannot be
// typed reliably and a lone surrogate cannot be encoded as UTF-8 for hashing.
const NOT_PRINTABLE = /^[\p{Cc}\p{Cs}]$/u;
const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;
const PRODUCT_WORDS = ['bizportal', 'business portal'];

/** Length in code points: an emoji or a supplementary-plane kanji is one character. */
export function codePointLength(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

function isAllowedChar(policy: PasswordPolicy, ch: string): boolean {
  if (NOT_PRINTABLE.test(ch)) return false;
  if (policy.allowedSymbols === null) return true;
  return ASCII_ALNUM.test(ch) || policy.allowedSymbols.includes(ch);
}

// Comparison form for context words only; the password itself is never folded (SECURITY item 1).
// NFKC also catches full-width look-alikes of the login ID or name.
function fold(s: string): string {
  return s.normalize('NFKC').toLowerCase();
}

function withoutSpaces(s: string): string {
  return s.replace(/\s+/gu, '');   // after NFKC, U+3000 is already U+0020
}

/** Parts of a name split on half-width and full-width spaces (S2.1: both occur in stored names). */
function nameParts(name: string): string[] {
  return name.split(/[ \u3000]+/u).filter((part) => {
    const len = codePointLength(part);
    return len >= 3 || (len >= 2 && CJK.test(part));   // two kanji are a whole family name
  });
}

function containsAny(haystack: string, needles: readonly string[]): boolean {
  return needles.some((n) => n.length > 0 && haystack.includes(fold(n)));
}

/**
 * Every rule the password fails (empty = accepted). The whole password is checked: no trimming,
 * no truncation, no case folding (SECURITY item 1); all unmet rules are returned so the page can
 * show them at once (S2.2).
 */
export function checkPassword(policy: PasswordPolicy, password: string, ctx: PasswordContext): PasswordRuleId[] {
  const unmet = new Set<PasswordRuleId>();
  const length = codePointLength(password);
  if (length < policy.minLength) unmet.add('too_short');
  if (length > policy.maxLength) unmet.add('too_long');
  if (policy.requireDigit && !/\p{Nd}/u.test(password)) unmet.add('need_digit');
  if (policy.requireUpper && !/\p{Lu}/u.test(password)) unmet.add('need_upper');
  if (policy.requireLower && !/\p{Ll}/u.test(password)) unmet.add('need_lower');
  for (const ch of password) {
    if (!isAllowedChar(policy, ch)) { unmet.add('bad_character'); break; }
  }
  if (policy.blocklist && isCommonPassword(password)) unmet.add('common');
  if (policy.rejectContext) {
    for (const rule of contextRules(password, ctx)) unmet.add(rule);
  }
  return passwordRuleIds.filter((id) => unmet.has(id));
}

/**
 * The words each context rule looks for, folded (NFKC, lower case); product words without spaces.
 * One list for the server's check and the password page's live checklist (issue 20 item 6).
 */
export function contextWords(ctx: PasswordContext): Record<'contains_login_id' | 'contains_email' | 'contains_name' | 'contains_product', string[]> {
  // Words shorter than 3 code points would forbid ordinary letters, so they are not checked.
  const loginId = ctx.loginId.trim();
  const email = ctx.email.trim();
  const at = email.lastIndexOf('@');
  const local = at > 0 ? email.slice(0, at) : '';
  return {
    contains_login_id: codePointLength(loginId) >= 3 ? [fold(loginId)] : [],
    contains_email: codePointLength(email) >= 3 ? [email, ...(codePointLength(local) >= 3 ? [local] : [])].map(fold) : [],
    contains_name: nameParts(ctx.name).map(fold),
    // Product words are compared without spaces: "Business Portal", "businessportal", "Biz Portal".
    contains_product: [...PRODUCT_WORDS, ...(ctx.productWords ?? [])]
      .map((w) => withoutSpaces(fold(w)))
      .filter((w) => codePointLength(w) >= 3),
  };
}

/** ASVS 6.2.11/6.2.12 (SECURITY item 2): case-insensitive containment of the user's own words. */
function contextRules(password: string, ctx: PasswordContext): PasswordRuleId[] {
  const pw = fold(password);
  const words = contextWords(ctx);
  const out: PasswordRuleId[] = [];
  if (containsAny(pw, words.contains_login_id)) out.push('contains_login_id');
  if (containsAny(pw, words.contains_email)) out.push('contains_email');
  if (containsAny(pw, words.contains_name)) out.push('contains_name');
  if (containsAny(withoutSpaces(pw), words.contains_product)) out.push('contains_product');
  return out;
}

/** The rules to show on the page before the user types (S2.2 «show the rules on the page»). */
export function ruleHints(policy: PasswordPolicy): PasswordRuleId[] {
  const hints: PasswordRuleId[] = ['too_short', 'too_long'];
  if (policy.requireDigit) hints.push('need_digit');
  if (policy.requireUpper) hints.push('need_upper');
  if (policy.requireLower) hints.push('need_lower');
  if (policy.allowedSymbols !== null) hints.push('bad_character');
  if (policy.blocklist) hints.push('common');
  if (policy.rejectContext) {
    hints.push('contains_login_id', 'contains_email', 'contains_name', 'contains_product');
  }
  return hints;
}
