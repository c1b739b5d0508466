// What an e-mail address and a login ID may be, and the canonical form login IDs are compared by
// (SECURITY.md items 40, 41; docs/decisions/020-plain-addresses-and-canonical-login-ids.md).
// One module in the shared kernel (the mail worker checks addresses too), used by registration, admin edits (page and JSON), the CLI and the migration that
// filled login_id_canonical, so every door applies the same rules.
import { domainToASCII } from 'node:url';

/**
 * Characters that are invisible or change how text is shown: every "other" category (controls,
 * format characters such as U+200B and the bidi controls, surrogates, private use, unassigned),
 * every separator (all whitespace, incl. U+3000), and the default-ignorable code points outside
 * those categories (combining grapheme joiner, Hangul fillers, variation selectors, Mongolian FVS,
 * Khmer inherent vowels, Braille blank).
 */
const INVISIBLE = /[\p{C}\p{Z}\u034F\u115F\u1160\u17B4\u17B5\u180B-\u180F\u2800\u3164\uFE00-\uFE0F\uFFA0\u{E0000}-\u{E0FFF}]/u;

export function hasInvisible(s: string): boolean {
  return INVISIBLE.test(s);
}

/** Scripts a letter is told apart by; letters of any other script are refused in login IDs. */
const SCRIPTS: readonly [string, RegExp][] = [
  ['Latin', /\p{Script=Latin}/u], ['Han', /\p{Script=Han}/u], ['Hiragana', /\p{Script=Hiragana}/u],
  ['Katakana', /\p{Script=Katakana}/u], ['Cyrillic', /\p{Script=Cyrillic}/u], ['Greek', /\p{Script=Greek}/u],
  ['Hangul', /\p{Script=Hangul}/u], ['Arabic', /\p{Script=Arabic}/u], ['Hebrew', /\p{Script=Hebrew}/u],
  ['Armenian', /\p{Script=Armenian}/u], ['Thai', /\p{Script=Thai}/u], ['Bopomofo', /\p{Script=Bopomofo}/u],
];

/** The scripts of the letters in s (digits, punctuation and marks are script-neutral). */
export function scriptsOf(s: string): Set<string> {
  const found = new Set<string>();
  for (const ch of s) {
    if (!/\p{L}/u.test(ch)) continue;
    found.add(SCRIPTS.find(([, re]) => re.test(ch))?.[0] ?? 'Other');
  }
  return found;
}

/**
 * Japanese text legitimately mixes Latin, Han, Hiragana and Katakana (UTS #39 "highly restrictive"
 * allows exactly this set); any other mix — Latin with Cyrillic or Greek above all, the
 * look-alike letters — is refused. A single other script is allowed where noted by the caller.
 */
const JAPANESE = new Set(['Latin', 'Han', 'Hiragana', 'Katakana']);
export function mixedScripts(s: string): boolean {
  const scripts = scriptsOf(s);
  if (scripts.size <= 1) return false;
  return ![...scripts].every((x) => JAPANESE.has(x));
}

// --- e-mail addresses (item 40) ---------------------------------------------------------------

/** RFC 5322 atext: the local part is a dot-atom of these, so no quotes, comments or spaces. */
const LOCAL_PART = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/;
const LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;

export type EmailCheck = { ok: true; email: string } | { ok: false };

/**
 * A plain `local@domain`, returned in the one form it is stored in and handed to the mailer.
 * Outer whitespace (a paste) is dropped; anything else is refused, never repaired: a quoted or
 * commented address, whitespace or an invisible character anywhere, a non-ASCII local part
 * (SMTPUTF8 is not assumed of the receiving servers), a domain mixing scripts. The domain is
 * IDNA-converted (UTS #46 via node:url) and lower-cased: `例え.jp` is stored as `xn--r8jz45g.jp`.
 */
export function checkEmail(input: string): EmailCheck {
  const email = input.replace(/^[ \t\r\n]+|[ \t\r\n]+$/g, '');
  if (email.length > 254 || hasInvisible(email)) return { ok: false };
  const at = email.indexOf('@');
  if (at < 1 || at !== email.lastIndexOf('@')) return { ok: false };
  const local = email.slice(0, at);
  const domainText = email.slice(at + 1);
  if (local.length > 64 || !LOCAL_PART.test(local)) return { ok: false };
  // Each label on its own: a Japanese label may mix its scripts, a Latin label may not take a Cyrillic а.
  if (domainText.split(/[.\u3002\uFF0E\uFF61]/).some((label) => mixedScripts(label.normalize('NFKC')))) return { ok: false };
  const domain = domainToASCII(domainText).toLowerCase();
  if (!domain || domain.length > 253) return { ok: false };
  const labels = domain.split('.');
  if (labels.length < 2 || !labels.every((l) => LABEL.test(l)) || /^[0-9]+$/.test(labels.at(-1)!)) return { ok: false };
  const full = `${local}@${domain}`;
  return full.length <= 254 ? { ok: true, email: full } : { ok: false };
}

/**
 * The domain as stored (IDNA, lower case) for comparing a typed address with a stored one in
 * identity verification; the local part stays exact (RFC 5321 §2.4: only the receiving server may
 * fold it). Input that is not an address is only trimmed, so it simply does not match.
 */
export function emailForComparison(input: string): string {
  const checked = checkEmail(input);
  if (checked.ok) return checked.email;
  const email = input.trim();
  const at = email.lastIndexOf('@');
  return at < 0 ? email : email.slice(0, at + 1) + email.slice(at + 1).toLowerCase();
}

// --- login IDs (item 41) ----------------------------------------------------------------------

export const MAX_LOGIN_ID = 254;

/**
 * The form login IDs are compared by, for uniqueness and at login: outer whitespace dropped,
 * NFKC (full-width ｔａｒｏ is taro, ① is 1), then case-folded. JavaScript has no full case folding;
 * upper- then lower-casing gives it for what matters here (ß → ss, final ς → σ, K/k/K alike).
 */
export function canonicalLoginId(input: string): string {
  return input.trim().normalize('NFKC').toUpperCase().toLowerCase().normalize('NFKC');
}

export type LoginIdProblem = 'invalid' | 'invisible' | 'script';
export type LoginIdCheck = { ok: true; loginId: string; canonical: string } | { ok: false; problem: LoginIdProblem };

/**
 * A login ID an admin (or the CLI) may give: 1–254 characters after trimming, no whitespace or
 * invisible character, and letters from Latin and the Japanese scripts only (Han, Hiragana,
 * Katakana) — Cyrillic and Greek letters are the look-alikes of Latin ones, so they are refused
 * even alone. Stored as typed (NFC), compared by canonicalLoginId.
 */
export function checkLoginId(input: string): LoginIdCheck {
  const loginId = input.trim().normalize('NFC');
  if (!loginId || loginId.length > MAX_LOGIN_ID) return { ok: false, problem: 'invalid' };
  if (hasInvisible(loginId)) return { ok: false, problem: 'invisible' };
  const canonical = canonicalLoginId(loginId);
  if (hasInvisible(canonical)) return { ok: false, problem: 'invisible' };
  const scripts = scriptsOf(canonical);
  if ([...scripts].some((s) => !JAPANESE.has(s))) return { ok: false, problem: 'script' };
  return { ok: true, loginId, canonical };
}
