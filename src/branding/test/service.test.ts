// The branding service on both databases: what is stored, what is refused (and then nothing is
// stored), which row a page and a mail take each field from, and the audit trail.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { freshDb, testDialects } from '../../../test/helpers/db.ts';
import { createOrganisation } from '../../auth/service.ts';
import { DomainError } from '../../errors.ts';
import { clearBrand, mailBrand, setBrand, showBrand } from '../service.ts';
import { BrandCache, brandCacheFor } from '../cache.ts';
import { checkImage, sniffImageType, unsafeSvg } from '../images.ts';

const T0 = 1_800_000_000_000;
const ACTOR = { userId: null, ip: 'cli' };
export const PNG_1x1 = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');
const SVG = Buffer.from('<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><rect width="10" height="10" fill="#0b4f8a"/></svg>');

function fieldsOf(err: unknown): Record<string, string[]> {
  assert.ok(err instanceof DomainError, String(err));
  return Object.fromEntries(Object.entries(err.fields).map(([f, ps]) => [f, ps.map((p) => `${p.key} ${JSON.stringify(p.params ?? {})}`)]));
}

describe('brand images', () => {
  it('decides the type by content and refuses active SVG', () => {
    assert.equal(sniffImageType(PNG_1x1), 'image/png');
    assert.equal(sniffImageType(SVG), 'image/svg+xml');
    assert.equal(sniffImageType(Buffer.from('GIF89a....')), null);
    assert.equal(sniffImageType(Buffer.from([0, 0, 1, 0, 1, 0])), 'image/x-icon');
    assert.deepEqual(checkImage('logo', Buffer.from([0, 0, 1, 0, 1, 0])), { ok: false, problem: 'type' }, 'an ICO is no logo');
    assert.equal(unsafeSvg(Buffer.from('<svg><script>alert(1)</script></svg>')), 'script');
    assert.equal(unsafeSvg(Buffer.from('<svg onload="x()"></svg>')), 'event handler');
    assert.equal(unsafeSvg(Buffer.from('<svg><foreignObject/></svg>')), 'foreignObject');
    assert.equal(unsafeSvg(Buffer.from('<svg><image href="https://evil.example/x.png"/></svg>')), 'external reference');
    assert.equal(unsafeSvg(SVG), null);
    assert.deepEqual(checkImage('favicon', Buffer.alloc(64 * 1024 + 1, 1)), { ok: false, problem: 'too_large' });
  });
});

