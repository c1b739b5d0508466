// SECURITY.md item 42: trusted-network entries are judged as a set, IPv4-mapped ranges as IPv4.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { coverageProblem, ipInCidrs, parseTrustedCidr, trustedSetAcceptable } from '../cidr.ts';

const norm = (list: string[]) => list.map((c) => { const p = parseTrustedCidr(c); assert.ok(p.ok, c); return p.cidr; });

describe('trusted-network coverage', () => {
  it('writes IPv4-mapped ranges as the IPv4 range they are', () => {
    assert.deepEqual(parseTrustedCidr('::ffff:0:0/96'), { ok: true, cidr: '0.0.0.0/0' });
    assert.deepEqual(parseTrustedCidr('::ffff:10.0.0.0/104'), { ok: true, cidr: '10.0.0.0/8' });
    assert.deepEqual(parseTrustedCidr('::FFFF:203.0.113.7'), { ok: true, cidr: '203.0.113.7/32' });
    assert.deepEqual(parseTrustedCidr('2001:db8::/48'), { ok: true, cidr: '2001:db8::/48' });
    assert.deepEqual(parseTrustedCidr('::/80'), { ok: true, cidr: '::/80' }, 'wider than the mapped block: stays IPv6');
  });

  it('refuses catch-alls however they are split or spelt', () => {
    assert.equal(coverageProblem(norm(['::ffff:0:0/96']), 0.5), 'public_too_wide');
    assert.equal(coverageProblem(norm(['0.0.0.0/1', '128.0.0.0/1']), 0.5), 'public_too_wide');
    assert.equal(coverageProblem(norm(['::/80']), 0.5), 'share_exceeded', 'covers every IPv4-mapped address and more');
    assert.equal(coverageProblem(norm(['2000::/3']), 0.5), 'public_too_wide');
    assert.equal(coverageProblem(norm(['8.0.0.0/15']), 0.5), 'public_too_wide');
  });

  it('allows private ranges and office-sized public ones, up to the configured share of the whole set', () => {
    assert.equal(coverageProblem(norm(['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '203.0.113.0/24', '2001:db8::/48']), 0.5), null);
    assert.equal(coverageProblem(norm(['198.18.0.0/16']), 0.002), null);
    assert.equal(coverageProblem(norm(['198.18.0.0/16', '198.51.0.0/16']), 0.002), 'share_exceeded');
    assert.equal(coverageProblem(norm(['198.18.0.0/16', '198.18.0.0/17']), 0.002), null, 'overlaps count once');
  });

  it('login trusts no one from a set that breaks the rule, and matches IPv4-mapped clients as IPv4', () => {
    assert.equal(trustedSetAcceptable(['::ffff:0:0/96'], 0.5), false);
    assert.equal(trustedSetAcceptable(['203.0.113.0/24'], 0.5), true);
    assert.equal(ipInCidrs('::ffff:203.0.113.9', ['::ffff:203.0.113.0/120']), true);
    assert.equal(ipInCidrs('203.0.113.9', ['::ffff:203.0.113.0/120']), true);
    assert.equal(ipInCidrs('198.51.100.1', ['::ffff:203.0.113.0/120']), false);
  });
});
