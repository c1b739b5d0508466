// Technical contacts per contract (issue 24 item 2): the customer's portal admin keeps, for each
// contract of an organisation they manage, names and mail addresses that receive the maintenance
// mails and reminders for that contract only. They are not users and never get a login. Each mail
// carries an unsubscribe link: `<contact id>.<HMAC-SHA256(SECRET_KEY, purpose + id)>`, which only
// removes that address from the organisation's contacts (single purpose: it opens nothing else).
import type { AppContext } from '../../context.ts';
import type { Db } from '../../db/index.ts';
import type { ContractContactTable } from '../../db/schema.ts';
import { DomainError, type FieldErrors } from '../../errors.ts';
import { audit } from '../../audit/log.ts';
import { checkEmail, constantTimeEqual, hmacHex, newId } from '../../lib/index.ts';
import { targetOrg, type AdminActor } from '../../auth/service.ts';
import { contractByNumber } from '../contracts/service.ts';
import {
  contactCountOf, contactExists, contactsOfOrganisation, deleteContact, deleteContactsByAddress, findContact, insertContact, type ContactLine,
} from './subscriptions-store.ts';

/** Contacts one contract may have: a team's few addresses, not a mailing list. */
export const MAX_CONTACTS_PER_CONTRACT = 10;
export const MAX_CONTACT_NAME = 100;
/** The contacts page lists at most this many. */
export const MAX_CONTACTS_LISTED = 2000;
const PURPOSE = 'notice-contact-unsubscribe:';

export type { ContactLine } from './subscriptions-store.ts';

export async function listContacts(ctx: AppContext, actor: AdminActor, orgId: string | undefined): Promise<{ organisationId: string; contacts: ContactLine[] }> {
  const organisationId = await targetOrg(ctx, actor.user, orgId);
  return { organisationId, contacts: await contactsOfOrganisation(ctx.db, organisationId, MAX_CONTACTS_LISTED) };
}

export interface ContactInput { number: string; name: string; email: string }

/**
 * Adds a contact to a contract of an organisation the admin manages (a foreign organisation: 403).
 * The contract must be the organisation's; the address a plain one (SECURITY.md 40), stored in its
 * normalised form; at most MAX_CONTACTS_PER_CONTRACT per contract, an address once. Audited.
 */
export async function addContact(ctx: AppContext, actor: AdminActor, orgId: string | undefined, input: ContactInput): Promise<{ organisationId: string; contact: ContractContactTable }> {
  const organisationId = await targetOrg(ctx, actor.user, orgId);
  const fields: FieldErrors = {};
  const contract = await contractByNumber(ctx.db, input.number.trim());
  if (!contract || contract.organisation_id !== organisationId) fields.number = [{ key: 'contacts.contract_unknown' }];
  const name = input.name.trim();
  // eslint-disable-next-line no-control-regex
  if (!name || name.length > MAX_CONTACT_NAME || /[\u0000-\u001f\u007f]/.test(name)) fields.name = [{ key: 'contacts.name_invalid', params: { max: MAX_CONTACT_NAME } }];
  const email = checkEmail(input.email);
  if (!email.ok) fields.email = [{ key: 'contacts.email_invalid' }];
  if (contract && !fields.number && email.ok) {
    if (await contactExists(ctx.db, contract.id, email.email)) fields.email = [{ key: 'contacts.duplicate' }];
    else if (await contactCountOf(ctx.db, contract.id) >= MAX_CONTACTS_PER_CONTRACT) fields.number = [{ key: 'contacts.too_many', params: { max: MAX_CONTACTS_PER_CONTRACT } }];
  }
  if (Object.keys(fields).length || !contract || !email.ok) throw new DomainError('common.field_errors', {}, fields);
  const now = ctx.now();
  const row: ContractContactTable = { id: newId(), contract_id: contract.id, organisation_id: organisationId, name, email: email.email, created_by: actor.user.id, created_at: now };
  await ctx.db.transaction().execute(async (trx) => {
    await insertContact(trx, row);
    await audit(trx, { event: 'contact.added', actorUserId: actor.user.id, organisationId, ip: actor.ip, detail: { contact: row.id, contract: contract.number, name, email: row.email } }, now);
  });
  return { organisationId, contact: row };
}

/** Removes a contact of an organisation the admin manages; another organisation's: 403, unknown: 404. Audited. */
export async function removeContact(ctx: AppContext, actor: AdminActor, contactId: string): Promise<string> {
  const row = contactId.length <= 64 ? await findContact(ctx.db, contactId) : undefined;
  if (!row) throw new DomainError('common.not_found');
  const organisationId = await targetOrg(ctx, actor.user, row.organisation_id);
  const now = ctx.now();
  await ctx.db.transaction().execute(async (trx) => {
    if (await deleteContact(trx, row.id, organisationId)) {
      await audit(trx, { event: 'contact.removed', actorUserId: actor.user.id, organisationId, ip: actor.ip, detail: { contact: row.id, contract: row.contract_id, name: row.name } }, now);
    }
  });
  return organisationId;
}

// ---- The unsubscribe link ----

export function unsubscribeToken(key: Buffer, contactId: string): string {
  return `${contactId}.${hmacHex(key, PURPOSE + contactId)}`;
}

const TOKEN = /^([A-Za-z0-9_-]{1,64})\.([0-9a-f]{64})$/;

/** The contact a link stands for, or null (malformed, forged, or the contact is gone). */
export async function contactOfUnsubscribeToken(db: Db, key: Buffer, token: string): Promise<ContractContactTable | null> {
  const m = TOKEN.exec(token);
  if (!m) return null;
  if (!constantTimeEqual(hmacHex(key, PURPOSE + m[1]!), m[2]!)) return null;
  return (await findContact(db, m[1]!)) ?? null;
}

/**
 * Unsubscribes: removes every contact of that organisation with the link's address (one person
 * may be the contact of several contracts and got them in one mail). Audited; false when already gone.
 */
export async function unsubscribeContact(db: Db, key: Buffer, token: string, ip: string, now: number): Promise<boolean> {
  const contact = await contactOfUnsubscribeToken(db, key, token);
  if (!contact) return false;
  return db.transaction().execute(async (trx) => {
    const numbers = await deleteContactsByAddress(trx, contact.organisation_id, contact.email);
    if (!numbers.length) return false;
    await audit(trx, { event: 'contact.unsubscribed', organisationId: contact.organisation_id, ip, detail: { contact: contact.id, contracts: numbers.join(' ') } }, now);
    return true;
  });
}
