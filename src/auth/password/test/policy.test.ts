// SPEC S2.2 and SECURITY.md items 1–2: seed rules for business/partner-child/legacy6, a nist preset,
// every unmet rule reported at once, common and context words refused.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { checkPassword, policies, ruleHints, SEED_004_SYMBOLS, type PasswordContext, type PasswordPolicy } from '../policy.ts';

const ctx = { loginId: 'kzm-ops', email: 'hanako.s@example.co.jp', name: '山田 太郎' };
const noCtx = { loginId: '', email: '', name: '' };
const business = policies['business']!;
const nist = policies['nist']!;
const check = (p: PasswordPolicy, pw: string, c: PasswordContext = ctx) => checkPassword(p, pw, c);

describe('business policy (seed 004)', () => {
  it('accepts a password meeting every rule', () => {
    assert.deepEqual(check(business, 'Vq7#kLm2'), []);
  });

  it('counts 8 to 32 characters: 7 and 33 refused, 8 and 32 accepted', () => {
    assert.deepEqual(check(business, 'Vq7#kLm'), ['too_short']);
    assert.deepEqual(check(business, 'Vq7#kLm2'), []);
    const p32 = 'Vq7#kLm2'.repeat(4);
    assert.equal(p32.length, 32);
    assert.deepEqual(check(business, p32), []);
    assert.deepEqual(check(business, p32 + 'x'), ['too_long']);
  });

  it('needs a digit, an uppercase and a lowercase letter', () => {
    assert.deepEqual(check(business, 'Vqx#kLmz'), ['need_digit']);
    assert.deepEqual(check(business, 'vq7#klm2'), ['need_upper']);
    assert.deepEqual(check(business, 'VQ7#KLM2'), ['need_lower']);
  });

  it('lists every unmet rule at once', () => {
    assert.deepEqual(check(business, ' '), ['too_short', 'need_digit', 'need_upper', 'need_lower', 'bad_character']);
    assert.deepEqual(check(business, 'a b'), ['too_short', 'need_digit', 'need_upper', 'bad_character']);
  });

  it('accepts each seed symbol, and both ¥ and backslash', () => {
    assert.equal([...SEED_004_SYMBOLS].length, 31);
    for (const sym of [...SEED_004_SYMBOLS, '\\', '¥']) {
      assert.deepEqual(check(business, `Vq7kLm2${sym}`), [], `symbol ${sym}`);
    }
  });

  it('refuses characters outside the seed list: space, single quote, full-width, emoji, kanji', () => {
    for (const ch of [' ', "'", '　', 'Ａ', '１', '😀', '漢', '\t', 'é']) {
      assert.deepEqual(check(business, `Vq7kLm2${ch}`), ['bad_character'], `char ${JSON.stringify(ch)}`);
    }
  });

  it('never trims, truncates or folds the password', () => {
    assert.deepEqual(check(business, ' Vq7#kLm2'), ['bad_character']);   // not trimmed away
    assert.deepEqual(check(business, 'vq7#klm2vq7#klm2vq7#klm2vq7#klm2X'), ['too_long']); // not cut at 32
  });

  it('partner-child has the same rules', () => {
    const pc = policies['partner-child']!;
    assert.deepEqual({ ...pc, name: 'business' }, business);
    assert.deepEqual(check(pc, 'Vq7#kLm'), ['too_short']);
  });
});

describe('legacy6 policy (seed 000)', () => {
  const legacy6 = policies['legacy6']!;
  it('accepts 6 and refuses 5, keeps 32 as maximum and the composition', () => {
    assert.deepEqual(check(legacy6, 'Vq7#kL'), []);
    assert.deepEqual(check(legacy6, 'Vq7#k'), ['too_short']);
    assert.deepEqual(check(legacy6, 'Vq7#kLm2'.repeat(4) + 'x'), ['too_long']);
    assert.deepEqual(check(legacy6, 'vqx#kl'), ['need_digit', 'need_upper']);
  });
});

