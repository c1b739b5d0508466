// Maintenance-mail subscriptions, technical contacts and sent reminders (issue 24 item 2), Kysely
// only. Visibility of contracts is always contractVisible (access.ts); nothing here decides it.
import type { Db } from '../../db/index.ts';
import type { ContractContactTable, NoticeSubscriptionTable, ReminderMoment } from '../../db/schema.ts';
import { contractVisible, type ContractScope } from '../access.ts';
import type { NoticeRow } from './store.ts';

export async function subscriptionRowsOf(db: Db, userIds: readonly string[]): Promise<NoticeSubscriptionTable[]> {
  const out: NoticeSubscriptionTable[] = [];
  for (let i = 0; i < userIds.length; i += 500) {
    out.push(...await db.selectFrom('notice_subscription').selectAll().where('user_id', 'in', userIds.slice(i, i + 500)).execute());
  }
  return out;
}

export async function subscriptionTargetsOf(db: Db, userIds: readonly string[]): Promise<Array<{ user_id: string; kind: 'service' | 'contract'; target_id: string }>> {
  const out: Array<{ user_id: string; kind: 'service' | 'contract'; target_id: string }> = [];
  for (let i = 0; i < userIds.length; i += 500) {
    out.push(...await db.selectFrom('notice_subscription_target').select(['user_id', 'kind', 'target_id']).where('user_id', 'in', userIds.slice(i, i + 500)).execute());
  }
  return out;
}

export async function writeSubscription(db: Db, row: NoticeSubscriptionTable, targets: ReadonlyArray<{ kind: 'service' | 'contract'; id: string }>): Promise<void> {
  await db.insertInto('notice_subscription').values(row).onConflict((oc) => oc.column('user_id').doUpdateSet({
    scope: row.scope, min_impact: row.min_impact, events: row.events, updated_at: row.updated_at,
  })).execute();
  await db.deleteFrom('notice_subscription_target').where('user_id', '=', row.user_id).execute();
  for (let i = 0; i < targets.length; i += 500) {
    await db.insertInto('notice_subscription_target').values(targets.slice(i, i + 500).map((t) => ({ user_id: row.user_id, kind: t.kind, target_id: t.id }))).execute();
  }
}

/** Of these contract ids, the ones the scope may see. */
export async function visibleContractIds(db: Db, scope: ContractScope, ids: readonly string[]): Promise<Set<string>> {
  const out = new Set<string>();
  for (let i = 0; i < ids.length; i += 500) {
    const rows = await db.selectFrom('contract').select('contract.id').where('contract.id', 'in', ids.slice(i, i + 500)).where(contractVisible(scope)).execute();
    for (const r of rows) out.add(r.id);
  }
  return out;
}

// ---- Technical contacts ----

export async function insertContact(db: Db, row: ContractContactTable): Promise<void> {
  await db.insertInto('contract_contact').values(row).execute();
}

export async function deleteContact(db: Db, id: string, organisationId: string): Promise<boolean> {
  const r = await db.deleteFrom('contract_contact').where('id', '=', id).where('organisation_id', '=', organisationId).returning('id').executeTakeFirst();
  return r !== undefined;
}

