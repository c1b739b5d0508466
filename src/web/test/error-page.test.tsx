// The error page's support box: only the contact fields the brand sets, the fallback without any;
// the heading per status. Rendered directly (the branding module that sets req.pageBrand is separate).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { renderToString } from 'preact-render-to-string';
import { translator } from '../../messages.ts';
import { DEFAULT_BRAND, type Brand } from '../brand.ts';
import { ErrorPage, errorKind } from '../views/error-page.tsx';
import type { PageCtx } from '../views/layout.tsx';

function ctx(lang: 'ja' | 'en', brand: Brand): PageCtx {
  return { t: translator(lang), lang, path: '/x', csrf: '', user: null, portal: { id: 'business', query: '', helpUrl: '/help' }, brand, requestId: 'req-42' };
}
const support = (s: Partial<Brand['support']>): Brand => ({ ...DEFAULT_BRAND, support: { email: null, phone: null, url: null, hours: null, ...s } });

describe('error page', () => {
  it('shows the support contact fields that are set, and only those', () => {
    const html = renderToString(ErrorPage({ ctx: ctx('ja', support({ email: 'help@example.jp', hours: '平日 9:00–18:00' })), message: 'x', status: 503 }));
    assert.match(html, /<h1>ただいまサービスを一時停止しています<\/h1>/);
    assert.match(html, /サポート窓口/);
    assert.match(html, /href="mailto:help@example.jp"/);
    assert.match(html, /平日 9:00–18:00/);
    assert.doesNotMatch(html, /電話|href="tel:/, 'no phone set: no phone row');
    assert.doesNotMatch(html, /ポータル管理者にお問い合わせください/, 'a contact is set: no fallback');
    assert.match(html, /お問い合わせ番号: <code>req-42<\/code>/);
  });

  it('falls back to the portal administrator without a contact; a phone becomes a tel: link', () => {
    const none = renderToString(ErrorPage({ ctx: ctx('en', DEFAULT_BRAND), message: 'x', status: 404 }));
    assert.match(none, /contact your portal administrator/);
    assert.doesNotMatch(none, /<h2[^>]*>Support<\/h2>/);
    const phone = renderToString(ErrorPage({ ctx: ctx('en', support({ phone: '03-1234-5678', url: 'javascript:alert(1)' })), message: 'x', status: 410 }));
    assert.match(phone, /<h1>This link has expired<\/h1>/);
    assert.match(phone, /href="tel:0312345678"/);
    assert.doesNotMatch(phone, /javascript:/, 'only http(s) support URLs become links');
  });

  it('maps statuses without their own page to 400 and 500', () => {
    assert.equal(errorKind(404), 404);
    assert.equal(errorKind(422), 400);
    assert.equal(errorKind(502), 500);
  });
});
