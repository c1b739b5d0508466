// Legacy password hashes imported from the legacy login portal (issue 21; docs/migration.md): bcrypt
// and salted PBKDF2-SHA256 (`pbkdf2_sha256$iterations$salt$base64hash`). Verified once, at that
// user's first legacy login during the migration period, and then replaced by argon2id; never at
// import. PBKDF2 runs in libuv's pool; bcryptjs's asynchronous compare yields between rounds.
import { pbkdf2, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';
import bcrypt from 'bcryptjs';

const pbkdf2Async = promisify(pbkdf2);
const PBKDF2 = /^pbkdf2_sha256\$([1-9][0-9]{0,7})\$([^$\s]{1,128})\$([A-Za-z0-9+/]{43}=?)$/;

export async function verifyLegacyHash(hash: string, password: string): Promise<boolean> {
  if (/^\$2[aby]\$/.test(hash)) return bcrypt.compare(password, hash).catch(() => false);
  const m = PBKDF2.exec(hash);
  if (!m) return false;
  const expected = Buffer.from(m[3]!, 'base64');
  const got = await pbkdf2Async(password.normalize('NFC'), m[2]!, Number(m[1]), expected.length, 'sha256');
  return got.length === expected.length && timingSafeEqual(got, expected);
}
