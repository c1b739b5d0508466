// The portal's contracts, orders, tickets and notices in TM Forum shapes (issue 24 item 6; TMF637
// Product, TMF622 ProductOrder, TMF621 TroubleTicket, MEF-style Incident). Pure functions of what
// the portal's services returned for the caller's scope: nothing here reads or decides visibility.
// `relatedParty` is only ever the caller's own organisation (the customer), never another.
import type { ListedContract } from '../portal/contracts/service.ts';
import type { OrderView } from '../portal/orders/service.ts';
import type { TicketDetail, TicketSummary } from '../portal/tickets/service.ts';
import type { NoticeView } from '../portal/notices/service.ts';

export type Lang = 'ja' | 'en';
export interface Shape { base: string; lang: Lang; organisationId: string }

export const PATHS = {
  product: '/tmf-api/productInventory/v5/product',
  productOrder: '/tmf-api/productOrdering/v5/productOrder',
  troubleTicket: '/tmf-api/troubleTicket/v5/troubleTicket',
  incident: '/tmf-api/incidentManagement/v5/incident',
} as const;

const iso = (ms: number | null | undefined) => (ms === null || ms === undefined ? undefined : new Date(ms).toISOString());
const named = (lang: Lang, ja: string, en: string) => (lang === 'en' ? en : ja);

/** The customer: the caller's own organisation, nothing more (issue 24: never another organisation). */
export function customerParty(s: Shape) {
  return [{ '@type': 'RelatedPartyRefOrPartyRoleRef', role: 'customer', partyOrPartyRole: { '@type': 'PartyRef', '@referredType': 'Organization', id: s.organisationId } }];
}

function offering(s: Shape, id: string, ja: string, en: string) {
  return { '@type': 'ProductOfferingRef', '@referredType': 'ProductOffering', id, name: named(s.lang, ja, en) };
}

export function product(s: Shape, c: ListedContract) {
  return {
    '@type': 'Product', id: c.id, href: `${s.base}${PATHS.product}/${c.id}`,
    name: named(s.lang, c.service_name_ja, c.service_name_en), productSerialNumber: c.number,
    status: c.status === 'suspended' ? 'suspended' : 'active', isBundle: false, isCustomerVisible: true,
    ...(c.memo ? { description: c.memo } : {}),
    productOffering: offering(s, c.service_id, c.service_name_ja, c.service_name_en),
    productCharacteristic: [
      { '@type': 'StringCharacteristic', name: 'operationStatus', valueType: 'string', value: c.status },
      { '@type': 'StringCharacteristic', name: 'groupNumber', valueType: 'string', value: c.group_number },
      { '@type': 'StringCharacteristic', name: 'site', valueType: 'string', value: c.site },
    ],
    relatedParty: customerParty(s),
  };
}

const ORDER_STATE: Record<OrderView['status'], string> = { in_progress: 'inProgress', opened: 'completed', cancelled: 'cancelled' } as Record<OrderView['status'], string>;
const MILESTONE_STATUS = { done: 'completed', current: 'inProgress', pending: 'pending' } as const;

export function productOrder(s: Shape, o: OrderView) {
  const state = ORDER_STATE[o.status] ?? o.status;
  const notice = named(s.lang, o.openingNoticeJa ?? '', o.openingNoticeEn ?? '');
  return {
    '@type': 'ProductOrder', id: o.id, href: `${s.base}${PATHS.productOrder}/${o.id}`, externalId: [{ '@type': 'ExternalIdentifier', id: o.number, externalIdentifierType: 'orderNumber' }],
    state, creationDate: iso(o.appliedAt), orderDate: iso(o.appliedAt),
    ...(o.plannedOpeningDate ? { requestedCompletionDate: `${o.plannedOpeningDate}T00:00:00+09:00` } : {}),
    productOrderItem: [{
      '@type': 'ProductOrderItem', id: '1', action: 'add', quantity: 1, state,
      productOffering: offering(s, o.serviceId, o.serviceNameJa, o.serviceNameEn),
      ...(o.contractNumber ? { product: { '@type': 'ProductRefOrValue', productSerialNumber: o.contractNumber } } : {}),
    }],
    milestone: o.steps.map((st) => ({
      '@type': 'Milestone', id: st.code, name: st.code, status: MILESTONE_STATUS[st.state],
      ...(st.doneAt !== null ? { milestoneDate: iso(st.doneAt) } : st.plannedDate ? { milestoneDate: `${st.plannedDate}T00:00:00+09:00` } : {}),
    })),
    ...(notice ? { note: [{ '@type': 'Note', id: 'opening-notice', text: notice }] } : {}),
    relatedParty: customerParty(s),
  };
}

