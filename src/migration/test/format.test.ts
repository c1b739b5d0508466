// Reading legacy exports (issue 21 "Bad input"): BOM, broken quoting and non-UTF-8 bytes reported
// with their line, a file of another shape refused before any record is handed out.
import { describe, it, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileShapeError, readLegacyFile, sniffFormat, type SourceRecord } from '../format.ts';

function file(t: TestContext, name: string, content: string | Buffer): string {
  const dir = mkdtempSync(join(tmpdir(), 'bizportal-legacy-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const p = join(dir, name);
  writeFileSync(p, content);
  return p;
}
async function all(path: string): Promise<SourceRecord[]> {
  const out: SourceRecord[] = [];
  for await (const r of readLegacyFile(path, await sniffFormat(path))) out.push(r);
  return out;
}
const HEADER = 'ecid,contract,login_id,email,name,phone\n';

describe('legacy file formats', () => {
  it('CSV: BOM, CRLF, quoted line breaks, and the line each record starts on', async (t) => {
    const p = file(t, 'u.csv', `\uFEFF${HEADER.replace('\n', '\r\n')}e1,P1,taro,t@x.jp,"山田\r\n太郎",03\r\n\r\ne2,P1,hana,h@x.jp,花子,\r\n`);
    const r = await all(p);
    assert.deepEqual(r, [
      { line: 2, raw: { ecid: 'e1', contract: 'P1', login_id: 'taro', email: 't@x.jp', name: '山田\r\n太郎', phone: '03' } },
      { line: 5, raw: { ecid: 'e2', contract: 'P1', login_id: 'hana', email: 'h@x.jp', name: '花子', phone: '' } },
    ]);
  });
  it('CSV: broken quoting, a wrong field count and Shift_JIS bytes are reported on their line', async (t) => {
    const sjis = Buffer.from([0x8e, 0x52, 0x93, 0x63]); // 山田 in Shift_JIS
    const p = file(t, 'u.csv', Buffer.concat([Buffer.from(`${HEADER}e2,P1,b,b@x.jp\ne3,P1,c,c@x.jp,`), sjis, Buffer.from(',1\ne4,P1,d,d@x.jp,D,1\ne5,P1,e,e@x.jp,"E"x,1\ne6,P1,f,f@x.jp,F,1\n')]));
    const r = await all(p);
    // A broken quote: csv-parse reads on inside the field, so the report also says the quote was never closed.
    assert.deepEqual(r.map((x) => ('raw' in x ? [x.line, x.raw.ecid, x.raw.name?.includes('\uFFFD')] : [x.line, x.problem])), [
      [2, 'broken_csv'], [3, 'e3', true], [4, 'e4', false], [5, 'broken_csv'], [6, 'broken_csv'],
    ]);
  });
  it('CSV: another shape is refused before any record', async (t) => {
    await assert.rejects(all(file(t, 'u.csv', 'id,mail\n1,a@x.jp\n')), (e: Error) => e instanceof FileShapeError && /missing column\(s\) ecid, contract, login_id, email, name; unknown column\(s\) id, mail/.test(e.message));
    await assert.rejects(all(file(t, 'u.csv', '')), FileShapeError);
  });
  it('JSON: an array of objects, each on the line it starts', async (t) => {
    const p = file(t, 'u.json', '\uFEFF[\n  {"ecid": "e1", "contract": "P1", "login_id": "taro", "email": "t@x.jp", "name": "太郎 {x}", "phone": 312345678},\n  {"ecid": "e2",\n   "contract": "P1", "login_id": "b", "email": "b@x.jp", "name": "B\\"q"},\n  [1],\n  {"ecid": \n]\n');
    const r = await all(p);
    assert.deepEqual(r, [
      { line: 2, raw: { ecid: 'e1', contract: 'P1', login_id: 'taro', email: 't@x.jp', name: '太郎 {x}', phone: '312345678' } },
      { line: 3, raw: { ecid: 'e2', contract: 'P1', login_id: 'b', email: 'b@x.jp', name: 'B"q' } },
      { line: 5, problem: 'not_an_object', detail: 'not an object of ecid, contract, login_id, email, name, …' },
      { line: 6, problem: 'broken_json', detail: 'not valid JSON' },
      { line: 8, problem: 'broken_json', detail: 'the array is not closed' },
    ]);
  });
  it('JSON: a bare value is a bad row on its line', async (t) => {
    const p = file(t, 'u.json', '[{"ecid": "e1", "contract": "P1", "login_id": "a", "email": "a@x.jp", "name": "A"},\n12345 , true]');
    assert.deepEqual((await all(p)).map((r) => [r.line, 'problem' in r ? r.problem : 'row']), [[1, 'row'], [2, 'not_an_object'], [2, 'not_an_object']]);
  });
  it('JSON: another shape is refused before any record', async (t) => {
    await assert.rejects(all(file(t, 'u.json', '[{"id": 1}]')), (e: Error) => e instanceof FileShapeError && /missing column/.test(e.message));
    await assert.rejects(all(file(t, 'u.csv', '{"users": []}')), FileShapeError); // sniffed as CSV: its header is not ours
  });
});