for (const dialect of testDialects()) {
  describe(`${dialect}: branding service`, () => {
    it('a brand copy that cannot be loaded (database away) gives the defaults, keeps what it had, and does not retry on every request', async (t) => {
      const h = await freshDb(dialect, t);
      const a = await createOrganisation(h.db, { name: 'Org A', kind: 'direct' }, T0);
      await setBrand(h.db, 'org', a.id, { text: { name_ja: 'A社', name_en: 'A' } }, ACTOR, T0);
      let now = 0;
      const cache = new BrandCache(h.db, 30_000, () => now);
      assert.equal((await cache.brandFor(a.id, 'business', 'en'))?.name, 'A');
      await h.db.schema.alterTable('brand_setting').renameTo('brand_setting_away').execute();
      now = 31_000;
      assert.equal((await cache.brandFor(a.id, 'business', 'en'))?.name, 'A', 'the copy it had, not an error');
      const fresh = new BrandCache(h.db, 30_000, () => now);
      assert.equal(await fresh.brandFor(a.id, 'business', 'en'), null, 'never loaded: the defaults, not an error');
      await h.db.schema.alterTable('brand_setting_away').renameTo('brand_setting').execute();
      now = 32_000;
      assert.equal(await fresh.brandFor(a.id, 'business', 'en'), null, 'within the retry pause: no new load');
      now = 36_500;
      assert.equal((await fresh.brandFor(a.id, 'business', 'en'))?.name, 'A', 'after it: loaded');
    });

    it('stores a preset and an organisation brand; the organisation wins field by field; pages and mails resolve alike', async (t) => {
      const h = await freshDb(dialect, t);
      const a = await createOrganisation(h.db, { name: 'Org A', kind: 'direct' }, T0);
      const b = await createOrganisation(h.db, { name: 'Org B', kind: 'direct' }, T0);
      await setBrand(h.db, 'preset', 'business', { text: { name_ja: 'プリセット名', name_en: 'Preset name', support_email: 'help@provider.example' }, colour: '#0b4f8a' }, ACTOR, T0);
      await setBrand(h.db, 'org', a.id, { text: { name_ja: 'A社ポータル', name_en: 'A Portal', footer_en: 'A Corp', support_phone: '03-1234-5678' }, logo: PNG_1x1 }, ACTOR, T0);

      const cache = brandCacheFor(h.db);
      const pa = await cache.brandFor(a.id, 'business', 'en');
      assert.equal(pa?.name, 'A Portal');
      assert.match(pa?.logoUrl ?? '', new RegExp(`^/brand/org/${a.id}/logo\\?v=[0-9a-f]{16}$`));
      assert.equal(pa?.themeUrl, '/brand/preset/business/theme.css?v=0b4f8a-1', 'the colour comes from the preset');
      assert.deepEqual(pa?.support, { email: 'help@provider.example', phone: '03-1234-5678', url: null, hours: null });
      assert.equal(pa?.footerCompany, 'A Corp');
      const pb = await cache.brandFor(b.id, 'business', 'ja');
      assert.equal(pb?.name, 'プリセット名', 'B has none of its own: the preset\'s');
      assert.equal(pb?.logoUrl, null);
      assert.equal(await cache.brandFor(null, 'partner-child', 'ja'), null, 'nothing set: the defaults');

      const users = await h.db.insertInto('app_user').values({
        id: 'uA', organisation_id: a.id, login_id: 'ua@example.com', email: 'ua@example.com', name: 'U A', phone: '0312345678', role: 'general', lang: 'ja',
        password_hash: null, password_set_at: null, second_factor: 'totp', security_epoch: 0, disabled_at: null, last_login_at: null, origin: 'portal', created_at: T0, updated_at: T0,
      }).execute();
      void users;
      const m = await mailBrand(h.db, 'uA', 'ja');
      assert.equal(m?.name, 'A社ポータル');
      assert.equal(m?.support.phone, '03-1234-5678');
      assert.equal((await mailBrand(h.db, null, 'ja'))?.name ?? null, 'プリセット名', 'an unknown user: the default preset');

      const shown = await showBrand(h.db, 'org', a.id);
      assert.equal(shown?.logo_type, 'image/png');
      assert.equal(shown?.colour, null);
      const audit = await h.db.selectFrom('audit_log').select(['event', 'organisation_id', 'detail']).orderBy('at').execute();
      assert.deepEqual(audit.map((r) => [r.event, JSON.parse(r.detail).scope, JSON.parse(r.detail).via]), [['brand.changed', 'preset', 'cli'], ['brand.changed', 'org', 'cli']]);
      assert.match(JSON.parse(audit[1]!.detail).fields, /name_ja,name_en,footer_en,support_phone,logo/);

      // A change in this process is seen at once (the cache is invalidated).
      await setBrand(h.db, 'org', a.id, { text: { name_en: '' }, logo: null }, ACTOR, T0 + 1);
      const after = await cache.brandFor(a.id, 'business', 'en');
      assert.equal(after?.name, 'Preset name', 'the cleared field falls back to the preset');
      assert.equal(after?.logoUrl, null);
      assert.equal(await clearBrand(h.db, 'org', a.id, ACTOR, T0 + 2), true);
      assert.equal(await showBrand(h.db, 'org', a.id), undefined);
      assert.equal(await clearBrand(h.db, 'org', a.id, ACTOR, T0 + 3), false);
    });

    it('refuses low contrast, bad fields and bad files, naming the ratio, and stores nothing', async (t) => {
      const h = await freshDb(dialect, t);
      const a = await createOrganisation(h.db, { name: 'Org A', kind: 'direct' }, T0);
      const refused = async (change: Parameters<typeof setBrand>[3]) => {
        try { await setBrand(h.db, 'org', a.id, change, ACTOR, T0); } catch (err) { return fieldsOf(err); }
        assert.fail('not refused');
      };
      assert.deepEqual(await refused({ colour: '#777777' }), { colour: ['brand.error.colour_contrast {"white":"4.47","page":"4.13","min":"4.5"}'] });
      assert.deepEqual(await refused({ colour: '#767676' }), { colour: ['brand.error.colour_contrast {"white":"4.54","page":"4.19","min":"4.5"}'] });
      assert.deepEqual(Object.keys(await refused({ colour: '#ffcc00', text: { name_ja: 'ok' } })), ['colour'], 'one bad field refuses the whole change');
      assert.deepEqual(await refused({ colour: 'blue' }), { colour: ['brand.error.colour_format {}'] });
      assert.deepEqual(Object.keys(await refused({ text: { support_url: 'http://example.com', support_email: 'nope', support_phone: 'call me', name_en: 'x'.repeat(61) } })).sort(),
        ['name_en', 'support_email', 'support_phone', 'support_url']);
      assert.deepEqual(await refused({ logo: Buffer.alloc(256 * 1024 + 1, 1) }), { logo: ['brand.error.file_too_large {"max":"256 KiB"}'] });
      assert.deepEqual(await refused({ logo: Buffer.from('GIF89a\x01\x00') }), { logo: ['brand.error.file_type {"formats":"PNG, SVG, WebP"}'] });
      assert.deepEqual(await refused({ logo: Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>') }), { logo: ['brand.error.svg_unsafe {"reason":"script"}'] });
      assert.equal(await showBrand(h.db, 'org', a.id), undefined, 'nothing stored');
      assert.equal((await h.db.selectFrom('audit_log').select('id').execute()).length, 0, 'nothing audited');
      await assert.rejects(setBrand(h.db, 'preset', 'nope', { colour: '#0b4f8a' }, ACTOR, T0), (e: unknown) => e instanceof DomainError && 'preset' in e.fields);
      await assert.rejects(setBrand(h.db, 'org', 'missing', { colour: '#0b4f8a' }, ACTOR, T0), (e: unknown) => e instanceof DomainError && e.code === 'portal.unknown_organisation');
      const ok = await setBrand(h.db, 'org', a.id, { colour: '#0B4F8A', logo: SVG }, ACTOR, T0);
      assert.equal(ok.colour, '#0b4f8a');
      assert.equal(ok.logo_type, 'image/svg+xml');
    });
  });
}
