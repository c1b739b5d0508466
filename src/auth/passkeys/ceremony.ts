// Issue 23 (SPEC S3.9): the WebAuthn ceremonies, through @simplewebauthn/server (no hand-written
// parser). Pure apart from the library: options out, a verified answer in. The relying party comes
// from PUBLIC_URL only (rpFrom), never from a request's Host or Origin header.
import { randomBytes } from 'node:crypto';
import {
  generateAuthenticationOptions, generateRegistrationOptions, verifyAuthenticationResponse, verifyRegistrationResponse,
  type AuthenticationResponseJSON, type AuthenticatorTransportFuture, type PublicKeyCredentialCreationOptionsJSON,
  type PublicKeyCredentialRequestOptionsJSON, type RegistrationResponseJSON,
} from '@simplewebauthn/server';

/** RP ID = PUBLIC_URL's hostname; the one origin accepted = PUBLIC_URL's origin. */
export interface RelyingParty { id: string; origin: string; name: string }

export function rpFrom(publicUrl: string, name: string): RelyingParty {
  const u = new URL(publicUrl);
  return { id: u.hostname, origin: u.origin, name };
}

/** A challenge lives 3 minutes (WebAuthn's own timeout is of the same order); single use, on its flow. */
export const CHALLENGE_MS = 180_000;
/** The timeout the browser is given, a little under the challenge's life. */
const TIMEOUT_MS = 170_000;

/** A fresh challenge: 32 random bytes, base64url. */
export function newChallenge(): string {
  return randomBytes(32).toString('base64url');
}

/** A challenge as kept on the flow row: not a secret, but single use, short-lived and bound to that flow. */
export interface StoredChallenge { c: string; e: number }

export function storedChallenge(now: number): StoredChallenge {
  return { c: newChallenge(), e: now + CHALLENGE_MS };
}

export interface HeldCredential { credentialId: string; transports: string[] }

const TRANSPORTS = new Set(['ble', 'cable', 'hybrid', 'internal', 'nfc', 'smart-card', 'usb']);
export function cleanTransports(list: readonly unknown[] | undefined): AuthenticatorTransportFuture[] {
  return (list ?? []).filter((t): t is AuthenticatorTransportFuture => typeof t === 'string' && TRANSPORTS.has(t));
}

/**
 * Registration options: a discoverable credential (resident key required, so the passwordless sign-in
 * can find it), user verification required, the user's passkeys excluded (no second registration of
 * one authenticator). Attestation 'none', or 'direct' when the organisation lists AAGUIDs.
 */
export async function registrationOptions(rp: RelyingParty, user: { id: string; loginId: string; name: string }, held: readonly HeldCredential[], challenge: string, wantAttestation: boolean): Promise<PublicKeyCredentialCreationOptionsJSON> {
  return generateRegistrationOptions({
    rpName: rp.name, rpID: rp.id, userName: user.loginId, userDisplayName: user.name,
    userID: new TextEncoder().encode(user.id), challenge: Buffer.from(challenge, 'base64url'),
    attestationType: wantAttestation ? 'direct' : 'none', timeout: TIMEOUT_MS,
    excludeCredentials: held.map((h) => ({ id: h.credentialId, transports: cleanTransports(h.transports) })),
    authenticatorSelection: { residentKey: 'required', userVerification: 'required' },
    supportedAlgorithmIDs: [-7, -8, -257],
  });
}

/** Authentication options: the user's passkeys (second step), or none at all (discoverable: passwordless). */
export async function authenticationOptions(rp: RelyingParty, allow: readonly HeldCredential[], challenge: string): Promise<PublicKeyCredentialRequestOptionsJSON> {
  return generateAuthenticationOptions({
    rpID: rp.id, challenge: Buffer.from(challenge, 'base64url'), userVerification: 'required', timeout: TIMEOUT_MS,
    allowCredentials: allow.map((h) => ({ id: h.credentialId, transports: cleanTransports(h.transports) })),
  });
}

/** A registered credential, as stored on its factor row. */
export interface NewPasskey {
  credentialId: string; publicKey: string; signCount: number; transports: string[]; aaguid: string;
  backupEligible: boolean; backedUp: boolean; deviceType: string;
}

