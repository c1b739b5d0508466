// Organisation-scoped API tokens (issue 24 item 6). A portal admin issues one (name, scopes), sees
// it once, and may revoke it; only SHA-256 of it is stored (SECURITY.md 28: looked up by hash, then
// compared in constant time). A token acts as its organisation with a portal admin's view of that
// organisation only — never a partner's children (decision 061), never another organisation.
import type { AppContext } from '../context.ts';
import type { Db } from '../db/index.ts';
import { audit } from '../audit/log.ts';
import { DomainError } from '../errors.ts';
import { constantTimeEqual, newId, randomToken, sha256Hex } from '../lib/index.ts';
import { targetOrg, type AdminActor } from '../auth/service.ts';
import { countRequest, findToken, findTokenByHash, insertToken, revokeTokenRow, tokensOf, type TokenRow } from './store.ts';

export const SCOPES = ['contracts:read', 'orders:read', 'tickets:read', 'tickets:write', 'notices:read', 'hub:write'] as const;
export type Scope = (typeof SCOPES)[number];
export const TOKEN_PREFIX = 'bzp_';
const MAX_NAME = 100;

export function isScope(v: string): v is Scope {
  return (SCOPES as readonly string[]).includes(v);
}

/** Who calls the API: the token's organisation and what it may do. */
export interface ApiCaller { tokenId: string; organisationId: string; scopes: ReadonlySet<Scope>; createdBy: string; name: string }

export interface TokenView { id: string; name: string; scopes: Scope[]; createdAt: number; lastUsedAt: number | null; revokedAt: number | null }

function view(r: TokenRow): TokenView {
  return { id: r.id, name: r.name, scopes: r.scopes.split(' ').filter(isScope), createdAt: r.created_at, lastUsedAt: r.last_used_at, revokedAt: r.revoked_at };
}

/** Issues a token for the admin's organisation (or a child they manage); the token itself is returned once. */
export async function issueToken(ctx: AppContext, actor: AdminActor, orgId: string | undefined, input: { name: string; scopes: readonly string[] }): Promise<{ token: string; view: TokenView; organisationId: string }> {
  const organisationId = await targetOrg(ctx, actor.user, orgId);
  const name = input.name.trim();
  const scopes = [...new Set(input.scopes)].filter(isScope);
  const fields: Record<string, { key: 'api.name_invalid' | 'api.scopes_invalid' }[]> = {};
  if (!name || name.length > MAX_NAME) fields.name = [{ key: 'api.name_invalid' }];
  if (!scopes.length || scopes.length !== new Set(input.scopes).size) fields.scopes = [{ key: 'api.scopes_invalid' }];
  if (Object.keys(fields).length) throw new DomainError('common.field_errors', {}, fields);
  const token = `${TOKEN_PREFIX}${randomToken(32)}`;
  const now = ctx.now();
  const row: TokenRow = {
    id: newId(), organisation_id: organisationId, name, token_hash: sha256Hex(token), scopes: SCOPES.filter((s) => scopes.includes(s)).join(' '),
    created_by: actor.user.id, created_at: now, last_used_at: null, revoked_at: null,
  };
  await ctx.db.transaction().execute(async (trx) => {
    await insertToken(trx, row);
    await audit(trx, { event: 'api_token.issued', actorUserId: actor.user.id, organisationId, ip: actor.ip, detail: { token: row.id, name, scopes: row.scopes } }, now);
  });
  return { token, view: view(row), organisationId };
}

export async function listTokens(ctx: AppContext, actor: AdminActor, orgId: string | undefined): Promise<{ organisationId: string; tokens: TokenView[] }> {
  const organisationId = await targetOrg(ctx, actor.user, orgId);
  return { organisationId, tokens: (await tokensOf(ctx.db, organisationId)).map(view) };
}

/**
 * Revokes a token of an organisation the admin manages. Another organisation's token answers 403
 * (common.forbidden), as the admin's other cross-organisation refusals do, so it is audited
 * (SECURITY.md 43); ids are 128 random bits, so the answer tells nothing guessable.
 */
export async function revokeToken(ctx: AppContext, actor: AdminActor, tokenId: string): Promise<string> {
  const row = await findToken(ctx.db, tokenId);
  if (!row) throw new DomainError('common.not_found');
  const organisationId = await targetOrg(ctx, actor.user, row.organisation_id);
  const now = ctx.now();
  await ctx.db.transaction().execute(async (trx) => {
    if (await revokeTokenRow(trx, row.id, organisationId, now)) {
      await audit(trx, { event: 'api_token.revoked', actorUserId: actor.user.id, organisationId, ip: actor.ip, detail: { token: row.id, name: row.name } }, now);
    }
  });
  return organisationId;
}

export type Authenticated = { ok: true; caller: ApiCaller } | { ok: false; reason: 'missing' | 'invalid' | 'rate_limited' };

/**
 * The caller of an `Authorization: Bearer bzp_…` header: unknown, malformed and revoked tokens are
 * one answer. Counts the request in the token's minute (one guarded UPDATE, docs/api.md).
 */
export async function authenticate(db: Db, header: string | undefined, now: number, ratePerMinute: number): Promise<Authenticated> {
  if (!header) return { ok: false, reason: 'missing' };
  const m = /^Bearer ([A-Za-z0-9_-]{10,100})$/.exec(header);
  if (!m || !m[1]!.startsWith(TOKEN_PREFIX)) return { ok: false, reason: 'invalid' };
  const hash = sha256Hex(m[1]!);
  const row = await findTokenByHash(db, hash);
  if (!row || !constantTimeEqual(row.token_hash, hash) || row.revoked_at !== null) return { ok: false, reason: 'invalid' };
  const count = await countRequest(db, row.id, now);
  if (count === null) return { ok: false, reason: 'invalid' };
  if (count > ratePerMinute) return { ok: false, reason: 'rate_limited' };
  return { ok: true, caller: { tokenId: row.id, organisationId: row.organisation_id, scopes: new Set(row.scopes.split(' ').filter(isScope)), createdBy: row.created_by, name: row.name } };
}
