// Subscriptions to the maintenance mail (issue 24 item 2): each user chooses which contracts (all
// they may see, chosen services, chosen contracts, none), from which impact on, and which events
// (publication, changes and cancellation, reminders). No row is the default: every contract the
// user may see, every impact, every event — the behaviour before subscriptions existed.
// A subscription only ever narrows the contract rule (access.ts): the mail code intersects it with
// the contracts the user may see at send time, so a chosen contract the user lost is never mailed.
import type { Db } from '../../db/index.ts';
import type { NoticeImpact, SubscriptionScope } from '../../db/schema.ts';
import { DomainError, type FieldErrors } from '../../errors.ts';
import { audit } from '../../audit/log.ts';
import type { ContractScope } from '../access.ts';
import { visibleServices } from '../visible.ts';
import { NOTICE_IMPACTS } from './targets.ts';
import { subscriptionRowsOf, subscriptionTargetsOf, visibleContractIds, writeSubscription } from './subscriptions-store.ts';

export const SUBSCRIPTION_SCOPES: readonly SubscriptionScope[] = ['all', 'services', 'contracts', 'none'];
export type SubscriptionEvent = 'published' | 'changes' | 'reminders';
export const SUBSCRIPTION_EVENTS: readonly SubscriptionEvent[] = ['published', 'changes', 'reminders'];
/** Far above any real choice; a form with more is a mistake or an attack. */
export const MAX_CHOSEN_CONTRACTS = 500;
export const MAX_CHOSEN_SERVICES = 100;

export interface Subscription {
  scope: SubscriptionScope;
  /** The least severe impact still mailed: 'none' mails everything, 'outage' only outages. */
  minImpact: NoticeImpact;
  events: SubscriptionEvent[];
  serviceIds: string[];
  contractIds: string[];
}

export const DEFAULT_SUBSCRIPTION: Readonly<Subscription> = Object.freeze({ scope: 'all', minImpact: 'none', events: [...SUBSCRIPTION_EVENTS], serviceIds: [], contractIds: [] });

/** Which event a mail is: a publication, a change (status, period, cancellation), a reminder. */
export type MailEvent = 'published' | 'status' | 'changed' | 'reminder';
export function eventOf(e: MailEvent): SubscriptionEvent {
  return e === 'published' ? 'published' : e === 'reminder' ? 'reminders' : 'changes';
}

const rank = (i: NoticeImpact) => NOTICE_IMPACTS.indexOf(i);

/** True when the subscription wants this affected contract mailed (the caller already kept only visible ones). */
export function subscriptionKeeps(sub: Subscription, a: { contract_id: string; service_id: string; impact: NoticeImpact }): boolean {
  if (rank(a.impact) > rank(sub.minImpact)) return false;
  switch (sub.scope) {
    case 'all': return true;
    case 'services': return sub.serviceIds.includes(a.service_id);
    case 'contracts': return sub.contractIds.includes(a.contract_id);
    case 'none': return false;
  }
}

/** The subscriptions of these users (the default for those without a row). */
export async function subscriptionsOf(db: Db, userIds: readonly string[]): Promise<Map<string, Subscription>> {
  const [rows, targets] = await Promise.all([subscriptionRowsOf(db, userIds), subscriptionTargetsOf(db, userIds)]);
  const out = new Map<string, Subscription>();
  for (const id of userIds) out.set(id, { ...DEFAULT_SUBSCRIPTION, events: [...DEFAULT_SUBSCRIPTION.events] });
  for (const r of rows) {
    const mine = targets.filter((t) => t.user_id === r.user_id);
    out.set(r.user_id, {
      scope: SUBSCRIPTION_SCOPES.includes(r.scope) ? r.scope : 'all',
      minImpact: NOTICE_IMPACTS.includes(r.min_impact) ? r.min_impact : 'none',
      events: SUBSCRIPTION_EVENTS.filter((e) => r.events.split(' ').includes(e)),
      serviceIds: mine.filter((t) => t.kind === 'service').map((t) => t.target_id),
      contractIds: mine.filter((t) => t.kind === 'contract').map((t) => t.target_id),
    });
  }
  return out;
}

export async function subscriptionOf(db: Db, userId: string): Promise<Subscription> {
  return (await subscriptionsOf(db, [userId])).get(userId)!;
}

/** What the form sends: words and ids, unchecked. */
export interface SubscriptionInput { scope: string; minImpact: string; events: readonly string[]; serviceIds: readonly string[]; contractIds: readonly string[] }

/**
 * Checks and saves a user's subscription. Only services and contracts the user may see now are
 * accepted (an id they may not see is refused like an unknown one, naming nothing); errors name
 * their field. Audited `notice.subscription_changed`.
 */
export async function saveSubscription(db: Db, scope: ContractScope, input: SubscriptionInput, ip: string, now: number): Promise<Subscription> {
  const fields: FieldErrors = {};
  const s = input.scope as SubscriptionScope;
  if (!SUBSCRIPTION_SCOPES.includes(s)) fields.scope = [{ key: 'subscriptions.scope_invalid' }];
  const minImpact = input.minImpact as NoticeImpact;
  if (!NOTICE_IMPACTS.includes(minImpact)) fields.minImpact = [{ key: 'subscriptions.impact_invalid' }];
  const events = [...new Set(input.events)];
  if (events.some((e) => !SUBSCRIPTION_EVENTS.includes(e as SubscriptionEvent))) fields.events = [{ key: 'subscriptions.events_invalid' }];
  const serviceIds = [...new Set(input.serviceIds)];
  const contractIds = [...new Set(input.contractIds)];
  if (s === 'services') {
    const seen = new Set((await visibleServices(db, scope)).map((v) => v.id));
    if (!serviceIds.length) fields.services = [{ key: 'subscriptions.services_required' }];
    else if (serviceIds.length > MAX_CHOSEN_SERVICES || serviceIds.some((id) => !seen.has(id))) fields.services = [{ key: 'subscriptions.choice_invalid' }];
  }
  if (s === 'contracts') {
    if (!contractIds.length) fields.contracts = [{ key: 'subscriptions.contracts_required' }];
    else if (contractIds.length > MAX_CHOSEN_CONTRACTS || contractIds.some((id) => id.length > 64)) fields.contracts = [{ key: 'subscriptions.choice_invalid' }];
    else {
      const seen = await visibleContractIds(db, scope, contractIds);
      if (contractIds.some((id) => !seen.has(id))) fields.contracts = [{ key: 'subscriptions.choice_invalid' }];
    }
  }
  if (Object.keys(fields).length) throw new DomainError('common.field_errors', {}, fields);
  const sub: Subscription = {
    scope: s, minImpact, events: SUBSCRIPTION_EVENTS.filter((e) => events.includes(e)),
    serviceIds: s === 'services' ? serviceIds : [], contractIds: s === 'contracts' ? contractIds : [],
  };
  await db.transaction().execute(async (trx) => {
    await writeSubscription(trx, { user_id: scope.viewer.userId, scope: sub.scope, min_impact: sub.minImpact, events: sub.events.join(' '), updated_at: now },
      [...sub.serviceIds.map((id) => ({ kind: 'service' as const, id })), ...sub.contractIds.map((id) => ({ kind: 'contract' as const, id }))]);
    await audit(trx, {
      event: 'notice.subscription_changed', actorUserId: scope.viewer.userId, subjectUserId: scope.viewer.userId, organisationId: scope.organisationId, ip,
      detail: { scope: sub.scope, minImpact: sub.minImpact, events: sub.events.join(' '), chosen: sub.serviceIds.length + sub.contractIds.length },
    }, now);
  });
  return sub;
}
