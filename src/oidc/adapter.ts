// oidc-provider's storage adapter over bizportal's database (issue 18): every artefact the provider
// keeps — its sessions, interactions, authorization codes, access tokens, grants — is a row of
// oidc_payload, so any node can continue any authorisation. Registered clients come from
// oidc_client (clients.ts), never from this table.
//
// Ids are stored as their SHA-256: an authorization code, an access token and the provider's
// session cookie ARE their ids, and a database leak must not hand them out (SECURITY.md item 28's
// rule for our own sessions). Lookups hash what they are given. The payloads repeat the id (`jti`)
// and hold nonces, PKCE challenges and who signed in, so they are sealed too (AES-256-GCM with the
// at-rest key, bound to the row by its kind and id hash).
import { errors, type Adapter, type AdapterPayload } from 'oidc-provider';
import type { AppContext } from '../context.ts';
import { sha256Hex } from '../lib/index.ts';
import { openSecret, sealSecret } from '../auth/service.ts';
import { clientMetadata } from './clients.ts';
import { consumePayload, destroyGrant, destroyPayload, findPayload, findPayloadByUid, upsertPayload, type PayloadRow } from './store.ts';

/** Models whose rows carry a grant id, so revoking a grant finds them all. */
const GRANTABLE = new Set(['AccessToken', 'AuthorizationCode', 'RefreshToken', 'DeviceCode', 'BackchannelAuthenticationRequest', 'Grant']);

export function adapterFor(ctx: AppContext): new (name: string) => Adapter {
  return class DbAdapter implements Adapter {
    constructor(private readonly name: string) {}

    async upsert(id: string, payload: AdapterPayload, expiresIn: number): Promise<void> {
      if (this.name === 'Client') throw new Error('clients are registered with `bizportal oidc client add`');
      const grantId = GRANTABLE.has(this.name) ? (this.name === 'Grant' ? id : payload.grantId) : undefined;
      const idHash = sha256Hex(id);
      await upsertPayload(ctx.db, {
        kind: this.name,
        id_hash: idHash,
        payload: sealSecret(ctx.config.totpKey, JSON.stringify(payload), `${this.name}:${idHash}`),
        grant_hash: grantId ? sha256Hex(grantId) : null,
        uid_hash: payload.uid ? sha256Hex(payload.uid) : null,
        expires_at: expiresIn ? ctx.now() + expiresIn * 1000 : null,
      });
    }

    async find(id: string): Promise<AdapterPayload | undefined> {
      if (this.name === 'Client') return clientMetadata(ctx, id);
      return this.live(await findPayload(ctx.db, this.name, sha256Hex(id)));
    }

    async findByUid(uid: string): Promise<AdapterPayload | undefined> {
      return this.live(await findPayloadByUid(ctx.db, this.name, sha256Hex(uid)));
    }

    async findByUserCode(): Promise<AdapterPayload | undefined> {
      return undefined; // the device flow is off
    }

    /**
     * Single use of an authorization code, on every node at once: a guarded write. oidc-provider
     * checks `consumed` before calling this, but two nodes can both pass that check; the one whose
     * write finds the code already used revokes everything the code's grant issued, as the
     * provider does for a code used twice (RFC 6749 §4.1.2), and refuses.
     */
    async consume(id: string): Promise<void> {
      const hash = sha256Hex(id);
      const won = await consumePayload(ctx.db, this.name, hash, ctx.now());
      if (won) return;
      const row = await findPayload(ctx.db, this.name, hash);
      const grantId = row ? this.open(row).grantId : undefined;
      if (grantId) await destroyGrant(ctx.db, sha256Hex(grantId));
      throw new errors.InvalidGrant('authorization code already consumed');
    }

    async destroy(id: string): Promise<void> {
      await destroyPayload(ctx.db, this.name, sha256Hex(id));
    }

    async revokeByGrantId(grantId: string): Promise<void> {
      await destroyGrant(ctx.db, sha256Hex(grantId));
    }

    private open(row: PayloadRow): AdapterPayload {
      return JSON.parse(openSecret(ctx.config.totpKeyRing, row.payload, `${this.name}:${row.id_hash}`)) as AdapterPayload;
    }

    private live(row: PayloadRow | undefined): AdapterPayload | undefined {
      if (!row || (row.expires_at !== null && row.expires_at <= ctx.now())) return undefined;
      const payload = this.open(row);
      return row.consumed_at !== null ? { ...payload, consumed: Math.floor(row.consumed_at / 1000) } : payload;
    }
  };
}
