// Encryption at rest for small secrets, e.g. TOTP keys (SECURITY.md item 14: "encrypted at rest").
// AES-256-GCM (NIST SP 800-38D) with a random 96-bit IV per seal. Format:
//   v1.<kid>.<iv b64url>.<tag b64url>.<ciphertext b64url>
// <kid> names the key so a key ring can hold old and new keys during rotation.
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

const VERSION = 'v1';
const KEY_BYTES = 32;
// SP 800-38D §8.2.2: a random 96-bit IV is safe for up to 2^32 seals per key, far beyond one per user.
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** Thrown for any box that cannot be opened; the message never includes the box or the key. */
export class SecretBoxError extends Error {
  override readonly name = 'SecretBoxError';
}

/** First 8 hex digits of SHA-256(key): identifies a key without revealing anything usable about it. */
export function keyId(key: Buffer): string {
  assertKey(key);
  return createHash('sha256').update(key).digest('hex').slice(0, 8);
}

/**
 * Encrypts `plaintext`. `aad` (the owning user's id) is authenticated but not stored: a box copied
 * onto another user's row will not open there. No aad and an empty aad are the same.
 */
export function seal(key: Buffer, plaintext: string, aad?: string): string {
  const kid = keyId(key); // also refuses a key that is not 32 bytes
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(aadBytes(aad));
  const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  const tag = cipher.getAuthTag();
  return [VERSION, kid, b64(iv), b64(tag), b64(ciphertext)].join('.');
}

/** Decrypts a box with the ring's key whose id matches; throws SecretBoxError on any failure. */
export function open(keys: Buffer | Buffer[], box: string, aad?: string): string {
  const parts = parseBox(box);
  const candidates = (Array.isArray(keys) ? keys : [keys]).filter((k) => keyId(k) === parts.kid);
  if (candidates.length === 0) throw new SecretBoxError('secret-box: no key for this box');
  // Normally one candidate; a 32-bit kid collision between two ring keys is still handled.
  for (const key of candidates) {
    const decipher = createDecipheriv('aes-256-gcm', key, parts.iv, { authTagLength: TAG_BYTES });
    decipher.setAAD(aadBytes(aad));
    decipher.setAuthTag(parts.tag);
    try {
      return Buffer.concat([decipher.update(parts.ciphertext), decipher.final()]).toString('utf8');
    } catch {
      // authentication failed with this key: try the next, then fail below
    }
  }
  throw new SecretBoxError('secret-box: cannot open (tampered, wrong key or wrong aad)');
}

/** The key id a box was sealed with, or null if it is not a v1 box: for the key-rotation CLI. */
export function boxKeyId(box: string): string | null {
  try {
    return parseBox(box).kid;
  } catch {
    return null;
  }
}

interface BoxParts { kid: string; iv: Buffer; tag: Buffer; ciphertext: Buffer }

function parseBox(box: string): BoxParts {
  const [version, kid, iv, tag, ciphertext, ...rest] = box.split('.');
  if (version !== VERSION || rest.length > 0 || !kid || !/^[0-9a-f]{8}$/.test(kid)) {
    throw new SecretBoxError('secret-box: not a v1 box');
  }
  const parts = { kid, iv: unb64(iv), tag: unb64(tag), ciphertext: unb64(ciphertext) };
  if (parts.iv.length !== IV_BYTES || parts.tag.length !== TAG_BYTES) {
    throw new SecretBoxError('secret-box: malformed box');
  }
  return parts;
}

// The version is authenticated with the caller's aad, so a future v2 can never be fed a v1 box
// with the same key and aad and be read under different rules.
function aadBytes(aad: string | undefined): Buffer {
  return Buffer.from(`${VERSION}\0${aad ?? ''}`, 'utf8');
}

function b64(bytes: Buffer): string {
  return bytes.toString('base64url');
}

/**
 * Strict base64url: Node's decoder skips invalid characters and ignores the spare bits of the last
 * character, so a changed box could decode to the same bytes. Only the canonical encoding is taken.
 */
function unb64(text: string | undefined): Buffer {
  if (text === undefined || !/^[A-Za-z0-9_-]*$/.test(text)) throw new SecretBoxError('secret-box: malformed box');
  const bytes = Buffer.from(text, 'base64url');
  if (bytes.toString('base64url') !== text) throw new SecretBoxError('secret-box: malformed box');
  return bytes;
}

function assertKey(key: Buffer): void {
  if (!Buffer.isBuffer(key) || key.length !== KEY_BYTES) {
    throw new RangeError(`secret-box: key must be ${KEY_BYTES} bytes`);
  }
}
