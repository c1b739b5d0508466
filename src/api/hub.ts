// Event subscriptions (TMF630 hub, issue 24 item 6): a token with hub:write registers a callback for
// the events of one API; every event is written to the webhook outbox (store.ts) in the transaction
// of the change (src/portal/events.ts), once per subscriber that may see the resource, shaped as
// that subscriber's organisation sees it. A subscriber never receives an event about something its
// organisation cannot see: the resource is read through the portal's services with its scope.
import type { AppContext } from '../context.ts';
import type { Db } from '../db/index.ts';
import { audit } from '../audit/log.ts';
import { DomainError } from '../errors.ts';
import { newId, randomToken } from '../lib/index.ts';
import { sealSecret } from '../auth/service.ts';
import { scopeFrom, type ContractScope } from '../portal/access.ts';
import type { PortalEvent } from '../portal/events.ts';
import { ticketFor } from '../portal/tickets/service.ts';
import { orderFor } from '../portal/orders/service.ts';
import { noticeFor } from '../portal/notices/service.ts';
import { CallbackRefused, resolveCallback } from './ssrf.ts';
import { incident, productOrder, troubleTicket, type Shape } from './tmf.ts';
import type { ApiCaller, Scope } from './tokens.ts';
import { insertDelivery, insertSubscription, liveSubscriptions, removeSubscriptionRow, type SubscriptionRow } from './store.ts';

/** The AAD of a subscription's sealed HMAC key: the box opens only on its own row. */
export const webhookAad = (subscriptionId: string) => `webhook:${subscriptionId}`;

/** The APIs with a hub, the events each publishes and the read scope a subscriber needs. */
export const HUB_APIS = {
  productOrdering: { read: 'orders:read', events: ['ProductOrderStateChangeEvent', 'ProductOrderMilestoneEvent'] },
  troubleTicket: { read: 'tickets:read', events: ['TroubleTicketCreateEvent', 'TroubleTicketStateChangeEvent', 'TroubleTicketAttributeValueChangeEvent'] },
  incidentManagement: { read: 'notices:read', events: ['IncidentCreateEvent', 'IncidentAttributeValueChangeEvent'] },
} as const satisfies Record<string, { read: Scope; events: readonly string[] }>;
export type HubApi = keyof typeof HUB_APIS;

/** The scope of an organisation's API caller: a portal admin's view of that organisation only (decision 061). */
export function organisationScope(organisationId: string, actingUserId: string): ContractScope {
  return scopeFrom({ userId: actingUserId, organisationId, role: 'admin' }, { groupIds: [], organisationFamily: [organisationId] });
}

/** `query` as TMF630 writes it: "eventType=A,B" (or empty: every event of the API). */
function eventTypesOf(api: HubApi, query: string): string[] {
  const all: readonly string[] = HUB_APIS[api].events;
  const m = /^\s*eventType\s*=\s*([A-Za-z,\s]*)$/.exec(query);
  if (!query.trim()) return [...all];
  if (!m) throw new DomainError('common.field_errors', {}, { query: [{ key: 'common.field_invalid' }] });
  const asked = m[1]!.split(',').map((s) => s.trim()).filter(Boolean);
  if (!asked.length || asked.some((e) => !all.includes(e))) throw new DomainError('common.field_errors', {}, { query: [{ key: 'common.field_invalid' }] });
  return [...new Set(asked)];
}

export interface Registered { id: string; callback: string; query: string; secret: string }

export async function registerHub(ctx: AppContext, caller: ApiCaller, api: HubApi, input: { callback: string; query?: string | undefined }, ip: string): Promise<Registered> {
  const query = input.query ?? '';
  const eventTypes = eventTypesOf(api, query);
  let host: string;
  try { host = (await resolveCallback(input.callback, ctx.config.webhookAllowLoopback)).url.hostname; } catch (err) {
    if (err instanceof CallbackRefused) throw new DomainError('common.field_errors', {}, { callback: [{ key: 'api.callback_refused' }] });
    throw err;
  }
  const id = newId();
  const secret = randomToken(32);
  const now = ctx.now();
  const row: SubscriptionRow = {
    id, organisation_id: caller.organisationId, token_id: caller.tokenId, callback: input.callback, query, event_types: eventTypes.join(' '),
    secret_enc: sealSecret(ctx.config.totpKey, secret, webhookAad(id)), created_at: now, removed_at: null,
  };
  await ctx.db.transaction().execute(async (trx) => {
    await insertSubscription(trx, row);
    await audit(trx, { event: 'webhook.subscribed', organisationId: caller.organisationId, ip, detail: { token: caller.tokenId, subscription: id, host, events: row.event_types } }, now);
  });
  return { id, callback: input.callback, query, secret };
}

export async function removeHub(ctx: AppContext, caller: ApiCaller, id: string, ip: string): Promise<void> {
  const now = ctx.now();
  const done = await ctx.db.transaction().execute(async (trx) => {
    const ok = await removeSubscriptionRow(trx, id, caller.organisationId, now);
    if (ok) await audit(trx, { event: 'webhook.removed', organisationId: caller.organisationId, ip, detail: { token: caller.tokenId, subscription: id } }, now);
    return ok;
  });
  if (!done) throw new DomainError('common.not_found');
}

/** The event's resource as `sub`'s organisation sees it, or null when it may not see it. */
async function resourceFor(db: Db, sub: SubscriptionRow, e: PortalEvent, base: string, now: number): Promise<Record<string, unknown> | null> {
  const scope = organisationScope(sub.organisation_id, sub.token_id);
  const shape: Shape = { base, lang: 'en', organisationId: sub.organisation_id };
  try {
    if (e.resource === 'ticket') return { troubleTicket: troubleTicket(shape, await ticketFor(db, scope, e.id)) };
    if (e.resource === 'order') return { productOrder: productOrder(shape, await orderFor(db, scope, e.id)) };
    return { incident: incident(shape, await noticeFor(db, scope, e.id, now)) };
  } catch (err) {
    if (err instanceof DomainError && err.code === 'common.not_found') return null;
    throw err;
  }
}

/**
 * The portal's event listener (src/app.ts hands it in): one outbox row per subscriber that asked for
 * this event type and may see the resource, in the caller's transaction. A notice concerns any
 * organisation that sees one of its services, so every live subscription is asked; a ticket or an
 * order only its own organisation's.
 */
export async function enqueuePortalEvent(db: Db, base: string, e: PortalEvent, now: number): Promise<void> {
  const subs = (await liveSubscriptions(db, e.resource === 'notice' ? undefined : e.organisationId)).filter((s) => s.event_types.split(' ').includes(e.type));
  if (!subs.length) return;
  const eventId = newId();
  for (const sub of subs) {
    const event = await resourceFor(db, sub, e, base, now);
    if (!event) continue;
    const payload = JSON.stringify({ eventId, eventTime: new Date(now).toISOString(), eventType: e.type, event });
    await insertDelivery(db, { id: newId(), subscription_id: sub.id, event_id: eventId, event_type: e.type, payload, state: 'pending', attempts: 0, next_attempt_at: now, created_at: now });
  }
}
