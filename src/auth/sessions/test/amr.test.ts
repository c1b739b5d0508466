// Issue 23 item 5: the RFC 8176 `amr` of each way in, and the fallback for sessions made before it was stored.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { amrFor, amrOfSession } from '../amr.ts';

describe('amr (RFC 8176) of each login path', () => {
  it('password + TOTP, MailOTP, backup code; skipped; passkey as second step; passwordless', () => {
    assert.deepEqual(amrFor({ first: 'pwd', factor: 'totp' }), ['pwd', 'otp', 'mfa']);
    assert.deepEqual(amrFor({ first: 'pwd', factor: 'backup_code' }), ['pwd', 'otp', 'mfa']);
    assert.deepEqual(amrFor({ first: 'pwd', factor: 'mail_otp' }), ['pwd', 'otp', 'mfa', 'mail']);
    assert.deepEqual(amrFor({ first: 'pwd', factor: null }), ['pwd']);
    assert.deepEqual(amrFor({ first: 'pwd', factor: 'passkey', passkeySynced: false }), ['pwd', 'hwk', 'user', 'mfa']);
    assert.deepEqual(amrFor({ first: 'pwd', factor: 'passkey', passkeySynced: true }), ['pwd', 'swk', 'user', 'mfa']);
    assert.deepEqual(amrFor({ first: 'passkey', factor: 'passkey', passkeySynced: true }), ['swk', 'user', 'mfa']);
  });

  it('reads the stored column; a session without one falls back on its factor and assurance', () => {
    assert.deepEqual(amrOfSession({ aal: 'aal2', factor: 'passkey', amr: '["hwk","user","mfa"]' }), ['hwk', 'user', 'mfa']);
    assert.deepEqual(amrOfSession({ aal: 'aal2', factor: null, amr: null }), ['pwd', 'otp', 'mfa']);
    assert.deepEqual(amrOfSession({ aal: 'aal1_skipped', factor: null }), ['pwd']);
    assert.deepEqual(amrOfSession({ aal: 'aal2', factor: 'mail_otp', amr: 'not json' }), ['pwd', 'otp', 'mfa', 'mail']);
  });
});
