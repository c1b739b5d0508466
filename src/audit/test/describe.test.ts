// The event catalogue in words (issue 20 item 3): every event has a sentence in ja and en, details
// are told per event family from the fields that family knows, missing fields leave no holes,
// unknown fields are dropped (never dumped), and a detail value is text, escaped on the page.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { renderToString } from 'preact-render-to-string';
import { AUDIT_EVENTS } from '../log.ts';
import { auditRowText, describeAuditRow, eventSentence } from '../describe.ts';
import { sentencesEn } from '../sentences-en.ts';
import { sentencesJa } from '../sentences-ja.ts';
import { AuditEventText } from '../view.tsx';

const JSONISH = /[{}"]|\w+\.\w+_\w+/; // JSON punctuation or an event code such as login.second_step_skipped

describe('audit event catalogue', () => {
  it('every event has its own non-empty sentence in ja and en, and no sentence is a code', () => {
    for (const e of AUDIT_EVENTS) {
      for (const lang of ['ja', 'en'] as const) {
        const s = eventSentence(e, lang);
        assert.ok(s.trim().length > 1, `${lang} ${e}`);
        assert.notEqual(s, e, `${lang} ${e} is told in words`);
        assert.doesNotMatch(s, JSONISH, `${lang} ${e}`);
      }
      assert.notEqual(sentencesEn[e], sentencesJa[e], `${e}: ja is not a copy of en`);
    }
    // Two events that read the same would be indistinguishable in the filter select.
    for (const lang of ['ja', 'en'] as const) {
      const all = AUDIT_EVENTS.map((e) => eventSentence(e, lang));
      assert.equal(new Set(all).size, all.length, `${lang}: sentences are distinct`);
    }
  });

  it('factor and reasons in words: «ログイン成功(認証アプリ)», «2段階認証コードの誤り»', () => {
    assert.equal(describeAuditRow({ event: 'login.succeeded', factor: 'totp' }, 'ja').sentence, 'ログイン成功(認証アプリ)');
    assert.equal(describeAuditRow({ event: 'login.succeeded', factor: 'totp' }, 'en').sentence, 'Signed in (authenticator app)');
    assert.equal(describeAuditRow({ event: 'login.succeeded', factor: 'mail_otp' }, 'ja').sentence, 'ログイン成功(メールOTP)');
    assert.deepEqual(describeAuditRow({ event: 'mfa.totp_failed', factor: 'totp', detail: '{}' }, 'ja'), { sentence: '2段階認証コードの誤り', details: [] });
    assert.equal(describeAuditRow({ event: 'mfa.totp_failed', factor: 'totp' }, 'en').sentence, 'Wrong 2-step verification code');
    assert.deepEqual(describeAuditRow({ event: 'login.failed', factor: 'password', detail: '{"reason":"bad_password"}' }, 'ja').details, ['パスワードの誤り']);
    assert.deepEqual(describeAuditRow({ event: 'login.second_step_skipped', factor: 'totp', detail: { reason: 'trusted_browser' } }, 'en'),
      { sentence: 'Signed in without 2-step verification', details: ['on a trusted browser'] });
    // A factor the catalogue does not know is still shown, as it is, rather than lost.
    assert.equal(describeAuditRow({ event: 'login.succeeded', factor: 'passkey' }, 'en').sentence, 'Signed in (passkey)');
  });

  it('details per event family: a role change, a contact change, a group by name, a lock with its end', () => {
    assert.deepEqual(describeAuditRow({ event: 'user.role_changed', detail: { from: 'general', to: 'admin' } }, 'en').details, ['role: General User → Portal Admin']);
    assert.deepEqual(describeAuditRow({ event: 'user.role_changed', detail: { from: 'general', to: 'admin' } }, 'ja').details, ['権限: 一般ユーザー → ポータル管理者']);
    const contact = { fields: 'email,name', 'email.old': 'a@example.jp', 'email.new': 'b@example.jp', 'name.old': '山田', 'name.new': '山田 太郎', 'phone.old': 'x' };
    assert.deepEqual(describeAuditRow({ event: 'user.updated', detail: JSON.stringify(contact) }, 'ja').details,
      ['メールアドレス: a@example.jp → b@example.jp', '氏名: 山田 → 山田 太郎'], 'phone is not among the changed fields');
    const names = { group: (id: string) => (id === 'g1' ? 'Ops' : undefined) };
    assert.equal(auditRowText({ event: 'group.contracts_granted', detail: { group: 'g1', contracts: 'N123456789' } }, 'en', names),
      'Contracts shown to a group: group «Ops»; contracts: N123456789');
    assert.equal(auditRowText({ event: 'group.member_added', detail: { group: 'g1' } }, 'ja', names), 'グループに追加: グループ「Ops」');
    assert.equal(auditRowText({ event: 'group.member_added', detail: { group: 'gone' } }, 'ja', names), 'グループに追加', 'a deleted group: no id shown');
    const locked = describeAuditRow({ event: 'login.locked', factor: 'password', detail: { scope: 'account', lockedUntil: Date.UTC(2025, 3, 1, 1, 0), loginId: 'taro' }, repeatCount: 45, lastAt: Date.UTC(2025, 3, 1, 0, 30) }, 'ja');
    assert.equal(locked.sentence, '失敗が続いたためログインを一時停止(パスワード)');
    assert.deepEqual(locked.details, ['このログインIDに対して', '2025/04/01 10:00 JSTまで', 'ログインID: taro', '45回(最終: 2025/04/01 09:30 JST)']);
    assert.deepEqual(describeAuditRow({ event: 'profile.language_changed', detail: { from: 'ja', to: 'en' } }, 'ja').details, ['言語: 日本語 → 英語']);
    assert.deepEqual(describeAuditRow({ event: 'session.revoked_all', detail: { sessions: 3 } }, 'en').details, ['3 session(s) ended']);
    assert.deepEqual(describeAuditRow({ event: 'org.settings_changed', detail: { trustedBrowsers: false } }, 'ja').details, ['信頼済みブラウザ: 不許可']);
    assert.deepEqual(describeAuditRow({ event: 'org.settings_changed', detail: { name: 'After Ltd', passwordPolicy: null, mailOtp: true, via: 'cli' } }, 'en').details,
      ['name: After Ltd', 'password policy: the portal\'s own', 'one-time code by mail: allowed', 'via the command line']);
  });

  it('missing fields leave no holes; unknown fields, wrong types and broken JSON are dropped, not dumped', () => {
    assert.deepEqual(describeAuditRow({ event: 'user.role_changed', detail: { to: 'admin' } }, 'en').details, ['role: (none) → Portal Admin']);
    assert.deepEqual(describeAuditRow({ event: 'user.role_changed', detail: {} }, 'en').details, []);
    assert.deepEqual(describeAuditRow({ event: 'login.failed', detail: null }, 'en').details, []);
    const extra = describeAuditRow({ event: 'login.failed', detail: { reason: 'bad_password', secretish: 'XYZ', nested: { a: 1 } } }, 'en');
    assert.deepEqual(extra.details, ['wrong password']);
    assert.deepEqual(describeAuditRow({ event: 'session.revoked_all', detail: { sessions: '3; drop table' } }, 'en').details, [], 'a count that is not a number is dropped');
    assert.deepEqual(describeAuditRow({ event: 'session.revoked_all', detail: { sessions: { n: 1 } } }, 'en').details, []);
    for (const broken of ['{not json', '[1,2]', '"text"', 'null']) {
      assert.deepEqual(describeAuditRow({ event: 'network.added', detail: broken }, 'ja'), { sentence: '信頼済みネットワークを追加', details: [] }, broken);
    }
    for (const e of AUDIT_EVENTS) {
      const d = describeAuditRow({ event: e, factor: null, detail: { unknownField: 'LEAK-ME', 'x.old': 'LEAK-ME' } }, 'en');
      assert.ok(!d.details.join(' ').includes('LEAK-ME'), `${e} drops unknown fields`);
      assert.ok(!auditRowText({ event: e, detail: '{"zzz":1}' }, 'ja').includes('zzz'), e);
    }
    // A row written before an event was renamed keeps its code rather than vanishing.
    assert.deepEqual(describeAuditRow({ event: 'legacy.event', detail: { a: 1 } }, 'ja'), { sentence: 'legacy.event', details: [] });
  });

  it('a detail value is text: HTML in it is escaped on the page', () => {
    const d = describeAuditRow({ event: 'group.created', detail: { group: 'g', name: '<img src=x onerror=alert(1)>' } }, 'en');
    assert.deepEqual(d.details, ['group «<img src=x onerror=alert(1)>»'], 'the renderer returns the text as it is');
    const html = renderToString(AuditEventText({ d }));
    assert.doesNotMatch(html, /<img/);
    assert.match(html, /&lt;img src=x onerror=alert\(1\)>/);
    assert.match(html, /<div class="audit-text"><span class="audit-sentence">Group created<\/span><ul class="audit-details"><li>/);
  });
});

describe('docs/audit-events.md', () => {
  it('is the catalogue as it is (regenerate with src/audit/events-doc.ts)', async () => {
    const { readFile } = await import('node:fs/promises');
    const { auditEventsMarkdown } = await import('../events-doc.ts');
    assert.equal(await readFile(new URL('../../../docs/audit-events.md', import.meta.url), 'utf8'), auditEventsMarkdown());
  });
});
