// Every template renders in both languages with every param in place and nothing left unreplaced.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { MAIL_KINDS, formatMailTime, renderMail, type MailKind, type MailLang, type MailParams } from '../templates.ts';

const AT = Date.UTC(2025, 3, 1, 6, 30); // 2025-04-01 15:30 JST

const samples: MailParams = {
  starting_guide: {
    profileName: 'ビジネスポータル', userName: '山田 太郎', loginId: 'yamada@example.co.jp',
    setupUrl: 'https://portal.example.com/auth/setup/abc.def', expiresAt: AT,
    loginUrl: 'https://portal.example.com/auth/login', helpUrl: 'https://portal.example.com/help/first-login',
  },
  password_reset: { profileName: 'ビジネスポータル', userName: '山田 太郎', resetUrl: 'https://portal.example.com/auth/reset/xyz', expiresAt: AT },
  mail_otp: { profileName: 'ビジネスポータル', code: '048213', expiresMinutes: 10 },
  password_changed: { profileName: 'ビジネスポータル', userName: '山田 太郎', at: AT },
  totp_enrolled: { profileName: 'ビジネスポータル', userName: '山田 太郎', at: AT },
  backup_code_used: { profileName: 'ビジネスポータル', userName: '山田 太郎', at: AT },
  backup_codes_regenerated: { profileName: 'ビジネスポータル', userName: '山田 太郎', at: AT },
  ticket_reply: { profileName: 'ビジネスポータル', userName: '山田 太郎', ticketNumber: 'T000012345', subject: 'ログインできません', ticketUrl: 'https://portal.example.com/tickets/abc' },
  order_update: {
    profileName: 'ビジネスポータル', userName: '山田 太郎', orderNumber: 'O-2027-0001', serviceName: 'コロケーション',
    orderUrl: 'https://portal.example.com/portal/orders/abc', what: 'planned_date', step: 'opened', plannedDate: '2027-03-01',
  },
  maintenance_notice: {
    profileName: 'ビジネスポータル', userName: '山田 太郎', title: '光ファイバー工事', status: 'confirmed', reason: 'published', startsAt: AT, endsAt: AT + 3_600_000,
    contracts: [{ number: 'N000000001', impact: 'outage' }], noticeUrl: 'https://portal.example.com/portal/notices/abc',
    unsubscribeUrl: null, settingsUrl: 'https://portal.example.com/portal/subscriptions',
  },
  maintenance_reminder: {
    profileName: 'ビジネスポータル', userName: '技術 連絡先', title: '光ファイバー工事', status: 'confirmed', moment: 'before', leadHours: 24, startsAt: AT, endsAt: null,
    contracts: [{ number: 'N000000002', impact: 'degraded' }], noticeUrl: null, settingsUrl: null,
    unsubscribeUrl: 'https://portal.example.com/notices/unsubscribe/abc.def',
  },
};

function render(kind: MailKind, lang: MailLang) {
  return renderMail(kind, lang, samples[kind] as never);
}

describe('mail templates', () => {
  it('covers every kind', () => {
    assert.deepEqual([...MAIL_KINDS].sort(), Object.keys(samples).sort());
  });

  for (const kind of MAIL_KINDS) {
    for (const lang of ['ja', 'en'] as const) {
      it(`${kind} (${lang}) renders every param and no placeholder`, () => {
        const { subject, bodyText } = render(kind, lang);
        for (const text of [subject, bodyText]) {
          assert.doesNotMatch(text, /[{}]|\$\{|undefined|NaN|\[object /);
        }
        assert.ok(subject.includes('ビジネスポータル'), subject);
        assert.doesNotMatch(subject, /[\r\n]/);
        for (const [key, value] of Object.entries(samples[kind])) {
          if (key === 'profileName') continue;
          // Codes the template turns into words (order_update: what changed, which step; maintenance_notice:
          // its status, reason and contract lines, checked below).
          if (kind === 'order_update' && (key === 'what' || key === 'step')) continue;
          if ((kind === 'maintenance_notice' || kind === 'maintenance_reminder') && ['status', 'reason', 'contracts', 'moment'].includes(key)) continue;
          if (value === null) continue;
          const shown = ['expiresAt', 'at', 'startsAt', 'endsAt'].includes(key) ? formatMailTime(value as number, lang) : String(value);
          assert.ok(bodyText.includes(shown), `${key} missing from ${kind}/${lang}`);
        }
      });
    }
  }

  it('maintenance_notice names each contract with its impact, and the status, in words', () => {
    assert.match(render('maintenance_notice', 'ja').bodyText, /N000000001：サービス停止/);
    assert.match(render('maintenance_notice', 'ja').bodyText, /状況：確定/);
    assert.match(render('maintenance_notice', 'en').bodyText, /N000000001: Outage/);
    assert.match(render('maintenance_notice', 'en').bodyText, /Status: Confirmed/);
  });

  it('uses the subjects the seeds name', () => {
    assert.equal(render('starting_guide', 'ja').subject, '【ビジネスポータル】ユーザー登録受付メール(開通案内)');
    assert.equal(render('password_reset', 'ja').subject, '【ビジネスポータル】パスワード再設定メール');
    assert.equal(render('mail_otp', 'ja').subject, '【ビジネスポータル】メールワンタイムパスワード');
  });

  it('order_update names the step in words', () => {
    assert.match(render('order_update', 'ja').bodyText, /開通予定日が2027-03-01になりました。/);
    assert.match(renderMail('order_update', 'en', { ...samples.order_update, what: 'milestone', step: 'constructing' }).bodyText, /The step "Construction" is done\./);
  });

  it('shows times in Japan time with the zone named', () => {
    assert.equal(formatMailTime(AT, 'ja'), '2025年4月1日(火) 15:30(日本時間)');
    assert.equal(formatMailTime(AT, 'en'), 'Tue, 1 Apr 2025, 15:30 (Japan time, UTC+9)');
  });

  it('keeps a line break in the profile name out of the Subject header', () => {
    const { subject } = renderMail('mail_otp', 'en', { profileName: 'Portal\r\nBcc: x@evil.example', code: '1', expiresMinutes: 5 });
    assert.doesNotMatch(subject, /[\r\n]/);
  });
});

// Compile-time checks (tsc): a missing or mistyped param is an error.
export function typeChecks(): void {
  // @ts-expect-error expiresMinutes is missing
  renderMail('mail_otp', 'ja', { profileName: 'p', code: '123456' });
  // @ts-expect-error expiresAt is epoch ms, not a string
  renderMail('password_reset', 'en', { profileName: 'p', userName: 'u', resetUrl: 'https://x', expiresAt: '2025-01-01' });
  // @ts-expect-error no such language
  renderMail('password_changed', 'fr', { profileName: 'p', userName: 'u', at: 0 });
}
