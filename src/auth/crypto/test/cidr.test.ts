// Trusted networks skip 2-step (SECURITY.md stance 3), so a lenient parser or a matcher that fails
// open would let the wrong clients skip it. Attack: odd spellings of ranges and addresses.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ipInCidrs, parseCidr } from '../cidr.ts';

function cidr(text: string): string | null {
  const r = parseCidr(text);
  return r.ok ? r.cidr : null;
}

describe('parseCidr', () => {
  it('accepts IPv4 ranges and bare addresses as /32', () => {
    assert.equal(cidr('10.0.0.0/8'), '10.0.0.0/8');
    assert.equal(cidr('192.168.1.10'), '192.168.1.10/32');
    assert.equal(cidr('0.0.0.0/0'), '0.0.0.0/0');
    assert.equal(cidr(' 203.0.113.0/24 '), '203.0.113.0/24');
  });

  it('clears host bits', () => {
    assert.equal(cidr('10.1.2.3/8'), '10.0.0.0/8');
    assert.equal(cidr('192.168.1.200/25'), '192.168.1.128/25');
    assert.equal(cidr('172.16.255.255/12'), '172.16.0.0/12');
    assert.equal(cidr('2001:db8:abcd:1234::1/36'), '2001:db8:a000::/36');
  });

  it('accepts IPv6 in any valid spelling and normalises to RFC 5952', () => {
    assert.equal(cidr('2001:DB8:0:0:0:0:0:1'), '2001:db8::1/128');
    assert.equal(cidr('2001:0db8::/32'), '2001:db8::/32');
    assert.equal(cidr('::/0'), '::/0');
    assert.equal(cidr('::1'), '::1/128');
    assert.equal(cidr('2001:db8:0:0:1:0:0:1'), '2001:db8::1:0:0:1/128');
    assert.equal(cidr('::ffff:10.0.0.0/104'), '::ffff:10.0.0.0/104');
    assert.equal(cidr('64:ff9b::192.0.2.33'), '64:ff9b::c000:221/128');
  });

  it('refuses bad input', () => {
    for (const bad of [
      '', ' ', 'abc', '10.0.0.0/33', '1.2.3.4/-1', '1.2.3.4/', '1.2.3.4/+8', '1.2.3.4/08', '1.2.3.4/8/8',
      '1.2.3.4/8.0', '1.2.3.4/0x8', '10.0.0.256', '10.0.0', '10.0.0.0.0', '010.0.0.1', '10.0.0.0 /8',
      '１０.０.０.０/８', '10.0.0.0/８', '１.２.３.４', '2001:db8::/129', '2001:db8:::1', 'fe80::1%eth0',
      'fe80::/10%eth0', '::ffff:10.0.0.256', '1.2.3.4/ 8', '1.2.3.4/1e1', 'localhost', '*', '10.*.*.*',
    ]) {
      assert.deepEqual(parseCidr(bad), { ok: false }, JSON.stringify(bad));
    }
  });
});

describe('ipInCidrs', () => {
  const trusted = ['10.0.0.0/8', '192.168.1.0/24', '2001:db8::/32', '203.0.113.7'];

  it('matches IPv4 and IPv6 addresses inside the ranges only', () => {
    assert.equal(ipInCidrs('10.255.0.1', trusted), true);
    assert.equal(ipInCidrs('192.168.1.254', trusted), true);
    assert.equal(ipInCidrs('192.168.2.1', trusted), false);
    assert.equal(ipInCidrs('203.0.113.7', trusted), true);
    assert.equal(ipInCidrs('203.0.113.8', trusted), false);
    assert.equal(ipInCidrs('2001:db8:1::5', trusted), true);
    assert.equal(ipInCidrs('2001:db9::5', trusted), false);
  });

  it('matches IPv4-mapped IPv6 client addresses against IPv4 ranges, and the reverse', () => {
    assert.equal(ipInCidrs('::ffff:10.0.0.1', trusted), true);
    assert.equal(ipInCidrs('::ffff:a00:1', trusted), true);
    assert.equal(ipInCidrs('::ffff:11.0.0.1', trusted), false);
    assert.equal(ipInCidrs('10.0.0.1', ['::ffff:10.0.0.0/104']), true);
    assert.equal(ipInCidrs('11.0.0.1', ['::ffff:10.0.0.0/104']), false);
  });

  it('does not treat IPv4 ranges as covering unrelated IPv6 addresses', () => {
    assert.equal(ipInCidrs('::a00:1', ['10.0.0.0/8']), false); // IPv4-compatible, not mapped
    assert.equal(ipInCidrs('2001:db8::a00:1', ['10.0.0.0/8']), false);
  });

  it('fails closed: bad entries trust no one, bad client addresses match nothing', () => {
    assert.equal(ipInCidrs('10.0.0.1', ['10.0.0.0/33', 'abc', '']), false);
    assert.equal(ipInCidrs('10.0.0.1', []), false);
    for (const ip of ['', 'abc', '10.0.0.1 ', '１０.０.０.１', '10.0.0.1/8', 'fe80::1%eth0']) {
      assert.equal(ipInCidrs(ip, ['0.0.0.0/0', '::/0', 'fe80::/10']), false, ip);
    }
  });
});
