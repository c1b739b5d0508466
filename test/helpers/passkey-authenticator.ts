// A software WebAuthn authenticator for server-level tests (issue 23): a node:crypto P-256 key, the
// clientDataJSON a browser would send, authenticatorData with UP|UV(|BE|BS)|AT flags, a 'none'
// attestation object in CBOR (@levischuck/tiny-cbor, which comes with @simplewebauthn/server), the
// COSE public key, and assertion signatures over authData || SHA-256(clientDataJSON). Its counter,
// origin, RP ID and flags can be set, so tests can make the refused cases on purpose.
import { createHash, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';
import { encodeCBOR, type CBORType } from '@levischuck/tiny-cbor';

const b64u = (b: Uint8Array) => Buffer.from(b).toString('base64url');
const sha256 = (b: Uint8Array | string) => createHash('sha256').update(b).digest();

export interface SoftOptions {
  /** The origin the "browser" puts in clientDataJSON (the app's PUBLIC_URL origin unless testing a wrong one). */
  origin: string;
  /** Default: the options' rp.id / rpId. */
  rpId?: string;
  /** The signature counter before the next use: 0 = a synced passkey that keeps none. */
  counter?: number;
  /** Backup eligible and backed up (a synced passkey). */
  synced?: boolean;
  /** User verification done (the UV flag); default true. */
  uv?: boolean;
  aaguid?: string;
}

export class SoftAuthenticator {
  readonly credentialId = randomBytes(32);
  readonly privateKey: KeyObject;
  readonly publicJwk: { x: string; y: string };
  counter: number;
  origin: string;
  rpId: string | undefined;
  synced: boolean;
  uv: boolean;
  aaguid: Buffer;
  userHandle: string | null = null;

  constructor(o: SoftOptions) {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    this.privateKey = privateKey;
    const jwk = publicKey.export({ format: 'jwk' }) as { x: string; y: string };
    this.publicJwk = { x: jwk.x, y: jwk.y };
    this.counter = o.counter ?? 0;
    this.origin = o.origin;
    this.rpId = o.rpId;
    this.synced = o.synced ?? false;
    this.uv = o.uv ?? true;
    this.aaguid = Buffer.from((o.aaguid ?? '00000000-0000-0000-0000-000000000000').replace(/-/g, ''), 'hex');
  }

  get id(): string {
    return b64u(this.credentialId);
  }

  /** COSE_Key (RFC 9053): kty EC2, alg ES256, crv P-256, x, y. */
  private coseKey(): Uint8Array {
    return encodeCBOR(new Map<number, CBORType>([
      [1, 2], [3, -7], [-1, 1], [-2, new Uint8Array(Buffer.from(this.publicJwk.x, 'base64url'))], [-3, new Uint8Array(Buffer.from(this.publicJwk.y, 'base64url'))],
    ]));
  }

  private authData(rpId: string, attested: boolean): Buffer {
    let flags = 0x01; // UP
    if (this.uv) flags |= 0x04;
    if (this.synced) flags |= 0x08 | 0x10; // BE | BS
    if (attested) flags |= 0x40; // AT
    const count = Buffer.alloc(4);
    count.writeUInt32BE(this.counter >>> 0);
    const parts: Buffer[] = [sha256(rpId), Buffer.from([flags]), count];
    if (attested) {
      const len = Buffer.alloc(2);
      len.writeUInt16BE(this.credentialId.length);
      parts.push(this.aaguid, len, this.credentialId, Buffer.from(this.coseKey()));
    }
    return Buffer.concat(parts);
  }

  private clientData(type: 'webauthn.create' | 'webauthn.get', challenge: string, origin = this.origin): Buffer {
    return Buffer.from(JSON.stringify({ type, challenge, origin, crossOrigin: false }));
  }

  /** navigator.credentials.create() as @simplewebauthn/browser's startRegistration() returns it. */
  register(options: { challenge: string; rp: { id?: string }; user: { id: string } }) {
    const rpId = this.rpId ?? options.rp.id!;
    this.userHandle = options.user.id;
    const authData = this.authData(rpId, true);
    const attestationObject = encodeCBOR(new Map<string, CBORType>([['fmt', 'none'], ['attStmt', new Map<string, CBORType>()], ['authData', new Uint8Array(authData)]]));
    return {
      id: this.id, rawId: this.id, type: 'public-key' as const, authenticatorAttachment: 'platform' as const, clientExtensionResults: {},
      response: {
        clientDataJSON: b64u(this.clientData('webauthn.create', options.challenge)), attestationObject: b64u(attestationObject),
        transports: ['internal' as const], publicKeyAlgorithm: -7, authenticatorData: b64u(authData),
      },
    };
  }

  /** navigator.credentials.get() as startAuthentication() returns it; the counter moves on first (unless 0 and kept at 0). */
  assert(options: { challenge: string; rpId?: string }, o: { origin?: string; counter?: number } = {}) {
    if (o.counter !== undefined) this.counter = o.counter;
    else if (this.counter > 0) this.counter += 1;
    const rpId = this.rpId ?? options.rpId!;
    const authData = this.authData(rpId, false);
    const clientDataJSON = this.clientData('webauthn.get', options.challenge, o.origin ?? this.origin);
    const signature = sign('sha256', Buffer.concat([authData, sha256(clientDataJSON)]), this.privateKey);
    return {
      id: this.id, rawId: this.id, type: 'public-key' as const, authenticatorAttachment: 'platform' as const, clientExtensionResults: {},
      response: {
        clientDataJSON: b64u(clientDataJSON), authenticatorData: b64u(authData), signature: b64u(signature),
        ...(this.userHandle ? { userHandle: this.userHandle } : {}),
      },
    };
  }
}

/** The options JSON a passkey form carries (data-options), HTML-unescaped. */
export function passkeyOptionsOn(html: string, formId: string): { challenge: string; rp?: { id: string }; rpId?: string; user?: { id: string }; allowCredentials?: { id: string }[]; excludeCredentials?: { id: string }[] } {
  const form = html.match(new RegExp(`<form[^>]*id="${formId}"[^>]*>`));
  if (!form) throw new Error(`no form #${formId} on the page`);
  const raw = form[0].match(/data-options="([^"]*)"/)![1]!;
  return JSON.parse(raw.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&'));
}

/** The action of a form by id. */
export function formActionById(html: string, formId: string): string {
  const form = html.match(new RegExp(`<form[^>]*id="${formId}"[^>]*>`));
  if (!form) throw new Error(`no form #${formId} on the page`);
  return form[0].match(/action="([^"]*)"/)![1]!.replace(/&amp;/g, '&');
}
