// SPEC S2.1/S4 identity verification: name exact («名前は全角/半角スペースを区別します»), phone as
// digits, every field compared, any wrong field → false (SECURITY.md stance 4, item 7).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { matchIdentity, normalizePhone, profileIdentityFields, type IdentityField } from '../match.ts';

const stored = { loginId: 'sample@example.co.jp_ecid1234567890', email: 'Taro.Yamada@Example.CO.JP', name: '山田 太郎', phone: '0312345678' };
const all: IdentityField[] = ['loginId', 'email', 'name', 'phone'];

describe('matchIdentity', () => {
  it('matches when every listed field is right', () => {
    assert.equal(matchIdentity(all, stored, { ...stored }), true);
  });

  it('name: half-width and full-width spaces differ', () => {
    assert.equal(matchIdentity(['name'], stored, { name: '山田 太郎' }), true);
    assert.equal(matchIdentity(['name'], stored, { name: '山田　太郎' }), false);
    assert.equal(matchIdentity(['name'], { ...stored, name: '山田　太郎' }, { name: '山田　太郎' }), true);
    assert.equal(matchIdentity(['name'], { ...stored, name: '山田　太郎' }, { name: '山田 太郎' }), false);
  });

  it('name: exact otherwise — no trimming, no width folding; only a trailing newline and NFC', () => {
    assert.equal(matchIdentity(['name'], stored, { name: '山田太郎' }), false);
    assert.equal(matchIdentity(['name'], stored, { name: ' 山田 太郎' }), false);
    assert.equal(matchIdentity(['name'], stored, { name: '山田 太郎 ' }), false);
    assert.equal(matchIdentity(['name'], stored, { name: '山田  太郎' }), false);
    assert.equal(matchIdentity(['name'], stored, { name: '山田 太郎\n' }), true);
    assert.equal(matchIdentity(['name'], { ...stored, name: 'ヤマダ' }, { name: 'ﾔﾏﾀﾞ' }), false);
    assert.equal(matchIdentity(['name'], { ...stored, name: 'Taro Yamada' }, { name: 'taro yamada' }), false);
    assert.equal(matchIdentity(['name'], { ...stored, name: 'ガク' }, { name: 'カ\u3099ク' }), true);
  });

  it('phone: hyphens, spaces and full-width digits are accepted', () => {
    for (const phone of ['03-1234-5678', '０３−１２３４−５６７８', '03 1234 5678', '０３ー１２３４ー５６７８', '(03)1234-5678', '0312345678']) {
      assert.equal(matchIdentity(['phone'], stored, { phone }), true, phone);
    }
    assert.equal(matchIdentity(['phone'], stored, { phone: '+81312345678' }), false);
    assert.equal(matchIdentity(['phone'], stored, { phone: '031234567' }), false);
  });

  it('e-mail: outer whitespace trimmed, only the domain is case-insensitive', () => {
    assert.equal(matchIdentity(['email'], stored, { email: ' Taro.Yamada@example.co.jp ' }), true);
    assert.equal(matchIdentity(['email'], stored, { email: 'taro.yamada@example.co.jp' }), false);
    // The domain in its IDNA form: a typed Unicode domain matches the stored A-label.
    assert.equal(matchIdentity(['email'], { ...stored, email: 'taro@xn--r8jz45g.jp' }, { email: 'taro@例え.JP' }), true);
  });

  it('login ID: compared by its canonical form, as at login (NFKC, case-folded; item 41)', () => {
    assert.equal(matchIdentity(['loginId'], stored, { loginId: ` ${stored.loginId}\t` }), true);
    assert.equal(matchIdentity(['loginId'], stored, { loginId: stored.loginId.toUpperCase() }), true);
    assert.equal(matchIdentity(['loginId'], stored, { loginId: 'ｓａｍｐｌｅ@example.co.jp_ecid1234567890' }), true);
    assert.equal(matchIdentity(['loginId'], stored, { loginId: 'sаmple@example.co.jp_ecid1234567890' }), false, 'a Cyrillic а is another ID');
  });

  it('each wrong or missing field alone makes the whole answer false', () => {
    const wrong = { loginId: 'someone-else', email: 'x@example.co.jp', name: '山田 次郎', phone: '0399999999' };
    for (const field of all) {
      assert.equal(matchIdentity(all, stored, { ...stored, [field]: wrong[field] }), false, field);
      const { [field]: _omitted, ...rest } = stored;
      assert.equal(matchIdentity(all, stored, rest), false, `${field} missing`);
    }
  });

  it('never matches on an empty list or an empty stored value', () => {
    assert.equal(matchIdentity([], stored, stored), false);
    assert.equal(matchIdentity(['phone'], { ...stored, phone: '' }, { phone: '' }), false);
    assert.equal(matchIdentity(['phone'], { ...stored, phone: '' }, { phone: '--' }), false);
  });

  it('ignores given fields the profile does not ask', () => {
    assert.equal(matchIdentity(['loginId', 'email'], stored, { loginId: stored.loginId, email: stored.email, name: 'wrong' }), true);
  });
});

describe('normalizePhone', () => {
  it('keeps only digits of a formatted number', () => {
    assert.equal(normalizePhone('０３−１２３４−５６７８'), '0312345678');
    assert.equal(normalizePhone('03‐1234–5678'), '0312345678');
    assert.equal(normalizePhone('090 1234 5678'), '09012345678');
    assert.equal(normalizePhone('abc'), 'abc');
  });
});

describe('profileIdentityFields (S2.1, S4)', () => {
  it('business asks e-mail, name, phone at first login and adds the login ID for reset', () => {
    assert.deepEqual(profileIdentityFields.business, { firstLogin: ['email', 'name', 'phone'], reset: ['loginId', 'email', 'name', 'phone'] });
  });
  it('partner-child asks login ID and e-mail for both', () => {
    assert.deepEqual(profileIdentityFields['partner-child'], { firstLogin: ['loginId', 'email'], reset: ['loginId', 'email'] });
  });
});
