// TOTP against the published vectors (SECURITY.md item 13), the ±1 window (item 15), the key URI
// (item 14), and a code computed here from first principles (node:crypto, not otpauth).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import {
  generateTotpSecret, groupKey, matchTotp, normalizeTotpInput, totpCodeAt, totpQrSvg, totpStep, totpUri,
  type TotpAlgorithm,
} from '../totp.ts';

const B32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
function base32Encode(bytes: Buffer): string {
  let bits = 0, value = 0, out = '';
  for (const b of bytes) {
    value = (value << 8) | b; bits += 8;
    while (bits >= 5) { out += B32[(value >>> (bits - 5)) & 31]; bits -= 5; }
  }
  return bits > 0 ? out + B32[(value << (5 - bits)) & 31] : out;
}
function base32Decode(text: string): Buffer {
  const out: number[] = [];
  let bits = 0, value = 0;
  for (const ch of text) {
    value = (value << 5) | B32.indexOf(ch); bits += 5;
    if (bits >= 8) { bits -= 8; out.push((value >>> bits) & 255); }
  }
  return Buffer.from(out);
}
/** RFC 4226 §5.3 dynamic truncation, written out independently of the module under test. */
function referenceHotp(key: Buffer, counter: number, digits = 6): string {
  const msg = Buffer.alloc(8);
  msg.writeBigUInt64BE(BigInt(counter));
  const mac = createHmac('sha1', key).update(msg).digest();
  const offset = mac[mac.length - 1]! & 0x0f;
  const binary = mac.readUInt32BE(offset) & 0x7fffffff;
  return String(binary % 10 ** digits).padStart(digits, '0');
}

const SEEDS: Record<TotpAlgorithm, string> = {
  SHA1: base32Encode(Buffer.from('12345678901234567890', 'ascii')),
  SHA256: base32Encode(Buffer.from('12345678901234567890123456789012', 'ascii')),
  SHA512: base32Encode(Buffer.from('1234567890123456789012345678901234567890123456789012345678901234', 'ascii')),
};

// RFC 6238 Appendix B: time (s) → SHA1, SHA256, SHA512, 8 digits.
const APPENDIX_B: Array<[number, string, string, string]> = [
  [59, '94287082', '46119246', '90693936'],
  [1111111109, '07081804', '68084774', '25091201'],
  [1111111111, '14050471', '67062674', '99943326'],
  [1234567890, '89005924', '91819424', '93441116'],
  [2000000000, '69279037', '90698825', '38618901'],
  [20000000000, '65353130', '77737706', '47863826'],
];

describe('RFC 6238 Appendix B vectors (item 13)', () => {
  for (const [seconds, sha1, sha256, sha512] of APPENDIX_B) {
    const expected: Record<TotpAlgorithm, string> = { SHA1: sha1, SHA256: sha256, SHA512: sha512 };
    for (const algorithm of ['SHA1', 'SHA256', 'SHA512'] as const) {
      it(`${algorithm} at ${seconds}s → ${expected[algorithm]}`, () => {
        const step = totpStep(seconds * 1000);
        assert.equal(totpCodeAt(SEEDS[algorithm], step, { digits: 8, algorithm }), expected[algorithm]);
      });
    }
  }

  it('computes 64-bit steps: the year-2603 step exceeds 2^32 and is exact', () => {
    assert.equal(totpStep(20000000000 * 1000), 666666666);
    assert.equal(totpStep(2 ** 33 * 30 * 1000), 2 ** 33);
    assert.equal(totpCodeAt(SEEDS.SHA1, 2 ** 33), referenceHotp(Buffer.from('12345678901234567890'), 2 ** 33));
  });
});

describe('RFC 4226 Appendix D HOTP values (item 13)', () => {
  const values = ['755224', '287082', '359152', '969429', '338314', '254676', '287922', '162583', '399871', '520489'];
  values.forEach((value, counter) => {
    it(`counter ${counter} → ${value}`, () => {
      assert.equal(totpCodeAt(SEEDS.SHA1, counter), value);
      assert.equal(referenceHotp(Buffer.from('12345678901234567890'), counter), value); // the reference itself is right
    });
  });
});

