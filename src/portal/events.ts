// What happened to a ticket, an order or a notice, told to whoever listens (issue 24 item 6: the
// API's webhooks). The portal cannot import the API module (the API imports the portal), so the
// app hands in the listener at start, as it does for the mail brand lookup. A listener runs with
// the caller's transaction (`db`), so an event is written together with the change it reports.
import type { Db } from '../db/index.ts';

export type PortalEvent =
  | { resource: 'ticket'; type: 'TroubleTicketCreateEvent' | 'TroubleTicketStateChangeEvent' | 'TroubleTicketAttributeValueChangeEvent'; organisationId: string; id: string }
  | { resource: 'order'; type: 'ProductOrderStateChangeEvent' | 'ProductOrderMilestoneEvent'; organisationId: string; id: string }
  | { resource: 'notice'; type: 'IncidentCreateEvent' | 'IncidentAttributeValueChangeEvent'; id: string };

export type PortalEventListener = (db: Db, event: PortalEvent, now: number) => Promise<void>;

let listener: PortalEventListener | null = null;

/** Set once by the app (src/app.ts); a second call replaces the first (every app in a process shares it). */
export function usePortalEventListener(fn: PortalEventListener): void {
  listener = fn;
}

/** Tells the listener, inside the caller's transaction. Without one (the CLI before the app), nothing. */
export async function emitPortalEvent(db: Db, event: PortalEvent, now: number): Promise<void> {
  if (listener) await listener(db, event, now);
}
