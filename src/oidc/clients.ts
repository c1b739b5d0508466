// Registered clients: one settings site («Web設定変更サイト») per service (S8, issue 18 item 4).
// Registered by an operator through `bizportal oidc client add`; the provider reads them through
// the adapter (adapter.ts) on each use, so a change is seen by every node at once.
import type { AppContext } from '../context.ts';
import { openSecret, sealSecret } from '../auth/service.ts';
import { randomToken } from '../lib/index.ts';
import { findService, findServiceByCode } from '../portal/catalogue/service.ts';
import { clientRowOfService, deleteClientRow, findClientRow, insertClient, listClientRows, updateClientSecret, type ClientRow } from './store.ts';

/** A refusal of an operator's input: one line that names the option and what is wrong. */
export class OidcInputError extends Error {}

export type AuthMethod = 'client_secret_basic' | 'client_secret_post' | 'private_key_jwt';
export const AUTH_METHODS: readonly AuthMethod[] = ['client_secret_basic', 'client_secret_post', 'private_key_jwt'];

export interface NewClient {
  id: string; name: string; serviceCode?: string | undefined;
  redirectUris: string[]; postLogoutUris: string[];
  initiateLoginUri?: string | undefined; backchannelLogoutUri?: string | undefined;
  authMethod: AuthMethod;
  /** private_key_jwt: the client's public keys, a JWK Set (JSON text), or a URL that serves it. */
  jwks?: string | undefined; jwksUri?: string | undefined;
  firstParty: boolean;
  /** Every sign-in for this client needs the full 2-step (acr aal2), whatever the session. */
  requireAal2: boolean;
}

/** What the CLI lists: no secret. */
export interface ClientSummary {
  id: string; name: string; service: string | null; redirectUris: string[]; postLogoutUris: string[];
  initiateLoginUri: string | null; backchannelLogoutUri: string | null; authMethod: AuthMethod; firstParty: boolean;
  requireAal2: boolean; createdAt: number; secretRotatedAt: number | null;
}

/** Stored metadata: the client's registration without its id and secret (RFC 7591 names). */
interface StoredMetadata {
  client_name: string; redirect_uris: string[]; post_logout_redirect_uris: string[];
  initiate_login_uri?: string; backchannel_logout_uri?: string;
  token_endpoint_auth_method: AuthMethod; jwks?: { keys: unknown[] }; jwks_uri?: string;
  default_acr_values?: string[];
}

const ID = /^[a-z0-9][a-z0-9._-]{2,63}$/;
export const secretAad = (id: string) => `oidc-client:${id}`;

/**
 * An absolute https URL without a fragment, or http on the loopback host (a site being developed
 * next to the portal). Redirect URIs are compared exactly by the provider, so they are kept as given.
 */
export function checkClientUrl(option: string, raw: string): string {
  let u: URL;
  try { u = new URL(raw); } catch { throw new OidcInputError(`${option}: not an absolute URL: ${raw}`); }
  const loopback = ['localhost', '127.0.0.1', '[::1]'].includes(u.hostname);
  if (u.protocol !== 'https:' && !(u.protocol === 'http:' && loopback)) throw new OidcInputError(`${option}: must be an https URL (http only for localhost): ${raw}`);
  if (u.hash || raw.includes('#')) throw new OidcInputError(`${option}: must not have a fragment: ${raw}`);
  if (u.username || u.password) throw new OidcInputError(`${option}: must not hold a user name or password`);
  return raw;
}

function checkJwks(raw: string): { keys: unknown[] } {
  let v: unknown;
  try { v = JSON.parse(raw); } catch { throw new OidcInputError('--jwks: not JSON'); }
  const keys = (v as { keys?: unknown }).keys;
  if (!Array.isArray(keys) || keys.length === 0 || keys.some((k) => typeof k !== 'object' || k === null || 'd' in k)) {
    throw new OidcInputError('--jwks: must be a JWK Set {"keys":[…]} of public keys (no "d")');
  }
  return { keys };
}