export async function findContact(db: Db, id: string): Promise<ContractContactTable | undefined> {
  return db.selectFrom('contract_contact').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function contactCountOf(db: Db, contractId: string): Promise<number> {
  const r = await db.selectFrom('contract_contact').select((eb) => eb.fn.countAll<number>().as('n')).where('contract_id', '=', contractId).executeTakeFirst();
  return Number(r?.n ?? 0);
}

export async function contactExists(db: Db, contractId: string, email: string): Promise<boolean> {
  return (await db.selectFrom('contract_contact').select('id').where('contract_id', '=', contractId).where('email', '=', email).executeTakeFirst()) !== undefined;
}

export type ContactLine = ContractContactTable & { number: string };

/** An organisation's contacts with their contract's number, by number then name. */
export async function contactsOfOrganisation(db: Db, organisationId: string, limit: number): Promise<ContactLine[]> {
  return db.selectFrom('contract_contact as cc').innerJoin('contract', 'contract.id', 'cc.contract_id')
    .select(['cc.id', 'cc.contract_id', 'cc.organisation_id', 'cc.name', 'cc.email', 'cc.created_by', 'cc.created_at', 'contract.number'])
    .where('cc.organisation_id', '=', organisationId).orderBy('contract.number').orderBy('cc.name').orderBy('cc.id').limit(limit).execute();
}

/** Removes every contact of the organisation with this address (the unsubscribe link); the numbers of their contracts. */
export async function deleteContactsByAddress(db: Db, organisationId: string, email: string): Promise<string[]> {
  const rows = await db.selectFrom('contract_contact as cc').innerJoin('contract', 'contract.id', 'cc.contract_id').select(['cc.id', 'contract.number'])
    .where('cc.organisation_id', '=', organisationId).where('cc.email', '=', email).execute();
  if (!rows.length) return [];
  await db.deleteFrom('contract_contact').where('id', 'in', rows.map((r) => r.id)).execute();
  return rows.map((r) => r.number);
}

/**
 * The contacts of a notice's affected contracts, with the contract, only where the contract still
 * belongs to the organisation the contact was added for.
 */
export async function contactsOfNotice(db: Db, noticeId: string) {
  return db.selectFrom('contract_contact as cc').innerJoin('notice_contract as nc', 'nc.contract_id', 'cc.contract_id')
    .innerJoin('contract', 'contract.id', 'cc.contract_id')
    .select(['cc.id', 'cc.name', 'cc.email', 'cc.organisation_id', 'cc.contract_id'])
    .where('nc.notice_id', '=', noticeId).whereRef('contract.organisation_id', '=', 'cc.organisation_id')
    .orderBy('cc.organisation_id').orderBy('cc.email').orderBy('cc.id').execute();
}

// ---- Reminders ----

/**
 * Maintenance and outage notices aimed at contracts, published, not withdrawn, neither cancelled
 * nor completed, with a reminder time in [from, to]: `lead` before the start, the start, the end.
 */
export async function noticesWithReminderDue(db: Db, from: number, to: number, leadMs: number, limit: number): Promise<NoticeRow[]> {
  return db.selectFrom('notice').selectAll()
    .where('kind', 'in', ['construction', 'outage']).where('withdrawn_at', 'is', null).where('status', 'not in', ['cancelled', 'completed'])
    .where('published_at', '<=', to)
    .where((eb) => eb.or([
      eb.and([eb('starts_at', '>=', from + leadMs), eb('starts_at', '<=', to + leadMs)]),
      eb.and([eb('starts_at', '>=', from), eb('starts_at', '<=', to)]),
      eb.and([eb('ends_at', '>=', from), eb('ends_at', '<=', to)]),
    ]))
    .where((eb) => eb.exists(eb.selectFrom('notice_contract').select('notice_contract.notice_id').whereRef('notice_contract.notice_id', '=', 'notice.id')))
    .orderBy('starts_at').orderBy('id').limit(limit).execute() as Promise<NoticeRow[]>;
}

/**
 * Claims one reminder: inserts its row, or finds it there. True for exactly one caller per
 * (notice, moment, due time), across nodes: the primary key decides (on PostgreSQL a second
 * transaction waits for the first and then inserts nothing).
 */
export async function claimReminder(db: Db, noticeId: string, moment: ReminderMoment, dueAt: number, now: number): Promise<boolean> {
  const row = await db.insertInto('notice_reminder').values({ notice_id: noticeId, moment, due_at: dueAt, sent_at: now, mails: 0 })
    .onConflict((oc) => oc.columns(['notice_id', 'moment', 'due_at']).doNothing()).returning('notice_id').executeTakeFirst();
  return row !== undefined;
}

export async function recordReminderMails(db: Db, noticeId: string, moment: ReminderMoment, dueAt: number, mails: number): Promise<void> {
  await db.updateTable('notice_reminder').set({ mails }).where('notice_id', '=', noticeId).where('moment', '=', moment).where('due_at', '=', dueAt).execute();
}

export async function remindersOf(db: Db, noticeId: string) {
  return db.selectFrom('notice_reminder').selectAll().where('notice_id', '=', noticeId).orderBy('due_at').orderBy('moment').execute();
}
