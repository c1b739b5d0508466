// S8 keyword rule, pure: folding, splitting on full-width and half-width spaces, LIKE escaping.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { containsPattern, contractSearchText, foldText, searchTerms, MAX_TERMS } from '../search.ts';

describe('contract keyword rule (S8)', () => {
  it('folds width and case alike for stored text and terms', () => {
    assert.equal(foldText('ｎ１２３'), 'n123');
    assert.equal(foldText('N123'), 'n123');
    assert.equal(foldText('ｶﾅ'), 'カナ');
    assert.equal(foldText('ＡＢＣ'), 'abc');
  });
  it('splits on half-width and full-width spaces, drops empties and duplicates', () => {
    assert.deepEqual(searchTerms('営業部　東京 ｎ１２３  N123'), ['営業部', '東京', 'n123']);
    assert.deepEqual(searchTerms('　 '), []);
    assert.deepEqual(searchTerms(undefined), []);
    assert.equal(searchTerms(Array.from({ length: 30 }, (_, i) => `t${i}`).join(' ')).length, MAX_TERMS);
  });
  it('escapes LIKE metacharacters so they match literally', () => {
    assert.equal(containsPattern('100%'), '%100\\%%');
    assert.equal(containsPattern('a_b'), '%a\\_b%');
    assert.equal(containsPattern('c:\\x'), '%c:\\\\x%');
  });
  it('search text covers number, group number, site, memo and both service names, folded', () => {
    const s = contractSearchText({ number: 'N123456789', groupNumber: 'G1', site: 'ﾃﾞｰﾀｾﾝﾀｰ', memo: 'Memo', serviceNameJa: 'スマートPBX', serviceNameEn: 'Smart PBX' });
    assert.equal(s, 'n123456789 g1 データセンター memo スマートpbx smart pbx');
  });
});
