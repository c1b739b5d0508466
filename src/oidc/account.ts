// Who the provider vouches for, and with what (issue 18 items 2 and 3). The rules are the portal's:
// the session's assurance comes from bizportal's login (a skipped second step is aal1, never
// aal2, whatever a client asks), and a contract is put in a token only when the user may view it
// (S8: a group of theirs may view it, or they are its organisation's admin) and it belongs to the
// client's service.
import type { AppContext } from '../context.ts';
import { amrOfSession, findOrganisation, findPublicUser, type PublicUser } from '../auth/service.ts';
import { contractScope, mayViewContract } from '../portal/access.ts';
import { contractByNumber, normaliseContractNumber } from '../portal/contracts/service.ts';
import { findService } from '../portal/catalogue/service.ts';
import { clientRow } from './clients.ts';

export type Acr = 'aal1' | 'aal2';

/** The session's `acr`: aal2 after the full 2-step, aal1 when the second step was skipped. */
export function acrOf(session: { aal: string }): Acr {
  return session.aal === 'aal2' ? 'aal2' : 'aal1';
}

/** RFC 8176 methods as recorded on the session at its creation (src/auth/sessions/amr.ts, issue 23). */
export function amrOf(session: { aal: string; factor: string | null; amr?: string | null }): string[] {
  return amrOfSession(session);
}

/**
 * The assurance a request needs: aal2 when the client asked for it (acr_values, an essential acr
 * claim, or the client's registered default_acr_values). Asking for aal1 lowers nothing: the
 * portal's own login decides whether a second step may be skipped.
 */
export function requiredAcr(params: Record<string, unknown>, defaultAcrValues: readonly string[] | undefined): Acr {
  const asked = new Set<string>();
  if (typeof params.acr_values === 'string') for (const v of params.acr_values.split(' ')) asked.add(v);
  const claims = parseClaims(params.claims);
  const acrClaim = claims?.id_token?.acr;
  if (acrClaim && typeof acrClaim === 'object') {
    const c = acrClaim as { value?: unknown; values?: unknown };
    if (typeof c.value === 'string') asked.add(c.value);
    if (Array.isArray(c.values)) for (const v of c.values) if (typeof v === 'string') asked.add(v);
  }
  if (asked.size === 0) for (const v of defaultAcrValues ?? []) asked.add(v);
  return asked.has('aal2') ? 'aal2' : 'aal1';
}

type ClaimsRequest = { id_token?: Record<string, unknown>; userinfo?: Record<string, unknown> };
function parseClaims(raw: unknown): ClaimsRequest | undefined {
  if (typeof raw === 'object' && raw !== null) return raw as ClaimsRequest;
  if (typeof raw !== 'string' || raw.length > 4096) return undefined;
  try { return JSON.parse(raw) as ClaimsRequest; } catch { return undefined; }
}

/** The contract number a request asks for (`claims` with a value for `contract`), or null. */
export function requestedContract(params: Record<string, unknown>): string | null | 'malformed' {
  const claims = parseClaims(params.claims);
  const values = [claims?.id_token?.contract, claims?.userinfo?.contract]
    .map((c) => (c && typeof c === 'object' ? (c as { value?: unknown }).value : undefined))
    .filter((v) => v !== undefined);
  if (values.length === 0) return null;
  if (values.some((v) => typeof v !== 'string') || new Set(values).size !== 1) return 'malformed';
  return normaliseContractNumber(values[0] as string) ?? 'malformed';
}

export type ContractCheck =
  | { ok: true; contract: { number: string; service: string } }
  | { ok: false; reason: 'malformed' | 'unknown_or_hidden' | 'other_service' | 'no_service' };

/**
 * May this user see this contract through this client? "Unknown" and "not yours" are one answer
 * (tenants stay unprobeable); a contract of another service is refused too, so one settings site
 * cannot be handed another service's contract.
 */
export async function checkContract(ctx: AppContext, user: Pick<PublicUser, 'id' | 'organisation_id' | 'role'>, clientId: string, rawNumber: string): Promise<ContractCheck> {
  const number = normaliseContractNumber(rawNumber);
  if (!number) return { ok: false, reason: 'malformed' };
  const client = await clientRow(ctx, clientId);
  if (!client?.service_id) return { ok: false, reason: 'no_service' };
  const contract = await contractByNumber(ctx.db, number);
  if (!contract) return { ok: false, reason: 'unknown_or_hidden' };
  const scope = await contractScope(ctx.db, { userId: user.id, organisationId: user.organisation_id, role: user.role });
  if (!(await mayViewContract(ctx.db, scope, contract.id))) return { ok: false, reason: 'unknown_or_hidden' };
  if (contract.service_id !== client.service_id) return { ok: false, reason: 'other_service' };
  const service = await findService(ctx.db, contract.service_id);
  return { ok: true, contract: { number: contract.number, service: service?.code ?? '' } };
}

/** The claims of one user for one client: read at the token and userinfo endpoints, so a change (a group removed) counts at once. */
export async function accountClaims(ctx: AppContext, userId: string, clientId: string | undefined, contractNumber: string | null): Promise<Record<string, unknown> | undefined> {
  const user = await findPublicUser(ctx.db, userId);
  if (!user || user.disabled_at !== null) return undefined;
  const org = await findOrganisation(ctx.db, user.organisation_id);
  const claims: Record<string, unknown> = {
    sub: user.id, name: user.name, email: user.email,
    // The address was proven by the starting guide link (S1) before the first login.
    email_verified: user.first_login_done, locale: user.lang,
    organisation: { id: user.organisation_id, name: org?.name ?? '' },
  };
  if (contractNumber && clientId) {
    const check = await checkContract(ctx, user, clientId, contractNumber);
    if (check.ok) claims.contract = check.contract;
  }
  return claims;
}
