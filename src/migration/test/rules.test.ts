// SPEC S11's rules on their own (issue 21 "Tests": every rule with edge cases).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { canonicalLoginId } from '../../lib/canonical.ts';
import { checkColumns, checkRow, decideLoginId, DEFAULT_PHONE, legacyHashScheme, migratePhone } from '../rules.ts';

describe('phone (seed 004)', () => {
  it('keeps 4–32 digits as they are', () => {
    assert.deepEqual(migratePhone('0312345678'), { phone: '0312345678', change: null });
    assert.deepEqual(migratePhone('1234'), { phone: '1234', change: null });
    assert.deepEqual(migratePhone('1'.repeat(32)), { phone: '1'.repeat(32), change: null });
  });
  it('removes every non-digit when that leaves 4–32 digits', () => {
    assert.deepEqual(migratePhone('03-1234-5678'), { phone: '0312345678', change: 'digits_only' });
    assert.deepEqual(migratePhone('+81 (3) 1234'), { phone: '8131234', change: 'digits_only' });
    assert.deepEqual(migratePhone('０３－１２３４－５６７８'), { phone: '0312345678', change: 'digits_only' });
  });
  it('sets the default otherwise, empty included', () => {
    for (const p of ['123', '', '1'.repeat(40), 'なし', '1-2-3', '1'.repeat(33)]) assert.deepEqual(migratePhone(p), { phone: DEFAULT_PHONE, change: 'default' }, p);
    assert.deepEqual(migratePhone('12-34'), { phone: '1234', change: 'digits_only' });
  });
});

describe('login ID (seed 004)', () => {
  const takenBy = (...ids: string[]) => (c: string) => ids.map(canonicalLoginId).includes(c);
  it('is copied when free', () => {
    assert.deepEqual(decideLoginId('sample@ntt.com', 'ecid1234567890', takenBy('other')), { ok: true, loginId: 'sample@ntt.com', changed: false });
  });
  it('becomes login ID + "_" + ecid on a collision, compared by the canonical form', () => {
    assert.deepEqual(decideLoginId('sample@ntt.com', 'ecid1234567890', takenBy('sample@ntt.com')), { ok: true, loginId: 'sample@ntt.com_ecid1234567890', changed: true });
    assert.deepEqual(decideLoginId('Sample@NTT.com', 'e1', takenBy('ｓａｍｐｌｅ@ntt.com')), { ok: true, loginId: 'Sample@NTT.com_e1', changed: true });
  });
  it('an already suffixed legacy ID that collides is suffixed again', () => {
    assert.deepEqual(decideLoginId('a@x.jp_e1', 'e1', takenBy('a@x.jp_e1')), { ok: true, loginId: 'a@x.jp_e1_e1', changed: true });
  });
  it('refuses the row when the suffixed ID is taken too', () => {
    assert.deepEqual(decideLoginId('a@x.jp', 'e1', takenBy('a@x.jp', 'A@X.JP_E1')), { ok: false, problem: 'login_id_suffix_taken' });
  });
  it('refuses the row when the suffixed ID would be too long', () => {
    const long = `${'a'.repeat(250)}@x.jp`.slice(0, 254);
    assert.deepEqual(decideLoginId(long, 'e1', takenBy(long)), { ok: false, problem: 'login_id_suffix_invalid' });
  });
});

describe('a row', () => {
  const good = { ecid: 'e1', contract: 'P1', login_id: 'taro', email: 'taro@Example.COM', name: '山田　太郎 ', phone: '03-1234-5678' };
  it('copies e-mail (stored form) and name (exactly), applies the phone rule and defaults', () => {
    const r = checkRow(good);
    assert.ok(r.ok);
    assert.equal(r.row.email, 'taro@example.com');
    assert.equal(r.row.emailChanged, true);
    assert.equal(r.row.name, '山田　太郎 ');
    assert.deepEqual(r.row.phone, { phone: '0312345678', change: 'digits_only' });
    assert.equal(r.row.role, 'general');
    assert.equal(r.row.lang, 'ja');
    assert.equal(r.row.parentContract, null);
  });
  it('reports every problem of a malformed row', () => {
    const r = checkRow({ ecid: 'e 1', contract: '', login_id: '', email: 'not-mail', name: '', role: 'boss', lang: 'fr', password_policy: 'weak', password_hash: 'md5:abc' });
    assert.deepEqual(r, { ok: false, problems: ['ecid_invalid', 'contract_invalid', 'login_id_invalid', 'email_invalid', 'name_invalid', 'role_invalid', 'lang_invalid', 'password_policy_invalid', 'password_hash_invalid'] });
  });
  it('refuses text that was not UTF-8 (decoded to U+FFFD)', () => {
    assert.deepEqual(checkRow({ ...good, name: '\uFFFD\uFFFD' }), { ok: false, problems: ['not_utf8'] });
  });
  it('a child contract names its partner, not itself', () => {
    const r = checkRow({ ...good, parent_contract: 'P0' });
    assert.ok(r.ok && r.row.parentContract === 'P0');
    assert.deepEqual(checkRow({ ...good, parent_contract: 'P1' }), { ok: false, problems: ['parent_contract_invalid'] });
  });
  it('knows the legacy hash schemes, never verifying them', () => {
    assert.equal(legacyHashScheme(`$2b$10$${'a'.repeat(53)}`), 'bcrypt');
    assert.equal(legacyHashScheme(`pbkdf2_sha256$600000$c2FsdA$${'A'.repeat(43)}=`), 'pbkdf2_sha256');
    assert.equal(legacyHashScheme('5f4dcc3b5aa765d61d8327deb882cf99'), null);
  });
  it('a header of another shape', () => {
    assert.deepEqual(checkColumns(['ecid', 'contract', 'login_id', 'email', 'name']), { missing: [], unknown: [], repeated: [] });
    assert.deepEqual(checkColumns(['id', 'mail', 'name', 'name']), { missing: ['ecid', 'contract', 'login_id', 'email'], unknown: ['id', 'mail'], repeated: ['name'] });
  });
});