describe('nist policy (NIST 800-63B-4 §3.1.1.2)', () => {
  it('has no composition rules and allows spaces, quotes and any Unicode', () => {
    assert.deepEqual(check(nist, 'correct horse battery staple'), []);
    assert.deepEqual(check(nist, "it's raining in kyoto"), []);
    assert.deepEqual(check(nist, 'ねこがすきです。毎日'), []);
  });

  it('allows at least 64 and at most 128 characters', () => {
    assert.ok(nist.maxLength >= 64);
    const at = (n: number) => 'plum tree '.repeat(13).slice(0, n);
    assert.deepEqual(check(nist, at(64)), []);
    assert.deepEqual(check(nist, at(128)), []);
    assert.deepEqual(check(nist, at(129)), ['too_long']);
  });

  it('counts code points, not UTF-16 units: emoji and supplementary kanji are one each', () => {
    const emoji = '😀🎉🚀🌸🍣🗻🎌🐱';   // 8 code points, 16 UTF-16 units
    assert.equal(emoji.length, 16);
    assert.deepEqual(check(nist, emoji), []);
    assert.deepEqual(check(nist, emoji.slice(0, 14)), ['too_short']);   // 7 code points
    const kanji = '𠮷野家の牛丼最高';   // 𠮷 is outside the BMP: 8 code points, 9 units
    assert.deepEqual(check(nist, kanji), []);
    assert.deepEqual(check(nist, '𠮷野'.repeat(64)), []);   // 192 units, 128 code points
    assert.deepEqual(check(nist, '𠮷野'.repeat(64) + '𠮷'), ['too_long']);
  });

  it('refuses control characters and lone surrogates even with any-character', () => {
    assert.deepEqual(check(nist, 'quiet\u0000meadow'), ['bad_character']);
    assert.deepEqual(check(nist, 'quiet\ud800meadow'), ['bad_character']);
  });

  it('refuses common passwords', () => {
    assert.deepEqual(check(nist, 'password'), ['common']);
    assert.deepEqual(check(nist, 'i love you'), ['common']);
  });
});

describe('common passwords (ASVS 6.2.4)', () => {
  it('refuses listed passwords that meet the composition rules', () => {
    for (const pw of ['Password1', 'Passw0rd!', 'P@ssw0rd', 'Qwerty123', 'Abcd1234', 'Aa123456',
      'Welcome123', 'Summer2024!', 'Tokyo2020', 'Admin123', 'Letmein1', 'Iloveyou1', 'Sakura2025']) {
      assert.deepEqual(check(business, pw, noCtx), ['common'], pw);
    }
  });
});

describe('context words (ASVS 6.2.11/6.2.12)', () => {
  it('refuses the login ID, case-insensitively', () => {
    assert.deepEqual(check(business, 'KZM-OPS#9x'), ['contains_login_id']);
  });

  it('refuses the e-mail address and its local part', () => {
    assert.deepEqual(check(business, 'Xhanako.s9'), ['contains_email']);
    const c = { ...noCtx, email: 'Ab@example.com' };
    assert.deepEqual(check(business, 'Qab#7xyZ', c), []);   // local part under 3 characters is not checked
    assert.deepEqual(check(business, 'Q7ab@example.com', c), ['contains_email']);
  });

  it('refuses each part of the name, split on half- and full-width spaces', () => {
    assert.deepEqual(check(business, 'Vq7#山田Lm', { ...ctx, name: '山田 太郎' }), ['bad_character', 'contains_name']);
    assert.deepEqual(check(nist, 'meadow 太郎 river'), ['contains_name']);
    assert.deepEqual(check(nist, 'meadow 太郎 river', { ...ctx, name: '山田　太郎' }), ['contains_name']);
    assert.deepEqual(check(business, 'Yamada#7x', { ...ctx, name: 'Taro YAMADA' }), ['contains_name']);
    assert.deepEqual(check(business, 'Ed#7xQzLm', { ...ctx, name: 'Ed Wu' }), []);   // Latin parts under 3 ignored
  });

  it('refuses the product name, with or without spaces', () => {
    assert.deepEqual(check(business, 'BizPortal#7'), ['contains_product']);
    assert.deepEqual(check(business, 'BusinessPortal7'), ['contains_product']);
    assert.deepEqual(check(nist, 'my Business Portal pw'), ['contains_product']);
    assert.deepEqual(check(business, 'AcmeKanri#7', { ...ctx, productWords: ['ACME Kanri'] }), ['contains_product']);
  });
});

describe('ruleHints', () => {
  it('lists the composition rules for business and only the rest for nist', () => {
    assert.deepEqual(ruleHints(business), ['too_short', 'too_long', 'need_digit', 'need_upper', 'need_lower',
      'bad_character', 'common', 'contains_login_id', 'contains_email', 'contains_name', 'contains_product']);
    assert.deepEqual(ruleHints(nist), ['too_short', 'too_long', 'common', 'contains_login_id',
      'contains_email', 'contains_name', 'contains_product']);
  });
});
