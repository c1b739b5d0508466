// Where webhooks may go (issue 24 item 6): every refused range, its IPv4-mapped and NAT64 forms, and
// the resolver's answers checked all at once (one private address among public ones refuses).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CallbackRefused, classifyAddress, resolveCallback } from '../ssrf.ts';

describe('webhook callback addresses', () => {
  it('refuses loopback, private, link-local, CGNAT, unspecified and their mapped forms', () => {
    const refused = ['10.0.0.1', '172.16.5.4', '172.31.255.255', '192.168.1.1', '169.254.169.254', '100.64.0.1', '100.127.255.255', '0.0.0.0', '0.1.2.3',
      '224.0.0.1', '255.255.255.255', '::', 'fc00::1', 'fd12:3456::1', 'fe80::1', 'febf::1', 'ff02::1', '::ffff:10.0.0.1', '::ffff:a9fe:a9fe', '::ffff:192.168.0.1',
      '64:ff9b::a00:1', '64:ff9b::7f00:1', 'not-an-ip', 'fe80::1%eth0'];
    for (const ip of refused) assert.equal(classifyAddress(ip), 'refused', ip);
    for (const ip of ['127.0.0.1', '127.1.2.3', '::1', '::ffff:127.0.0.1', '0:0:0:0:0:0:0:1']) assert.equal(classifyAddress(ip), 'loopback', ip);
    for (const ip of ['93.184.215.14', '8.8.8.8', '172.32.0.1', '100.128.0.1', '2606:4700::1111', '::ffff:8.8.8.8', '64:ff9b::808:808']) assert.equal(classifyAddress(ip), 'public', ip);
  });

  it('checks every resolved address, the scheme and credentials; loopback only when allowed', async () => {
    const answers = (list: string[]) => (async () => list.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }))) as never;
    await assert.rejects(resolveCallback('https://hooks.example/x', false, answers(['93.184.215.14', '10.0.0.5'])), CallbackRefused);
    await assert.rejects(resolveCallback('https://hooks.example/x', false, answers(['127.0.0.1'])), CallbackRefused);
    const ok = await resolveCallback('https://hooks.example/x', false, answers(['93.184.215.14']));
    assert.equal(ok.address, '93.184.215.14');
    await assert.rejects(resolveCallback('http://hooks.example/x', false, answers(['93.184.215.14'])), CallbackRefused);
    await assert.rejects(resolveCallback('http://hooks.example/x', true, answers(['93.184.215.14'])), CallbackRefused, 'http only to loopback');
    assert.equal((await resolveCallback('http://localhost:8080/x', true, answers(['127.0.0.1']))).address, '127.0.0.1');
    await assert.rejects(resolveCallback('https://u:p@hooks.example/x', false, answers(['93.184.215.14'])), CallbackRefused);
    await assert.rejects(resolveCallback('https://[::ffff:7f00:1]/x', false), CallbackRefused);
  });
});
