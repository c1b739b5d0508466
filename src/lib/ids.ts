// Ids and random tokens: the shared kernel (src/lib/ imports no domain; every module may import it).
// SECURITY.md items 6, 28: ids and tokens come from the OS's CSPRNG, never Math.random.
import { randomBytes } from 'node:crypto';

/** 256 random bits, URL-safe. Used for session, link, flow and device tokens. */
export function randomToken(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

/**
 * App-generated text id (STYLE.md d): 128 random bits. Never starts with «-» or «_»: operators type
 * ids as CLI option values, and `--org -x…` reads as a missing value (one CI run in 64 failed on it).
 */
export function newId(): string {
  for (;;) {
    const id = randomBytes(16).toString('base64url');
    if (/^[A-Za-z0-9]/.test(id)) return id;
  }
}