/** S9 statuses in TMF621 words: received → acknowledged, the provider's turn → inProgress, the customer's → pending. */
export const TICKET_STATUS = { open: 'acknowledged', waiting_provider: 'inProgress', waiting_customer: 'pending', closed: 'closed' } as const;

export function troubleTicket(s: Shape, t: TicketSummary | TicketDetail) {
  const messages = 'messages' in t ? t.messages : null;
  return {
    '@type': 'TroubleTicket', id: t.id, href: `${s.base}${PATHS.troubleTicket}/${t.id}`,
    externalIdentifier: [{ '@type': 'ExternalIdentifier', id: t.number, externalIdentifierType: 'ticketNumber' }],
    name: t.subject, ticketType: t.category, status: TICKET_STATUS[t.status], creationDate: iso(t.createdAt), lastUpdate: iso(t.updatedAt),
    ...(messages && messages[0] ? { description: messages[0].body } : {}),
    relatedEntity: [
      ...(t.service ? [{ '@type': 'RelatedEntity', role: 'service', entity: { '@type': 'EntityRef', '@referredType': 'ProductOffering', id: t.service.id, name: named(s.lang, t.service.nameJa, t.service.nameEn) } }] : []),
      ...(t.contractNumber ? [{ '@type': 'RelatedEntity', role: 'affectedProduct', entity: { '@type': 'EntityRef', '@referredType': 'Product', name: t.contractNumber } }] : []),
    ],
    ...(messages ? {
      note: messages.map((m) => ({ '@type': 'Note', id: m.id, author: m.side === 'provider' ? `provider: ${m.authorName}` : m.authorName, date: iso(m.createdAt), text: m.body })),
    } : {}),
    relatedParty: customerParty(s),
  };
}

const INCIDENT_STATE = { ongoing: 'inProgress', upcoming: 'scheduled', ended: 'resolved' } as const;

/**
 * A notice as a MEF-style Incident: `relatedEntity` = what it affects: the services the reader sees a
 * contract of (decision 052, role `affectedService`) and the affected contracts the reader may see
 * (issue 24 item 1, role `affectedProduct`, each with its impact), never another organisation's.
 */
export function incident(s: Shape, n: NoticeView) {
  return {
    '@type': 'Incident', id: n.id, href: `${s.base}${PATHS.incident}/${n.id}`,
    name: named(s.lang, n.titleJa, n.titleEn), description: named(s.lang, n.bodyJa, n.bodyEn), incidentType: n.kind,
    state: INCIDENT_STATE[n.phase], startDate: iso(n.startsAt), ...(n.endsAt !== null ? { endDate: iso(n.endsAt) } : {}),
    impactsAllServices: n.allServices,
    relatedEntity: [
      ...n.services.map((sv) => ({ '@type': 'RelatedEntity', role: 'affectedService', entity: { '@type': 'EntityRef', '@referredType': 'ProductOffering', id: sv.id, name: named(s.lang, sv.nameJa, sv.nameEn) } })),
      // Issue 24 item 1: the affected contracts the caller may see (noticeFor filtered them by its scope), with their impact.
      ...n.contracts.map((c) => ({
        '@type': 'RelatedEntity', role: 'affectedProduct', impact: c.impact,
        entity: { '@type': 'EntityRef', '@referredType': 'Product', id: c.id, href: `${s.base}${PATHS.product}/${c.id}`, name: c.number },
      })),
    ],
    status: n.status,
  };
}

/** TMF630 `fields=`: the named top-level attributes, plus id, href and @type always. */
export function selectFields<T extends Record<string, unknown>>(obj: T, fields: string | undefined): Partial<T> {
  if (!fields) return obj;
  const keep = new Set(['id', 'href', '@type', ...fields.split(',').map((f) => f.trim()).filter(Boolean)]);
  return Object.fromEntries(Object.entries(obj).filter(([k]) => keep.has(k))) as Partial<T>;
}
