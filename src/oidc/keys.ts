// The provider's signing keys (issue 18 item 1): generated on the first start, the private half
// sealed in the database (AES-256-GCM with the key that seals TOTP secrets), rotated by
// `bizportal oidc keys rotate`. A rotated-out key keeps being published in the JWKS for
// RETIRED_KEY_PUBLISHED_MS, longer than any token it signed lives, so a client holding an older
// ID token (or a logout with it as id_token_hint) can still verify it.
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import type { AppContext } from '../context.ts';
import { openSecret, sealSecret } from '../auth/service.ts';
import { insertKey, keySetVersion, pruneKeys, publishedKeys, retireOtherKeys } from './store.ts';

/** ID tokens live an hour (provider.ts); a day covers them and any client's JWKS cache. */
export const RETIRED_KEY_PUBLISHED_MS = 24 * 3_600_000;
const ALG = 'RS256';
/** The AAD of a signing key's sealed private half. */
export const aad = (kid: string) => `oidc-key:${kid}`;

export interface SigningJwk { kid: string; alg: string; use: 'sig'; kty: string; [k: string]: unknown }

async function newKey(ctx: AppContext): Promise<string> {
  const kid = randomUUID();
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const priv = { ...privateKey.export({ format: 'jwk' }), kid, alg: ALG, use: 'sig' };
  const pub = { ...publicKey.export({ format: 'jwk' }), kid, alg: ALG, use: 'sig' };
  await insertKey(ctx.db, {
    kid, alg: ALG, private_enc: sealSecret(ctx.config.totpKey, JSON.stringify(priv), aad(kid)),
    public_jwk: JSON.stringify(pub), created_at: ctx.now(), retired_at: null,
  });
  return kid;
}

/**
 * The published keys, the signing one first (oidc-provider signs with the first key of an alg).
 * Generates one when there is none. Two nodes starting at once may each add one: both stay
 * published and both nodes sign with the same one, the newest.
 */
export async function signingKeys(ctx: AppContext): Promise<SigningJwk[]> {
  let rows = await publishedKeys(ctx.db, ctx.now(), RETIRED_KEY_PUBLISHED_MS);
  if (!rows.some((r) => r.retired_at === null)) {
    await newKey(ctx);
    rows = await publishedKeys(ctx.db, ctx.now(), RETIRED_KEY_PUBLISHED_MS);
  }
  const ordered = [...rows.filter((r) => r.retired_at === null), ...rows.filter((r) => r.retired_at !== null)];
  return ordered.map((r) => JSON.parse(openSecret(ctx.config.totpKeyRing, r.private_enc, aad(r.kid))) as SigningJwk);
}

/** What a node compares to notice another node's rotation. */
export function keysVersion(ctx: AppContext): Promise<string> {
  return keySetVersion(ctx.db, ctx.now(), RETIRED_KEY_PUBLISHED_MS);
}

/** A new signing key; the others stop signing and stay published for a day; keys past that go. */
export async function rotateSigningKeys(ctx: AppContext): Promise<{ kid: string; retired: number; pruned: number }> {
  const kid = await newKey(ctx);
  const retired = await retireOtherKeys(ctx.db, kid, ctx.now());
  const pruned = await pruneKeys(ctx.db, ctx.now(), RETIRED_KEY_PUBLISHED_MS);
  return { kid, retired, pruned };
}

export async function listKeys(ctx: AppContext): Promise<Array<{ kid: string; alg: string; createdAt: number; retiredAt: number | null }>> {
  return (await publishedKeys(ctx.db, ctx.now(), RETIRED_KEY_PUBLISHED_MS)).map((r) => ({ kid: r.kid, alg: r.alg, createdAt: r.created_at, retiredAt: r.retired_at }));
}