describe('matchTotp window (item 15)', () => {
  const secret = generateTotpSecret();
  const now = 1_700_000_012_345;
  const step = totpStep(now);

  it('accepts the current, previous and next step and returns that step', () => {
    assert.equal(matchTotp(secret, totpCodeAt(secret, step), now), step);
    assert.equal(matchTotp(secret, totpCodeAt(secret, step - 1), now), step - 1);
    assert.equal(matchTotp(secret, totpCodeAt(secret, step + 1), now), step + 1);
  });

  it('refuses codes two steps away either side', () => {
    for (const s of [step - 2, step + 2, step - 3]) {
      const code = totpCodeAt(secret, s);
      // A 6-digit collision with a nearby step is possible (≈3·10⁻⁶); only assert when there is none.
      if ([step - 1, step, step + 1].some((n) => totpCodeAt(secret, n) === code)) continue;
      assert.equal(matchTotp(secret, code, now), null);
    }
  });

  it('with window 0 accepts only the current step', () => {
    assert.equal(matchTotp(secret, totpCodeAt(secret, step), now, 0), step);
    const prev = totpCodeAt(secret, step - 1);
    if (prev !== totpCodeAt(secret, step)) assert.equal(matchTotp(secret, prev, now, 0), null);
  });

  it('refuses a window wider than item 15 allows', () => {
    assert.throws(() => matchTotp(secret, '123456', now, 2), RangeError);
  });

  it('strips spaces, folds full-width digits, and refuses anything not six digits', () => {
    const code = totpCodeAt(secret, step);
    assert.equal(matchTotp(secret, `${code.slice(0, 3)} ${code.slice(3)}`, now), step);
    const fullWidth = [...code].map((c) => String.fromCharCode(0xff10 + Number(c))).join('');
    assert.equal(matchTotp(secret, fullWidth, now), step);
    for (const bad of ['', '12345', '1234567', '12345a', '-12345', '+123456', '１２３４５']) {
      assert.equal(normalizeTotpInput(bad), null, bad);
      assert.equal(matchTotp(secret, bad, now), null);
    }
  });

  it('works at step 0, where there is no previous step', () => {
    assert.equal(matchTotp(SEEDS.SHA1, '755224', 0), 0);
  });
});

describe('secret, URI, QR and manual key (item 14)', () => {
  it('generates 160-bit base32 secrets without padding, all different', () => {
    const secrets = new Set(Array.from({ length: 50 }, generateTotpSecret));
    assert.equal(secrets.size, 50);
    for (const s of secrets) {
      assert.match(s, /^[A-Z2-7]{32}$/);
      assert.equal(base32Decode(s).length, 20);
    }
  });

  it('builds the exact key URI with the issuer as label prefix', () => {
    const secretBase32 = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';
    assert.equal(
      totpUri({ issuer: 'Acme Portal', account: 'taro@example.com', secretBase32 }),
      'otpauth://totp/Acme%20Portal:taro%40example.com?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP' +
        '&issuer=Acme%20Portal&algorithm=SHA1&digits=6&period=30',
    );
  });

  it('removes colons from issuer and account and percent-encodes the rest', () => {
    const uri = totpUri({ issuer: 'Acme:Portal', account: 'ta:ro&x=1', secretBase32: 'jbswy3dpehpk3pxp' });
    assert.equal(
      uri,
      'otpauth://totp/Acme%20Portal:ta%20ro%26x%3D1?secret=JBSWY3DPEHPK3PXP&issuer=Acme%20Portal&algorithm=SHA1&digits=6&period=30',
    );
    assert.equal(uri.split(':').length, 3); // scheme, and the one label separator
    assert.throws(() => totpUri({ issuer: ' : ', account: 'a', secretBase32: 'JBSWY3DP' }), TypeError);
  });

  it('independent check: a code computed with node:crypto from the URI secret is accepted', () => {
    const uri = totpUri({ issuer: 'バイズポータル', account: '山田 太郎', secretBase32: generateTotpSecret() });
    const url = new URL(uri);
    assert.equal(url.host, 'totp');
    assert.equal(decodeURIComponent(url.pathname), '/バイズポータル:山田 太郎');
    assert.equal(url.searchParams.get('issuer'), 'バイズポータル');
    const key = base32Decode(url.searchParams.get('secret')!);
    const now = Date.UTC(2031, 5, 1, 12, 0, 7);
    const counter = Math.floor(now / 1000 / 30);
    assert.equal(matchTotp(url.searchParams.get('secret')!, referenceHotp(key, counter), now), counter);
  });

  it('renders a QR SVG that is safe to inline', async () => {
    const svg = await totpQrSvg(totpUri({ issuer: 'Acme', account: 'a@b.c', secretBase32: generateTotpSecret() }));
    assert.match(svg, /^<svg[\s>]/);
    assert.doesNotMatch(svg, /<script|<foreignObject|\son[a-z]+\s*=|javascript:|href/i);
    assert.doesNotMatch(svg, /<\?xml|<!DOCTYPE/i);
  });

  it('groups the key in fours for manual entry', () => {
    assert.equal(groupKey('JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP'), 'JBSW Y3DP EHPK 3PXP JBSW Y3DP EHPK 3PXP');
    assert.equal(groupKey('jbsw y3dp ehpk 3pxp'), 'JBSW Y3DP EHPK 3PXP');
    assert.throws(() => groupKey('not base32!'), TypeError);
  });
});