/** Registers a client. Returns its secret once (null for private_key_jwt); only the sealed secret is kept. */
export async function addClient(ctx: AppContext, c: NewClient): Promise<{ client: ClientSummary; secret: string | null }> {
  if (!ID.test(c.id)) throw new OidcInputError('--id: 3 to 64 characters: lower-case letters, digits, ".", "_" or "-", starting with a letter or digit');
  const name = c.name.trim();
  if (!name || name.length > 200) throw new OidcInputError('--name: 1 to 200 characters');
  if (c.redirectUris.length === 0) throw new OidcInputError('--redirect-uri: at least one is needed');
  if (c.redirectUris.length > 10 || c.postLogoutUris.length > 10) throw new OidcInputError('at most 10 redirect or post-logout URIs');
  if (!AUTH_METHODS.includes(c.authMethod)) throw new OidcInputError(`--auth-method: one of ${AUTH_METHODS.join(', ')}`);
  const meta: StoredMetadata = {
    client_name: name,
    redirect_uris: [...new Set(c.redirectUris.map((u) => checkClientUrl('--redirect-uri', u)))],
    post_logout_redirect_uris: [...new Set(c.postLogoutUris.map((u) => checkClientUrl('--post-logout-uri', u)))],
    token_endpoint_auth_method: c.authMethod,
  };
  if (c.initiateLoginUri) meta.initiate_login_uri = checkClientUrl('--initiate-login-uri', c.initiateLoginUri);
  if (c.backchannelLogoutUri) meta.backchannel_logout_uri = checkClientUrl('--backchannel-logout-uri', c.backchannelLogoutUri);
  if (c.requireAal2) meta.default_acr_values = ['aal2'];
  if (c.authMethod === 'private_key_jwt') {
    if (!!c.jwks === !!c.jwksUri) throw new OidcInputError('private_key_jwt: give exactly one of --jwks or --jwks-uri');
    if (c.jwks) meta.jwks = checkJwks(c.jwks);
    if (c.jwksUri) meta.jwks_uri = checkClientUrl('--jwks-uri', c.jwksUri);
  } else if (c.jwks || c.jwksUri) {
    throw new OidcInputError('--jwks and --jwks-uri are for --auth-method private_key_jwt');
  }
  let serviceId: string | null = null;
  if (c.serviceCode) {
    const service = await findServiceByCode(ctx.db, c.serviceCode);
    if (!service) throw new OidcInputError(`--service: no service with code ${c.serviceCode}`);
    const taken = await clientRowOfService(ctx.db, service.id);
    if (taken) throw new OidcInputError(`--service: ${c.serviceCode} already has a settings-site client (${taken.id}); remove it first`);
    serviceId = service.id;
  }
  if (await findClientRow(ctx.db, c.id)) throw new OidcInputError(`--id: a client ${c.id} exists already`);
  const secret = c.authMethod === 'private_key_jwt' ? null : randomToken(32);
  const now = ctx.now();
  const row: ClientRow = {
    id: c.id, service_id: serviceId, name, metadata: JSON.stringify(meta),
    secret_enc: secret ? sealSecret(ctx.config.totpKey, secret, secretAad(c.id)) : null,
    first_party_at: c.firstParty ? now : null, created_at: now, secret_rotated_at: null,
  };
  await insertClient(ctx.db, row);
  return { client: await summaryOf(ctx, row), secret };
}

export async function listClients(ctx: AppContext): Promise<ClientSummary[]> {
  return Promise.all((await listClientRows(ctx.db)).map((r) => summaryOf(ctx, r)));
}

/** A new secret, printed once; the old one stops working at once (on every node: no cache). */
export async function rotateClientSecret(ctx: AppContext, id: string): Promise<string> {
  const row = await findClientRow(ctx.db, id);
  if (!row) throw new OidcInputError(`--id: no client ${id}`);
  if (row.secret_enc === null) throw new OidcInputError(`--id: ${id} signs in with private_key_jwt and has no secret`);
  const secret = randomToken(32);
  await updateClientSecret(ctx.db, id, sealSecret(ctx.config.totpKey, secret, secretAad(id)), ctx.now());
  return secret;
}

export async function removeClient(ctx: AppContext, id: string): Promise<void> {
  if (!(await deleteClientRow(ctx.db, id))) throw new OidcInputError(`--id: no client ${id}`);
}

export async function clientRow(ctx: AppContext, id: string): Promise<ClientRow | undefined> {
  return findClientRow(ctx.db, id);
}

/** The settings-site client of a service, if one is registered. */
export async function clientOfService(ctx: AppContext, serviceId: string): Promise<{ id: string; initiateLoginUri: string | null } | undefined> {
  const row = await clientRowOfService(ctx.db, serviceId);
  if (!row) return undefined;
  const meta = JSON.parse(row.metadata) as StoredMetadata;
  return { id: row.id, initiateLoginUri: meta.initiate_login_uri ?? null };
}

/** The registration oidc-provider validates and uses (its Client model, through the adapter). */
export async function clientMetadata(ctx: AppContext, id: string): Promise<Record<string, unknown> | undefined> {
  const row = await findClientRow(ctx.db, id);
  if (!row) return undefined;
  // initiate_login_uri is ours to use (the settings-site button), not the provider's: oidc-provider
  // accepts it over https only and would refuse a site being developed on http://localhost.
  const { initiate_login_uri: _ours, ...meta } = JSON.parse(row.metadata) as StoredMetadata;
  return {
    ...meta,
    client_id: row.id,
    ...(row.secret_enc ? { client_secret: openSecret(ctx.config.totpKeyRing, row.secret_enc, secretAad(row.id)) } : {}),
    response_types: ['code'],
    grant_types: ['authorization_code'],
    ...(meta.backchannel_logout_uri ? { backchannel_logout_session_required: true } : {}),
  };
}

async function summaryOf(ctx: AppContext, row: ClientRow): Promise<ClientSummary> {
  const meta = JSON.parse(row.metadata) as StoredMetadata;
  const service = row.service_id ? await findService(ctx.db, row.service_id) : undefined;
  return {
    id: row.id, name: row.name, service: service?.code ?? null, redirectUris: meta.redirect_uris,
    postLogoutUris: meta.post_logout_redirect_uris, initiateLoginUri: meta.initiate_login_uri ?? null,
    backchannelLogoutUri: meta.backchannel_logout_uri ?? null, authMethod: meta.token_endpoint_auth_method,
    firstParty: row.first_party_at !== null, requireAal2: meta.default_acr_values?.includes('aal2') ?? false,
    createdAt: row.created_at, secretRotatedAt: row.secret_rotated_at,
  };
}
