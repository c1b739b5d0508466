// Issue 23: the pure parts of the passkey ceremonies — the relying party from PUBLIC_URL, the
// counter rule, the AAGUID list, the answer's shape — and a full registration + assertion round trip
// through @simplewebauthn/server with the software authenticator, including the refused variants.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { SoftAuthenticator } from '../../../../test/helpers/passkey-authenticator.ts';
import { aaguidList, authenticationOptions, counterAcceptable, newChallenge, parseCredential, registrationOptions, rpFrom, verifyAssertion, verifyRegistration } from '../ceremony.ts';

const RP = rpFrom('https://portal.example.co.jp/some/path', 'bizportal');

describe('passkey ceremonies (issue 23)', () => {
  it('the relying party is PUBLIC_URL\'s hostname and origin', () => {
    assert.deepEqual(RP, { id: 'portal.example.co.jp', origin: 'https://portal.example.co.jp', name: 'bizportal' });
    assert.equal(rpFrom('http://127.0.0.1:3000', 'x').origin, 'http://127.0.0.1:3000');
  });

  it('signature counter: 0/0 is a synced passkey; otherwise it must grow (WebAuthn §6.1.1)', () => {
    assert.equal(counterAcceptable(0, 0), true);
    assert.equal(counterAcceptable(0, 1), true);
    assert.equal(counterAcceptable(5, 6), true);
    assert.equal(counterAcceptable(5, 5), false);
    assert.equal(counterAcceptable(5, 2), false);
    assert.equal(counterAcceptable(5, 0), false);
  });

  it('the AAGUID list is normalised; empty means any', () => {
    assert.equal(aaguidList(null), null);
    assert.equal(aaguidList('  '), null);
    assert.deepEqual(aaguidList('CB69481E-8FF7-4039-93EC-0A2729A154A8, ee882879-721c-4913-9775-3dfcce97072a'), ['cb69481e-8ff7-4039-93ec-0a2729a154a8', 'ee882879-721c-4913-9775-3dfcce97072a']);
  });

  it('refuses answers that are not a credential', () => {
    for (const raw of ['', '{}', 'null', '[]', '{"id":"a b","rawId":"x","type":"public-key","response":{}}', '{"id":"x","rawId":"x","type":"password","response":{}}']) {
      assert.equal(parseCredential(raw), null, raw);
    }
  });

  it('registers and asserts through @simplewebauthn/server; a wrong origin, RP ID, challenge or missing UV is refused', async () => {
    const key = new SoftAuthenticator({ origin: RP.origin, counter: 3 });
    const challenge = newChallenge();
    const options = await registrationOptions(RP, { id: 'user-1', loginId: 'taro', name: '山田 太郎' }, [], challenge, false);
    assert.equal(options.authenticatorSelection?.userVerification, 'required');
    assert.equal(options.authenticatorSelection?.residentKey, 'required');
    assert.equal(options.attestation, 'none');
    const created = await verifyRegistration(RP, key.register(options) as never, challenge, null);
    assert.ok(typeof created !== 'string', String(created));
    assert.equal(created.credentialId, key.id);
    assert.equal(created.signCount, 3);
    assert.equal(created.backupEligible, false);
    assert.equal(await verifyRegistration(RP, key.register(options) as never, newChallenge(), null), 'bad_response', 'another challenge');
    assert.equal(await verifyRegistration(RP, key.register(options) as never, challenge, ['ee882879-721c-4913-9775-3dfcce97072a']), 'aaguid_not_allowed');

    const c2 = newChallenge();
    const req = await authenticationOptions(RP, [{ credentialId: created.credentialId, transports: ['internal'] }], c2);
    assert.equal(req.userVerification, 'required');
    assert.equal(req.rpId, 'portal.example.co.jp');
    const ok = await verifyAssertion(RP, key.assert(req) as never, c2, created);
    assert.ok(ok !== 'bad_response');
    assert.equal(ok.newCounter, 4);
    assert.equal(await verifyAssertion(RP, key.assert(req, { origin: 'https://evil.example' }) as never, c2, created), 'bad_response');
    assert.equal(await verifyAssertion(RP, key.assert(req) as never, newChallenge(), created), 'bad_response');
    const other = new SoftAuthenticator({ origin: RP.origin, rpId: 'evil.example' });
    other.userHandle = null;
    assert.equal(await verifyAssertion(RP, { ...other.assert(req), id: key.id, rawId: key.id } as never, c2, created), 'bad_response');
    key.uv = false;
    assert.equal(await verifyAssertion(RP, key.assert(req) as never, c2, created), 'bad_response');
  });
});
