// The console's date-time fields are Japan time (docs/decisions/052): a datetime-local value is read
// as JST, ISO 8601 with an offset is taken as it says, and impossible dates are refused, not rolled over.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseConsoleTime, parseJstLocal, toJstLocal } from '../time.ts';

describe('console times (JST)', () => {
  it('reads datetime-local values as JST and writes them back', () => {
    assert.equal(parseJstLocal('2026-03-04T00:00'), Date.parse('2026-03-03T15:00:00Z'));
    assert.equal(parseJstLocal('2026-03-04T00:00:30'), Date.parse('2026-03-03T15:00:30Z'));
    assert.equal(toJstLocal(Date.parse('2026-03-03T15:00:00Z')), '2026-03-04T00:00');
  });
  it('takes ISO 8601 with an offset as it says (the JSON API)', () => {
    assert.equal(parseConsoleTime('2026-03-03T15:00:00Z'), Date.parse('2026-03-03T15:00:00Z'));
    assert.equal(parseConsoleTime('2026-03-04T00:00+09:00'), Date.parse('2026-03-03T15:00:00Z'));
  });
  it('refuses what is not a time, and impossible dates instead of rolling them over', () => {
    for (const v of ['', 'tomorrow', '2026-02-30T10:00', '2026-02-30T10:00Z', '2026-13-01T00:00', '2026-03-04 00:00', '2026-03-04T24:00']) {
      assert.equal(parseConsoleTime(v), null, v);
    }
  });
});
