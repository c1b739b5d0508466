// CSV cells (RFC 4180) and spreadsheet-formula neutralising (OWASP "CSV Injection"); pure, no database.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { csvCell, csvRow } from '../csv.ts';
import { jstDayStart, jstIso } from '../../auth/administration/audit-log.ts';

describe('admin CSV', () => {
  it('quotes only what needs it, doubling quotes', () => {
    assert.equal(csvCell('plain'), 'plain');
    assert.equal(csvCell('a,b'), '"a,b"');
    assert.equal(csvCell('say "hi"'), '"say ""hi"""');
    assert.equal(csvCell('two\nlines'), '"two\nlines"');
    assert.equal(csvCell(null), '');
    assert.equal(csvCell(42), '42');
  });

  it('a cell that a spreadsheet would evaluate gets a leading apostrophe', () => {
    for (const s of ['=1+2', '+1', '-1', '@SUM(A1)', '\tx', '\rx']) assert.ok(csvCell(s).replace(/^"/, '').startsWith(`'`), JSON.stringify(s));
    assert.equal(csvCell('=HYPERLINK("http://evil.example","x")'), `"'=HYPERLINK(""http://evil.example"",""x"")"`);
    assert.equal(csvCell('a=b'), 'a=b', 'only the first character matters');
    assert.equal(csvRow(['a', '=b', null]), `a,'=b,\r\n`);
  });

  it('dates are whole days in Japan time (UTC+9, no daylight saving)', () => {
    assert.equal(jstDayStart('2025-04-02'), Date.parse('2025-04-01T15:00:00Z'));
    assert.equal(jstDayStart('2024-02-29'), Date.parse('2024-02-28T15:00:00Z'));
    for (const bad of ['2025-02-29', '2025-13-01', '2025-4-2', '2025-04-02T00:00', '']) assert.equal(jstDayStart(bad), null, bad);
    assert.equal(jstIso(Date.parse('2025-04-01T15:00:00Z')), '2025-04-02T00:00:00+09:00');
  });
});