/** Why an answer was refused (audited; the browser sees one message). */
export type CeremonyRefusal = 'malformed' | 'bad_response' | 'aaguid_not_allowed';

/** Parses the browser's JSON answer (a form field); null when it is not one. */
export function parseCredential<T extends RegistrationResponseJSON | AuthenticationResponseJSON>(raw: string): T | null {
  try {
    const v = JSON.parse(raw) as Partial<T>;
    if (!v || typeof v !== 'object' || typeof v.id !== 'string' || typeof v.rawId !== 'string' || v.type !== 'public-key' || !v.response || typeof v.response !== 'object') return null;
    if (v.id.length > 1400 || !/^[A-Za-z0-9_-]+$/.test(v.id)) return null;
    return v as T;
  } catch {
    return null;
  }
}

export async function verifyRegistration(rp: RelyingParty, response: RegistrationResponseJSON, challenge: string, aaguids: readonly string[] | null): Promise<NewPasskey | CeremonyRefusal> {
  let r;
  try {
    r = await verifyRegistrationResponse({ response, expectedChallenge: challenge, expectedOrigin: rp.origin, expectedRPID: rp.id, requireUserVerification: true, supportedAlgorithmIDs: [-7, -8, -257] });
  } catch {
    return 'bad_response';
  }
  if (!r.verified || !r.registrationInfo) return 'bad_response';
  const i = r.registrationInfo;
  if (!i.userVerified) return 'bad_response';
  // Without the FIDO metadata's trust anchors an AAGUID is what the authenticator says it is: the list
  // keeps out the authenticators that say otherwise (docs/passkeys.md, "Safety").
  if (aaguids && !aaguids.includes(i.aaguid.toLowerCase())) return 'aaguid_not_allowed';
  return {
    credentialId: i.credential.id, publicKey: Buffer.from(i.credential.publicKey).toString('base64url'), signCount: i.credential.counter,
    transports: cleanTransports(response.response.transports), aaguid: i.aaguid.toLowerCase(),
    backupEligible: i.credentialDeviceType === 'multiDevice', backedUp: i.credentialBackedUp, deviceType: i.credentialDeviceType,
  };
}

export interface VerifiedAssertion { newCounter: number; backedUp: boolean; deviceType: string }

/**
 * Verifies an assertion for one stored credential. The stored counter is NOT given to the library:
 * the regression check is ours (counterAcceptable), so that it can be audited and made by the same
 * guarded write that records the new counter.
 */
export async function verifyAssertion(rp: RelyingParty, response: AuthenticationResponseJSON, challenge: string, cred: { credentialId: string; publicKey: string; transports: string[] }): Promise<VerifiedAssertion | 'bad_response'> {
  try {
    const r = await verifyAuthenticationResponse({
      response, expectedChallenge: challenge, expectedOrigin: rp.origin, expectedRPID: rp.id, requireUserVerification: true,
      credential: { id: cred.credentialId, publicKey: Buffer.from(cred.publicKey, 'base64url'), counter: 0, transports: cleanTransports(cred.transports) },
    });
    if (!r.verified || !r.authenticationInfo.userVerified) return 'bad_response';
    return { newCounter: r.authenticationInfo.newCounter, backedUp: r.authenticationInfo.credentialBackedUp, deviceType: r.authenticationInfo.credentialDeviceType };
  } catch {
    return 'bad_response';
  }
}

/**
 * WebAuthn §6.1.1 signature counter: once an authenticator counts (stored > 0), each use must be
 * higher; equal or lower means a cloned authenticator (or a replay). 0 and 0 is a synced passkey
 * that keeps no counter, and is fine.
 */
export function counterAcceptable(stored: number, next: number): boolean {
  if (stored === 0 && next === 0) return true;
  return next > stored;
}

/** The organisation's AAGUID list (comma-separated) as a normalised list; null = any authenticator. */
export function aaguidList(raw: string | null | undefined): string[] | null {
  const list = (raw ?? '').split(/[\s,]+/).map((s) => s.trim().toLowerCase()).filter(Boolean);
  return list.length ? list : null;
}
